"""Crossing the access rules of SKP plans on pages and the API: another employee, a supervisor of another
unit, another region, a read-only role."""
import pytest

from kinerja.accounts.models import Role
from tests.appraisal.factories import open_year, plan_with_indicators
from tests.factories import make_employee, make_login
from tests.helpers import assert_queries, english_client, host_of, in_region

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(org):
    year = open_year(org)
    return {"staff": plan_with_indicators(org.staff, year, approve=False),
            "teacher": plan_with_indicators(org.teacher, year, approve=False)}


def test_plan_page_for_owner_appraiser_and_hr(org, plans):
    url = f"/appraisal/skp/{plans['staff'].pk}/"
    owner = english_client(org.region, org.staff.user).get(url).content.decode()
    assert "Documents processed" in owner and 'data-testid="rhk-form"' in owner
    assert 'data-testid="review"' not in owner
    for user in (org.chief.user, org.hr, org.leadership, org.auditor):
        page = english_client(org.region, user).get(url)
        assert page.status_code == 200 and 'data-testid="rhk-form"' not in page.content.decode()


@pytest.mark.parametrize("who", ["staff2", "edu_head", "teacher", "head"])
def test_plan_page_refuses_other_employees_and_other_units(org, plans, who):
    # Outside what they may see, a plan is not found, on the page as in the API: no hint that it exists.
    client = english_client(org.region, getattr(org, who).user)
    assert client.get(f"/appraisal/skp/{plans['staff'].pk}/").status_code == 404
    assert client.post(f"/appraisal/skp/{plans['staff'].pk}/", {"op": "submit"}).status_code == 404
    assert client.get(f"/appraisal/skp/{plans['staff'].pk}/result/").status_code == 404
    assert client.get(f"/api/v1/appraisal/plans/{plans['staff'].pk}/").status_code == 404
    assert client.post(f"/api/v1/appraisal/plans/{plans['staff'].pk}/submit/").status_code == 404


def test_read_only_roles_cannot_change_a_plan(org, plans):
    for user in (org.leadership, org.auditor, org.hr):
        response = english_client(org.region, user).post(f"/api/v1/appraisal/plans/{plans['staff'].pk}/submit/")
        assert response.status_code == 403
    page = english_client(org.region, org.leadership).post(f"/appraisal/skp/{plans['staff'].pk}/", {"op": "submit"})
    assert page.status_code == 403
    with in_region(org.region):
        plans["staff"].refresh_from_db()
        assert plans["staff"].status == "draft"


def test_plan_of_one_region_is_unreachable_from_another(org, plans, region_b):
    with in_region(region_b):
        other_hr = make_login(Role.HR_ADMIN, username="hr-b")
    client = english_client(region_b, other_hr)
    assert client.get(f"/api/v1/appraisal/plans/{plans['staff'].pk}/").status_code == 404
    assert client.get(f"/appraisal/skp/{plans['staff'].pk}/").status_code == 404
    client.defaults["HTTP_HOST"] = host_of(org.region)
    assert client.get(f"/appraisal/skp/{plans['staff'].pk}/").status_code == 302


def test_page_workflow_submit_return_approve(org, plans):
    url = f"/appraisal/skp/{plans['staff'].pk}/"
    owner, chief = english_client(org.region, org.staff.user), english_client(org.region, org.chief.user)
    assert owner.post(url, {"op": "submit"}).status_code == 302
    assert 'data-testid="review"' in chief.get(url).content.decode()
    chief.post(url, {"op": "return", "comment": "Targets too low"})
    page = owner.get(url).content.decode()
    assert "Targets too low" in page and "Returned with comments" in page
    owner.post(url, {"op": "submit"})
    chief.post(url, {"op": "approve"})
    assert "approved revision 1" in owner.get(url).content.decode()
    assert owner.post(url, {"op": "approve"}).status_code == 403


def test_api_workflow_and_clear_errors(org):
    year = open_year(org)
    owner, chief = english_client(org.region, org.staff.user), english_client(org.region, org.chief.user)
    created = owner.post("/api/v1/appraisal/plans/", {"year": year.year}, content_type="application/json")
    assert created.status_code == 201 and created.json()["appraiser_nip"] == org.chief.nip
    plan_id = created.json()["id"]
    early = chief.post(f"/api/v1/appraisal/plans/{plan_id}/approve/")
    assert early.status_code == 400 and early.json()["status"] == ["Cannot approve a plan that is Draft."]
    rhk = owner.post(f"/api/v1/appraisal/plans/{plan_id}/rhks/", {"kind": "utama", "text": "Clinic visits"},
                     content_type="application/json").json()["rhks"][0]
    bad = owner.post(f"/api/v1/appraisal/plans/{plan_id}/ikis/", {"rhk": rhk["id"], "text": "Visits", "aspect": "quantity"},
                     content_type="application/json")
    assert bad.status_code == 400 and "target_value" in bad.json()
    ok = owner.post(f"/api/v1/appraisal/plans/{plan_id}/ikis/",
                    {"rhk": rhk["id"], "template_code": "health-services", "target_value": "300"},
                    content_type="application/json")
    assert ok.status_code == 201 and ok.json()["rhks"][0]["ikis"][0]["target_unit"] == "services"
    assert owner.post(f"/api/v1/appraisal/plans/{plan_id}/submit/").json()["status"] == "submitted"
    assert chief.post(f"/api/v1/appraisal/plans/{plan_id}/approve/").json()["revision"] == 1
    templates = owner.get("/api/v1/appraisal/indicator-templates/?agency_type=education").json()
    assert templates and all(t["agency_type"] == "education" for t in templates)


def test_plan_list_query_counts(org):
    year = open_year(org)
    for number in range(8):
        employee = make_employee(org.health, f"Staf {number}", org.chief)
        plan_with_indicators(employee, year, approve=False)
    chief, hr = english_client(org.region, org.chief.user), english_client(org.region, org.hr)
    with assert_queries(5):
        response = chief.get("/api/v1/appraisal/plans/")
    assert response.json()["count"] == 8
    with assert_queries(5):
        assert hr.get("/api/v1/appraisal/plans/").json()["count"] == 8
    with assert_queries(8):
        page = hr.get("/appraisal/skp/")
    assert page.content.decode().count("/appraisal/skp/") >= 8


def test_starting_someone_elses_plan_is_refused_only_where_they_are_visible(org):
    year = open_year(org)
    chief = english_client(org.region, org.chief.user)
    chief.cookies["django_language"] = "en"
    refused = chief.post("/api/v1/appraisal/plans/", {"year": year.year, "employee": org.staff.pk},
                         content_type="application/json")
    assert refused.status_code == 403  # the chief sees their staff, but only they or HR start their SKP
    assert refused.json() == {"detail": "Only the employee or HR may start this SKP."}
    staff = english_client(org.region, org.staff.user)
    staff.cookies["django_language"] = "en"
    unseen = staff.post("/api/v1/appraisal/plans/", {"year": year.year, "employee": org.teacher.pk},
                        content_type="application/json")
    assert unseen.status_code == 400 and unseen.json() == {"employee": ["No such employee."]}
    hr = english_client(org.region, org.hr)
    assert hr.post("/api/v1/appraisal/plans/", {"year": year.year, "employee": org.teacher.pk},
                   content_type="application/json").status_code == 201
