"""Who sees whom: `visible_employees` is the one rule, and pages and API follow it. Each test tries to
cross a line: another employee, another unit, another role, another region."""
import pytest
from kinerja.accounts.models import Role
from kinerja.people.selectors import visible_employees

from tests.factories import make_api_token
from tests.helpers import client_for, host_of, in_region, make_user
from tests.people.conftest import NIP_ANDI, NIP_BUDI, NIP_SARI, PPPK_RINA, csv_file

pytestmark = pytest.mark.django_db


def nips(user, region):
    with in_region(region):
        return set(visible_employees(user).values_list("nip", flat=True))


def test_an_employee_sees_only_themselves(org, logins):
    assert nips(logins.rina, org.region) == {PPPK_RINA}
    client = client_for(org.region, logins.rina)
    assert client.get(f"/people/employees/{org.rina.pk}/").status_code == 200
    assert client.get(f"/people/employees/{org.sari.pk}/").status_code == 404
    page = client.get("/people/employees/").content.decode()
    # Sari's name may appear as Rina's supervisor, but Sari is not a row of her own.
    assert PPPK_RINA in page and NIP_SARI not in page and NIP_BUDI not in page
    api = client.get("/api/v1/employees/").json()
    assert [row["nip"] for row in api["results"]] == [PPPK_RINA]
    assert client.get(f"/api/v1/employees/{org.sari.pk}/").status_code == 404


def test_a_supervisor_sees_direct_reports_only(org, logins):
    # Budi supervises Sari, who supervises Rina: Budi does not see Rina.
    assert nips(logins.budi, org.region) == {NIP_BUDI, NIP_SARI}
    client = client_for(org.region, logins.budi)
    assert client.get(f"/people/employees/{org.sari.pk}/").status_code == 200
    assert client.get(f"/people/employees/{org.rina.pk}/").status_code == 404
    detail = client.get(f"/people/employees/{org.budi.pk}/").content.decode()
    assert "Sari Wulandari" in detail  # listed as a direct report


def test_a_supervisor_of_another_unit_cannot_see_this_unit(org, logins):
    assert nips(logins.dewi, org.region) == {"197902282003122001", NIP_ANDI}
    client = client_for(org.region, logins.dewi)
    for other in (org.budi, org.sari, org.rina):
        assert client.get(f"/people/employees/{other.pk}/").status_code == 404
        assert client.get(f"/api/v1/employees/{other.pk}/").status_code == 404
    listed = client.get("/api/v1/employees/", {"unit": "DINKES"}).json()
    assert listed["results"] == []


def test_a_user_without_an_employee_record_sees_nobody(org):
    user = make_user(org.region, Role.EMPLOYEE, username="no-record")
    assert nips(user, org.region) == set()


@pytest.mark.parametrize("role", [Role.HR_ADMIN, Role.LEADERSHIP, Role.AUDITOR])
def test_region_wide_readers_see_everyone(org, role):
    user = make_user(org.region, role)
    assert len(nips(user, org.region)) == 5


def test_another_regions_hr_cannot_read_this_region(org, region_b):
    hr_b = make_user(region_b, Role.HR_ADMIN, username="hr-b")
    # Their session is not accepted on region A's host...
    crossed = client_for(region_b, hr_b)
    crossed.defaults["HTTP_HOST"] = host_of(org.region)
    response = crossed.get(f"/people/employees/{org.sari.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    # ...nor their token...
    with in_region(region_b):
        token = make_api_token(hr_b)
    api = client_for(org.region).get("/api/v1/employees/", HTTP_AUTHORIZATION=f"Token {token}")
    assert api.status_code == 401
    # ...and their own region holds none of region A's people.
    own = client_for(region_b, hr_b)
    assert "Sari Wulandari" not in own.get("/people/employees/", {"q": NIP_SARI}).content.decode()
    assert own.get("/api/v1/employees/", {"search": NIP_SARI}).json()["results"] == []
    assert own.get(f"/people/employees/{org.sari.pk}/").status_code == 404


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.LEADERSHIP, Role.AUDITOR])
def test_only_hr_admin_imports_and_exports(org, role):
    user = make_user(org.region, role)
    client = client_for(org.region, user)
    assert client.get("/people/imports/").status_code == 403
    assert client.post("/people/imports/", {"kind": "employees",
                                             "file": csv_file(["NIP,NAMA"])}).status_code == 403
    assert client.get("/people/employees/export.xlsx").status_code == 403
    assert client.post("/api/v1/imports/", {"kind": "employees", "file": csv_file(["NIP,NAMA"])}).status_code == 403
    assert client.get("/api/v1/employees/export/").status_code == 403
    with in_region(org.region):
        from kinerja.people.models import ImportBatch
        assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.LEADERSHIP, Role.AUDITOR])
def test_only_hr_admin_writes_through_the_api(org, role):
    client = client_for(org.region, make_user(org.region, role))
    created = client.post("/api/v1/units/", {"code": "X", "name": "X"}, content_type="application/json")
    changed = client.patch(f"/api/v1/employees/{org.andi.pk}/", {"rank": "III/b"}, content_type="application/json")
    assert created.status_code == 403 and changed.status_code in (403, 404)
    with in_region(org.region):
        from kinerja.people.models import Employee
        assert Employee.objects.get(pk=org.andi.pk).rank == "III/a"


def test_employees_cannot_read_the_unit_list(org, logins):
    client = client_for(org.region, logins.budi)
    assert client.get("/people/units/").status_code == 403
    assert client.get("/api/v1/units/").status_code == 403
