"""A real Celery worker computing a pay run is killed with SIGKILL mid-run; a second worker resumes the
run, which ends with exactly the totals of a clean run: no employee twice, none missing.

The data is committed (the worker is another process) in region B's schema and removed afterwards."""
import datetime
import os
import signal
import subprocess
import sys
import time
from urllib.parse import quote

import pytest
from django.db import connection
from django_tenants.utils import schema_context
from kombu import Connection

from kinerja.accounts.models import Role
from kinerja.pay import services
from kinerja.pay.models import AttendanceRecord, PayResult, PayRun, PayRunStatus, PaySettings
from kinerja.pay.tasks import compute_pay_run_task
from kinerja.people.models import Employee, Position, PositionKind, Unit

pytestmark = pytest.mark.worker
SCHEMA = "batanghari"
MONTH = datetime.date(2031, 1, 1)
EMPLOYEES = 3000
CHUNK = 20


def _database_url() -> str:
    s = connection.settings_dict
    host = s["HOST"] or "localhost"
    location = quote(host, safe="") if host.startswith("/") else f"{host}:{s['PORT'] or 5432}"
    credentials = s["USER"] + (f":{quote(s['PASSWORD'], safe='')}" if s["PASSWORD"] else "")
    return f"postgresql://{credentials}@{location}/{s['NAME']}"


