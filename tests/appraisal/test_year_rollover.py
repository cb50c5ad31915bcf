"""The year rollover: HR closes an appraisal year (refused with what is open, or closed with a written
reason), a closed year takes no changes, and its plans carry into the next year as drafts through the
bulk open (preview, all or nothing, each audited and told)."""

import pytest
from django.core.exceptions import ValidationError
from kinerja.accounts.models import Role
from kinerja.appraisal import rollover, services
from kinerja.appraisal.models import BEHAVIOUR_VALUE_CODES, AppraisalYear, Rhk, SkpPlan
from kinerja.audit.models import AuditEntry
from kinerja.notifications.models import Notification

from tests.appraisal.factories import open_year, plan_with_indicators
from tests.factories import make_login
from tests.helpers import english_client, in_region

pytestmark = pytest.mark.django_db
API = "/api/v1/appraisal/years/"


def rate_year(plan, *, deliver: bool = True):
    rating = services.rate(actor=plan.appraiser.user, plan=plan, work_result="as_expected", behaviour="as_expected",
                           behaviour_values=dict.fromkeys(BEHAVIOUR_VALUE_CODES, "as_expected"), reason="Steady")
    if deliver:
        services.deliver_rating(actor=plan.appraiser.user, rating=rating)
    return rating


@pytest.fixture
def year_2025(org):
    """2025 with Staf Satu's plan approved and rated, Staf Dua's approved but not rated, the teacher's
    still a draft; 2026 exists."""
    year = open_year(org, 2025)
    done = plan_with_indicators(org.staff, year)
    rate_year(done)
    plan_with_indicators(org.staff2, year)
    plan_with_indicators(org.teacher, year, approve=False)
    open_year(org, 2026)
    return year


def test_closing_is_refused_with_what_is_open_then_closed_with_a_reason(org, year_2025):
    items = rollover.open_items(year_2025)
    assert [(item.employee, item.kind) for item in items] == [("Staf Dua", "annual_rating"), ("Guru", "plan")]
    with pytest.raises(ValidationError) as refused:
        rollover.close_year(actor=org.hr, appraisal_year=year_2025)
    message = refused.value.message_dict["reason"][0]
    assert message.startswith("2 items of 2025 are still open (Staf Dua: No annual rating delivered.; "
                              "Guru: SKP is draft, not approved.)")
    assert AppraisalYear.objects.get(year=2025).closed_at is None
    assert not AuditEntry.objects.filter(action="appraisal.year.close").exists()

    client = english_client(org.region, org.hr)
    page = client.get("/appraisal/years/2025/close/")
    assert page.status_code == 200 and 'data-testid="open-items"' in page.content.decode()
    refused_page = client.post("/appraisal/years/2025/close/", {"op": "close"}, follow=True)
    assert "2 items of 2025 are still open" in refused_page.content.decode()
    api = client.post(API + "2025/close/", {}, content_type="application/json")
    assert api.status_code == 400 and "still open" in api.json()["reason"][0]
    assert client.get(API + "2025/open-items/").json()["count"] == 2

    closed = client.post(API + "2025/close/", {"reason": "Budget year ends; the teacher moved school"},
                         content_type="application/json")
    assert closed.status_code == 200 and closed.json()["left_open"] == 2 and closed.json()["closed_at"]
    entry = AuditEntry.objects.get(action="appraisal.year.close")
    assert entry.reason == "Budget year ends; the teacher moved school"
    assert entry.after["open_items"] == 2 and {i["employee"] for i in entry.after["left_open"]} == {"Guru", "Staf Dua"}
    # the two whose SKP was left open are told, the finished one is not
    told = set(Notification.objects.filter(kind="appraisal.year_closed").values_list("recipient_id", flat=True))
    assert told == {org.teacher.user.pk, org.staff2.user.pk}


def test_a_closed_year_takes_no_changes_until_reopened(org, year_2025):
    rollover.close_year(actor=org.hr, appraisal_year=year_2025, reason="Closing on schedule")
    staff2_plan = SkpPlan.objects.get(employee=org.staff2, appraisal_year=year_2025)
    teacher_plan = SkpPlan.objects.get(employee=org.teacher, appraisal_year=year_2025)
    with pytest.raises(ValidationError, match="is closed"):
        rate_year(staff2_plan)
    with pytest.raises(ValidationError, match="is closed"):
        services.submit_plan(actor=org.teacher.user, plan=teacher_plan)
    with pytest.raises(ValidationError, match="is closed"):
        services.create_plan(actor=org.hr, employee=org.chief, appraisal_year=year_2025)
    with pytest.raises(ValidationError, match="already closed"):
        rollover.close_year(actor=org.hr, appraisal_year=year_2025, reason="again")
    # the history stays readable
    assert english_client(org.region, org.staff.user).get(
        f"/appraisal/skp/{SkpPlan.objects.get(employee=org.staff, appraisal_year=year_2025).pk}/").status_code == 200

    with pytest.raises(ValidationError, match="reason is required"):
        rollover.reopen_year(actor=org.hr, appraisal_year=year_2025, reason=" ")
    client = english_client(org.region, org.hr)
    assert client.post(API + "2025/reopen/", {"reason": "A late rating"},
                       content_type="application/json").status_code == 200
    assert AuditEntry.objects.filter(action="appraisal.year.reopen", reason="A late rating").exists()
    rate_year(staff2_plan)  # open again


