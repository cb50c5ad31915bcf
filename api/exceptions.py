"""The API's one exception handler (REST_FRAMEWORK["EXCEPTION_HANDLER"]) and the error body it answers
with, documented once in the OpenAPI schema.

The services speak Django: a `ValidationError` naming the field and the reason when the input or the
record's state is wrong, `PermissionDenied` when the caller may not do this at all, `Http404` or a model's
`DoesNotExist` when there is no such record (or none the caller may see). Every endpoint lets them
through and this handler turns them into 400, 403 and 404, so no endpoint translates errors itself.

Error body: a JSON object. A 400 names each rejected field of the request with a list of messages
(messages about no single field are under "non_field_errors"; a nested input such as a stage's "scores"
holds an object of the same form). Every other error carries one message under "detail"."""
from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


def field_errors(error: DjangoValidationError, view=None) -> dict:
    """A service's ValidationError as the API's field errors. A view whose fields are named otherwise than
    the service's (a unit's code for its id, say) reshapes them in `shape_service_errors(errors)`."""
    if hasattr(error, "error_dict"):
        errors = {api_settings.NON_FIELD_ERRORS_KEY if name == NON_FIELD_ERRORS else name: messages
                  for name, messages in error.message_dict.items()}
    else:
        errors = {api_settings.NON_FIELD_ERRORS_KEY: error.messages}
    shape = getattr(view, "shape_service_errors", None)
    return shape(errors) if shape else errors


def exception_handler(exc, context):
    request = context.get("request")
    if isinstance(exc, (ValueError, OverflowError, DataError)) and request is not None and \
            request.method in ("GET", "HEAD", "OPTIONS") and request.query_params:
        # A read that fails on a value of the wrong shape failed on one of its filters: name them (400),
        # rather than answering 500. Writes keep their own validation and are not guessed at.
        exc = exceptions.ValidationError({name: [_("This filter value is not valid.")]
                                          for name in request.query_params})
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(field_errors(exc, context.get("view")))
    elif isinstance(exc, ObjectDoesNotExist):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        response.data = _as_field_lists(response.data)
    return response


def _as_field_lists(data):
    """Every 400 in the one shape, however an endpoint raised it: a list of messages per field (a bare
    message, or a bare list of them, concerns the request as a whole)."""
    if isinstance(data, list):
        return {api_settings.NON_FIELD_ERRORS_KEY: data}
    if isinstance(data, dict):
        return {name: [messages] if isinstance(messages, str) else messages for name, messages in data.items()}
    return {api_settings.NON_FIELD_ERRORS_KEY: [data]}


ERROR_SCHEMA = {
    "type": "object",
    "description": __doc__.split("\n\n")[-1].replace("\n", " "),
    "properties": {
        "detail": {"type": "string", "description": "The reason, for every error but a 400."},
        "non_field_errors": {"type": "array", "items": {"type": "string"},
                             "description": "400: messages about the request as a whole."},
    },
    "additionalProperties": {"oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "object"}],
                             "description": "400: the messages of one field of the request."},
    "example": {"status": ["A run that is Draft cannot be approved."]},
}
ERROR_RESPONSES = {
    "400": "The request was refused: see the messages per field.",
    "401": "Not signed in (send a token or a session cookie).",
    "403": "The caller may not do this, or not to this record, which it can see.",
    "404": "No such record, or none the caller may see: the two are not told apart.",
}
WRITE_METHODS = {"post", "put", "patch", "delete"}


def document_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook: the Error component, referenced by the 400 (writes), 401 and 403
    (every operation) and 404 (operations on one record) answers each operation may give."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = ["401", "403"]
            if method in WRITE_METHODS:
                codes.append("400")
            if "{" in path:
                codes.append("404")
            for code in codes:
                operation["responses"].setdefault(code, {"description": ERROR_RESPONSES[code],
                                                         "content": reference})
    return result
