"""HR records rewards and sanctions for many people at once (preview, all or nothing, each through the
one-person service and audited), and opens plans from the region's templates (a position's, else a
unit's) in the bulk open."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from kinerja.accounts.models import Role
from kinerja.appraisal import bulk, plan_templates
from kinerja.appraisal.models import PlanTemplate, RewardSanction, Rhk, SkpPlan
from kinerja.audit.models import AuditEntry

from tests.appraisal.factories import open_year, plan_with_indicators
from tests.factories import make_login
from tests.helpers import english_client, in_region

pytestmark = pytest.mark.django_db
API = "/api/v1/appraisal/"


def record_form(nips, **extra):
    return {"nips": "\n".join(nips), "kind": "reward", "category": "incentive", "starts_on": "2026-03",
            "duration_months": "3", "percent": "10", "description": "Immunisation target met", **extra}


def test_a_reward_for_a_team_is_recorded_for_each_person_all_or_nothing(org):
    client = english_client(org.region, org.hr)
    nips = [org.staff.nip, org.staff2.nip, org.chief.nip]
    preview = client.post("/appraisal/rewards-sanctions/bulk/", {**record_form(nips), "op": "preview"})
    body = preview.content.decode()
    assert preview.status_code == 200 and body.count("Reward incentive of 10% from 2026-03 to 2026-05.") == 3
    assert not RewardSanction.objects.exists() and not AuditEntry.objects.filter(action="appraisal.reward.record").exists()

    # one unknown NIP: nothing is recorded, the row says why
    refused = client.post(API + "bulk/rewards-sanctions/apply/", {
        "nips": [org.staff.nip, "199999999999999999"], "kind": "reward", "category": "incentive",
        "starts_on": "2026-03-01", "duration_months": 3, "percent": "10"}, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["applied"] is False
    assert [row["error"] for row in refused.json()["rows"] if row["error"]] == ["No employee with NIP 199999999999999999."]
    assert not RewardSanction.objects.exists()

    applied = client.post("/appraisal/rewards-sanctions/bulk/", {**record_form(nips), "op": "apply"})
    assert "3 rows done." in applied.content.decode()
    records = RewardSanction.objects.filter(kind="reward", category="incentive")
    assert sorted(records.values_list("employee__nip", flat=True)) == sorted(nips)
    assert set(records.values_list("ends_on", flat=True)) == {datetime.date(2026, 5, 31)}
    entries = AuditEntry.objects.filter(action="appraisal.reward.record")
    assert sorted(int(e.target_id) for e in entries) == sorted(records.values_list("pk", flat=True))


def test_a_sanction_without_severity_is_refused_for_every_row(org):
    with pytest.raises(bulk.BulkRefused) as refused:
        bulk.record_rewards_sanctions(actor=org.hr, nips=[org.staff.nip, org.staff2.nip], kind="sanction",
                                      category="verbal_warning", starts_on=datetime.date(2026, 3, 1),
                                      duration_months=1, percent="20", apply=True)
    assert [row.error for row in refused.value.rows] == ["A sanction needs a severity: light, medium, heavy."] * 2
    assert not RewardSanction.objects.exists()
    with pytest.raises(ValidationError):
        bulk.record_rewards_sanctions(actor=org.hr, nips="  ", kind="reward", category="x",
                                      starts_on=datetime.date(2026, 3, 1), duration_months=1, percent="5", apply=False)


def test_plans_open_from_the_position_template_else_the_unit_template(org):
    last_year, year = open_year(org, 2025), open_year(org, 2026)
    source_plan = plan_with_indicators(org.staff, last_year, text="Immunisation")
    client = english_client(org.region, org.hr)
    saved = client.post(API + "plan-templates/", {"name": "Staf kesehatan", "unit": org.health.pk,
                                                  "from_plan": source_plan.pk}, content_type="application/json")
    assert saved.status_code == 201 and saved.json()["content"][0]["text"] == "Immunisation of Staf Satu"
    by_position = client.post("/appraisal/templates/", {"name": "Guru kelas", "position": org.teacher.position_id,
                                                        "plan": source_plan.pk})
    assert by_position.status_code == 302
    PlanTemplate.objects.filter(position=org.teacher.position).update(content=[
        {"kind": "utama", "text": "Lessons taught", "ikis": [
            {"text": "Lessons", "aspect": "quantity", "target_value": "200", "target_unit": "lessons",
             "target_text": "", "measured_by": "daily_log_sum"}]}])
    assert AuditEntry.objects.filter(action="appraisal.plan_template.save").count() == 2
    bad = client.post(API + "plan-templates/", {"name": "Bad", "unit": org.education.pk, "content": [
        {"kind": "utama", "text": "X", "ikis": [{"text": "Y", "aspect": "quantity", "target_unit": "docs"}]}]},
        content_type="application/json")
    assert bad.status_code == 400 and "results.1.ikis.1.target_value" in bad.json()

    chosen = [org.staff.pk, org.staff2.pk, org.teacher.pk]
    preview = client.post(API + "bulk/open-plans/preview/", {"year": 2026, "rows": chosen, "source": "template"},
                          content_type="application/json")
    outcomes = {row["employee"]: row["outcome"] for row in preview.json()["rows"]}
    assert outcomes["Staf Dua"] == ("Draft with 1 results and 1 indicators from the template Staf kesehatan; "
                                    "appraiser Kepala Seksi.")
    assert outcomes["Guru"].startswith("Draft with 1 results and 1 indicators from the template Guru kelas")
    page = client.post("/appraisal/bulk/open/", {"year": 2026, "rows": chosen, "source": "template", "op": "apply"})
    assert "3 rows done." in page.content.decode()
    teacher_rhk = Rhk.objects.get(plan__appraisal_year=year, plan__employee=org.teacher)
    assert teacher_rhk.text == "Lessons taught" and teacher_rhk.ikis.get().measured_by == "daily_log_sum"
    assert Rhk.objects.get(plan__appraisal_year=year, plan__employee=org.staff2).text == "Immunisation of Staf Satu"
    assert AuditEntry.objects.filter(action="appraisal.plan.open", after__template__isnull=False).count() == 3
    listing = client.get(API + "plan-templates/").json()
    names = [t["name"] for t in (listing["results"] if isinstance(listing, dict) else listing)]
    assert names == ["Guru kelas", "Staf kesehatan"]


def test_who_may_record_in_bulk_and_keep_templates(org, region_b):
    year = open_year(org, 2025)
    plan = plan_with_indicators(org.staff, year)
    template = plan_templates.save_template(actor=org.hr, name="T", from_plan=plan, unit=org.health)
    for user in (org.staff.user, org.chief.user, org.head.user, org.leadership, org.auditor):
        client = english_client(org.region, user)
        assert client.get("/appraisal/rewards-sanctions/bulk/").status_code == 403
        assert client.post(API + "bulk/rewards-sanctions/apply/", {
            "nips": [org.staff2.nip], "kind": "reward", "category": "x", "starts_on": "2026-01-01",
            "duration_months": 1, "percent": "5"}, content_type="application/json").status_code == 403
        assert client.get("/appraisal/templates/").status_code == 403
        assert client.get(API + "plan-templates/").status_code == 403
        assert client.delete(API + f"plan-templates/{template.pk}/").status_code == 403
    assert not RewardSanction.objects.exists() and PlanTemplate.objects.filter(pk=template.pk).exists()
    # another region's HR: this region's NIPs are unknown there, its templates do not exist there
    with in_region(region_b):
        other_hr = make_login(Role.HR_ADMIN, username="hr-b")
    hr_b = english_client(region_b, other_hr)
    refused = hr_b.post(API + "bulk/rewards-sanctions/apply/", {
        "nips": [org.staff2.nip], "kind": "reward", "category": "x", "starts_on": "2026-01-01",
        "duration_months": 1, "percent": "5"}, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["rows"][0]["error"].startswith("No employee with NIP")
    assert hr_b.delete(API + f"plan-templates/{template.pk}/").status_code == 404
    assert hr_b.post(API + "plan-templates/", {"name": "X", "unit": org.health.pk, "from_plan": plan.pk},
                     content_type="application/json").status_code == 400
    assert not RewardSanction.objects.exists() and PlanTemplate.objects.filter(pk=template.pk).exists()
    assert not SkpPlan.objects.filter(appraisal_year__year=2026).exists()


def test_a_category_too_long_is_named_not_a_server_error(org):
    client = english_client(org.region, org.hr)
    response = client.post("/appraisal/rewards-sanctions/bulk/", {**record_form([org.staff.nip], category="x" * 61),
                                                                  "op": "preview"})
    assert response.status_code == 200 and "The category has at most 60 characters." in response.content.decode()
    api = client.post(API + "bulk/rewards-sanctions/preview/", {
        "nips": [org.staff.nip], "kind": "reward", "category": "x" * 61, "starts_on": "2026-03-01",
        "duration_months": 1, "percent": "5"}, content_type="application/json")
    assert api.status_code == 400 and "category" in api.json()
    assert not RewardSanction.objects.exists()
