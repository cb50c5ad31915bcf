"""An acting supervisor (Plt/Plh) holds the supervisor's rights over the plans of the one they replace,
from the first to the last day of the assignment and not a day outside it."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from kinerja.appraisal import selectors as appraisal_selectors
from kinerja.appraisal import services as appraisal
from kinerja.people import services as people
from kinerja.people.models import ActingKind
from kinerja.people.selectors import visible_employees
from kinerja.region import facts

from tests.appraisal.factories import open_year, plan_with_indicators
from tests.helpers import english_client

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return facts.today() + datetime.timedelta(days=n)


@pytest.fixture
def submitted_plan(org):
    """Staf Satu's plan, submitted to their supervisor (the chief), who is away."""
    plan = plan_with_indicators(org.staff, open_year(org), approve=False)
    appraisal.submit_plan(actor=org.staff.user, plan=plan)
    return plan


def appoint(org, start: int, end: int):
    # staff2 (the chief's other report) stands in for the chief
    return people.appoint_acting_supervisor(actor=org.hr, acting=org.staff2, in_place_of=org.chief,
                                            kind=ActingKind.PLH, starts_on=days(start), ends_on=days(end),
                                            reason="Kepala seksi cuti", decree_number="800/12/2026")


@pytest.mark.parametrize("start, end, holds", [(0, 5, True), (-5, 0, True), (1, 5, False), (-5, -1, False)])
def test_rights_start_and_end_with_the_date_range(org, submitted_plan, start, end, holds):
    appoint(org, start, end)
    acting = org.staff2.user
    assert appraisal_selectors.is_plan_appraiser(acting, submitted_plan) is holds
    assert visible_employees(acting).filter(pk=org.staff.pk).exists() is holds
    response = english_client(org.region, acting).get(f"/appraisal/skp/{submitted_plan.pk}/")
    assert response.status_code == (200 if holds else 404)
    if holds:
        appraisal.approve_plan(actor=acting, plan=submitted_plan)
    else:
        with pytest.raises(PermissionDenied):
            appraisal.approve_plan(actor=acting, plan=submitted_plan)


def test_an_acting_supervisor_never_approves_their_own_plan(org):
    plan = plan_with_indicators(org.staff2, open_year(org), approve=False)
    appraisal.submit_plan(actor=org.staff2.user, plan=plan)
    appoint(org, 0, 3)
    assert not appraisal_selectors.is_plan_appraiser(org.staff2.user, plan)


def test_ending_early_removes_the_rights_from_today(org, submitted_plan):
    assignment = appoint(org, -3, 10)
    assert appraisal_selectors.is_plan_appraiser(org.staff2.user, submitted_plan)
    people.end_acting_supervisor(assignment, actor=org.hr, reason="Kembali dari cuti")
    assignment.refresh_from_db()
    assert assignment.ends_on == days(-1)
    assert not appraisal_selectors.is_plan_appraiser(org.staff2.user, submitted_plan)


def test_bad_ranges_and_who_may_appoint(org):
    with pytest.raises(ValidationError) as refused:
        people.appoint_acting_supervisor(actor=org.hr, acting=org.chief, in_place_of=org.chief, kind="plt",
                                          starts_on=days(5), ends_on=days(1), reason="")
    assert {"acting", "ends_on", "reason"} <= set(refused.value.message_dict)
    page = english_client(org.region, org.staff.user).post("/logins/acting/", {})
    assert page.status_code == 403
    api = english_client(org.region, org.staff.user).post("/api/v1/acting-supervisors/", {},
                                                      content_type="application/json")
    assert api.status_code == 403


def test_hr_records_one_through_the_api(org):
    api = english_client(org.region, org.hr)
    response = api.post("/api/v1/acting-supervisors/", {
        "acting_nip": org.staff2.nip, "in_place_of_nip": org.chief.nip, "kind": "plt",
        "starts_on": days(0).isoformat(), "ends_on": days(30).isoformat(), "reason": "Jabatan lowong"},
        content_type="application/json")
    assert response.status_code == 201, response.content
    bad = api.post("/api/v1/acting-supervisors/", {
        "acting_nip": org.staff2.nip, "in_place_of_nip": "000", "kind": "plt",
        "starts_on": days(0).isoformat(), "ends_on": days(30).isoformat(), "reason": "x"},
        content_type="application/json")
    assert bad.status_code == 400 and "in_place_of_nip" in bad.json()
