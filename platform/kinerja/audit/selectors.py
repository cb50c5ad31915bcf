"""Reading the audit trail, for the people allowed to: HR admins and auditors of a region, the
platform operator on the public site."""
from django.core.exceptions import PermissionDenied

from kinerja.accounts.capabilities import has
from kinerja.audit.models import AuditEntry


def can_read_audit(user) -> bool:
    return has(user, "audit.read")


def audit_entries_for(user, *, action: str = "", target_type: str = "", actor: str = "", date_from=None, date_to=None):
    if not can_read_audit(user):
        raise PermissionDenied
    entries = AuditEntry.objects.all()
    if action:
        entries = entries.filter(action__icontains=action)
    if target_type:
        entries = entries.filter(target_type=target_type)
    if actor:
        entries = entries.filter(actor_name__icontains=actor)
    if date_from:
        entries = entries.filter(at__date__gte=date_from)
    if date_to:
        entries = entries.filter(at__date__lte=date_to)
    return entries


def entries_about(target):
    """The trail of one record, newest first (for the record's own page; its reader's right to the
    record is checked by that page)."""
    return AuditEntry.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk)).order_by("-at")
