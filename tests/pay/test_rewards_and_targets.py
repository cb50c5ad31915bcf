"""Rewards recorded in the appraisal reach pay where the region's rules pay them, and Kotalama's
public-service bonus no longer waits for a delivered rating (hook API 2.1)."""
import datetime

import pytest
from kinerja.appraisal.services import record_reward_sanction
from kinerja.pay import attendance, services
from kinerja.pay.models import PayRunStatus
from kinerja.pay.service_targets import set_service_target

from tests.factories import make_employee
from tests.pay.factories import attendance_csv, rate, use_pay_plugin

pytestmark = pytest.mark.django_db
MARCH = datetime.date(2025, 3, 1)


def _lines(hr, employee, month):
    batch = attendance.preview_import(content=attendance_csv(employee.nip, month, {}), filename="absen.csv",
                                      actor=hr)
    attendance.apply_import(batch, actor=hr)
    run = services.create_run(month=month, actor=hr)
    services.start_run(run, actor=hr, enqueue=False, reason="Inputs of this worked example are partial on purpose")
    run = services.compute_run(run.pk)
    assert run.status == PayRunStatus.COMPUTED and run.failed == 0
    result = run.results.get(employee=employee)
    return result, {line.code: line.amount for line in result.lines.all()}


def test_kotalama_pays_the_service_bonus_before_any_rating_is_delivered(in_a, hr, unit):
    use_pay_plugin("kinerja-tpp-kotalama", hr)
    employee = make_employee(unit, "Sari Kotalama", position_class=8)
    set_service_target(actor=hr, employee=employee, month=MARCH, targets=10, met_on_time=10)
    result, lines = _lines(hr, employee, MARCH)
    assert result.inputs["appraisal"] is None
    # no rating: both count as Sesuai (90%): 2,800,000 x 70% x 90% = 1,764,000; discipline 840,000;
    # all 10 targets met on time: bonus 2,800,000 x 5% = 140,000; BPJS on 2,744,000
    assert lines == {"TPP_KINERJA": 1_764_000, "TPP_DISIPLIN": 840_000, "BONUS_LAYANAN": 140_000,
                     "BPJS_1": 27_440, "BPJS_4": 109_760}
    assert result.inputs["service_targets"] == {"targets": 10, "met_on_time": 10}


def test_batanghari_pays_an_incentive_recorded_as_a_reward(in_a, hr, unit):
    use_pay_plugin("kinerja-tpp-batanghari", hr)
    employee = make_employee(unit, "Dedi Batanghari", position_class=6)
    rate(employee, year=2024, work_result="as_expected", behaviour="as_expected", predicate="baik")
    record_reward_sanction(actor=hr, employee=employee, kind="reward", category="incentive",
                           starts_on=MARCH, duration_months=1, percent=10, description="Best Puskesmas 2024")
    result, lines = _lines(hr, employee, MARCH)
    # base 2,300,000 (class 6): performance 60% x 100% = 1,380,000; discipline 920,000 (all days present);
    # incentive 10% of the base = 230,000; BPJS on 2,530,000
    assert lines == {"TPP_KINERJA": 1_380_000, "TPP_DISIPLIN": 920_000, "INSENTIF": 230_000,
                     "BPJS_1": 25_300, "BPJS_4": 101_200}
    assert result.inputs["rewards"] == [{"kind": "insentif", "percent": "10.00", "months": 1}]
    # April: the reward has ended, nothing more is paid
    april = datetime.date(2025, 4, 1)
    _result, lines = _lines(hr, employee, april)
    assert "INSENTIF" not in lines
