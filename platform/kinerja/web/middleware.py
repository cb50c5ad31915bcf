"""Requests no page or endpoint can answer: refused with 400 before any view runs."""
from __future__ import annotations

import json

from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


class RefuseNullCharactersMiddleware:
    """PostgreSQL cannot hold the character NUL in text, so a value carrying one (`?search=%00`, or a
    form field) would reach the database as a server error from whichever filter or save reads it. It is
    refused here, once, for pages and the API alike: in the address, in form fields and anywhere in a JSON
    body (where it arrives escaped as \\u0000, and a lookup by NIP would otherwise reach the database).
    Multipart bodies (uploads) are left to their forms."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or self._carries_nul(request):
            message = _("The request holds a NUL character (%00), which no field accepts.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message)
        return self.get_response(request)

    @staticmethod
    def _carries_nul(request) -> bool:
        sources = [request.GET]
        if request.method == "POST" and not request.content_type.startswith("multipart/"):
            sources.append(request.POST)
        if any("\x00" in key or any("\x00" in value for value in values)
               for source in sources for key, values in source.lists()):
            return True
        if request.content_type == "application/json" and request.body:
            try:
                document = json.loads(request.body)
            except (ValueError, RecursionError):
                return False  # the API's parser answers malformed JSON with its own 400
            return _holds_nul(document)
        return False


def _holds_nul(value) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False
