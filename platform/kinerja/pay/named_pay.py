"""Pay published by name: a mode a region turns on only when its own regulation orders it.

By default the public transparency page shows pay per position class in groups that single nobody out.
Some regions' regulations order every employee's TPP published (the Kotalama article describes one). Then
HR turns this mode on, recording the regulation's number (the legal basis), and names a first day at least
NOTICE_DAYS ahead; every employee is told at once, through their notifications, what will be published
and from when. From that day the page lists name, position class and TPP amount only (no NIP, unit, rank
or pay lines). Turning it off returns to the default at once. Both are audited and HR-only."""
from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import record_change, snapshot
from kinerja.notifications.services import notify, page
from kinerja.pay import selectors
from kinerja.pay.models import PaySettings, TransparencyMode
from kinerja.people.models import Employee, EmployeeStatus
from kinerja.region import facts

NOTICE_DAYS = 14
REGULATION_MAX_LENGTH = 200
FIELDS = ["transparency_mode", "named_pay_regulation", "named_pay_from", "named_pay_announced_at"]


def _require_hr(actor) -> None:
    if not selectors.can(actor, "pay.data.manage"):
        raise PermissionDenied(_("Only the region's HR admins manage pay."))


def _locked_settings() -> PaySettings:
    PaySettings.objects.get_or_create(pk=1)
    return PaySettings.objects.select_for_update().get(pk=1)


@transaction.atomic
def turn_on(*, actor, regulation: str, publish_from, now=None) -> PaySettings:
    """HR turns named pay on under `regulation`, from `publish_from` (at least NOTICE_DAYS after today),
    and every employee with a login is told now."""
    _require_hr(actor)
    regulation = (regulation or "").strip()
    today = facts.today(now)
    errors = {}
    if not regulation:
        errors["regulation"] = [_("Record the number of the regulation that orders pay to be published by name.")]
    elif len(regulation) > REGULATION_MAX_LENGTH:
        errors["regulation"] = [_("At most %d characters.") % REGULATION_MAX_LENGTH]
    if not isinstance(publish_from, datetime.date):
        errors["publish_from"] = [_("Enter the first day names are published (YYYY-MM-DD).")]
    elif publish_from < today + datetime.timedelta(days=NOTICE_DAYS):
        errors["publish_from"] = [_("Employees must be told at least %(days)d days ahead: the first day can be "
                                    "%(date)s at the earliest.") % {
            "days": NOTICE_DAYS, "date": today + datetime.timedelta(days=NOTICE_DAYS)}]
    if errors:
        raise ValidationError(errors)
    settings = _locked_settings()
    before = snapshot(settings, FIELDS)
    settings.transparency_mode = TransparencyMode.NAMED
    settings.named_pay_regulation, settings.named_pay_from = regulation, publish_from
    settings.named_pay_announced_at = now or timezone.now()
    settings.save(update_fields=FIELDS)
    record_change(actor=actor, action="pay.transparency.named_on", target=settings, before=before,
                  after=snapshot(settings, FIELDS), reason=regulation)
    staff = [employee.user for employee in Employee.objects.filter(
        user__isnull=False, status__in=(EmployeeStatus.ACTIVE, EmployeeStatus.ON_LEAVE)).select_related("user")]
    notify(staff, "pay.named_publication", link=page("pay:transparency"),
           params={"regulation": regulation, "date": publish_from})
    return settings


@transaction.atomic
def turn_off(*, actor, reason: str) -> PaySettings:
    """HR returns the page to pay per position class, at once."""
    _require_hr(actor)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why names are no longer published.")]})
    settings = _locked_settings()
    before = snapshot(settings, FIELDS)
    settings.transparency_mode = TransparencyMode.CLASSES
    settings.named_pay_from = None
    settings.save(update_fields=FIELDS)
    record_change(actor=actor, action="pay.transparency.named_off", target=settings, before=before,
                  after=snapshot(settings, FIELDS), reason=reason.strip())
    return settings
