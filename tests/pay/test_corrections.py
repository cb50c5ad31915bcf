"""Corrections of a locked month reach the next run as an adjustment line per affected employee (new minus
paid), explained on the payslip; the page and the API make them; the maker of an adjustment made after a
run was computed does not approve that run."""
from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from kinerja.accounts.models import Role
from kinerja.pay import attendance, services
from kinerja.pay.models import PayAdjustment

from tests.factories import make_employee, make_login
from tests.helpers import english_client as client_for
from tests.pay.factories import attendance_csv, computed_run, rate, use_pay_plugin

MARCH = datetime.date(2025, 3, 1)
APRIL = datetime.date(2025, 4, 1)
ABSENT_DAY = datetime.date(2025, 3, 12)  # a Wednesday, not a holiday


@pytest.fixture
def locked_march(in_a, hr, checker, unit):
    use_pay_plugin("kinerja-tpp-bukittinggi", hr)
    wrongly_absent = make_employee(unit, "Wrongly Absent", position_class=7)
    untouched = make_employee(unit, "Untouched", position_class=7)
    for person in (wrongly_absent, untouched):
        rate(person, year=2024, work_result="as_expected", behaviour="as_expected", predicate="baik")
    files = [(wrongly_absent, attendance_csv(wrongly_absent.nip, MARCH, {ABSENT_DAY: None})),
             (untouched, attendance_csv(untouched.nip, MARCH, {}))]
    for person, content in files:
        attendance.apply_import(attendance.preview_import(content=content, filename=f"{person.nip}.csv", actor=hr),
                                actor=hr)
    run = computed_run(MARCH, hr, approve_with=checker, lock=True)
    return run, wrongly_absent, untouched


def test_a_corrected_absence_is_paid_next_month_as_new_minus_paid(in_a, hr, checker, locked_march):
    run, employee, untouched = locked_march
    assert services.correction_preview(run, actor=hr) == []  # nothing corrected yet
    attendance.correct_attendance(employee=employee, date=ABSENT_DAY, actor=hr, status="present",
                                  check_in=datetime.time(7, 20), check_out=datetime.time(16, 10),
                                  reason="Fingerprint machine was down; signed attendance list")
    lines = services.correction_preview(run, actor=hr)
    assert [line.nip for line in lines] == [employee.nip]
    # class 7: base Rp2,700,000, discipline part 40% = Rp1,080,000; one absent day cost 3% of it = Rp32,400,
    # and BPJS 1% withheld on Rp2,667,600 (Rp26,676) becomes 1% of Rp2,700,000 (Rp27,000): Rp324 more.
    assert lines[0].difference == 32_400 - 324 == 32_076
    with pytest.raises(ValidationError, match="reason"):
        services.apply_corrections(run, actor=hr, reason="")
    made = services.apply_corrections(run, actor=hr, reason="Absence of 12 March corrected")
    assert [(a.employee_id, a.amount, a.pay_month) for a in made] == [(employee.pk, 32_076, APRIL)]
    assert services.correction_preview(run, actor=hr) == []  # corrected once, never twice
    april = computed_run(APRIL, hr)
    result = april.results.get(employee=employee)
    line = result.lines.get(code=f"KOREKSI_{made[0].pk}")
    assert (line.kind, line.amount) == ("earning", 32_076)
    assert "Absence of 12 March corrected" in line.explanation_english
    assert "2025-03" in line.explanation_indonesian
    assert not april.results.get(employee=untouched).lines.filter(code__startswith="KOREKSI_").exists()
    assert result.net == april.results.get(employee=untouched).net + 32_076  # same month otherwise


def test_the_maker_of_an_adjustment_after_computing_does_not_approve(in_a, hr, checker, locked_march):
    run, employee, _untouched = locked_march
    april = computed_run(APRIL, hr)
    attendance.correct_attendance(employee=employee, date=ABSENT_DAY, actor=checker, status="present",
                                  check_in=datetime.time(7, 20), check_out=datetime.time(16, 10), reason="list")
    with pytest.raises(PermissionDenied, match="changed this run's inputs"):
        services.approve_run(april, actor=checker)


def test_corrections_page_and_api(in_a, hr, checker, locked_march):
    run, employee, _untouched = locked_march
    attendance.correct_attendance(employee=employee, date=ABSENT_DAY, actor=hr, status="sick", reason="doctor's note")
    page = client_for(in_a, hr).get(f"/pay/runs/{run.pk}/corrections/").content.decode()
    assert employee.nip in page and 'data-testid="corrections"' in page
    api = client_for(in_a, hr)
    preview = api.get(f"/api/v1/pay-runs/{run.pk}/corrections/").json()
    assert [row["nip"] for row in preview["affected"]] == [employee.nip]
    assert preview["affected"][0]["adjustment"] == 32_076
    made = api.post(f"/api/v1/pay-runs/{run.pk}/corrections/", {"reason": "Sick, with a doctor's note"},
                    content_type="application/json")
    assert made.status_code == 201 and len(made.json()["made"]) == 1 and made.json()["affected"] == []
    assert PayAdjustment.objects.get().amount == 32_076
    for role in (Role.LEADERSHIP, Role.AUDITOR):
        reader = make_login(role, f"corr-{role}", "Reader")
        assert client_for(in_a, reader).get(f"/pay/runs/{run.pk}/corrections/").status_code == 403
        assert client_for(in_a, reader).post(f"/api/v1/pay-runs/{run.pk}/corrections/", {"reason": "x"},
                                             content_type="application/json").status_code == 403


def test_an_unlocked_run_is_not_corrected_through_adjustments(in_a, hr, checker, unit):
    use_pay_plugin("kinerja-tpp-bukittinggi", hr)
    make_employee(unit, "Someone")
    run = computed_run(MARCH, hr)
    with pytest.raises(ValidationError, match="Only a locked run"):
        services.correction_preview(run, actor=hr)
