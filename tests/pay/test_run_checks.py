"""Checks before computing (what the plugin reads must be complete, or HR writes why it goes on) and the
month-on-month comparison before approval."""
from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from kinerja.accounts.models import Role
from kinerja.pay import attendance, checks, services
from kinerja.pay.models import BankAccount, PayRun

from tests.factories import make_employee, make_login
from tests.helpers import english_client as client_for
from tests.pay.factories import attendance_csv, computed_run, rate, use_pay_plugin

MARCH = datetime.date(2025, 3, 1)
APRIL = datetime.date(2025, 4, 1)


def give_attendance(hr, employees, month):
    for employee in employees:
        batch = attendance.preview_import(content=attendance_csv(employee.nip, month, {}),
                                          filename=f"{employee.nip}.csv", actor=hr)
        attendance.apply_import(batch, actor=hr)


def give_accounts(employees):
    for number, employee in enumerate(employees):
        BankAccount.objects.create(employee=employee, bank_code="118", account_number=f"21010400123{number:02d}",
                                   account_name=employee.full_name)


def test_a_month_without_attendance_cannot_be_computed_without_a_written_reason(in_a, hr, checker, unit):
    use_pay_plugin("kinerja-tpp-bukittinggi", hr)
    people = [make_employee(unit, f"Pegawai {n}") for n in range(2)]
    for person in people:
        rate(person, year=2024, work_result="as_expected", behaviour="as_expected", predicate="baik")
    give_accounts(people)
    run = services.create_run(month=MARCH, actor=hr)
    found = {f["code"]: f for f in checks.findings_for(run)}
    assert found["attendance_days"]["count"] == 21 and found["attendance_employees"]["count"] == 2
    assert found["attendance_days"]["link"] == "/pay/attendance/"
    assert "appraisal" not in found and "bank_accounts" not in found
    with pytest.raises(ValidationError) as refused:
        services.start_run(run, actor=hr, enqueue=False)
    assert "Attendance is imported for 0 of the 21 working days of March 2025" in refused.value.message_dict["reason"][0]
    assert PayRun.objects.get(pk=run.pk).status == "draft"
    page = client_for(in_a, hr).get(f"/pay/runs/{run.pk}/").content.decode()
    assert 'data-testid="run-checks"' in page and "Compute anyway" in page
    refused_api = client_for(in_a, hr).post(f"/api/v1/pay-runs/{run.pk}/start/", {}, content_type="application/json")
    assert refused_api.status_code == 400 and "reason" in refused_api.json()
    reason = "The attendance machine broke; HR confirmed everyone was present (memo 12/BKPSDM/2025)."
    started = services.start_run(run, actor=hr, enqueue=False, reason=reason)
    assert started.checks_reason == reason and started.checks[0]["code"] == "attendance_days"
    services.compute_run(run.pk)
    approver_page = client_for(in_a, checker).get(f"/pay/runs/{run.pk}/").content.decode()
    assert reason in approver_page and "Checks when computing started" in approver_page
    api = client_for(in_a, checker).get(f"/api/v1/pay-runs/{run.pk}/checks/").json()
    assert api["reason"] == reason and api["findings"][0]["count"] == 21


def test_a_complete_month_computes_without_a_reason(in_a, hr, unit):
    use_pay_plugin("kinerja-tpp-bukittinggi", hr)
    people = [make_employee(unit, f"Pegawai {n}") for n in range(2)]
    for person in people:
        rate(person, year=2024, work_result="as_expected", behaviour="as_expected", predicate="baik")
    give_accounts(people)
    give_attendance(hr, people, MARCH)
    run = services.create_run(month=MARCH, actor=hr)
    assert checks.gaps(checks.findings_for(run)) == []
    assert services.start_run(run, actor=hr, enqueue=False).checks_reason == ""


def test_ratings_leave_and_bank_accounts_are_gaps_too(in_a, hr, unit):
    use_pay_plugin("kinerja-tpp-bukittinggi", hr)
    rated, unrated = make_employee(unit, "Rated"), make_employee(unit, "Unrated")
    on_leave = make_employee(unit, "On leave", status="on_leave")
    rate(rated, year=2024, work_result="as_expected", behaviour="as_expected", predicate="baik")
    give_attendance(hr, [rated, unrated, on_leave], MARCH)
    found = {f.code: f for f in checks.before_run(MARCH, "kinerja-tpp-bukittinggi")}
    assert found["appraisal"].count == 2 and found["appraisal"].link == "/appraisal/calibration/"
    assert found["status"].count == 1
    assert found["bank_accounts"].count == 3 and found["bank_accounts"].link == "/pay/bank-accounts/"
    # a plugin that reads no appraisal is not held up by missing ratings
    assert "appraisal" not in {f.code for f in checks.before_run(MARCH, "kinerja-tpp-kotalama")} or \
        "appraisal" in checks.plugin_reads("kinerja-tpp-kotalama")


