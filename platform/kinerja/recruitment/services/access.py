"""Who may change recruitment data from the staff side: whoever holds `recruitment.manage`."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from kinerja.accounts.capabilities import has


def require_hr(actor) -> None:
    if not has(actor, "recruitment.manage"):
        raise PermissionDenied(_("Only the region's HR admins manage recruitment."))
