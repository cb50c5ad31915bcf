"""Input that once gave server errors (found by the fuzz pass and by hand) now gets a 4xx with a message:
an NIP of year 0000, a non-numeric id on plan sub-pages, filters of the wrong kind, a NUL character in the
address, an opening created without its optional fields."""
from __future__ import annotations

import pytest
from django.utils import translation
from kinerja.accounts.models import Role
from kinerja.people.identifiers import IdentifierError, parse_nip

from tests.factories import make_unit
from tests.helpers import client_for, in_region, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr(region_a):
    return make_user(region_a, Role.HR_ADMIN, username="hr-bad-input")


@pytest.fixture
def api(region_a, hr):
    return client_for(region_a, hr)


@pytest.mark.parametrize("nip", ["000001012010011001", "198503150000011001", "1985031520²0011001"])
def test_a_nip_with_year_0000_or_a_superscript_digit_is_an_identifier_error(nip):
    with translation.override("en"), pytest.raises(IdentifierError):
        parse_nip(nip)


def test_an_employee_with_a_nip_of_year_0000_is_refused_with_the_field(region_a, api):
    from kinerja.people.models import Position, PositionKind

    with in_region(region_a):
        make_unit("BAD-DINKES", "Dinas Kesehatan")
        Position.objects.create(code="BAD-ADM", title="Pengadministrasi", kind=PositionKind.EXECUTIVE, position_class=5)
    response = api.post("/api/v1/employees/", {
        "nip": "198503150000011001", "employee_type": "PNS", "full_name": "Joko", "gender": "M",
        "birth_date": "1985-03-15", "rank": "III/b", "unit_code": "BAD-DINKES", "position_code": "BAD-ADM"},
        content_type="application/json")
    assert response.status_code == 400 and "nip" in response.json()


@pytest.mark.parametrize("path", [
    "/api/v1/appraisal/plans/T/feedback/", "/api/v1/appraisal/plans/null/ratings/",
    "/api/v1/appraisal/plans/%C3%85/realisations/", "/api/v1/appraisal/plans/S/peer-summary/",
    "/api/v1/appraisal/plans/abc/", "/api/v1/appraisal/years/abcd/", "/api/v1/pay-runs/x/diff/",
    "/api/v1/appraisal/plans/99999999999999999999/",
])
def test_a_non_numeric_id_is_no_such_address(api, path):
    assert api.get(path).status_code == 404


@pytest.mark.parametrize("path,parameter", [
    ("/api/v1/appraisal/plans/?year=abc", "year"), ("/api/v1/appraisal/rewards-sanctions/?employee=x", "employee"),
    ("/api/v1/pay-results/?run=abc", "run"), ("/api/v1/recruitment/stages/?opening=%C2%B2", "opening"),
    ("/api/v1/recruitment/applications/?opening=-1", "opening"), ("/api/v1/positions/?position_class=%C2%B2", "position_class"),
    ("/api/v1/training/courses/?jp_min=%C2%B2", "jp_min"), ("/api/v1/appraisal/exports/skp22/?year=99999999999", "year"),
])
def test_a_filter_of_the_wrong_kind_is_400_naming_it(api, path, parameter):
    response = api.get(path)
    assert response.status_code == 400, response.content
    assert parameter in response.json()


def test_a_nul_character_in_the_address_is_400_on_pages_and_in_the_api(region_a, api):
    response = api.get("/api/v1/employees/?search=a%00b")
    assert response.status_code == 400 and "NUL" in response.json()["detail"]
    assert api.get("/people/employees/?search=%00").status_code == 400


def test_a_nul_character_escaped_in_a_json_body_is_400_before_any_lookup(api):
    # found by the fuzz pass: an acting supervisor's NIP of "\u0000" reached the database
    body = '{"acting_nip": "\\u0000", "in_place_of_nip": "1", "kind": "plt", "reason": "x"}'
    response = api.post("/api/v1/acting-supervisors/", body, content_type="application/json")
    assert response.status_code == 400 and "NUL" in response.json()["detail"]
    nested = '{"rows": [{"nip": ["ok", {"deep": "a\\u0000"}]}]}'
    assert api.post("/api/v1/units/", nested, content_type="application/json").status_code == 400
    harmless = '{"code": "\\\\u0000-is-just-text"}'  # an escaped backslash, not a NUL
    answer = api.post("/api/v1/units/", harmless, content_type="application/json")
    assert answer.status_code == 400 and "NUL" not in str(answer.json()) and "name" in answer.json()


@pytest.mark.parametrize("body", ["9420739", '"budget"', '[{"unit_code": "X"}]', "null"])
def test_a_json_body_that_is_not_an_object_is_400_naming_it(api, body):
    # found by the fuzz pass: a bare number posted to the training budgets reached `request.data.get`
    for path in ("/api/v1/training/budgets/", "/api/v1/units/", "/api/v1/acting-supervisors/"):
        response = api.post(path, body, content_type="application/json")
        assert response.status_code == 400, (path, response.content)
        assert "JSON object" in response.json()["detail"]


