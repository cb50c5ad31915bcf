"""The API's one exception handler: the services' Django errors become 400 with field errors, 403 and 404,
in one body shape that the OpenAPI schema documents."""
from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation
from rest_framework.exceptions import NotAuthenticated

from api.exceptions import exception_handler
from kinerja.accounts.models import Role
from tests.helpers import client_for, in_region, make_user

pytestmark = pytest.mark.django_db


def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.parametrize(("error", "status", "body"), [
    (ValidationError({"month": ["Taken."], "reason": ["Give one."]}), 400,
     {"month": ["Taken."], "reason": ["Give one."]}),
    (ValidationError("The whole request is wrong."), 400, {"non_field_errors": ["The whole request is wrong."]}),
    (ValidationError({NON_FIELD_ERRORS: ["Both at once."]}), 400, {"non_field_errors": ["Both at once."]}),
    (PermissionDenied("Only HR may do this."), 403, {"detail": "Only HR may do this."}),
    (PermissionDenied(), 403, {"detail": "You do not have permission to perform this action."}),
    (Http404(), 404, {"detail": "Not found."}),
    (ObjectDoesNotExist(), 404, {"detail": "Not found."}),
])
def test_the_services_errors_become_api_answers(error, status, body):
    with translation.override("en"):
        response = exception_handler(error, {"view": None})
    assert (response.status_code, response.data) == (status, body)


@pytest.mark.parametrize(("raised", "body"), [
    ({"year": "Give an existing appraisal year."}, {"year": ["Give an existing appraisal year."]}),
    (["Nothing to do."], {"non_field_errors": ["Nothing to do."]}),
    ("Nothing to do.", {"non_field_errors": ["Nothing to do."]}),
    ({"scores": {"TWK": ["Too high."]}}, {"scores": {"TWK": ["Too high."]}}),
])
def test_every_400_names_fields_with_lists_of_messages(raised, body):
    from rest_framework.exceptions import ValidationError as ApiValidationError

    assert exception_handler(ApiValidationError(raised), {"view": None}).data == body


def test_a_view_names_the_fields_of_a_services_errors_its_own_way():
    class View:
        def shape_service_errors(self, errors):
            return {"unit_code" if name == "unit" else name: messages for name, messages in errors.items()}

    response = exception_handler(ValidationError({"unit": ["No such unit."]}), {"view": View()})
    assert response.data == {"unit_code": ["No such unit."]}


def test_anything_else_is_left_to_fail_loudly():
    assert exception_handler(RuntimeError("bug"), {"view": None}) is None
    assert exception_handler(NotAuthenticated(), {"view": None}).status_code == 401


def test_a_services_refusal_reaches_the_client_as_400_with_its_field(region_a):
    hr = make_user(region_a, Role.HR_ADMIN, username="errors-hr")
    client = english(client_for(region_a, hr))
    assert client.post("/api/v1/pay-runs/", {"month": "2031-02"}, content_type="application/json").status_code == 201
    again = client.post("/api/v1/pay-runs/", {"month": "2031-02-15"}, content_type="application/json")
    assert again.status_code == 400
    assert again.json() == {"month": ["2031-02 already has a pay run; open it, or cancel it first."]}


def test_a_refusal_of_a_visible_record_is_403_and_an_invisible_one_404(region_a):
    """HR sees a run and may act on it; leadership sees it but may not act (403); an employee does not see
    it, and is refused before any record is looked up, so an existing and a missing run answer alike."""
    from kinerja.pay import services

    hr = make_user(region_a, Role.HR_ADMIN, username="errors-hr")
    with in_region(region_a):
        run = services.create_run(month=datetime.date(2031, 3, 1), actor=hr)
    leadership = english(client_for(region_a, make_user(region_a, Role.LEADERSHIP, username="errors-lead")))
    assert leadership.get(f"/api/v1/pay-runs/{run.pk}/").status_code == 200
    refused = leadership.post(f"/api/v1/pay-runs/{run.pk}/cancel/", {"reason": "x"}, content_type="application/json")
    assert refused.status_code == 403 and refused.json() == {"detail": "Only the region's HR admins manage pay runs."}
    assert leadership.post(f"/pay/runs/{run.pk}/cancel/", {"reason": "x"}).status_code == 403
    assert leadership.get(f"/api/v1/pay-runs/{run.pk + 1000}/").status_code == 404
    employee = client_for(region_a, make_user(region_a, Role.EMPLOYEE, username="errors-staff"))
    assert employee.get(f"/api/v1/pay-runs/{run.pk}/").status_code == 404
    for pk in (run.pk, run.pk + 1000):
        assert employee.post(f"/api/v1/pay-runs/{pk}/cancel/", {"reason": "x"},
                             content_type="application/json").status_code == 403


@pytest.mark.parametrize("region_site", [True, False])
def test_the_error_shape_is_documented_in_the_openapi_schema(region_a, region_site):
    client = client_for(region_a if region_site else None)
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    error = schema["components"]["schemas"]["Error"]
    assert error["type"] == "object" and "detail" in error["properties"]
    assert "non_field_errors" in error["properties"] and error["additionalProperties"]
    reference = {"$ref": "#/components/schemas/Error"}
    path = "/pay-runs/{id}/approve/" if region_site else "/regions/{id}/suspend/"  # paths follow /api/v1
    responses = schema["paths"][path]["post"]["responses"]
    for code in ("400", "401", "403", "404"):
        assert responses[code]["content"]["application/json"]["schema"] == reference, code
    listing = schema["paths"]["/pay-runs/" if region_site else "/regions/"]["get"]["responses"]
    assert "403" in listing and "404" not in listing and "400" not in listing