def test_month_on_month_flags_outliers_and_a_moved_total(in_a, hr, checker, unit):
    use_pay_plugin("kinerja-tpp-bukittinggi", hr)
    steady, dropped = make_employee(unit, "Steady"), make_employee(unit, "Dropped")
    for person in (steady, dropped):
        rate(person, year=2024, work_result="as_expected", behaviour="as_expected", predicate="baik")
    give_accounts([steady, dropped])
    give_attendance(hr, [steady, dropped], MARCH)
    computed_run(MARCH, hr, approve_with=checker)
    give_attendance(hr, [steady], APRIL)  # Dropped has no attendance in April: absent every day
    april = computed_run(APRIL, hr)
    settings = services.pay_settings()
    comparison = checks.month_on_month(april, settings)
    assert [row["nip"] for row in comparison.outliers] == [dropped.nip]
    assert comparison.outliers[0]["change_percent"] < -settings.outlier_employee_percent
    assert comparison.total_flagged
    settings.outlier_total_percent = 99
    settings.save()
    assert not checks.month_on_month(april, settings).total_flagged
    page = client_for(in_a, checker).get(f"/pay/runs/{april.pk}/").content.decode()
    assert 'data-testid="outliers"' in page and dropped.nip in page


def test_a_new_region_without_a_pay_plugin_is_told_first_to_enable_one(in_a, hr, unit):
    make_employee(unit, "Pegawai Baru")
    run = services.create_run(month=MARCH, actor=hr)
    findings = checks.findings_for(run)
    assert findings[0]["code"] == "pay_plugin" and findings[0]["link"] == "/plugins/"
    page = client_for(in_a, hr).get(f"/pay/runs/{run.pk}/").content.decode()
    assert "No pay (TPP) plugin is enabled" in page
    use_pay_plugin("kinerja-tpp-bukittinggi", hr)
    assert "pay_plugin" not in {f["code"] for f in checks.findings_for(run)}


def test_hr_sets_the_outlier_limits_on_the_page_and_the_api_and_nobody_else_does(in_a, hr, checker, unit):
    page = client_for(in_a, hr)
    assert 'data-testid="outlier-form"' in page.get("/pay/calendar/").content.decode()
    page.post("/pay/settings/", {"action": "outliers", "employee_percent": "40", "total_percent": "15"})
    settings = services.pay_settings()
    assert (settings.outlier_employee_percent, settings.outlier_total_percent) == (40, 15)
    refused = page.post("/pay/settings/", {"action": "outliers", "employee_percent": "0", "total_percent": "lots"},
                        follow=True).content.decode()
    assert "Between 1 and 1000 percent." in refused and "Enter a whole number of percent" in refused
    settings.refresh_from_db()
    assert (settings.outlier_employee_percent, settings.outlier_total_percent) == (40, 15)  # nothing half-saved

    api = client_for(in_a, hr)
    saved = api.post("/api/v1/pay/settings/outlier-limits/",
                     {"outlier_employee_percent": 30, "outlier_total_percent": 12}, content_type="application/json")
    assert saved.status_code == 200 and saved.json()["outlier_employee_percent"] == 30
    bad = api.post("/api/v1/pay/settings/outlier-limits/",
                   {"outlier_employee_percent": 5000, "outlier_total_percent": 12}, content_type="application/json")
    assert bad.status_code == 400 and "outlier_employee_percent" in bad.json()
    for role in (Role.LEADERSHIP, Role.AUDITOR, Role.EMPLOYEE):
        other = client_for(in_a, make_login(role, f"limits-{role}", "Orang Lain"))
        response = other.post("/api/v1/pay/settings/outlier-limits/",
                              {"outlier_employee_percent": 99, "outlier_total_percent": 99},
                              content_type="application/json")
        assert response.status_code == 403, role
        other.post("/pay/settings/", {"action": "outliers", "employee_percent": "99", "total_percent": "99"})
    assert api.get("/api/v1/pay/settings/").json()["outlier_total_percent"] == 12


def test_whoever_changed_the_calendar_after_computing_does_not_approve(in_a, hr, checker, unit):
    """A holiday added by the approver after the run was computed turns absences into days off: the
    approver changed what the run reads, so another HR admin approves."""
    use_pay_plugin("kinerja-tpp-bukittinggi", hr)
    person = make_employee(unit, "Pegawai Kalender")
    rate(person, year=2024, work_result="as_expected", behaviour="as_expected", predicate="baik")
    give_accounts([person])
    give_attendance(hr, [person], MARCH)
    run = computed_run(MARCH, hr)
    services.add_holiday(actor=checker, date=datetime.date(2025, 3, 14), name="Hari libur tambahan")
    with pytest.raises(PermissionDenied, match="changed this run's inputs"):
        services.approve_run(run, actor=checker)


def test_a_region_with_no_one_to_pay_cannot_compute_even_with_a_reason(in_a, hr, unit):
    use_pay_plugin("kinerja-tpp-bukittinggi", hr)
    make_employee(unit, "Retired", status="retired")
    run = services.create_run(month=MARCH, actor=hr)
    found = {f["code"]: f for f in checks.findings_for(run)}
    assert found["no_employees"]["link"] == "/people/imports/"
    assert found["no_employees"]["blocking"] and not found["no_employees"]["waivable"]
    with pytest.raises(ValidationError) as refused:
        services.start_run(run, actor=hr, enqueue=False, reason="Compute it anyway, please.")
    assert "there is no one to pay" in refused.value.message_dict["status"][0]
    assert PayRun.objects.get(pk=run.pk).status == "draft"
    page = client_for(in_a, hr).get(f"/pay/runs/{run.pk}/").content.decode()
    assert "import the region&#x27;s employees first" in page and "Compute anyway" not in page
    refused_api = client_for(in_a, hr).post(f"/api/v1/pay-runs/{run.pk}/start/", {"reason": "anyway"},
                                            content_type="application/json")
    assert refused_api.status_code == 400 and "no one to pay" in str(refused_api.json())
