"""Organisation ratings, the distribution curve with worked numbers, calibration, and the unit head rule."""
import datetime
from decimal import Decimal

import pytest
from django.utils import translation
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.appraisal import selectors, services
from kinerja.appraisal.models import BEHAVIOUR_VALUE_CODES, CurveRule
from kinerja.audit.models import AuditEntry
from tests.appraisal.factories import open_year, plan_with_indicators
from tests.helpers import assert_queries, english_client

pytestmark = pytest.mark.django_db

VALUES = {code: "as_expected" for code in BEHAVIOUR_VALUE_CODES}
NOW = datetime.datetime(2026, 12, 20, 3, 0, tzinfo=datetime.timezone.utc)


def lines(check):
    return [(line.bound, tuple(line.predicates), line.count, str(line.share), line.ok) for line in check.lines]


def test_istimewa_allows_at_most_70_percent_sangat_baik(org):
    ok = selectors.check_curve("istimewa", {"sangat_baik": 7, "baik": 3})
    assert ok.ok and lines(ok) == [("at_most", ("sangat_baik",), 7, "70.00", True)]
    over = selectors.check_curve("istimewa", {"sangat_baik": 8, "baik": 2})
    assert not over.ok and over.violations[0].share == Decimal("80.00")
    assert over.violations[0].text == "at most 70% Sangat Baik: 8 (80%)"
    with translation.override("id"):
        thirds = selectors.check_curve("istimewa", {"sangat_baik": 15, "baik": 6})
        assert thirds.violations[0].text.endswith(": 15 (71,43%)")


def test_baik_needs_at_most_70_percent_baik_and_some_below(org):
    assert selectors.check_curve("baik", {"baik": 7, "sangat_baik": 2, "kurang": 1}).ok
    check = selectors.check_curve("baik", {"baik": 8, "sangat_baik": 2})
    assert lines(check) == [("at_most", ("baik",), 8, "80.00", False),
                            ("some", ("butuh_perbaikan", "kurang"), 0, "0.00", False)]


def test_butuh_perbaikan_kurang_and_sangat_kurang_with_worked_numbers(org):
    assert selectors.check_curve("butuh_perbaikan", {"butuh_perbaikan": 6, "sangat_baik": 1, "baik": 3}).ok
    check = selectors.check_curve("butuh_perbaikan", {"butuh_perbaikan": 5, "sangat_baik": 2, "baik": 3})
    assert [(line.count, str(line.share), line.ok) for line in check.lines] == [(5, "50.00", False), (2, "20.00", False)]
    assert selectors.check_curve("kurang", {"kurang": 6, "butuh_perbaikan": 1, "sangat_baik": 1, "baik": 2}).ok
    assert not selectors.check_curve("kurang", {"kurang": 6, "sangat_baik": 1, "baik": 3}).ok  # 0% BP < 10%
    good = {"sangat_kurang": 6, "kurang": 1, "butuh_perbaikan": 1, "baik": 2}
    assert selectors.check_curve("sangat_kurang", good).ok
    bad = selectors.check_curve("sangat_kurang", {**good, "baik": 1, "sangat_baik": 1})
    assert [line.text for line in bad.violations] == ["at most 0% Sangat Baik: 1 (10%)"]


def test_shares_round_half_up_and_an_empty_unit_passes(org):
    check = selectors.check_curve("istimewa", {"sangat_baik": 2, "baik": 1})
    assert check.lines[0].share == Decimal("66.67") and check.ok
    assert selectors.check_curve("kurang", {}).ok


def test_curve_percentages_are_region_data(org):
    rule = CurveRule.objects.get(organisation_rating="istimewa")
    with pytest.raises(ValidationError):
        services.set_curve_rule(actor=org.hr, rule=rule, percent="150", reason="x")
    with pytest.raises(ValidationError, match="reason"):
        services.set_curve_rule(actor=org.hr, rule=rule, percent="60", reason="")
    with pytest.raises(PermissionDenied):
        services.set_curve_rule(actor=org.leadership, rule=rule, percent="60", reason="x")
    services.set_curve_rule(actor=org.hr, rule=rule, percent="60", reason="Perwali 3/2026")
    assert not selectors.check_curve("istimewa", {"sangat_baik": 2, "baik": 1}).ok  # 66.67% > 60%
    entry = AuditEntry.objects.get(action="appraisal.curve.change")
    assert entry.before == {"percent": "70.00"} and entry.after == {"percent": "60"}


@pytest.fixture
def rated(org):
    """Health unit rated Istimewa; the section chief and both staff rated Sangat Baik (3 of 3 = 100%)."""
    year = open_year(org, 2026)
    plans = {name: plan_with_indicators(getattr(org, name), year) for name in ("chief", "staff", "staff2")}
    ratings = {name: services.rate(actor=plan.appraiser.user, plan=plan, work_result="above", behaviour="above",
                                   behaviour_values=VALUES, reason="Excellent", now=NOW)
               for name, plan in plans.items()}
    unit_rating = services.set_unit_rating(actor=org.hr, unit=org.health, appraisal_year=year, rating="istimewa",
                                           reason="Best-performing agency")
    return year, plans, ratings, unit_rating


def test_warn_mode_shows_the_breach_and_delivers(org, rated):
    year, plans, ratings, unit_rating = rated
    check = selectors.unit_curve_check(unit_rating)
    assert check.total == 3 and check.counts["sangat_baik"] == 3 and not check.ok
    services.deliver_rating(actor=org.chief.user, rating=ratings["staff"], now=NOW)


