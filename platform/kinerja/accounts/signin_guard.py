"""Sign-in safety for what does not go through Django's `authenticate` (the job portal's applicants,
API tokens): the same django-axes counters and limits as staff sign-in, asked and fed by hand.

An attempt is counted under an account name (`applicant:<e-mail>`, `token:<prefix>`) and the client's
address; AXES_FAILURE_LIMIT failures of either within AXES_COOLOFF_TIME lock it until that long after
the last one."""
from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from axes.utils import reset
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def _credentials(account: str | None) -> dict:
    return {"username": account} if account else {}


def is_locked_out(request, account: str | None = None) -> bool:
    """Whether this client address, or this account, may not try now."""
    return not AxesProxyHandler.is_allowed(request, _credentials(account))


def record_failure(request, account: str | None = None) -> None:
    user_login_failed.send(sender=__name__, credentials=_credentials(account), request=request)


def record_success(request, account: str) -> None:
    """Forget the account's failures (as a staff sign-in does with AXES_RESET_ON_SUCCESS)."""
    reset(username=account)


def cool_off_minutes(request=None) -> int:
    delta = get_cool_off(request)
    return max(1, int(delta.total_seconds() // 60)) if delta else 0


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out staff sign-in is answered with (AXES_LOCKOUT_CALLABLE): 429 and a page that
    says for how long."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Too many failed sign-ins from here or with this token: try again in "
                                         "%d minutes.") % cool_off_minutes(request)}, status=429)
    return render(request, "registration/locked_out.html", {
        "failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": cool_off_minutes(request)}, status=429)
