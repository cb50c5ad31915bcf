"""Each first-party pay plugin end to end: an attendance export is imported, a run computes, and the
result holds the rupiah of the plugin's README worked example (figures written out below). Sanctions are
recorded through the appraisal app, whose selector the pay run reads; Kotalama's public-service targets
are entered by HR in the pay module, whose run hands them to the plugin with the appraisal result."""
import datetime

import pytest

from kinerja.appraisal.services import record_reward_sanction
from kinerja.pay import attendance, services
from kinerja.pay.explain import explain
from kinerja.pay.models import PayRunStatus
from kinerja.region.models import Holiday
from kinerja.pay.service_targets import set_service_target
from tests.factories import make_employee, make_login, make_unit
from tests.helpers import in_region
from tests.pay.factories import attendance_csv, rate, use_pay_plugin

MARCH = datetime.date(2025, 3, 1)
APRIL = datetime.date(2025, 4, 1)
D = datetime.date


def _pay(hr, checker, employee, month, csv_bytes):
    batch = attendance.preview_import(content=csv_bytes, filename="mesin-absen.csv", actor=hr)
    assert batch.errors == []
    attendance.apply_import(batch, actor=hr)
    run = services.create_run(month=month, actor=hr)
    services.start_run(run, actor=hr, enqueue=False, reason="Test data: not every input is complete.")
    run = services.compute_run(run.pk)
    assert run.status == PayRunStatus.COMPUTED and run.failed == 0
    result = run.results.get(employee=employee)
    lines = {line.code: line.amount for line in result.lines.all()}
    return run, result, lines


def test_bukittinggi(in_a, hr, checker, unit):
    use_pay_plugin("kinerja-tpp-bukittinggi", hr)
    employee = make_employee(unit, "Rina Bukittinggi", position_class=9)
    rate(employee, year=2024, work_result="above", behaviour="above", predicate="sangat_baik")
    csv_bytes = attendance_csv(employee.nip, MARCH, {
        D(2025, 3, 3): ("2025-03-03T00:45:00Z", "16:05", "HADIR"),  # 07:45 WIB, given in UTC by an app: TL1
        D(2025, 3, 4): ("08:00", "16:05", "HADIR"),  # 30 minutes: still TL1
        D(2025, 3, 5): ("", "", "ALPA"),  # absent without reason
        D(2025, 3, 7): ("07:25", "15:45", "HADIR"),  # Friday ends 16:30: 45 minutes early, PSW2
    })
    run, result, lines = _pay(hr, checker, employee, MARCH, csv_bytes)
    assert result.inputs["attendance"] == {
        "working_days": 21, "days_present": 20, "absent_without_reason": 1, "late": [2, 0, 0, 0],
        "early_leave": [0, 1, 0, 0], "leave_days": 0, "sick_days": 0, "official_duty_days": 0, "missed_assemblies": 0}
    assert lines == {"TPP_KINERJA": 2_040_000, "TPP_DISIPLIN": 1_360_000, "BONUS_SANGAT_BAIK": 340_000,
                     "POT_DISIPLIN": 68_000, "BPJS_1": 36_720, "BPJS_4": 146_880}
    assert (result.earnings, result.deductions, result.contributions, result.net) == (
        3_740_000, 104_720, 146_880, 3_635_280)
    assert run.total_net == 3_635_280
    assert (run.plugin_name, run.plugin_version) == ("kinerja-tpp-bukittinggi", "1.1.0")
    assert run.config_version_id is not None