def test_an_opening_without_the_list_of_documents_is_told_why_not_a_server_error(region_a, api, hr):
    from kinerja.people.models import Position, PositionKind

    with in_region(region_a):
        make_unit("BAD-BKPSDM", "BKPSDM")
        Position.objects.create(code="BAD-ANALIS", title="Analis SDM", kind=PositionKind.FUNCTIONAL, position_class=8)
    opening = {"code": "bare-2026", "title": "Analis SDM", "kind": "cpns", "position": "BAD-ANALIS",
               "unit": "BAD-BKPSDM", "posts": 1, "rank": "III/a", "requirements": "S1",
               "registration_opens": "2026-03-02", "registration_closes": "2026-03-16"}
    refused = api.post("/api/v1/recruitment/openings/", opening, content_type="application/json")
    assert refused.status_code == 400 and list(refused.json()) == ["documents_required"]


def test_page_size_is_honoured_and_bounded(region_a, api):
    with in_region(region_a):
        for n in range(3):
            make_unit(f"PAGE-{n}", f"Unit {n}")
    assert len(api.get("/api/v1/units/?page_size=2").json()["results"]) == 2
    assert api.get("/api/v1/units/?page_size=2").json()["next"]
    from api.pagination import Pages

    assert Pages.max_page_size == 200
    assert api.get("/api/v1/units/?page_size=100000").status_code == 200  # taken as 200, not refused


def test_a_unit_whose_parent_code_holds_nul_and_an_overlong_course_title_are_400(region_a, api):
    response = api.post("/api/v1/units/", {"code": "NUL-1", "name": "Unit", "parent_code": "A\x00B"},
                        content_type="application/json")
    assert response.status_code == 400 and "NUL" in response.json()["detail"]
    response = api.post("/api/v1/training/courses/", {"code": "C-LONG", "title": "T" * 201, "method": "classroom",
                                                      "jp_hours": 2**31}, content_type="application/json")
    assert response.status_code in (400, 403)


def test_a_nul_character_in_a_multipart_or_form_body_is_400_before_any_lookup(api):
    # found by the fuzz pass: the same NIP of NUL, sent as multipart, reached the database
    fields = {"acting_nip": "\x00", "in_place_of_nip": "1", "kind": "plt", "reason": "x"}
    multipart = api.post("/api/v1/acting-supervisors/", fields)
    assert multipart.status_code == 400 and "NUL" in multipart.json()["detail"]
    form = api.post("/api/v1/acting-supervisors/", "acting_nip=%00&kind=plt",
                    content_type="application/x-www-form-urlencoded")
    assert form.status_code == 400 and "NUL" in form.json()["detail"]


@pytest.fixture
def pppk_place(region_a):
    from kinerja.people.models import Position, PositionKind

    with in_region(region_a):
        make_unit("BAD-DISDIK", "Dinas Pendidikan")
        Position.objects.create(code="BAD-GURU", title="Guru Ahli Pertama", kind=PositionKind.FUNCTIONAL,
                                position_class=8)


def test_a_pppk_employee_created_through_the_api_keeps_the_contract_end(region_a, api, pppk_place):
    # found by the fuzz pass: the API offered the contract end, the service did not take it (a 500)
    response = api.post("/api/v1/employees/", {
        "nip": "199001012023212001", "employee_type": "PPPK", "full_name": "Rina Guru", "gender": "F",
        "birth_date": "1990-01-01", "rank": "IX", "unit_code": "BAD-DISDIK", "position_code": "BAD-GURU",
        "contract_ends_on": "2028-12-31"}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["contract_ends_on"] == "2028-12-31"


def test_a_name_with_a_control_character_is_refused_and_an_old_one_still_exports(region_a, api, pppk_place):
    # found by the fuzz pass: a name holding a control character made the employee export fail whole
    body = {"nip": "199001012023212001", "employee_type": "PPPK", "full_name": "Rina\x07 Guru", "gender": "F",
            "birth_date": "1990-01-01", "rank": "IX", "unit_code": "BAD-DISDIK", "position_code": "BAD-GURU"}
    refused = api.post("/api/v1/employees/", body, content_type="application/json")
    assert refused.status_code == 400 and "full_name" in refused.json()
    body["full_name"] = "Rina Guru"
    assert api.post("/api/v1/employees/", body, content_type="application/json").status_code == 201
    from kinerja.people.models import Employee

    with in_region(region_a):
        Employee.objects.filter(nip="199001012023212001").update(full_name="Rina\x07 Guru\x1b")  # stored before the rule
    export = api.get("/api/v1/employees/export/")
    assert export.status_code == 200
    import io

    from openpyxl import load_workbook
    cells = {cell for row in load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True)
             for cell in row}
    assert "Rina Guru" in cells