@pytest.fixture
def committed_region(django_db_setup, django_db_blocker):
    """Employees, attendance, the plugin and a run, committed; removed at the end (except the audit
    trail, which is append-only, and the HR user it names)."""
    from django.contrib.auth import get_user_model

    from kinerja.plugins.models import PluginActivation, PluginConfigVersion
    from tests.pay.factories import use_pay_plugin

    with django_db_blocker.unblock(), schema_context(SCHEMA):
        url = _database_url()
        last_config = PluginConfigVersion.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        activations = dict(PluginActivation.objects.values_list("plugin_name", "enabled"))
        settings_before = services.pay_settings().chunk_size
    try:
        with django_db_blocker.unblock(), schema_context(SCHEMA):
            # the user stays afterwards: the audit trail (append-only) names them
            hr, _created = get_user_model().objects.get_or_create(
                username="pay-worker-hr", defaults={"role": Role.HR_ADMIN, "full_name": "HR Worker"})
            use_pay_plugin("kinerja-tpp-batanghari", hr)
            PaySettings.objects.filter(pk=1).update(chunk_size=CHUNK)
            unit = Unit.objects.create(code="PAY-WRK", name="Unit of the pay worker test")
            positions = [Position.objects.create(code=f"PAY-WRK-{c}", title=f"Jabatan {c}",
                                                 kind=PositionKind.EXECUTIVE, position_class=c) for c in range(1, 18)]
            employees = Employee.objects.bulk_create([
                Employee(nip=f"19900101201501{n:04d}", employee_type="PPPK" if n % 5 == 0 else "PNS",
                         full_name=f"Pegawai Uji {n}", gender="F", birth_date="1990-01-01",
                         rank="IX" if n % 5 == 0 else "III/b", unit=unit, position=positions[n % 17])
                for n in range(EMPLOYEES)])
            records = []
            for n, employee in enumerate(employees):
                for day in (MONTH + datetime.timedelta(days=d) for d in range(31)):
                    if day.weekday() < 5 and (n + day.day) % 11:
                        late = 20 + (n + day.day) % 50  # minutes after 07:00
                        records.append(AttendanceRecord(
                            employee=employee, date=day, check_in=datetime.time(7 + late // 60, late % 60),
                            check_out=datetime.time(16, 5) if (n + day.day) % 7 else datetime.time(15, 10)))
            AttendanceRecord.objects.bulk_create(records, batch_size=5000)
            run = services.create_run(month=MONTH, actor=hr)
        yield {"url": url, "run_id": run.pk, "hr": hr}
    finally:
        with django_db_blocker.unblock(), schema_context(SCHEMA):
            PayRun.objects.filter(month=MONTH).delete()
            AttendanceRecord.objects.filter(employee__unit__code="PAY-WRK").delete()
            Employee.objects.filter(unit__code="PAY-WRK").delete()
            Position.objects.filter(code__startswith="PAY-WRK-").delete()
            Unit.objects.filter(code="PAY-WRK").delete()
            for name, enabled in activations.items():
                PluginActivation.objects.filter(plugin_name=name).update(enabled=enabled)
            PluginActivation.objects.exclude(plugin_name__in=list(activations)).delete()
            PluginConfigVersion.objects.filter(pk__gt=last_config).delete()
            PaySettings.objects.filter(pk=1).update(chunk_size=settings_before)


def _start_worker(env):
    return subprocess.Popen([sys.executable, "-m", "celery", "-A", "kinerja", "worker", "--pool", "solo",
                             "--loglevel", "WARNING"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)


def _send(run_id, options):
    with Connection("filesystem://", transport_options=options) as broker, schema_context(SCHEMA):
        compute_pay_run_task.apply_async(args=[run_id], connection=broker)


def _run_row(run_id, django_db_blocker):
    with django_db_blocker.unblock(), schema_context(SCHEMA):
        return PayRun.objects.values("status", "processed", "total_employees", "total_net").get(pk=run_id)


def test_a_killed_worker_leaves_a_run_that_another_worker_finishes_exactly(committed_region, tmp_path,
                                                                             django_db_blocker):
    run_id, hr = committed_region["run_id"], committed_region["hr"]
    with django_db_blocker.unblock(), schema_context(SCHEMA):
        run = PayRun.objects.get(pk=run_id)
        services.start_run(run, actor=hr, enqueue=False, reason="Test data: not every input is complete.")
        clean = services.compute_run(run_id)
        clean_nets = dict(clean.results.values_list("employee_id", "net"))
        clean_total = clean.total_net
        services.reset_run(clean, actor=hr, reason="the same month again, through the workers")
        services.start_run(PayRun.objects.get(pk=run_id), actor=hr, enqueue=False, reason="Test data: not every input is complete.")
    assert len(clean_nets) >= EMPLOYEES

    queue = tmp_path / "broker" / "queue"
    queue.mkdir(parents=True)
    (tmp_path / "broker" / "processed").mkdir()
    options = {"data_folder_in": str(queue), "data_folder_out": str(queue),
               "processed_folder": str(tmp_path / "broker" / "processed")}
    env = {**os.environ, "DATABASE_URL": committed_region["url"], "KINERJA_DATA_DIR": str(tmp_path),
           "KINERJA_BROKER_DIR": str(tmp_path / "broker"), "CELERY_BROKER_URL": "filesystem://"}
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)

    first = _start_worker(env)
    try:
        _send(run_id, options)
        deadline = time.time() + 60
        row = _run_row(run_id, django_db_blocker)
        while time.time() < deadline and row["processed"] == 0:
            time.sleep(0.02)
            row = _run_row(run_id, django_db_blocker)
            assert first.poll() is None, first.stdout.read()
        os.kill(first.pid, signal.SIGKILL)
        first.wait(20)
    finally:
        if first.poll() is None:
            first.kill()
    killed = _run_row(run_id, django_db_blocker)
    assert killed["status"] == PayRunStatus.COMPUTING
    assert 0 < killed["processed"] < killed["total_employees"], "the worker must die mid-run"
    with django_db_blocker.unblock(), schema_context(SCHEMA):
        # what was committed is whole chunks: results exactly for the employees counted as processed
        assert PayResult.objects.filter(run_id=run_id).count() == killed["processed"]
        assert killed["processed"] % CHUNK == 0

    second = _start_worker(env)
    try:
        _send(run_id, options)
        deadline = time.time() + 120
        row = _run_row(run_id, django_db_blocker)
        while time.time() < deadline and row["status"] == PayRunStatus.COMPUTING:
            time.sleep(0.2)
            row = _run_row(run_id, django_db_blocker)
            assert second.poll() is None, second.stdout.read()
        if row["status"] == PayRunStatus.COMPUTING:
            second.terminate()
            pytest.fail("the second worker did not finish the run:\n" + second.communicate(timeout=20)[0])
    finally:
        second.terminate()
        second.wait(20)
    assert row["status"] == PayRunStatus.COMPUTED
    assert row["total_net"] == clean_total
    with django_db_blocker.unblock(), schema_context(SCHEMA):
        resumed = dict(PayResult.objects.filter(run_id=run_id).values_list("employee_id", "net"))
        assert PayResult.objects.filter(run_id=run_id).count() == len(clean_nets)  # no duplicates
        assert resumed == clean_nets  # none missing, each the same
