"""Requests refused before any view sees them."""
from django.http import HttpResponseBadRequest


class RefuseNulBytesMiddleware:
    """A NUL character in a query or form value is never meaningful, and PostgreSQL refuses it in any
    string (the query would fail with a server error): answer 400 at once."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for values in (request.GET,) + ((request.POST,) if request.method == "POST" and not request.content_type.startswith("multipart/") else ()):
            for key, value in values.lists():
                if "\x00" in key or any("\x00" in v for v in value):
                    return HttpResponseBadRequest("A NUL character is not allowed in a request.")
        return self.get_response(request)
