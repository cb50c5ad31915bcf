"""Who reaches leave requests, on the page and in the API: one's own, one's direct reports', another
employee of the unit, the region's readers, another region."""
import datetime

import pytest
from kinerja.accounts.models import Role
from kinerja.people import leave
from kinerja.people.models import LeaveRequest

from tests.factories import build_organisation, make_login
from tests.helpers import english_client, in_region

pytestmark = pytest.mark.django_db
API = "/api/v1/leave/"
MONDAY = datetime.date(2026, 2, 2)


@pytest.fixture
def org(region_a):
    with in_region(region_a):
        yield build_organisation(region_a)


@pytest.fixture
def asked(org):
    """Staf Satu's annual leave, awaiting the chief (their direct supervisor)."""
    return leave.request_leave(actor=org.staff.user, employee=org.staff, kind="annual", starts_on=MONDAY,
                               ends_on=MONDAY + datetime.timedelta(days=2))


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_the_api_shows_own_requests_those_one_decides_and_the_regions(org, asked):
    assert ids(english_client(org.region, org.staff.user).get(API)) == {asked.pk}
    assert ids(english_client(org.region, org.chief.user).get(API + "?awaiting=1")) == {asked.pk}
    for reader in (org.hr, org.leadership, org.auditor):
        assert ids(english_client(org.region, reader).get(API)) == {asked.pk}
    # a colleague of the unit, the supervisor's own supervisor, another unit: nothing
    for other in (org.staff2, org.head, org.teacher):
        client = english_client(org.region, other.user)
        assert ids(client.get(API)) == set()
        assert client.get(f"{API}{asked.pk}/").status_code == 404
        assert client.post(f"{API}{asked.pk}/decide/", {"approve": True}, content_type="application/json"
                           ).status_code == 404
    balance = english_client(org.region, org.staff.user).get(API + "balance/?year=2026").json()
    assert (balance["available"], balance["pending"]) == (21, 3)  # 24 (two idle years) less the 3 asked


def test_only_the_supervisor_decides_first_and_only_the_employee_or_hr_requests(org, asked):
    hr = english_client(org.region, org.hr)
    response = hr.post(f"{API}{asked.pk}/decide/", {"approve": True}, content_type="application/json")
    assert response.status_code == 403  # the supervisor decides first
    leadership = english_client(org.region, org.leadership)
    body = {"employee": org.staff.nip, "kind": "annual", "starts_on": "2026-03-02", "ends_on": "2026-03-02"}
    assert leadership.post(API, body, content_type="application/json").status_code == 403
    response = english_client(org.region, org.staff2.user).post(API, body, content_type="application/json")
    assert response.status_code == 400 and "employee" in response.json()  # not among those they see
    response = english_client(org.region, org.chief.user).post(
        f"{API}{asked.pk}/decide/", {"approve": True}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    response = hr.post(API, body, content_type="application/json")  # HR requests for the employee
    assert response.status_code == 201 and response.json()["employee"] == org.staff.nip


def test_the_page_for_the_employee_the_supervisor_and_the_regions_readers(org, asked):
    staff = english_client(org.region, org.staff.user).get("/people/leave/").content.decode()
    assert 'data-testid="leave-form"' in staff and 'data-testid="all-leave"' not in staff
    chief = english_client(org.region, org.chief.user)
    assert 'data-testid="leave-awaiting"' in chief.get("/people/leave/").content.decode()
    response = english_client(org.region, org.staff2.user).post(
        "/people/leave/", {"op": "approve", "leave": asked.pk})
    assert response.status_code == 404
    response = chief.post("/people/leave/", {"op": "reject", "leave": asked.pk}, follow=True)
    assert "Say why the leave is refused." in response.content.decode()
    chief.post("/people/leave/", {"op": "approve", "leave": asked.pk})
    with in_region(org.region):
        assert LeaveRequest.objects.get(pk=asked.pk).status == "approved"
    page = english_client(org.region, org.auditor).get("/people/leave/").content.decode()
    assert 'data-testid="all-leave"' in page and "Staf Satu" in page and 'data-testid="leave-form"' not in page


def test_another_region_sees_none_of_it(org, asked, region_b):
    with in_region(region_b):
        other_hr = make_login(Role.HR_ADMIN, username="hr-leave-b")
    client = english_client(region_b, other_hr)
    assert ids(client.get(API)) == set()
    assert client.get(f"{API}{asked.pk}/").status_code == 404
