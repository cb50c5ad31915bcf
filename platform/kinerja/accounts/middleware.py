"""Holds a session that still owes its second sign-in step on the two-factor pages."""
from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from kinerja.accounts.twofactor import ENROLL, pending_step

OPEN_PREFIXES = ("/me/two-factor/", "/accounts/logout/", "/i18n/", "/static/")


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        step = pending_step(request) if getattr(request, "user", None) is not None \
            and request.user.is_authenticated else None
        if step and not request.path.startswith(OPEN_PREFIXES):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _("Finish the two-factor sign-in first.")}, status=403)
            return redirect("me:two-factor-setup" if step == ENROLL else "me:two-factor-verify")
        return self.get_response(request)