def test_batanghari(region_b):
    with in_region(region_b):
        hr = make_login("hr_admin")
        use_pay_plugin("kinerja-tpp-batanghari", hr)
        unit = make_unit("PAY-BH", "Dinas Kominfo")
        employee = make_employee(unit, "Dedi Batanghari", position_class=6, employee_type="PPPK", rank="IX")
        rate(employee, year=2024, work_result="below", behaviour="as_expected", predicate="butuh_perbaikan")
        record_reward_sanction(actor=hr, employee=employee, kind="sanction", category="verbal_warning",
                               severity="light", starts_on=D(2025, 3, 1), duration_months=2, percent=10)
        record_reward_sanction(actor=hr, employee=employee, kind="sanction", category="postponed_increment",
                               severity="medium", starts_on=D(2025, 4, 1), duration_months=6, percent=25)
        # April 2025: 22 working days; 18 present (two of them TL3), 1 official duty, 1 sick, 2 absent
        csv_bytes = attendance_csv(employee.nip, APRIL, {
            D(2025, 4, 2): ("08:35", "16:05", "HADIR"),  # 65 minutes late: TL3
            D(2025, 4, 3): ("09:00", "16:05", "HADIR"),  # 90 minutes: TL3
            D(2025, 4, 8): ("", "", "DL"),
            D(2025, 4, 9): ("", "", "SAKIT"),
            D(2025, 4, 10): ("", "", "ALPA"),
            D(2025, 4, 11): None,  # no row at all: absent without reason
        })
        run, result, lines = _pay(hr, None, employee, APRIL, csv_bytes)
    assert result.inputs["attendance"]["working_days"] == 22
    assert result.inputs["attendance"]["days_present"] == 18
    # base 2,300,000 x 80% = 1,840,000; performance 1,840,000 x 60% x 70%; discipline 736,000 x 20/22;
    # the light sanction is coaching only, the medium one cuts 25% of the base
    assert lines == {"TPP_KINERJA": 772_800, "TPP_DISIPLIN": 669_091, "POT_TL_PSW": 18_400, "POT_HUKDIS": 460_000,
                     "BPJS_1": 9_635, "BPJS_4": 38_540}
    assert result.net == 953_856
    assert result.inputs["sanctions"] == [
        {"kind": "teguran lisan", "severity": "ringan", "percent": "10.00", "months": 2},
        {"kind": "postponed increment", "severity": "sedang", "percent": "25.00", "months": 6}]


def test_kotalama(in_a, hr, unit):
    use_pay_plugin("kinerja-tpp-kotalama", hr)
    employee = make_employee(unit, "Sari Kotalama", position_class=8)
    rate(employee, year=2024, work_result="above", behaviour="as_expected", predicate="baik")
    set_service_target(actor=hr, employee=employee, month=MARCH, targets=10, met_on_time=10)
    csv_bytes = attendance_csv(employee.nip, MARCH, {
        D(2025, 3, 12): ("08:10", "16:05", "HADIR"),  # 40 minutes: TL2
        D(2025, 3, 13): ("", "16:05", "HADIR"),  # present without a check-in: TL4
    })
    run, result, lines = _pay(hr, None, employee, MARCH, csv_bytes)
    # base 2,800,000 (class 8); performance 2,800,000 x 70% x (60% x 100 + 40% x 90 = 96%) = 1,881,600;
    # discipline 2,800,000 x 30% = 840,000; 10 of 10 targets met on time (100%, the threshold):
    # bonus 2,800,000 x 5% = 140,000; deduction 2,800,000 x (1% TL2 + 2% TL4) = 84,000;
    # after deductions 1,881,600 + 840,000 + 140,000 - 84,000 = 2,777,600: BPJS 1% = 27,776, 4% = 111,104;
    # take-home 2,861,600 - 84,000 - 27,776 = 2,749,824
    assert lines == {"TPP_KINERJA": 1_881_600, "TPP_DISIPLIN": 840_000, "BONUS_LAYANAN": 140_000,
                     "POT_DISIPLIN": 84_000, "BPJS_1": 27_776, "BPJS_4": 111_104}
    assert result.net == 2_749_824
    assert result.inputs["appraisal"]["service_targets"] == 10
    assert result.inputs["appraisal"]["service_targets_met_on_time"] == 10
    bonus = next(line for line in explain(result)["lines"] if line.code == "BONUS_LAYANAN")
    assert "10 of your 10 public-service targets this month were met on time." in bonus.sentences


