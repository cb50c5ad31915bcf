"""Stalled runs: a computing run whose progress has stood still past the threshold (its worker died and
the broker lost the message) is sent to the workers again by the sweeper, with an audit entry; a run
that is advancing, already sent again within the threshold, or not computing is left alone. The
sweeper is called directly, without a worker."""
import datetime

import pytest
from django.utils import timezone

from kinerja.audit.models import AuditEntry
from kinerja.pay import selectors, services
from kinerja.pay.models import PayRun, PayRunStatus
from tests.factories import make_employee
from tests.helpers import client_for
from tests.pay.factories import computed_run, use_pay_plugin

NOW = timezone.now()


def _run(month: int, *, status=PayRunStatus.COMPUTING, progress_minutes_ago=None, resumed_minutes_ago=None,
         now=None):
    now = now or NOW
    ago = lambda minutes: None if minutes is None else now - datetime.timedelta(minutes=minutes)  # noqa: E731
    return PayRun.objects.create(month=datetime.date(2030, month, 1), status=status, started_at=ago(60),
                                 progress_at=ago(progress_minutes_ago), resume_requested_at=ago(resumed_minutes_ago),
                                 total_employees=100, processed=40)


@pytest.fixture
def sent(monkeypatch):
    calls = []
    monkeypatch.setattr(services, "enqueue_compute", calls.append)
    return calls


def test_the_sweeper_resends_only_runs_whose_progress_stood_still(in_a, sent, settings,
                                                                   django_capture_on_commit_callbacks):
    settings.KINERJA_PAY_STALL_SECONDS = 600
    fresh = _run(1, progress_minutes_ago=2)
    stale = _run(2, progress_minutes_ago=15)
    never_advanced = _run(3)  # started an hour ago, no chunk committed since
    just_resent = _run(4, progress_minutes_ago=30, resumed_minutes_ago=3)
    resent_long_ago = _run(5, progress_minutes_ago=40, resumed_minutes_ago=25)
    progressed_after_resend = _run(6, progress_minutes_ago=1, resumed_minutes_ago=12)
    finished = _run(7, status=PayRunStatus.COMPUTED, progress_minutes_ago=120)

    with django_capture_on_commit_callbacks(execute=True):
        resumed = services.resume_stalled_runs(now=NOW)
    expected = [stale.pk, never_advanced.pk, resent_long_ago.pk]
    assert resumed == expected and sent == expected
    for run in (fresh, just_resent, progressed_after_resend, finished):
        run.refresh_from_db()
    assert fresh.resume_requested_at is None and finished.resume_requested_at is None
    assert just_resent.resume_requested_at == NOW - datetime.timedelta(minutes=3)

    entries = AuditEntry.objects.filter(action="pay.run_stalled_resumed")
    assert sorted(int(e.target_id) for e in entries) == sorted(expected)
    entry = entries.get(target_id=str(stale.pk))
    assert entry.actor is None and entry.after["processed"] == 40 and "600 seconds" in entry.reason

    # the next sweep, minutes later, does not pile up messages for the same runs
    with django_capture_on_commit_callbacks(execute=True):
        assert services.resume_stalled_runs(now=NOW + datetime.timedelta(minutes=5)) == []
    assert sent == expected


def test_by_default_a_run_whose_worker_died_is_resent_within_a_minute(in_a, sent, django_capture_on_commit_callbacks):
    """The default threshold (45 s) plus the sweep interval (15 s) stay within a minute."""
    from django.conf import settings as django_settings

    beat = django_settings.CELERY_BEAT_SCHEDULE["pay-resume-stalled-runs"]["schedule"]
    assert selectors.stall_threshold() + beat <= datetime.timedelta(minutes=1)
    working = _run(1, progress_minutes_ago=0.25)
    died = _run(2, progress_minutes_ago=0.8)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.resume_stalled_runs(now=NOW) == [died.pk]
    assert working.pk not in sent


def test_the_threshold_is_a_setting(in_a, sent, settings, django_capture_on_commit_callbacks):
    settings.KINERJA_PAY_STALL_SECONDS = 30 * 60
    _run(1, progress_minutes_ago=15)
    late = _run(2, progress_minutes_ago=45)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.resume_stalled_runs(now=NOW) == [late.pk]


def test_a_resumed_run_finishes_and_a_progressing_run_is_no_longer_stalled(in_a, hr, unit, sent,
                                                                             django_capture_on_commit_callbacks):
    use_pay_plugin("kinerja-tpp-bukittinggi", hr)
    for n in range(5):
        make_employee(unit, f"Pegawai {n}")
    clean = computed_run(datetime.date(2025, 3, 1), hr)
    totals = dict(clean.results.values_list("employee_id", "net"))
    services.reset_run(clean, actor=hr, reason="again")
    run = services.start_run(PayRun.objects.get(pk=clean.pk), actor=hr, enqueue=False, reason="Test data: not every input is complete.")
    later = run.started_at + datetime.timedelta(minutes=11)
    assert selectors.stall_state(run, now=later) == "stalled"
    with django_capture_on_commit_callbacks(execute=True):
        assert services.resume_stalled_runs(now=later) == [run.pk]
    run.refresh_from_db()
    assert selectors.stall_state(run, now=later) == "resuming"
    # the worker takes the message: the run goes on where it stood and ends as a clean run would
    finished = services.compute_run(sent[0], chunk_size=2)
    assert finished.status == PayRunStatus.COMPUTED and finished.progress_at >= run.started_at
    assert dict(finished.results.values_list("employee_id", "net")) == totals
    assert selectors.stall_state(finished) == ""


def test_the_run_page_says_stalled_resuming(in_a, hr, sent, settings, django_capture_on_commit_callbacks):
    # The pages read the real clock, so these runs are placed against it (not the module's NOW, which a
    # long suite on a busy machine leaves many minutes behind); the wide threshold leaves room for a slow page.
    settings.KINERJA_PAY_STALL_SECONDS = 600
    now = timezone.now()
    stale = _run(1, progress_minutes_ago=15, now=now)
    fresh = _run(2, progress_minutes_ago=1, now=now)
    with django_capture_on_commit_callbacks(execute=True):
        services.resume_stalled_runs()
    client = client_for(in_a, hr)
    page = client.get(f"/pay/runs/{stale.pk}/")
    assert page.status_code == 200 and b'data-stall="resuming"' in page.content
    assert b'data-stall="resuming"' in client.get(f"/pay/runs/{stale.pk}/progress/").content
    assert b'data-testid="stall"' not in client.get(f"/pay/runs/{fresh.pk}/").content
    assert client.get(f"/api/v1/pay-runs/{stale.pk}/").json()["stall"] == "resuming"


def test_a_database_error_inside_the_task_is_retried_and_the_run_finishes(in_a, monkeypatch):
    """The server drops the connection once: the task runs again (Celery eager here) instead of failing."""
    from django.db import OperationalError

    from kinerja.celery import app
    from kinerja.pay import tasks

    calls = []

    def flaky(run_id):
        calls.append(run_id)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return PayRun(processed=7)

    monkeypatch.setattr(services, "compute_run", flaky)
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        result = tasks.compute_pay_run_task.apply(args=[42])
    finally:
        app.conf.task_always_eager = previous
    assert result.get() == 7 and calls == [42, 42]
