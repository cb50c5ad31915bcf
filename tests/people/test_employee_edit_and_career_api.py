"""HR edits one employee on a page or with PATCH, through the people service (audited); retiring someone
ends their login the same day. The career history has an API: HR records, whoever may see the employee
reads."""
import datetime

import pytest
from django.utils import translation
from kinerja.accounts.models import ApiToken, Role
from kinerja.audit.models import AuditEntry
from kinerja.people.models import CareerEvent, Employee, Position

from tests.factories import build_organisation, make_api_token, make_login
from tests.helpers import english_client, in_region

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def org(region_a):
    """The organisation, with valid NIPs (the people service checks the whole record on each change)."""
    with in_region(region_a):
        built = build_organisation(region_a)
        for sequence, employee in enumerate((built.head, built.chief, built.staff, built.staff2, built.edu_head,
                                             built.teacher), start=1):
            Employee.objects.filter(pk=employee.pk).update(nip=f"19800101200501{1000 + sequence}")
            employee.refresh_from_db()
        yield built


def edit_form(employee, **changes):
    return {"full_name": employee.full_name, "nip": employee.nip, "employee_type": employee.employee_type,
            "gender": employee.gender, "birth_date": employee.birth_date.isoformat(), "rank": employee.rank,
            "status": employee.status, "unit": employee.unit.code, "position": employee.position.code,
            "supervisor": employee.supervisor.nip if employee.supervisor else "", "email": employee.email,
            "contract_ends_on": "", "reason": "", **changes}


