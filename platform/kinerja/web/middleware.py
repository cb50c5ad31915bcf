"""Requests no page or endpoint can answer: refused with 400 before any view runs."""
from __future__ import annotations

from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


class RefuseNullCharactersMiddleware:
    """PostgreSQL cannot hold the character NUL in text, so a query parameter carrying one (`?search=%00`)
    would reach the database as a server error from whichever filter reads it. It is refused here, once,
    for pages and the API alike. Form fields and serializers refuse it in bodies themselves."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any("\x00" in key or any("\x00" in value for value in values)
                                         for key, values in request.GET.lists()):
            message = _("The address holds the character NUL (byte zero), which no field accepts.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message)
        return self.get_response(request)
