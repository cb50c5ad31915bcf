"""An acting supervisor (Plt/Plh) finds the absent supervisor's appraisees in the bulk approval list and
approves them in one go; never their own plan, and nothing once the assignment has ended."""
import datetime

import pytest
from kinerja.appraisal import bulk, selectors, services
from kinerja.appraisal.models import SkpPlan
from kinerja.audit.models import AuditEntry
from kinerja.people import services as people
from kinerja.people.models import ActingKind
from kinerja.region import facts

from tests.appraisal.factories import open_year, plan_with_indicators
from tests.factories import make_employee
from tests.helpers import english_client

pytestmark = pytest.mark.django_db


def days(offset: int) -> datetime.date:
    return facts.today() + datetime.timedelta(days=offset)


@pytest.fixture
def submitted(org):
    """Staf Satu's, Staf Dua's and Staf Tiga's plans, submitted to the chief, who is away; Staf Dua acts
    in the chief's place."""
    year = open_year(org, facts.today().year)
    org.staff3 = make_employee(org.health, "Staf Tiga", org.chief)
    plans = {}
    for name in ("staff", "staff2", "staff3"):
        plan = plan_with_indicators(getattr(org, name), year, approve=False)
        services.submit_plan(actor=plan.employee.user, plan=plan)
        plans[name] = plan
    people.appoint_acting_supervisor(actor=org.hr, acting=org.staff2, in_place_of=org.chief, kind=ActingKind.PLH,
                                     starts_on=days(-1), ends_on=days(5), reason="Kepala seksi cuti")
    return plans


def test_the_acting_supervisor_approves_the_appraisees_in_bulk_but_not_their_own_plan(org, submitted):
    acting = org.staff2.user
    waiting = list(selectors.plans_to_approve(acting).values_list("employee__full_name", flat=True))
    assert sorted(waiting) == ["Staf Satu", "Staf Tiga"]  # their own plan is not theirs to approve
    page = english_client(org.region, acting).get("/appraisal/bulk/").content.decode()
    assert "Staf Satu" in page and "Staf Tiga" in page
    # the chief still sees them too
    assert selectors.plans_to_approve(org.chief.user).count() == 3

    with pytest.raises(bulk.BulkRefused) as refused:
        bulk.approve_plans(actor=acting, plan_ids=[submitted["staff"].pk, submitted["staff2"].pk], apply=True)
    assert [row.id for row in refused.value.refused] == [submitted["staff2"].pk]

    english_client(org.region, acting).post("/appraisal/bulk/", {
        "kind": "approve", "op": "apply", "rows": [submitted["staff"].pk, submitted["staff3"].pk]})
    approved = SkpPlan.objects.filter(status="approved")
    assert sorted(approved.values_list("employee__full_name", flat=True)) == ["Staf Satu", "Staf Tiga"]
    assert set(AuditEntry.objects.filter(action="appraisal.plan.approve").values_list("actor_id", flat=True)) == {
        acting.pk}


def test_nothing_waits_for_them_once_the_assignment_has_ended(org, submitted):
    from kinerja.people.models import ActingSupervisor

    ActingSupervisor.objects.update(starts_on=days(-10), ends_on=days(-1))
    assert not selectors.plans_to_approve(org.staff2.user).exists()
    with pytest.raises(bulk.BulkRefused):
        bulk.approve_plans(actor=org.staff2.user, plan_ids=[submitted["staff"].pk], apply=True)
    # another unit's supervisor never sees them
    assert not selectors.plans_to_approve(org.edu_head.user).exists()