def test_hr_edits_an_employee_on_the_page_and_a_retirement_ends_the_login(org):
    client = english_client(org.region, org.hr)
    assert client.get(f"/people/employees/{org.staff.pk}/").content.decode().count('data-testid="edit-employee"') == 1
    page = client.get(f"/people/employees/{org.staff.pk}/edit/")
    assert page.status_code == 200 and org.staff.nip in page.content.decode()
    # bad input: every problem named, nothing saved
    bad = client.post(f"/people/employees/{org.staff.pk}/edit/", edit_form(
        org.staff, full_name=" ", unit="NOPE", contract_ends_on="2027-01-31"))
    body = bad.content.decode()
    assert bad.status_code == 400 and "unit: No unit has this code." in body
    assert Employee.objects.get(pk=org.staff.pk).full_name == "Staf Satu"

    token = make_api_token(org.staff.user)
    saved = client.post(f"/people/employees/{org.staff.pk}/edit/", edit_form(
        org.staff, full_name="Staf Satu Pratama", email="staf@example.go.id", status="retired",
        reason="Retired at 58 (SK 800/12/2026)"))
    assert saved.status_code == 302
    staff = Employee.objects.select_related("user").get(pk=org.staff.pk)
    assert (staff.full_name, staff.status, staff.email) == ("Staf Satu Pratama", "retired", "staf@example.go.id")
    entry = AuditEntry.objects.get(action="people.employee.update", target_id=str(staff.pk))
    assert entry.reason == "Retired at 58 (SK 800/12/2026)" and entry.after["status"] == "retired"
    # the login ends the same day: deactivated, its API token revoked
    assert staff.user.is_active is False
    assert not ApiToken.objects.filter(user=staff.user, revoked_at__isnull=True).exists()
    assert AuditEntry.objects.filter(action="accounts.login.closed", target_id=str(staff.user.pk)).exists()
    assert english_client(org.region).get("/api/v1/employees/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_hr_patches_an_employee_through_the_api(org):
    client = english_client(org.region, org.hr)
    pppk_only = client.patch(f"/api/v1/employees/{org.staff2.pk}/", {"contract_ends_on": "2027-01-31"},
                             content_type="application/json")
    assert pppk_only.status_code == 400 and pppk_only.json()["contract_ends_on"] == [
        "only PPPK employees have a contract end"]
    moved = client.patch(f"/api/v1/employees/{org.staff2.pk}/", {"supervisor_nip": org.head.nip, "email": "dua@example.go.id"},
                         content_type="application/json")
    assert moved.status_code == 200 and moved.json()["supervisor_nip"] == org.head.nip
    assert AuditEntry.objects.filter(action="people.employee.update", target_id=str(org.staff2.pk)).count() == 1


def test_career_history_api(org):
    client = english_client(org.region, org.hr)
    Position.objects.create(code="KASI-GIZI", title="Kepala Seksi Gizi", kind="struktural", position_class=9)
    url = f"/api/v1/employees/{org.staff.pk}/career/"
    bad = client.post(url, {"kind": "promotion", "effective_on": "2026-01-01", "sk_number": "SK-1",
                            "position_code": "NOPE"}, content_type="application/json")
    assert bad.status_code == 400 and "position_code" in bad.json()
    created = client.post(url, {"kind": "promotion", "effective_on": "2026-01-01", "sk_number": "821/1/2026",
                                "position_code": "KASI-GIZI"}, content_type="application/json")
    assert created.status_code == 201 and created.json()["position_code"] == "KASI-GIZI"
    assert created.json()["previous_position_code"] == org.staff.position.code
    assert CareerEvent.objects.filter(employee=org.staff).count() == 1
    assert AuditEntry.objects.filter(action="people.career.record").count() == 1
    # the employee reads their own; so does their supervisor, as on the employee page
    for user in (org.staff.user, org.chief.user):
        own = english_client(org.region, user).get(url)
        assert own.status_code == 200 and [e["sk_number"] for e in own.json()] == ["821/1/2026"]


def test_who_may_edit_and_record_career(org, region_b):
    form = edit_form(org.staff, full_name="Hacked")
    for user in (org.staff.user, org.chief.user, org.head.user, org.leadership, org.auditor):
        client = english_client(org.region, user)
        assert client.get(f"/people/employees/{org.staff.pk}/edit/").status_code == 403
        assert client.post(f"/people/employees/{org.staff.pk}/edit/", form).status_code == 403
        assert client.patch(f"/api/v1/employees/{org.staff.pk}/", {"full_name": "Hacked"},
                            content_type="application/json").status_code == 403
        assert client.post(f"/api/v1/employees/{org.staff.pk}/career/", {
            "kind": "rank", "effective_on": "2026-01-01", "sk_number": "x", "rank": "III/b"},
            content_type="application/json").status_code == 403
    # another unit's employee cannot read this one's career
    assert english_client(org.region, org.teacher.user).get(f"/api/v1/employees/{org.staff.pk}/career/").status_code == 404
    assert Employee.objects.get(pk=org.staff.pk).full_name == "Staf Satu"
    assert not CareerEvent.objects.exists()
    # another region's HR finds no such employee
    with in_region(region_b):
        other_hr = make_login(Role.HR_ADMIN, username="hr-b")
    hr_b = english_client(region_b, other_hr)
    assert hr_b.get(f"/people/employees/{org.staff.pk}/edit/").status_code == 404
    assert hr_b.patch(f"/api/v1/employees/{org.staff.pk}/", {"full_name": "Hacked"},
                      content_type="application/json").status_code == 404
    assert hr_b.get(f"/api/v1/employees/{org.staff.pk}/career/").status_code == 404
    assert Employee.objects.get(pk=org.staff.pk).full_name == "Staf Satu"


def test_the_date_fields_refuse_garbage(org):
    response = english_client(org.region, org.hr).post(f"/people/employees/{org.staff.pk}/edit/", edit_form(
        org.staff, birth_date="not-a-date"))
    assert response.status_code == 400 and Employee.objects.get(pk=org.staff.pk).birth_date == datetime.date(1980, 1, 1)


def test_a_name_too_long_is_named_on_the_edit_page(org):
    response = english_client(org.region, org.hr).post(f"/people/employees/{org.staff.pk}/edit/", edit_form(
        org.staff, full_name="x" * 201))
    assert response.status_code == 400 and "full_name: At most 200 characters." in response.content.decode()
