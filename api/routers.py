"""The API's router: ids in paths are whole numbers.

DefaultRouter matches any text where a viewset names a record by its primary key, so `/plans/abc/feedback/`
reached the view and the database (`int('abc')`: a server error) or, for a year of 0000, a date nobody
can build. Here a viewset looked up by `pk`/`id` (the default) takes digits only; anything else is no
such address (404), as for any other path. Viewsets looked up by a code, slug or year set their own
`lookup_value_regex`."""
from __future__ import annotations

from rest_framework.routers import DefaultRouter

NUMERIC_LOOKUPS = {"pk", "id"}


class Router(DefaultRouter):
    def get_lookup_regex(self, viewset, lookup_prefix=""):
        if getattr(viewset, "lookup_value_regex", None) is None and \
                getattr(viewset, "lookup_field", "pk") in NUMERIC_LOOKUPS:
            lookup_url_kwarg = getattr(viewset, "lookup_url_kwarg", None) or getattr(viewset, "lookup_field", "pk")
            return f"(?P<{lookup_prefix}{lookup_url_kwarg}>[0-9]{{1,18}})"
        return super().get_lookup_regex(viewset, lookup_prefix)
