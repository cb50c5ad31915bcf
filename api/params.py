"""Query parameters read by the API's filters. A value of the wrong kind is the caller's mistake and is
answered 400 naming the parameter, never passed to the database (where "abc" for an id is a server error)."""
from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import exceptions

# PostgreSQL's integer; ids and years outside it match nothing anyway
INT_MAX = 2**31 - 1


def integer_param(params, name: str, *, minimum: int = 0, maximum: int = INT_MAX) -> int | None:
    """The whole number given as ?name=, None when absent or empty."""
    value = params.get(name)
    if value is None or value == "":
        return None
    text = value.strip()
    if not (text.isascii() and text.isdigit()) or not minimum <= int(text) <= maximum:
        raise exceptions.ValidationError({name: [_("Give a whole number between %(min)d and %(max)d, got %(value)r.")
                                                 % {"min": minimum, "max": maximum, "value": value[:40]}]})
    return int(text)