def test_kotalama_without_every_target_met_on_time_pays_no_bonus(in_a, hr, unit):
    use_pay_plugin("kinerja-tpp-kotalama", hr)
    employee = make_employee(unit, "Sari Kotalama", position_class=8)
    rate(employee, year=2024, work_result="above", behaviour="as_expected", predicate="baik")
    set_service_target(actor=hr, employee=employee, month=MARCH, targets=10, met_on_time=9)
    run, result, lines = _pay(hr, None, employee, MARCH, attendance_csv(employee.nip, MARCH, {
        D(2025, 3, 12): ("08:10", "16:05", "HADIR"), D(2025, 3, 13): ("", "16:05", "HADIR")}))
    # 9 of 10 is 90%, under the 100% threshold: the example without its bonus line; after deductions
    # 2,637,600, BPJS 26,376 and 105,504
    assert lines == {"TPP_KINERJA": 1_881_600, "TPP_DISIPLIN": 840_000, "POT_DISIPLIN": 84_000,
                     "BPJS_1": 26_376, "BPJS_4": 105_504}
    assert result.net == 2_611_224


def test_tebingtinggi(in_a, hr, unit):
    use_pay_plugin("kinerja-tpp-tebingtinggi", hr)
    Holiday.objects.create(date=D(2025, 3, 31), name="Idul Fitri 1446 H")  # March 2025: 20 working days
    employee = make_employee(unit, "Budi Tebingtinggi", position_class=7)
    rate(employee, year=2024, work_result="as_expected", behaviour="as_expected", predicate="baik")
    record_reward_sanction(actor=hr, employee=employee, kind="sanction", category="written_warning",
                           severity="light", starts_on=D(2025, 3, 1), duration_months=1, percent=20)
    special = {D(2025, 3, day): ("07:40", "16:05", "HADIR") for day in (3, 4, 5, 6, 10)}  # TL1 x 5
    special[D(2025, 3, 11)] = ("07:25", "14:50", "HADIR")  # 70 minutes early: PSW3
    special[D(2025, 3, 12)] = ("07:25", "16:05", "HADIR", "T")  # missed the morning assembly
    special[D(2025, 3, 17)] = ("", "", "ALPA")
    special[D(2025, 3, 18)] = ("", "", "A")
    csv_bytes = attendance_csv(employee.nip, MARCH, special, skip={D(2025, 3, 31)})
    run, result, lines = _pay(hr, None, employee, MARCH, csv_bytes)
    assert result.inputs["attendance"]["working_days"] == 20
    # absence 1,000,000 x 2/20; lateness and assembly 1,000,000 x (5 x 0.2% + 0.5% + 2%); a light sanction
    # costs 10% of the base by severity (the decision's own 20% is not used under the default settings)
    assert lines == {"TPP_KINERJA": 1_350_000, "TPP_DISIPLIN": 1_000_000, "POT_ALPA": 100_000,
                     "POT_TL_PSW_APEL": 35_000, "POT_HUKDIS": 250_000, "BPJS_1": 19_650, "BPJS_4": 78_600}
    assert result.net == 1_945_350


@pytest.mark.parametrize("plugin", ["kinerja-tpp-bukittinggi", "kinerja-tpp-kotalama"])
def test_employee_without_appraisal_or_attendance_is_paid_by_the_plugins_rule(in_a, hr, unit, plugin):
    use_pay_plugin(plugin, hr)
    employee = make_employee(unit, "Tanpa Data", position_class=9)
    run = services.create_run(month=MARCH, actor=hr)
    services.start_run(run, actor=hr, enqueue=False, reason="Test data: not every input is complete.")
    run = services.compute_run(run.pk)
    result = run.results.get(employee=employee)
    assert result.inputs["appraisal"] is None
    assert result.inputs["attendance"]["absent_without_reason"] == 21  # no record on any working day
