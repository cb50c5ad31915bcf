"""How the OpenAPI schema (drf-spectacular) describes what each operation really answers, decided here once
rather than on every view (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"], SPECTACULAR_SETTINGS):

- A read-only field whose source crosses a relation that may be empty (`supervisor.full_name`) is not
  required: REST framework leaves it out of the answer when the relation is empty. Model fields that
  may be null, and method fields whose type hint allows None, are nullable (drf-spectacular's own rule).
- A file download declares its content types with `download(...)` and is a binary body, not JSON.
- A viewset with no serializer (answers built from selectors) is documented as answering a JSON value
  of its own shape, without the generator's guesswork; a list action is a list operation.
- Personal API tokens are the `Token` security scheme (`Authorization: Token knj_...`).
- Error answers (400/401/403/404) are added by `api.exceptions.document_errors`."""
from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView

# Text with something besides spaces and no NUL character (PostgreSQL cannot store one and the middleware
# refuses it), for fields whose service refuses blank text: the schema states the rule the service applies.
SOME_TEXT = r"^[^\x00]*[^\s\x00][^\x00]*$"
NO_NUL = r"^[^\x00]*$"
# What a download declares: the file, as bytes.
BINARY = OpenApiTypes.BINARY
ANY_JSON = {"description": "A JSON value built for this operation (see its description)."}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
CSV = "text/csv"


def download(*content_types: str, json=None, **kwargs):
    """`extend_schema` for an operation answering a file: 200 is a binary body of each content type
    (and a JSON body `json` too, for an operation answering JSON unless a file is asked for)."""
    responses = {(200, content_type): BINARY for content_type in content_types}
    if json is not None:
        responses[(200, "application/json")] = json
    return extend_schema(responses=responses, **kwargs)


def _relation_may_be_empty(model, source: str) -> bool:
    """Whether following the dotted `source` from `model` crosses a relation that may be null."""
    parts = source.split(".")
    for part in parts[:-1]:
        try:
            field = model._meta.get_field(part)
        except (FieldDoesNotExist, AttributeError):
            return False
        if not field.is_relation or field.related_model is None:
            return False
        if field.null or field.one_to_one and not field.concrete:  # a nullable key, or a reverse one-to-one
            return True
        model = field.related_model
    return False


class AutoSchema(SpectacularAutoSchema):
    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        model = getattr(getattr(serializer, "Meta", None), "model", None)
        if model is None or "required" not in schema:
            return schema
        absent = {name for name, field in serializer.fields.items()
                  if field.read_only and "." in (field.source or "") and _relation_may_be_empty(model, field.source)}
        schema["required"] = [name for name in schema["required"] if name not in absent]
        if not schema["required"]:
            del schema["required"]
        return schema

    def _has_serializer(self) -> bool:
        view = self.view
        return isinstance(view, GenericAPIView) or any(
            callable(getattr(view, name, None)) or getattr(view, name, None) is not None
            for name in ("get_serializer", "get_serializer_class", "serializer_class"))

    def get_request_serializer(self):
        if not self._has_serializer():
            return OpenApiTypes.OBJECT
        return super().get_request_serializer()

    def get_response_serializers(self):
        if not self._has_serializer():
            return {"201" if self._is_create_operation() else "200": ANY_JSON}
        return super().get_response_serializers()

    def _is_list_view(self, serializer=None) -> bool:
        if not self._has_serializer():
            return False  # its answer is documented whole, list or not
        return super()._is_list_view(serializer)

    def get_operation_id(self) -> str:
        operation_id = super().get_operation_id()
        if self.method == "GET" and getattr(self.view, "action", None) == "list" and operation_id.endswith("_retrieve"):
            return operation_id[: -len("_retrieve")] + "_list"
        return operation_id


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.PersonalTokenAuthentication"
    name = "Token"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`Token knj_...` (or `Bearer knj_...`): a personal API token from /me/tokens/."}


def examples_that_work_today(result, generator, request, public):
    """drf-spectacular postprocessing hook: request examples that the service accepts on the day the schema
    is read (a token's last day must lie within its maximum lifetime from today)."""
    import datetime

    from django.utils import timezone

    examples = {
        ("/tokens/", "post"): {"name": "reporting", "expires_on": (timezone.localdate() + datetime.timedelta(days=30)).isoformat()},
        ("/regions/{id}/suspend/", "post"): {"reason": "Unpaid invoice"},
    }
    for (path, method), example in examples.items():
        body = result.get("paths", {}).get(path, {}).get(method, {}).get("requestBody", {})
        for media in body.get("content", {}).values():
            media.setdefault("example", example)
    return result
