"""Request body parsers shared by every API view."""

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
