"""Rewards and sanctions, and the plain-data selector pay formulas read."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.appraisal import selectors, services
from kinerja.audit.models import AuditEntry
from tests.factories import make_employee
from tests.helpers import assert_queries, english_client

pytestmark = pytest.mark.django_db


def record(org, employee, **overrides):
    values = dict(kind="sanction", category="verbal_warning", severity="light", starts_on=datetime.date(2026, 11, 15),
                  duration_months=3, percent="20")
    values.update(overrides)
    return services.record_reward_sanction(actor=org.hr, employee=employee, **values)


def test_sanction_runs_for_whole_months_across_the_year_end(org):
    sanction = record(org, org.staff)
    assert (sanction.starts_on, sanction.ends_on) == (datetime.date(2026, 11, 1), datetime.date(2027, 1, 31))
    ids = [org.staff.pk, org.staff2.pk]
    assert selectors.sanctions_in_force(ids, datetime.date(2026, 10, 31)) == {}
    for month in (datetime.date(2026, 11, 1), datetime.date(2026, 12, 31), datetime.date(2027, 1, 20)):
        in_force = selectors.sanctions_in_force(ids, month)
        assert list(in_force) == [org.staff.pk]
        assert in_force[org.staff.pk] == [{
            "id": sanction.pk, "category": "verbal_warning", "severity": "light", "percent": Decimal("20.00"),
            "starts_on": datetime.date(2026, 11, 1), "ends_on": datetime.date(2027, 1, 31), "duration_months": 3}]
    assert selectors.sanctions_in_force(ids, datetime.date(2027, 2, 1)) == {}


def test_several_sanctions_rewards_apart_and_revocation(org):
    first = record(org, org.staff)
    record(org, org.staff, category="written_warning", severity="medium", percent="40", duration_months=6)
    record(org, org.staff2, kind="reward", category="certificate", severity="", percent="10", duration_months=1)
    month = datetime.date(2026, 12, 1)
    assert [s["category"] for s in selectors.sanctions_in_force([org.staff.pk, org.staff2.pk], month)[org.staff.pk]] \
        == ["verbal_warning", "written_warning"]
    assert list(selectors.rewards_in_force([org.staff.pk, org.staff2.pk], datetime.date(2026, 11, 3))) == [org.staff2.pk]
    with pytest.raises(ValidationError, match="reason"):
        services.revoke_reward_sanction(actor=org.hr, record=first, reason="")
    services.revoke_reward_sanction(actor=org.hr, record=first, reason="Annulled on appeal")
    assert [s["category"] for s in selectors.sanctions_in_force([org.staff.pk], month)[org.staff.pk]] == ["written_warning"]
    assert AuditEntry.objects.filter(action="appraisal.sanction.revoke", target_id=str(first.pk)).exists()
    assert AuditEntry.objects.filter(action="appraisal.sanction.record").count() == 2


def test_input_is_checked_and_only_hr_records(org):
    cases = [(dict(severity=""), "severity"), (dict(percent="120"), "percent"), (dict(percent="x"), "percent"),
             (dict(duration_months=0), "duration_months"), (dict(kind="bonus"), "kind"), (dict(category=" "), "category"),
             (dict(starts_on=None), "starts_on")]
    for overrides, field in cases:
        with pytest.raises(ValidationError) as error:
            record(org, org.staff, **overrides)
        assert field in error.value.message_dict, overrides
    with pytest.raises(PermissionDenied):
        services.record_reward_sanction(actor=org.chief.user, employee=org.staff, kind="sanction", category="x",
                                        severity="light", starts_on=datetime.date(2026, 1, 1), duration_months=1,
                                        percent="5")


def test_selector_is_one_query_for_a_whole_pay_run(org):
    employees = [make_employee(org.health, f"Pegawai {n}", org.chief, with_user=False) for n in range(20)]
    for employee in employees[:10]:
        record(org, employee)
    with assert_queries(1):
        in_force = selectors.sanctions_in_force([e.pk for e in employees], datetime.date(2026, 12, 1))
    assert len(in_force) == 10


def test_pages_and_api_scope(org):
    record(org, org.staff)
    record(org, org.staff2)
    own = english_client(org.region, org.staff.user).get("/api/v1/appraisal/rewards-sanctions/").json()
    assert [r["employee_nip"] for r in own["results"]] == [org.staff.nip]
    assert english_client(org.region, org.auditor).get("/api/v1/appraisal/rewards-sanctions/").json()["count"] == 2
    refused = english_client(org.region, org.leadership).post(
        "/api/v1/appraisal/rewards-sanctions/", {"employee": org.staff.pk, "kind": "reward", "category": "incentive",
                                                 "starts_on": "2026-12-01", "duration_months": 1, "percent": "5"},
        content_type="application/json")
    assert refused.status_code == 403
    created = english_client(org.region, org.hr).post(
        "/api/v1/appraisal/rewards-sanctions/", {"employee": org.staff.pk, "kind": "reward", "category": "incentive",
                                                 "starts_on": "2026-12-09", "duration_months": 1, "percent": "5"},
        content_type="application/json")
    assert created.status_code == 201 and created.json()["starts_on"] == "2026-12-01"
    page = english_client(org.region, org.staff2.user).get("/appraisal/rewards-sanctions/").content.decode()
    assert org.staff2.nip in page and org.staff.nip not in page