def test_a_finished_year_closes_without_a_reason(org):
    year = open_year(org, 2025)
    rate_year(plan_with_indicators(org.staff, year))
    assert rollover.close_year(actor=org.hr, appraisal_year=year) == []
    assert AppraisalYear.objects.get(year=2025).closed_by == org.hr
    assert not Notification.objects.filter(kind="appraisal.year_closed").exists()


def test_plans_carry_into_the_next_year_as_drafts_all_or_nothing(org, year_2025):
    client = english_client(org.region, org.hr)
    # not before the year is closed
    early = client.post(API + "2025/carry/preview/", {}, content_type="application/json")
    assert early.status_code == 400 and "Close the appraisal year 2025" in early.json()["year"][0]
    rollover.close_year(actor=org.hr, appraisal_year=year_2025, reason="On schedule")
    candidates = {employee.full_name for employee in rollover.plans_to_carry(year_2025)}
    assert candidates == {"Staf Satu", "Staf Dua", "Guru"}  # had a plan in 2025; the heads had none

    preview = client.post("/appraisal/years/2025/close/", {"op": "preview", "rows": [org.staff.pk, org.staff2.pk]})
    body = preview.content.decode()
    assert preview.status_code == 200
    assert "Draft with 1 results and 1 indicators from 2025; appraiser Kepala Seksi." in body
    assert not SkpPlan.objects.filter(appraisal_year__year=2026).exists()
    assert not Notification.objects.filter(kind="plan.opened").exists()

    # someone who had no plan in 2025 (the chief) refuses the whole carry
    refused = client.post(API + "2025/carry/apply/", {"rows": [org.staff.pk, org.chief.pk]},
                          content_type="application/json")
    assert refused.status_code == 400 and refused.json()["applied"] is False
    assert [row["error"] for row in refused.json()["rows"] if row["error"]] == [
        "Not an active employee with an SKP in 2025 and none yet for 2026."]
    assert not SkpPlan.objects.filter(appraisal_year__year=2026).exists()

    applied = client.post(API + "2025/carry/apply/", {}, content_type="application/json")
    assert applied.status_code == 200 and applied.json()["applied"] is True
    carried = SkpPlan.objects.filter(appraisal_year__year=2026)
    assert sorted(carried.values_list("employee__full_name", flat=True)) == ["Guru", "Staf Dua", "Staf Satu"]
    assert set(carried.values_list("status", flat=True)) == {"draft"}
    assert Rhk.objects.get(plan__appraisal_year__year=2026, plan__employee=org.staff).text == "Result of Staf Satu"
    entries = AuditEntry.objects.filter(action="appraisal.plan.open")
    assert entries.count() == 3 and {e.reason for e in entries} == {"Carried over when the year 2025 closed."}
    assert set(Notification.objects.filter(kind="plan.opened").values_list("recipient_id", flat=True)) == {
        org.staff.user.pk, org.staff2.user.pk, org.teacher.user.pk}
    # nothing is left to carry
    assert "No plan of this year is left to carry." in client.get("/appraisal/years/2025/close/").content.decode()


def test_who_may_close_and_carry(org, year_2025, region_b):
    rollover.close_year(actor=org.hr, appraisal_year=year_2025, reason="On schedule")
    for user in (org.staff.user, org.chief.user, org.head.user, org.leadership, org.auditor):
        client = english_client(org.region, user)
        assert client.get("/appraisal/years/2025/close/").status_code == 403
        assert client.get(API + "2025/open-items/").status_code == 403
        assert client.post(API + "2025/reopen/", {"reason": "x"}, content_type="application/json").status_code == 403
        assert client.post(API + "2025/carry/apply/", {}, content_type="application/json").status_code == 403
    assert AppraisalYear.objects.get(year=2025).closed_at is not None
    assert not SkpPlan.objects.filter(appraisal_year__year=2026).exists()
    # another region's HR finds no such year here, and cannot carry this region's plans
    with in_region(region_b):
        other_hr = make_login(Role.HR_ADMIN, username="hr-b")
    hr_b = english_client(region_b, other_hr)
    assert hr_b.get("/appraisal/years/2025/close/").status_code == 404
    assert hr_b.post(API + "2025/close/", {"reason": "x"}, content_type="application/json").status_code == 404
    assert hr_b.post(API + "2025/carry/apply/", {}, content_type="application/json").status_code == 404
    assert not SkpPlan.objects.filter(appraisal_year__year=2026).exists()


def test_the_open_items_read_a_fixed_number_of_queries(org, year_2025):
    from tests.helpers import assert_queries

    plan_with_indicators(org.chief, year_2025, approve=False)
    with assert_queries(4):
        assert len(rollover.open_items(year_2025)) == 3
