"""The OpenAPI schema of a region's host and of the platform's host says what each operation really answers:
it generates without a warning and validates, downloads are binary bodies of their content types, every
write documents 400 and 403, what may be empty is nullable or left out, and the constraints of onboarding and
token creation are those the services apply (found by the fuzz pass: generated requests the schema
allowed were refused)."""
from __future__ import annotations

import datetime
import re

import pytest
import yaml
from django.core.management import call_command
from django.utils import timezone

from kinerja.accounts.models import Role
from tenants.services import REGION_CODE_PATTERN, SLUG_PATTERN
from tests.helpers import client_for, make_user

URLCONFS = ["api.urls_tenant", "api.urls_public"]
DOWNLOADS = {  # path (after /api/v1) -> content types of its file
    "api.urls_tenant": {
        "/appraisal/plans/{id}/skp-pdf/": {"application/pdf"},
        "/appraisal/plans/{id}/evaluation-pdf/": {"application/pdf"},
        "/employees/export/": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
        "/pay-results/{id}/payslip/": {"application/pdf"},
        "/pay-runs/{id}/register/": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
        "/pay-runs/{id}/transfer/": {"text/csv", "text/plain", "application/octet-stream"},
        "/recruitment/stages/{id}/export/": {"text/csv",
                                             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
        "/training/enrolments/{id}/certificate/": {"application/pdf"},
        "/training/national-export/": {"text/csv"},
    },
    "api.urls_public": {},
}
WRITES = {"post", "put", "patch", "delete"}


@pytest.fixture(scope="module", params=URLCONFS)
def generated(request, tmp_path_factory):
    """The schema as `manage.py spectacular --validate --fail-on-warn` writes it (which fails on any warning
    or a schema OpenAPI 3 does not accept)."""
    target = tmp_path_factory.mktemp("schema") / "openapi.yaml"
    call_command("spectacular", "--urlconf", request.param, "--validate", "--fail-on-warn", "--file", str(target))
    return request.param, yaml.safe_load(target.read_text())


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if isinstance(operation, dict) and "responses" in operation:
                yield path, method, operation


def test_downloads_are_binary_bodies_of_their_content_types(generated):
    urlconf, schema = generated
    for path, types in DOWNLOADS[urlconf].items():
        content = schema["paths"][path]["get"]["responses"]["200"]["content"]
        assert types <= set(content), path
        for content_type in types:
            assert content[content_type]["schema"] == {"type": "string", "format": "binary"}, (path, content_type)
    # and nothing else answers a body that is neither JSON nor a declared file
    for path, method, operation in operations(schema):
        for content_type, media in operation["responses"].get("200", {}).get("content", {}).items():
            if "json" not in content_type and path != "/schema/":
                assert media["schema"].get("format") == "binary", (method, path, content_type)


def test_every_write_documents_refusals_and_every_operation_403(generated):
    _urlconf, schema = generated
    error = {"$ref": "#/components/schemas/Error"}
    writes = 0
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        assert responses["403"]["content"]["application/json"]["schema"] == error, (method, path)
        if method in WRITES:
            writes += 1
            assert responses["400"]["content"]["application/json"]["schema"] == error, (method, path)
        if "{" in path:
            assert "404" in responses, (method, path)
    assert writes > 3


def test_tokens_are_the_documented_security_scheme(generated):
    _urlconf, schema = generated
    scheme = schema["components"]["securitySchemes"]["Token"]
    assert scheme == {"type": "apiKey", "in": "header", "name": "Authorization",
                      "description": scheme["description"]}
    assert any({"Token": []} in operation.get("security", []) for _p, _m, operation in operations(schema))


def test_what_may_be_empty_is_nullable_or_left_out(generated):
    urlconf, schema = generated
    if urlconf != "api.urls_tenant":
        pytest.skip("these components belong to the region's API")
    components = schema["components"]["schemas"]
    # a column that may be null is nullable
    assert components["Employee"]["properties"]["supervisor"].get("nullable") is True
    # a field read through a relation that may be empty is left out of the answer then, so not required
    assert "employee_nip" in components["Login"]["properties"]
    assert "employee_nip" not in components["Login"]["required"]  # a login without an employee
    assert "employee_nip" in components["Plan"]["required"]  # a plan always has one


def test_onboarding_and_suspension_state_the_services_rules(generated):
    urlconf, schema = generated
    if urlconf != "api.urls_public":
        pytest.skip("regions are the platform's")
    components = schema["components"]["schemas"]
    onboarding = components["Onboarding"]
    assert onboarding["properties"]["slug"]["pattern"] == SLUG_PATTERN.pattern
    assert onboarding["properties"]["region_code"]["pattern"] == REGION_CODE_PATTERN.pattern
    assert onboarding["properties"]["admin_email"]["format"] == "email"
    assert "platform" not in onboarding["properties"]["kind"].get("enum", [])
    for name in ("name", "province", "admin_name"):
        assert re.fullmatch(onboarding["properties"][name]["pattern"], "Kota Padang")
        assert not re.fullmatch(onboarding["properties"][name]["pattern"], "   ")
        assert not re.fullmatch(onboarding["properties"][name]["pattern"], "Kota\x00")
    suspension = schema["paths"]["/regions/{id}/suspend/"]["post"]["requestBody"]["content"]["application/json"]
    reason = components[suspension["schema"]["$ref"].rsplit("/", 1)[-1]]
    assert "reason" in reason["required"] and not re.fullmatch(reason["properties"]["reason"]["pattern"], "")


@pytest.mark.django_db
def test_the_token_example_of_the_schema_is_accepted(region_a):
    user = make_user(region_a, Role.EMPLOYEE, username="schema-staff")
    client = client_for(region_a, user)
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    body = schema["paths"]["/tokens/"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"]["$ref"].endswith("/NewToken")
    expires_on = datetime.date.fromisoformat(body["example"]["expires_on"])
    assert expires_on > timezone.localdate()
    assert client.post("/api/v1/tokens/", body["example"], content_type="application/json").status_code == 201


@pytest.mark.django_db
def test_onboarding_refuses_what_the_schema_refuses_with_the_services_words():
    client = client_for(None, make_user(None, Role.OPERATOR))
    client.cookies["django_language"] = "en"
    refused = client.post("/api/v1/regions/", {"name": " ", "slug": "Padang!", "kind": "kota", "region_code": "1375",
                                               "province": "Sumatera Barat", "admin_name": "Admin",
                                               "admin_email": "a@padang.go.id"}, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json() == {
        "name": ["The region's name is required."],
        "slug": ["Use 2-30 lowercase letters and digits, starting with a letter (it becomes the subdomain)."],
        "region_code": ["The official code looks like 13 (province) or 13.75 (regency or city)."]}


def test_the_docs_send_requests_to_the_versioned_api_and_every_body_is_typed(generated):
    """"Try it out" calls /api/v1 on the host the docs are on, and no write takes an untyped object
    (a client generator would otherwise know nothing of what to send)."""
    _urlconf, schema = generated
    assert schema["servers"] == [{"url": "/api/v1"}]
    untyped = []
    for path, method, operation in operations(schema):
        for content_type, content in (operation.get("requestBody") or {}).get("content", {}).items():
            body = content.get("schema", {})
            if "$ref" not in body and body.get("type") == "object" and not body.get("properties"):
                untyped.append(f"{method.upper()} {path} ({content_type})")
    assert untyped == []
