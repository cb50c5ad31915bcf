"""The people API: HR writes through the services with per-field 400s; filters; imports; export."""
import io

import pytest
from openpyxl import load_workbook

from kinerja.accounts.models import Role
from kinerja.audit.models import AuditEntry
from kinerja.people.models import Employee, Unit
from tests.helpers import client_for, in_region, make_user
from tests.people.conftest import NIP_ANDI, NIP_BUDI, NIP_SARI, PPPK_RINA, csv_file
from tests.people.test_imports import GOOD_ROWS, HEADER

pytestmark = pytest.mark.django_db

NEW_EMPLOYEE = {"nip": "198503152010011001", "employee_type": "PNS", "full_name": "Joko Susilo", "gender": "M",
                "birth_date": "1985-03-15", "rank": "III/b", "status": "active", "unit_code": "DISDIK",
                "position_code": "PENGADM", "supervisor_nip": "197902282003122001", "email": "joko@example.go.id"}


@pytest.fixture
def api(org):
    client = client_for(org.region, org.hr)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the messages asserted here are the English sources
    return client


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def test_hr_creates_units_in_the_tree(api, org):
    response = post(api, "/api/v1/units/", {"code": "PKM-TIGABALEH", "name": "Puskesmas Tigo Baleh",
                                            "kind": "sub_unit", "unit_type": "puskesmas", "parent_code": "DINKES"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["parent"] == org.dinkes.pk and body["path"] == f"/{org.dinkes.pk}/{body['id']}/"
    with in_region(org.region):
        assert AuditEntry.objects.filter(action="people.unit.create", target_id=str(body["id"])).exists()


def test_unit_errors_name_the_api_fields(api, org):
    response = post(api, "/api/v1/units/", {"code": "DINKES", "name": "X", "kind": "sub_unit"})
    assert response.status_code == 400
    assert set(response.json()) == {"code", "parent_code"}
    moved = patch(api, f"/api/v1/units/{org.dinkes.pk}/", {"parent_code": "PKM-MANDIANGIN"})
    assert moved.status_code == 400 and "under itself" in moved.json()["parent_code"][0]
    unknown = patch(api, f"/api/v1/units/{org.dinkes.pk}/", {"parent_code": "NOWHERE"})
    assert unknown.status_code == 400 and "NOWHERE" in unknown.json()["parent_code"][0]


def test_hr_creates_an_employee(api, org):
    response = post(api, "/api/v1/employees/", NEW_EMPLOYEE)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["unit_code"], body["position_code"], body["supervisor_nip"]) == (
        "DISDIK", "PENGADM", "197902282003122001")
    with in_region(org.region):
        assert Employee.objects.get(pk=body["id"]).supervisor == org.dewi
        assert AuditEntry.objects.get(action="people.employee.create", target_id=str(body["id"])).after["nip"] == \
            NEW_EMPLOYEE["nip"]


@pytest.mark.parametrize("change, field, reason", [
    ({"nip": "198503152010011000"}, "nip", "cannot be 000"),
    ({"birth_date": "1985-03-16"}, "nip", "1985-03-16"),
    ({"gender": "F"}, "nip", "digit 15"),
    ({"rank": "IX"}, "rank", "PPPK grade"),
    ({"employee_type": "PPPK"}, "rank", "PNS golongan"),
    ({"unit_code": "DINSOS"}, "unit_code", "DINSOS"),
    ({"supervisor_nip": "199909092020011001"}, "supervisor_nip", "199909092020011001"),
    ({"nip": NIP_BUDI, "birth_date": "1975-06-12"}, "nip", "already belongs"),
    ({"email": "joko-at-example"}, "email", ""),
])
def test_employee_errors_are_400_per_field(api, org, change, field, reason):
    response = post(api, "/api/v1/employees/", {**NEW_EMPLOYEE, **change})
    assert response.status_code == 400
    assert reason in " ".join(response.json()[field])
    with in_region(org.region):
        assert Employee.objects.count() == 5


def test_patch_goes_through_the_rules(api, org):
    loop = patch(api, f"/api/v1/employees/{org.budi.pk}/", {"supervisor_nip": PPPK_RINA})
    assert loop.status_code == 400 and "loop" in loop.json()["supervisor_nip"][0]
    ok = patch(api, f"/api/v1/employees/{org.andi.pk}/", {"rank": "iii/b"})
    assert ok.status_code == 200 and ok.json()["rank"] == "III/b"
    with in_region(org.region):
        entry = AuditEntry.objects.get(action="people.employee.update", target_id=str(org.andi.pk))
        assert (entry.before["rank"], entry.after["rank"]) == ("III/a", "III/b")


def test_positions_are_created_and_validated(api):
    assert post(api, "/api/v1/positions/", {"code": "BIDAN", "title": "Bidan Terampil", "kind": "fungsional",
                                            "position_class": 7}).status_code == 201
    bad = post(api, "/api/v1/positions/", {"code": "BIDAN", "title": "X", "kind": "fungsional",
                                           "position_class": 18})
    assert bad.status_code == 400 and set(bad.json()) == {"code", "position_class"}


def test_link_user(api, org):
    user = make_user(org.region, Role.EMPLOYEE, username="andi-login")
    response = post(api, f"/api/v1/employees/{org.andi.pk}/link-user/", {"user": user.pk})
    assert response.status_code == 200 and response.json()["user"] == user.pk
    taken = post(api, f"/api/v1/employees/{org.dewi.pk}/link-user/", {"user": user.pk})
    assert taken.status_code == 400 and "Andi Pratama" in taken.json()["user"][0]


def test_employee_filters(api, org):
    def nips(**params):
        return {row["nip"] for row in api.get("/api/v1/employees/", params).json()["results"]}

    assert nips(unit="DINKES") == {NIP_BUDI, NIP_SARI, PPPK_RINA}
    assert nips(unit="DINKES", subunits="0") == {NIP_BUDI}
    assert nips(unit="NOWHERE") == set()
    assert nips(employee_type="PPPK") == {PPPK_RINA}
    assert nips(search="pratama") == {NIP_ANDI}
    assert nips(search="1988") == {NIP_SARI}
    assert nips(status="retired") == set()
    units = api.get("/api/v1/units/", {"within": "DINKES"}).json()["results"]
    assert {u["code"] for u in units} == {"DINKES", "PKM-MANDIANGIN"}


def test_import_endpoints_preview_then_apply_once(api, org):
    bad = api.post("/api/v1/imports/", {"kind": "employees",
                                        "file": csv_file([HEADER, GOOD_ROWS[0].replace("III/b", "IX"), GOOD_ROWS[2]])})
    assert bad.status_code == 201
    assert bad.json()["errors"] == [{"row": 2, "field": "GOLONGAN",
                                     "reason": "IX is a PPPK grade; a PNS needs a golongan from I/a to IV/e"}]
    assert api.post(f"/api/v1/imports/{bad.json()['id']}/apply/").status_code == 409

    good = api.post("/api/v1/imports/", {"kind": "employees", "file": csv_file([HEADER, *GOOD_ROWS])})
    body = good.json()
    assert good.status_code == 201 and body["errors"] == [] and body["to_create"] == 3 and len(body["plan"]) == 3
    applied = api.post(f"/api/v1/imports/{body['id']}/apply/")
    assert applied.status_code == 200 and applied.json()["status"] == "applied"
    again = api.post(f"/api/v1/imports/{body['id']}/apply/")
    assert again.status_code == 409 and "already applied" in again.json()["detail"]
    history = api.get("/api/v1/imports/").json()["results"]
    assert [b["status"] for b in history] == ["applied", "previewed"]


def test_import_endpoint_needs_kind_and_file(api):
    response = api.post("/api/v1/imports/", {"kind": "pets"})
    assert response.status_code == 400 and set(response.json()) == {"kind", "file"}


def test_export_endpoint(api, org):
    response = api.get("/api/v1/employees/export/", {"unit": "DISDIK"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "NIP" and {row[0] for row in rows[1:]} == {"197902282003122001", NIP_ANDI}


def test_readers_read_units_but_cannot_write(org):
    client = client_for(org.region, make_user(org.region, Role.AUDITOR))
    assert len(client.get("/api/v1/units/").json()["results"]) == 3
    assert post(client, "/api/v1/positions/", {"code": "X", "title": "X", "kind": "pelaksana",
                                               "position_class": 3}).status_code == 403
    with in_region(org.region):
        assert not Unit.objects.filter(code="X").exists()
