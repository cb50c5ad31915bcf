"""Request body parsers shared by every API view."""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class JSONObjectParser(JSONParser):
    """JSON whose top level is an object. Every write in the API takes named fields, so a bare number,
    string or list is refused here with a 400 instead of reaching a view that reads `request.data.get`."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if not isinstance(data, dict):
            raise ParseError("The request body must be a JSON object with named fields, "
                             f"not a {type(data).__name__}.")
        return data


def _refuse_nul(fields) -> None:
    # PostgreSQL text cannot hold NUL; the web middleware refuses it in JSON and plain forms, and an
    # upload's other fields are read here, where DRF parses them (file contents are the importers').
    if any("\x00" in key or any("\x00" in value for value in values) for key, values in fields.lists()):
        raise ParseError(_("The request holds a NUL character (%00), which no field accepts."))


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        _refuse_nul(data)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        _refuse_nul(parsed.data)
        return parsed
