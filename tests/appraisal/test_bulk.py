"""Bulk appraisal work: supervisors approve plans and deliver ratings many at once, HR opens the year's
plans for a unit or the region; every action previews first and is all or nothing, each row audited."""

import pytest
from kinerja.accounts.models import Role
from kinerja.appraisal import bulk, services
from kinerja.appraisal.models import BEHAVIOUR_VALUE_CODES, PlanEvent, Rhk, SkpPlan
from kinerja.audit.models import AuditEntry
from kinerja.notifications.models import Notification

from tests.appraisal.factories import open_year, plan_with_indicators
from tests.factories import make_employee, make_login
from tests.helpers import english_client, in_region

pytestmark = pytest.mark.django_db
API = "/api/v1/appraisal/bulk/"


@pytest.fixture
def submitted(org):
    """Three plans submitted to the chief (Staf Satu, Staf Dua, Staf Tiga) and the teacher's, submitted to
    the head of another unit."""
    year = open_year(org, 2026)
    org.staff3 = make_employee(org.health, "Staf Tiga", org.chief)
    plans = {}
    for name in ("staff", "staff2", "staff3", "teacher"):
        plan = plan_with_indicators(getattr(org, name), year, approve=False)
        services.submit_plan(actor=plan.employee.user, plan=plan)
        plans[name] = plan
    return plans


def statuses(plans) -> dict:
    return dict(SkpPlan.objects.filter(pk__in=[p.pk for p in plans.values()]).values_list("employee__full_name",
                                                                                          "status"))


def test_worked_example_three_plans_approved_in_one_go_each_audited(org, submitted):
    ours = [submitted[name].pk for name in ("staff", "staff2", "staff3")]
    client = english_client(org.region, org.chief.user)
    page = client.get("/appraisal/bulk/")
    assert page.status_code == 200
    for name in ("Staf Satu", "Staf Dua", "Staf Tiga"):
        assert name in page.content.decode()
    assert "Guru" not in page.content.decode()  # another appraiser's plan is not listed

    preview = client.post("/appraisal/bulk/", {"kind": "approve", "op": "preview", "rows": ours})
    assert preview.status_code == 200
    assert preview.content.decode().count("SKP 2026 approved as revision 1.") == 3
    assert set(statuses(submitted).values()) == {"submitted"}  # a preview changes nothing
    assert not AuditEntry.objects.filter(action="appraisal.plan.approve").exists()
    assert not Notification.objects.filter(kind="plan.approved").exists()

    applied = client.post("/appraisal/bulk/", {"kind": "approve", "op": "apply", "rows": ours})
    assert applied.status_code == 200 and "3 rows done." in applied.content.decode()
    assert statuses(submitted) == {"Staf Satu": "approved", "Staf Dua": "approved", "Staf Tiga": "approved",
                                   "Guru": "submitted"}
    entries = AuditEntry.objects.filter(action="appraisal.plan.approve")
    assert sorted(int(e.target_id) for e in entries) == sorted(ours)
    assert {e.actor_id for e in entries} == {org.chief.user.pk}
    assert PlanEvent.objects.filter(action="approve", plan_id__in=ours).count() == 3
    assert set(Notification.objects.filter(kind="plan.approved").values_list("recipient_id", flat=True)) == {
        getattr(org, name).user.pk for name in ("staff", "staff2", "staff3")}
    assert "No plan waits for your approval." in client.get("/appraisal/bulk/").content.decode()


def test_one_refused_row_leaves_every_plan_untouched(org, submitted):
    chosen = [submitted["staff"].pk, submitted["staff2"].pk, submitted["teacher"].pk]
    with pytest.raises(bulk.BulkRefused) as refused:
        bulk.approve_plans(actor=org.chief.user, plan_ids=chosen, apply=True)
    assert [(row.id, row.error) for row in refused.value.refused] == [
        (submitted["teacher"].pk, "This plan is not waiting for your approval.")]
    assert set(statuses(submitted).values()) == {"submitted"}
    assert not AuditEntry.objects.filter(action="appraisal.plan.approve").exists()
    assert not PlanEvent.objects.filter(action="approve").exists()
    assert not Notification.objects.filter(kind="plan.approved").exists()

    page = english_client(org.region, org.chief.user).post(
        "/appraisal/bulk/", {"kind": "approve", "op": "apply", "rows": chosen})
    body = page.content.decode()
    assert "1 of the chosen rows cannot be done; nothing was changed." in body
    assert body.count('data-testid="refused-row"') == 1 and "This plan is not waiting for your approval." in body
    api = english_client(org.region, org.chief.user).post(API + "approve-plans/apply/", {"rows": chosen},
                                                          content_type="application/json")
    assert api.status_code == 400 and api.json()["applied"] is False
    assert [row["id"] for row in api.json()["rows"] if row["error"]] == [submitted["teacher"].pk]
    assert set(statuses(submitted).values()) == {"submitted"}


