"""The run page says what is happening to a run that is tried again: after a database error, which attempt
comes next, when and why; after a dead worker, that it was sent again and which attempt that is. A chunk
committed again clears the waiting, and the API gives the same state."""
import datetime

import pytest
from django.db import OperationalError
from django.utils import timezone

from kinerja.pay import services, tasks
from kinerja.pay.models import PayRun, PayRunStatus
from kinerja.region import formats
from tests.factories import make_employee
from tests.helpers import client_for
from tests.pay.factories import computed_run, use_pay_plugin


def computing_run(month: int) -> PayRun:
    started = timezone.now() - datetime.timedelta(minutes=30)
    return PayRun.objects.create(month=datetime.date(2031, month, 1), status=PayRunStatus.COMPUTING,
                                 started_at=started, progress_at=started, total_employees=100, processed=40)


def english(client):
    client.cookies["django_language"] = "en"
    return client


def test_a_database_error_says_which_attempt_comes_when_and_why(in_a, hr, monkeypatch):
    run = computing_run(1)

    def server_gone(run_id):
        raise OperationalError("server closed the connection unexpectedly\n\tThis probably means ...")

    monkeypatch.setattr(services, "compute_run", server_gone)
    monkeypatch.setattr(tasks, "backoff_seconds", lambda retries: 8 * (retries + 1))
    before = timezone.now()
    with pytest.raises(OperationalError):  # called directly, the retry gives the error back
        tasks.compute_pay_run_task(run.pk)
    run.refresh_from_db()
    assert run.attempts == 1 and run.retry_reason == "database error: server closed the connection unexpectedly"
    assert before + datetime.timedelta(seconds=8) <= run.retry_at <= timezone.now() + datetime.timedelta(seconds=8)

    client = english(client_for(in_a, hr))
    for address in (f"/pay/runs/{run.pk}/", f"/pay/runs/{run.pk}/progress/"):
        page = client.get(address).content.decode()
        assert 'data-testid="retry"' in page and "Attempt 2 is coming" in page, address
        assert "server closed the connection unexpectedly" in page
        assert formats.time(run.retry_at, language="en") in page  # "16.00 WIB": the region's clock
    answer = client.get(f"/api/v1/pay-runs/{run.pk}/").json()
    assert answer["attempts"] == 1 and answer["retry_reason"] == run.retry_reason and answer["retry_at"]


def test_progress_clears_the_waiting_and_a_dead_workers_run_says_its_attempt(in_a, hr, monkeypatch,
                                                                             django_capture_on_commit_callbacks):
    run = computing_run(2)
    services.note_retry(run.pk, delay_seconds=4, error=OperationalError("connection refused"))
    monkeypatch.setattr(services, "enqueue_compute", lambda run_id: None)
    # the next try found no database either and the worker died: the sweeper sends the run again
    with django_capture_on_commit_callbacks(execute=True):
        assert services.resume_stalled_runs() == [run.pk]
    run.refresh_from_db()
    assert run.attempts == 2 and run.retry_at is None and run.retry_reason == ""
    page = english(client_for(in_a, hr)).get(f"/pay/runs/{run.pk}/").content.decode()
    assert 'data-stall="resuming"' in page and "Attempt 3." in page and 'data-testid="retry"' not in page



def test_a_chunk_committed_again_clears_the_waiting(in_a, hr, unit):
    use_pay_plugin("kinerja-tpp-bukittinggi", hr)
    for n in range(4):
        make_employee(unit, f"Pegawai {n}")
    run = computed_run(datetime.date(2025, 3, 1), hr)
    services.reset_run(run, actor=hr, reason="again")
    run = services.start_run(PayRun.objects.get(pk=run.pk), actor=hr, enqueue=False,
                             reason="Test data: not every input is complete.")
    services.note_retry(run.pk, delay_seconds=4, error=OperationalError(""))
    run.refresh_from_db()
    assert run.attempts == 1 and run.retry_reason == "database error" and run.retry_at
    finished = services.compute_run(run.pk, chunk_size=2)
    assert finished.status == PayRunStatus.COMPUTED
    finished.refresh_from_db()
    assert (finished.attempts, finished.retry_at, finished.retry_reason) == (1, None, "")


def test_a_run_not_computing_is_not_marked_and_reset_forgets_the_attempts(in_a, hr):
    run = computing_run(3)
    services.note_retry(run.pk, delay_seconds=4, error=OperationalError("gone"))
    PayRun.objects.filter(pk=run.pk).update(status=PayRunStatus.COMPUTED)
    services.reset_run(PayRun.objects.get(pk=run.pk), actor=hr, reason="inputs corrected")
    run.refresh_from_db()
    assert (run.attempts, run.retry_at, run.retry_reason) == (0, None, "")
    cancelled = computing_run(4)
    PayRun.objects.filter(pk=cancelled.pk).update(status=PayRunStatus.CANCELLED)
    services.note_retry(cancelled.pk, delay_seconds=4, error=OperationalError("gone"))
    assert PayRun.objects.get(pk=cancelled.pk).attempts == 0
