"""Appraisal years and periods, and the predicate matrix as region data."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.appraisal import selectors, services
from kinerja.appraisal.models import AppraisalPeriod, CurveRule
from kinerja.audit.models import AuditEntry
from tests.helpers import assert_queries, english_client, host_of, in_region

pytestmark = pytest.mark.django_db

MATRIX = [
    ("above", "above", "sangat_baik"),
    ("above", "as_expected", "baik"),
    ("above", "below", "kurang"),
    ("as_expected", "above", "baik"),
    ("as_expected", "as_expected", "baik"),
    ("as_expected", "below", "kurang"),
    ("below", "above", "butuh_perbaikan"),
    ("below", "as_expected", "butuh_perbaikan"),
    ("below", "below", "sangat_kurang"),
]


@pytest.mark.parametrize("work_result,behaviour,predicate", MATRIX)
def test_every_cell_of_the_seeded_matrix(org, work_result, behaviour, predicate):
    assert selectors.predicate_for(work_result, behaviour) == predicate


def test_matrix_has_exactly_nine_cells_in_each_region(region_a, region_b):
    for region in (region_a, region_b):
        with in_region(region):
            assert sorted((w, b, p) for (w, b), p in selectors.predicate_matrix().items()) == sorted(MATRIX)


def test_matrix_is_region_data_changed_with_reason_and_audited(org, region_b):
    with pytest.raises(ValidationError) as error:
        services.set_predicate_rule(actor=org.hr, work_result="above", behaviour="below", predicate="butuh_perbaikan",
                                    reason=" ")
    assert "reason" in error.value.message_dict
    services.set_predicate_rule(actor=org.hr, work_result="above", behaviour="below", predicate="butuh_perbaikan",
                                reason="Regional regulation 12/2026")
    assert selectors.predicate_for("above", "below") == "butuh_perbaikan"
    entry = AuditEntry.objects.get(action="appraisal.matrix.change")
    assert entry.before == {"predicate": "kurang"} and entry.after == {"predicate": "butuh_perbaikan"}
    assert entry.reason == "Regional regulation 12/2026"
    with in_region(region_b):
        assert selectors.predicate_for("above", "below") == "kurang"


def test_only_hr_changes_the_matrix(org):
    with pytest.raises(PermissionDenied):
        services.set_predicate_rule(actor=org.leadership, work_result="above", behaviour="below",
                                    predicate="baik", reason="x")


def test_curve_is_seeded_as_data(org):
    rules = {(r.organisation_rating, tuple(r.predicates), r.bound, int(r.percent)) for r in CurveRule.objects.all()}
    assert ("istimewa", ("sangat_baik",), "at_most", 70) in rules
    assert ("sangat_kurang", ("sangat_baik",), "at_most", 0) in rules
    assert ("baik", ("butuh_perbaikan", "kurang"), "some", 0) in rules
    assert len(rules) == 11


def test_hr_creates_a_quarterly_year_and_its_periods_are_generated(org):
    year = services.create_appraisal_year(actor=org.hr, year=2028, cadence="quarterly")
    periods = list(AppraisalPeriod.objects.filter(appraisal_year=year).select_related("appraisal_year"))
    assert [p.label for p in periods] == ["TW I", "TW II", "TW III", "TW IV"]
    assert [(p.starts_on, p.ends_on) for p in periods] == [
        (datetime.date(2028, 1, 1), datetime.date(2028, 3, 31)), (datetime.date(2028, 4, 1), datetime.date(2028, 6, 30)),
        (datetime.date(2028, 7, 1), datetime.date(2028, 9, 30)), (datetime.date(2028, 10, 1), datetime.date(2028, 12, 31))]
    assert periods[0].opens_on == datetime.date(2028, 1, 1)
    assert periods[0].closes_on == datetime.date(2028, 4, 10)  # 10 grace days by default
    assert AuditEntry.objects.filter(action="appraisal.year.create", target_id=str(year.pk)).exists()


def test_monthly_year_has_twelve_periods_with_february_of_a_leap_year(org):
    year = services.create_appraisal_year(actor=org.hr, year=2028, cadence="monthly")
    periods = list(year.periods.all())
    assert len(periods) == 12
    assert periods[1].ends_on == datetime.date(2028, 2, 29)


def test_year_creation_refuses_bad_input_and_duplicates(org):
    with pytest.raises(ValidationError) as error:
        services.create_appraisal_year(actor=org.hr, year=2028, cadence="weekly")
    assert "cadence" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.create_appraisal_year(actor=org.hr, year=None, cadence="monthly")
    assert "year" in error.value.message_dict
    services.create_appraisal_year(actor=org.hr, year=2028, cadence="monthly")
    with pytest.raises(ValidationError) as error:
        services.create_appraisal_year(actor=org.hr, year=2028, cadence="quarterly")
    assert "already exists" in error.value.message_dict["year"][0]


@pytest.mark.parametrize("who", ["leadership", "auditor", "staff"])
def test_only_hr_creates_years(org, who):
    actor = getattr(org, who)
    actor = getattr(actor, "user", actor)
    with pytest.raises(PermissionDenied):
        services.create_appraisal_year(actor=actor, year=2028, cadence="monthly")


def test_hr_moves_a_period_window_audited(org):
    year = services.create_appraisal_year(actor=org.hr, year=2028, cadence="quarterly")
    period = year.periods.get(number=1)
    with pytest.raises(ValidationError):
        services.set_period_window(actor=org.hr, period=period, opens_on=datetime.date(2028, 5, 1),
                                   closes_on=datetime.date(2028, 4, 1))
    services.set_period_window(actor=org.hr, period=period, opens_on=datetime.date(2028, 1, 15),
                               closes_on=datetime.date(2028, 4, 20))
    period.refresh_from_db()
    assert period.closes_on == datetime.date(2028, 4, 20)
    entry = AuditEntry.objects.get(action="appraisal.period.window")
    assert entry.before["closes_on"] == "2028-04-10" and entry.after["closes_on"] == "2028-04-20"


def test_pages_show_periods_and_matrix_to_the_region_and_let_only_hr_create(org):
    hr, staff = english_client(org.region, org.hr), english_client(org.region, org.staff.user)
    assert staff.post("/appraisal/years/", {"year": 2028, "cadence": "monthly"}).status_code == 403
    with in_region(org.region):
        assert not selectors.appraisal_years().exists()
    response = hr.post("/appraisal/years/", {"year": 2028, "cadence": "quarterly"})
    assert response.status_code == 302 and response["Location"].endswith("/appraisal/years/2028/")
    page = staff.get("/appraisal/years/2028/").content.decode()
    assert "TW III" in page and "<form" not in page.split("period-table")[1]
    rules = staff.get("/appraisal/rules/").content.decode()
    assert rules.count("<tr>") >= 9 + 11 and "Sangat Baik" in rules


def test_api_years_and_rules(org):
    hr, staff = english_client(org.region, org.hr), english_client(org.region, org.staff.user)
    refused = staff.post("/api/v1/appraisal/years/", {"year": 2028, "cadence": "monthly"}, content_type="application/json")
    assert refused.status_code == 403
    created = hr.post("/api/v1/appraisal/years/", {"year": 2028, "cadence": "quarterly"}, content_type="application/json")
    assert created.status_code == 201 and len(created.json()["periods"]) == 4
    bad = hr.post("/api/v1/appraisal/years/", {"year": 2028, "cadence": "monthly"}, content_type="application/json")
    assert bad.status_code == 400 and "year" in bad.json()
    rules = staff.get("/api/v1/appraisal/rules/").json()
    assert len(rules["predicate_matrix"]) == 9 and rules["settings"]["objection_window_days"] == 14
    moved = hr.post("/api/v1/appraisal/years/2028/periods/1/window/",
                    {"opens_on": "2028-01-02", "closes_on": "2028-04-30"}, content_type="application/json")
    assert moved.status_code == 200 and moved.json()["closes_on"] == "2028-04-30"


def test_platform_and_other_region_users_do_not_reach_the_pages(org, region_b):
    from kinerja.accounts.models import Role
    from tests.helpers import make_user

    other = make_user(region_b, Role.HR_ADMIN, username="hr-b")
    client = english_client(region_b, other)
    assert client.get("/appraisal/years/").status_code == 200
    client.defaults["HTTP_HOST"] = host_of(org.region)
    response = client.get("/appraisal/years/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get("/api/v1/appraisal/years/").status_code in (401, 403)


def test_list_endpoint_query_count(org):
    for year in (2026, 2027, 2028):
        services.create_appraisal_year(actor=org.hr, year=year, cadence="monthly")
    client = english_client(org.region, org.hr)
    with assert_queries(6):
        response = client.get("/api/v1/appraisal/years/")
    assert response.status_code == 200 and len(response.json()["results"]) == 3


def test_hr_edits_the_regions_appraisal_numbers_all_or_nothing(org):
    from kinerja.appraisal.models import AppraisalSettings

    hr = english_client(org.region, org.hr)
    hr.post("/appraisal/rules/", {"op": "numbers", "objection_window_days": "21", "peer_minimum_respondents": "0",
                                  "realisation_grace_days": "5", "reason": "Perwali"})
    settings_row = AppraisalSettings.objects.get()
    assert (settings_row.objection_window_days, settings_row.realisation_grace_days) == (14, 10)  # nothing saved
    hr.post("/appraisal/rules/", {"op": "numbers", "objection_window_days": "21", "peer_minimum_respondents": "4",
                                  "realisation_grace_days": "5", "reason": "Perwali"})
    settings_row.refresh_from_db()
    assert (settings_row.objection_window_days, settings_row.peer_minimum_respondents,
            settings_row.realisation_grace_days) == (21, 4, 5)
    entry = AuditEntry.objects.get(action="appraisal.settings.change")
    assert entry.before["objection_window_days"] == 14 and entry.after["objection_window_days"] == 21
    response = english_client(org.region, org.auditor).post("/appraisal/rules/", {"op": "numbers",
                                                                                  "objection_window_days": "30"})
    assert response.status_code == 403


@pytest.mark.parametrize("role", ["bkn_analyst", "plugin_vendor", "operator"])
def test_a_region_account_with_a_platform_role_is_refused(org, role):
    from tests.factories import make_login

    client = english_client(org.region, make_login(role, username=f"odd-{role}"))
    for url in ("/appraisal/skp/", "/appraisal/years/", "/appraisal/calibration/", "/appraisal/objections/"):
        assert client.get(url).status_code == 403, url
    for url in ("/api/v1/appraisal/plans/", "/api/v1/appraisal/years/", "/api/v1/appraisal/objections/"):
        assert client.get(url).status_code == 403, url
