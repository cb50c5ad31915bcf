"""The supervisor's view of their appraisees, HR changing an appraiser, and list query budgets."""
import datetime

import pytest

from kinerja.appraisal import selectors, services
from kinerja.appraisal.models import BEHAVIOUR_VALUE_CODES
from kinerja.audit.models import AuditEntry
from tests.appraisal.factories import open_year, plan_with_indicators
from tests.factories import make_employee
from tests.helpers import assert_queries, english_client

pytestmark = pytest.mark.django_db

VALUES = {code: "as_expected" for code in BEHAVIOUR_VALUE_CODES}
NOW = datetime.datetime(2026, 12, 20, 3, 0, tzinfo=datetime.timezone.utc)


def rated(org, employee, year, work_result="above", behaviour="above"):
    plan = plan_with_indicators(employee, year)
    return services.rate(actor=plan.appraiser.user, plan=plan, work_result=work_result, behaviour=behaviour,
                         behaviour_values=VALUES, reason="ok", now=NOW)


def test_supervisor_sees_the_spread_of_their_appraisees(org):
    year = open_year(org, 2026)
    rated(org, org.staff, year)
    rated(org, org.staff2, year, "as_expected", "as_expected")
    spread = selectors.appraisee_distribution(org.chief.user)
    assert spread.counts["Sangat Baik"] == 1 and spread.counts["Baik"] == 1 and spread.counts["Kurang"] == 0
    assert spread.year == 2026 and spread.curve is None  # no organisation rating yet: no curve to hold to
    assert selectors.appraisee_distribution(org.staff.user) is None
    page = english_client(org.region, org.chief.user).get("/appraisal/skp/").content.decode()
    assert 'data-testid="appraisee-distribution"' in page and "<td>Sangat Baik</td><td>1</td><td>50%</td>" in page
    assert "appraisee-curve-broken" not in page


def test_the_supervisor_sees_their_spread_against_their_units_curve(org):
    """Both appraisees Sangat Baik in a unit rated Baik: at most 70% Baik holds (0%), but the curve wants
    at least one below Baik, so the chart marks the rule broken and the page says so."""
    year = open_year(org, 2026)
    rated(org, org.staff, year)
    rated(org, org.staff2, year)
    services.set_unit_rating(actor=org.hr, unit=org.health, appraisal_year=year, rating="baik")
    spread = selectors.appraisee_distribution(org.chief.user)
    assert spread.curve.unit == org.health and not spread.curve.ok
    page = english_client(org.region, org.chief.user).get("/appraisal/skp/").content.decode()
    assert "against the curve of Dinas Kesehatan (Baik)" in page
    assert 'data-testid="appraisee-curve-broken"' in page
    assert "✗ at least one Butuh Perbaikan + Kurang: 0 (0%)" in page
    assert "<td>at least one Butuh Perbaikan + Kurang: 0 (0%)</td><td>broken</td>" in page  # the table says it too
    leadership = english_client(org.region, org.leadership).get("/dashboard/").content.decode()
    assert 'data-testid="curve-checks"' in leadership and "Dinas Kesehatan" in leadership


def test_delivery_page_warns_when_the_unit_breaks_the_curve(org):
    year = open_year(org, 2026)
    rating = rated(org, org.staff, year)
    services.set_unit_rating(actor=org.hr, unit=org.health, appraisal_year=year, rating="butuh_perbaikan")
    response = english_client(org.region, org.chief.user).post(
        f"/appraisal/skp/{rating.plan_id}/", {"op": "deliver", "rating": rating.pk}, follow=True)
    text = response.content.decode()
    assert "breaks the distribution curve" in text and "at least 60% Butuh Perbaikan: 0 (0%)" in text
    rating.refresh_from_db()
    assert rating.delivered_at is not None  # warn mode delivers


def test_hr_changes_the_appraiser_with_a_reason(org):
    plan = plan_with_indicators(org.staff, open_year(org, 2026), approve=False)
    hr = english_client(org.region, org.hr)
    url = f"/api/v1/appraisal/plans/{plan.pk}/appraiser/"
    missing = hr.post(url, {"appraiser": org.head.pk, "reason": ""}, content_type="application/json")
    assert missing.status_code == 400 and "reason" in missing.json()
    assert english_client(org.region, org.chief.user).post(
        url, {"appraiser": org.head.pk, "reason": "x"}, content_type="application/json").status_code == 403
    done = hr.post(url, {"appraiser": org.head.pk, "reason": "Section chief on long leave"},
                   content_type="application/json")
    assert done.status_code == 200 and done.json()["appraiser_nip"] == org.head.nip
    assert AuditEntry.objects.get(action="appraisal.plan.appraiser").before == {"appraiser": org.chief.pk}


def test_objection_and_record_lists_keep_their_query_budget(org):
    year = open_year(org, 2026)
    for number in range(6):
        employee = make_employee(org.health, f"Staf {number}", org.chief)
        rating = rated(org, employee, year, "below", "below")
        services.deliver_rating(actor=org.chief.user, rating=rating, now=NOW)
        services.file_objection(actor=employee.user, rating=rating, reasons="Unfair", now=NOW)
        services.record_reward_sanction(actor=org.hr, employee=employee, kind="sanction", category="verbal_warning",
                                        severity="light", starts_on=datetime.date(2026, 12, 1), duration_months=1,
                                        percent="20")
    head, hr = english_client(org.region, org.head.user), english_client(org.region, org.hr)
    with assert_queries(5):
        assert head.get("/api/v1/appraisal/objections/").json()["count"] == 6
    with assert_queries(6):
        assert head.get("/appraisal/objections/").status_code == 200
    with assert_queries(5):
        assert hr.get("/api/v1/appraisal/rewards-sanctions/").json()["count"] == 6
    with assert_queries(6):
        assert hr.get("/appraisal/rewards-sanctions/").status_code == 200