def test_block_mode_refuses_delivery_until_hr_calibrates(org, rated):
    year, plans, ratings, unit_rating = rated
    services.set_curve_enforcement(actor=org.hr, enforcement="block", reason="Perwali")
    with pytest.raises(ValidationError) as error:
        services.deliver_rating(actor=org.chief.user, rating=ratings["staff"], now=NOW)
    assert "at most 70% Sangat Baik: 3 (100%)" in error.value.message_dict["predicate"][0]
    with pytest.raises(ValidationError, match="written reason"):
        services.calibrate(actor=org.hr, rating=ratings["staff2"], predicate="baik", reason=" ")
    with pytest.raises(PermissionDenied):
        services.calibrate(actor=org.chief.user, rating=ratings["staff2"], predicate="baik", reason="x")
    services.calibrate(actor=org.hr, rating=ratings["staff2"], predicate="baik",
                       reason="Two of three Sangat Baik is the unit's ceiling")
    assert selectors.unit_curve_check(unit_rating).ok  # 2 of 3 = 66.67%
    services.deliver_rating(actor=org.chief.user, rating=ratings["staff"], now=NOW)
    entry = AuditEntry.objects.get(action="appraisal.rating.calibrate")
    assert entry.before["predicate"] == "sangat_baik" and entry.after["predicate"] == "baik"
    assert entry.after["predicate_source"] == "calibration" and entry.actor_id == org.hr.pk
    assert entry.reason == "Two of three Sangat Baik is the unit's ceiling"


def test_delivered_results_are_not_calibrated(org, rated):
    year, plans, ratings, unit_rating = rated
    services.deliver_rating(actor=org.chief.user, rating=ratings["staff"], now=NOW)
    with pytest.raises(ValidationError, match="objection"):
        services.calibrate(actor=org.hr, rating=ratings["staff"], predicate="baik", reason="Too generous")


def test_unit_head_work_result_follows_the_unit_rating(org):
    year = open_year(org, 2026)
    head_plan = services.create_plan(actor=org.hr, employee=org.head, appraisal_year=year, appraiser=org.edu_head)
    rhk = services.add_rhk(actor=org.head.user, plan=head_plan, kind="utama", text="Agency targets")
    services.add_iki(actor=org.head.user, rhk=rhk, text="Programme effectiveness", aspect="quality",
                     target_value="90", target_unit="percent")
    services.submit_plan(actor=org.head.user, plan=head_plan)
    services.approve_plan(actor=org.edu_head.user, plan=head_plan)
    rating = services.rate(actor=org.edu_head.user, plan=head_plan, work_result="as_expected", behaviour="above",
                           behaviour_values=VALUES, reason="Solid year", now=NOW)
    assert rating.predicate == "baik"
    services.set_unit_rating(actor=org.hr, unit=org.health, appraisal_year=year, rating="istimewa")
    rating.refresh_from_db()
    assert (rating.work_result, rating.predicate) == ("above", "sangat_baik")
    assert AuditEntry.objects.filter(action="appraisal.rating.unit_head", target_id=str(rating.pk)).exists()
    again = services.rate(actor=org.edu_head.user, plan=head_plan, work_result="below", behaviour="above",
                          behaviour_values=VALUES, reason="Tried to rate lower", now=NOW)
    assert again.work_result == "above"
    first_quarter = selectors.period_of_plan(head_plan, 1)
    periodic = services.rate(actor=org.edu_head.user, plan=head_plan, period=first_quarter, work_result="below",
                             behaviour="above", behaviour_values=VALUES, reason="Slow start", now=NOW)
    assert periodic.work_result == "below"  # the organisation rating is annual
    services.set_unit_rating(actor=org.hr, unit=org.health, appraisal_year=year, rating="kurang")
    rating.refresh_from_db()
    assert (rating.work_result, rating.predicate) == ("below", "butuh_perbaikan")
    staff_plan = plan_with_indicators(org.chief, year)  # not the head: no override
    staff_rating = services.rate(actor=org.head.user, plan=staff_plan, work_result="as_expected", behaviour="as_expected",
                                 behaviour_values=VALUES, reason="ok", now=NOW)
    assert staff_rating.work_result == "as_expected"


def test_calibration_page_and_api(org, rated):
    year, plans, ratings, unit_rating = rated
    hr = english_client(org.region, org.hr)
    with assert_queries(10):
        page = hr.get("/appraisal/calibration/?year=2026")
    text = page.content.decode()
    assert page.status_code == 200 and "Dinas Kesehatan" in text and "at most 70% Sangat Baik: 3 (100%)" in text
    response = hr.post("/appraisal/calibration/", {"op": "calibrate", "year": 2026, "rating": ratings["chief"].pk,
                                                    "predicate": "baik", "reason": ""})
    assert response.status_code == 302
    ratings["chief"].refresh_from_db()
    assert ratings["chief"].predicate == "sangat_baik"  # no reason: refused
    for user in (org.leadership, org.auditor):
        assert english_client(org.region, user).get("/appraisal/calibration/").status_code == 200
        assert english_client(org.region, user).post(f"/api/v1/appraisal/calibration/{ratings['chief'].pk}/calibrate/",
                                                     {"predicate": "baik", "reason": "x"},
                                                     content_type="application/json").status_code == 403
    for user in (org.chief.user, org.staff.user):
        assert english_client(org.region, user).get("/appraisal/calibration/").status_code == 403
        assert english_client(org.region, user).get("/api/v1/appraisal/calibration/?year=2026").status_code == 403
    with assert_queries(7):
        data = hr.get("/api/v1/appraisal/calibration/?year=2026").json()
    assert data[0]["unit"] == "DINKES" and data[0]["curve"]["ok"] is False and len(data[0]["ratings"]) == 3
    done = hr.post(f"/api/v1/appraisal/calibration/{ratings['chief'].pk}/calibrate/",
                   {"predicate": "baik", "reason": "Ceiling"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["predicate_source"] == "calibration"