def test_ratings_are_delivered_in_one_go_through_the_api(org, submitted):
    bulk.approve_plans(actor=org.chief.user, plan_ids=[submitted["staff"].pk, submitted["staff2"].pk], apply=True)
    period = submitted["staff"].appraisal_year.periods.get(number=1)
    ratings = [services.rate(actor=org.chief.user, plan=submitted[name], period=period, work_result="as_expected",
                             behaviour="as_expected", reason="Steady work",
                             behaviour_values=dict.fromkeys(BEHAVIOUR_VALUE_CODES, "as_expected")).pk
               for name in ("staff", "staff2")]
    client = english_client(org.region, org.chief.user)
    preview = client.post(API + "deliver-ratings/preview/", {"rows": ratings}, content_type="application/json")
    assert preview.status_code == 200 and preview.json()["applied"] is False
    assert [row["employee"] for row in preview.json()["rows"]] == ["Staf Satu", "Staf Dua"]
    assert not AuditEntry.objects.filter(action="appraisal.rating.deliver").exists()
    # another supervisor cannot deliver them
    other = english_client(org.region, org.edu_head.user).post(API + "deliver-ratings/apply/", {"rows": ratings},
                                                                 content_type="application/json")
    assert other.status_code == 400 and all(row["error"] for row in other.json()["rows"])
    applied = client.post(API + "deliver-ratings/apply/", {"rows": ratings}, content_type="application/json")
    assert applied.status_code == 200 and applied.json()["applied"] is True
    assert sorted(int(e.target_id) for e in AuditEntry.objects.filter(action="appraisal.rating.deliver")) == sorted(ratings)
    assert Notification.objects.filter(kind="rating.delivered").count() == 2


def test_hr_opens_a_units_plans_from_last_year_all_or_nothing(org):
    last_year, year = open_year(org, 2025), open_year(org, 2026)
    plan_with_indicators(org.staff, last_year)
    # the unit head has no supervisor: the whole unit is refused, naming the head
    with pytest.raises(bulk.BulkRefused) as refused:
        bulk.open_plans(actor=org.hr, year=2026, unit=org.health, apply=True)
    assert [row.employee for row in refused.value.refused] == ["Kepala Dinkes"]
    assert "no direct supervisor" in refused.value.refused[0].error
    assert not SkpPlan.objects.filter(appraisal_year=year).exists()

    client = english_client(org.region, org.hr)
    chosen = [org.chief.pk, org.staff.pk, org.staff2.pk]
    preview = client.post(API + "open-plans/preview/", {"year": 2026, "unit": org.health.pk, "rows": chosen},
                          content_type="application/json")
    assert preview.status_code == 200
    outcomes = {row["employee"]: row["outcome"] for row in preview.json()["rows"]}
    assert outcomes["Staf Satu"] == "Draft with 1 results and 1 indicators from 2025; appraiser Kepala Seksi."
    assert outcomes["Staf Dua"] == "Empty draft; appraiser Kepala Seksi."
    assert not SkpPlan.objects.filter(appraisal_year=year).exists()
    page = client.post("/appraisal/bulk/open/", {"year": 2026, "unit": org.health.pk, "rows": chosen, "op": "apply"})
    assert page.status_code == 200 and "3 rows done." in page.content.decode()
    opened = SkpPlan.objects.filter(appraisal_year=year)
    assert sorted(opened.values_list("employee_id", flat=True)) == sorted(chosen)
    assert set(opened.values_list("status", flat=True)) == {"draft"}
    copied = Rhk.objects.get(plan__appraisal_year=year, plan__employee=org.staff)
    assert copied.text == "Result of Staf Satu" and copied.ikis.get().target_value == 120
    assert AuditEntry.objects.filter(action="appraisal.plan.open").count() == 3
    # a second run finds nobody left to open in those rows
    again = client.post(API + "open-plans/apply/", {"year": 2026, "rows": chosen}, content_type="application/json")
    assert again.status_code == 400 and all(row["error"] for row in again.json()["rows"])


def test_who_may_do_bulk_work(org, submitted, region_b):
    staff, chief, edu_head = org.staff.user, org.chief.user, org.edu_head.user
    plans = [submitted["staff2"].pk]
    # an employee and another unit's supervisor have nothing of this waiting for them
    for user in (staff, edu_head):
        with pytest.raises(bulk.BulkRefused):
            bulk.approve_plans(actor=user, plan_ids=plans, apply=True)
    assert statuses(submitted)["Staf Dua"] == "submitted"
    # HR and the region's readers do not appraise; employees and supervisors do not open plans
    for reader in (org.hr, org.leadership, org.auditor):
        client = english_client(org.region, reader)
        assert client.get("/appraisal/bulk/").status_code == 403
        assert client.post(API + "approve-plans/apply/", {"rows": plans},
                           content_type="application/json").status_code == 403
    for user in (staff, chief):
        client = english_client(org.region, user)
        assert client.get("/appraisal/bulk/open/").status_code == 403
        assert client.post(API + "open-plans/apply/", {"year": 2026},
                           content_type="application/json").status_code == 403
    assert not SkpPlan.objects.filter(employee__in=[org.head, org.chief]).exists()
    # another region: its HR does not reach this region's units, its supervisors not its plans
    with in_region(region_b):
        other_hr = make_login(Role.HR_ADMIN, username="hr-b")
        open_year(type("Org", (), {"hr": other_hr}), 2026)
    hr_b = english_client(region_b, other_hr)
    assert hr_b.get(f"/appraisal/bulk/open/?year=2026&unit={org.health.pk}").status_code == 404
    assert hr_b.post(API + "open-plans/preview/", {"year": 2026, "unit": org.health.pk},
                     content_type="application/json").status_code == 404
    assert statuses(submitted)["Staf Dua"] == "submitted"
