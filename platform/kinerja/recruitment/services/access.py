"""Who may change recruitment data from the staff side: the region's HR admins."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from kinerja.accounts.models import Role


def require_hr(actor) -> None:
    if not (actor is not None and getattr(actor, "is_authenticated", False) and actor.role == Role.HR_ADMIN):
        raise PermissionDenied(_("Only the region's HR admins manage recruitment."))
