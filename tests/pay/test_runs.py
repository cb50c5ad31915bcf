"""Pay runs: the state machine, one open run per month, maker-checker, nothing changes after lock,
exact totals, resuming after a crash, adjustments in a later month."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum

from kinerja.audit.models import AuditEntry
from kinerja.pay import attendance, services
from kinerja.pay.models import PayLine, PayResult, PayRun, PayRunStatus
from kinerja.plugins.services import save_plugin_config
from kinerja_plugin_api.host import get_host
from tests.pay.factories import paid_staff_for_march, computed_run

MARCH = datetime.date(2025, 3, 1)
APRIL = datetime.date(2025, 4, 1)


@pytest.fixture
def staff(in_a, hr, unit):
    return paid_staff_for_march(hr, unit)


def test_totals_are_exact_sums(staff, hr):
    run = computed_run(MARCH, hr, chunk_size=5)
    assert run.total_employees == run.processed == PayResult.objects.filter(run=run).count() >= 12
    assert run.total_net == PayResult.objects.filter(run=run).aggregate(s=Sum("net"))["s"]
    for result in run.results.prefetch_related("lines"):
        lines = list(result.lines.all())
        assert result.earnings == sum(line.amount for line in lines if line.kind == "earning")
        assert result.deductions == sum(line.amount for line in lines if line.kind == "deduction")
        assert result.net == result.earnings - result.deductions
        assert all(isinstance(line.amount, int) for line in lines)


def test_reset_and_cancel_leave_no_line_behind(staff, hr):
    """Lines go with their results through the ORM (the database does not cascade them)."""
    run = computed_run(MARCH, hr, chunk_size=5)
    first = list(run.results.values_list("pk", flat=True))
    assert PayLine.objects.filter(result_id__in=first).count() >= len(first)
    run = services.reset_run(run, actor=hr, reason="attendance corrected")
    assert not PayLine.objects.filter(result_id__in=first).exists()
    services.start_run(run, actor=hr, enqueue=False, reason="Test data: not every input is complete.")
    run = services.compute_run(run.pk)
    second = list(run.results.values_list("pk", flat=True))
    services.cancel_run(run, actor=hr, reason="wrong month")
    assert not PayResult.objects.filter(pk__in=second).exists()
    assert not PayLine.objects.filter(result_id__in=second).exists()


def test_one_open_run_per_month_in_the_service_and_the_database(staff, hr):
    services.create_run(month=MARCH, actor=hr)
    with pytest.raises(ValidationError) as refused:
        services.create_run(month=datetime.date(2025, 3, 17), actor=hr)
    assert "month" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        PayRun.objects.create(month=MARCH)
    # a cancelled run frees the month
    services.cancel_run(PayRun.objects.get(month=MARCH), actor=hr, reason="wrong month")
    assert services.create_run(month=MARCH, actor=hr).status == PayRunStatus.DRAFT


def test_maker_cannot_approve_and_a_checker_can(staff, hr, checker):
    run = computed_run(MARCH, hr)
    with pytest.raises(PermissionDenied, match="another HR admin must approve"):
        services.approve_run(run, actor=hr)
    assert services.approve_run(run, actor=checker).status == PayRunStatus.APPROVED
    assert AuditEntry.objects.filter(action="pay.run_approved", target_id=str(run.pk), actor=checker).exists()


def test_nothing_changes_after_lock(staff, hr, checker):
    run = computed_run(MARCH, hr, approve_with=checker, lock=True)
    before = (run.total_net, list(PayLine.objects.filter(result__run=run).values_list("amount", flat=True)))
    for refused in (lambda: services.reset_run(run, actor=hr, reason="again"),
                    lambda: services.cancel_run(run, actor=hr, reason="again"),
                    lambda: services.approve_run(run, actor=checker),
                    lambda: services.start_run(run, actor=hr, enqueue=False, reason="Test data: not every input is complete."),
                    lambda: services.lock_run(run, actor=hr)):
        with pytest.raises(ValidationError):
            refused()
    # attendance of a locked month may be corrected, but the run stays as it was paid
    attendance.correct_attendance(employee=staff[0], date=datetime.date(2025, 3, 10), actor=hr, reason="lupa absen",
                                  status="absent")
    run.refresh_from_db()
    assert (run.total_net, list(PayLine.objects.filter(result__run=run).values_list("amount", flat=True))) == before


def test_correction_of_a_locked_month_is_paid_as_an_adjustment_next_month(staff, hr, checker):
    march = computed_run(MARCH, hr, approve_with=checker, lock=True)
    employee = staff[0]
    paid = march.results.get(employee=employee).net
    attendance.correct_attendance(employee=employee, date=datetime.date(2025, 3, 10), actor=hr,
                                  reason="ternyata tidak hadir", status="absent")
    adjustment = services.correct_locked_month(march, employee, actor=hr, reason="absen 10 Maret")
    assert adjustment.pay_month == APRIL and adjustment.amount < 0
    # asking again changes nothing: the difference is already carried
    assert services.correct_locked_month(march, employee, actor=hr, reason="again") is None
    april = computed_run(APRIL, hr)
    result = april.results.get(employee=employee)
    line = result.lines.get(code=f"KOREKSI_{adjustment.pk}")
    assert (line.kind, line.amount) == ("deduction", -adjustment.amount)
    assert line.sentences("id") == ["Koreksi TPP bulan sebelumnya (2025-03): absen 10 Maret"]
    assert line.sentences("en") == ["A correction of the TPP of an earlier month (2025-03): absen 10 Maret"]
    assert result.net == sum(l.amount if l.kind == "earning" else -l.amount
                             for l in result.lines.exclude(kind="contribution"))
    assert march.results.get(employee=employee).net == paid


def test_a_run_that_crashes_mid_way_resumes_with_the_same_totals(staff, hr, monkeypatch):
    clean = computed_run(MARCH, hr, chunk_size=4)
    clean_totals = dict(clean.results.values_list("employee_id", "net"))
    services.reset_run(clean, actor=hr, reason="crash test")
    run = PayRun.objects.get(pk=clean.pk)
    services.start_run(run, actor=hr, enqueue=False, reason="Test data: not every input is complete.")

    real_chunk, calls = services.compute_chunk, []

    def crash_on_third_chunk(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            real_chunk(*args, **kwargs)  # the chunk's rows are written, then the worker dies
            raise SystemExit("worker killed")
        return real_chunk(*args, **kwargs)

    monkeypatch.setattr(services, "compute_chunk", crash_on_third_chunk)
    with pytest.raises(SystemExit):
        services.compute_run(run.pk, chunk_size=4)
    run.refresh_from_db()
    assert run.status == PayRunStatus.COMPUTING and run.processed == 8
    assert run.results.count() == 8  # the third chunk was rolled back with its progress
    monkeypatch.setattr(services, "compute_chunk", real_chunk)
    run = services.compute_run(run.pk, chunk_size=4)
    assert run.status == PayRunStatus.COMPUTED
    assert dict(run.results.values_list("employee_id", "net")) == clean_totals


def test_a_resumed_run_keeps_the_configuration_version_it_started_with(staff, hr):
    run = services.create_run(month=MARCH, actor=hr)
    services.start_run(run, actor=hr, enqueue=False, reason="Test data: not every input is complete.")
    started_with = PayRun.objects.get(pk=run.pk).config_version_id
    config = get_host().config_schema("kinerja-tpp-bukittinggi").defaults()
    config["bonus_sangat_baik_percent"] = "50"
    save_plugin_config("kinerja-tpp-bukittinggi", get_host().config_schema("kinerja-tpp-bukittinggi").to_json(config),
                       actor=hr, reason="higher bonus")
    run = services.compute_run(run.pk)
    assert run.config_version_id == started_with
    assert run.status == PayRunStatus.COMPUTED


def test_a_plugin_failure_is_recorded_and_blocks_approval(staff, hr, checker, monkeypatch):
    from kinerja_plugin_api.pay import PayCalculator
    from kinerja_plugin_api.types import PluginFailure

    real = PayCalculator.compute

    def failing_for_one(self, pay_input, month):
        if pay_input.employee_id == staff[1].nip:
            return PluginFailure(self.plugin_name, self.plugin_version, self.config_version_id, pay_input.employee_id,
                                 "KeyError: 99")
        return real(self, pay_input, month)

    monkeypatch.setattr(PayCalculator, "compute", failing_for_one)
    run = computed_run(MARCH, hr)
    assert run.failed == 1
    failed = run.results.get(employee=staff[1])
    assert (failed.ok, failed.net, failed.lines.count()) == (False, 0, 0)
    # HR reads which plugin failed; the exception itself is for the failure log
    assert failed.error == (f"Not computed: plugin {run.plugin_name} failed; the operator and the vendor have "
                            "been notified.")
    with pytest.raises(ValidationError):
        services.approve_run(run, actor=checker)


def test_only_hr_manages_runs(staff, hr):
    from kinerja.accounts.models import Role
    from tests.factories import make_login

    for role in (Role.EMPLOYEE, Role.LEADERSHIP, Role.AUDITOR):
        with pytest.raises(PermissionDenied):
            services.create_run(month=MARCH, actor=make_login(role))
