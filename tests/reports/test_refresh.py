"""The refresh: one Celery task per region sent from inside that region's schema; a failing region is
retried, then reported, and the others are refreshed all the same."""
import pytest
from django.db import connection

from kinerja.celery import app
from kinerja import jobs
from kinerja.reports import services, tasks
from kinerja.reports.collectors import COLLECTORS, Collected, Collector
from kinerja.reports.models import RefreshRun, RegionRefresh, RegionSnapshot, RunStatus
from tenants.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager_celery():
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def failing_in(schema: str, *, times: int | None = None):
    """A collector that raises in one region's schema (every time, or only the first `times` times)."""
    calls = {"n": 0}

    def collect(context):
        if connection.schema_name == schema:
            calls["n"] += 1
            if times is None or calls["n"] <= times:
                raise RuntimeError("the region's database is unreachable")
        return Collected()

    return Collector(section="flaky", tables=(), collect=collect), calls


def test_one_failing_region_does_not_stop_the_others(region_a, region_b, population):
    broken, _calls = failing_in(region_b.schema_name)
    run = RefreshRun.objects.create(trigger="manual")
    parts = [RegionRefresh.objects.create(run=run, region=r) for r in (region_a, region_b)]
    for part in parts:
        try:
            services.refresh_region(part.pk, collectors=[*COLLECTORS, broken])
        except RuntimeError:
            pass
    done, failed = (RegionRefresh.objects.get(pk=p.pk) for p in parts)
    assert done.status == "done" and failed.status == "failed"
    assert failed.error == "RuntimeError: the region's database is unreachable"
    assert RegionSnapshot.objects.filter(region=region_a, is_current=True).exists()
    assert not RegionSnapshot.objects.filter(region=region_b).exists()
    run.refresh_from_db()
    assert run.status == RunStatus.PARTIAL and run.finished_at is not None


def test_fan_out_sends_one_task_per_region_inside_its_schema(region_a, region_b, monkeypatch,
                                                             django_capture_on_commit_callbacks):
    sent = []
    monkeypatch.setattr(jobs, "enqueue", lambda name, *args: sent.append((connection.schema_name, args[0])))
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_refresh(regions=[region_a, region_b])
    parts = {p.pk: p.region.schema_name for p in run.regions.select_related("region")}
    assert sorted(sent) == sorted((schema, pk) for pk, schema in parts.items())


def test_celery_refresh_retries_a_failing_region_and_reports_it(region_a, region_b, population, eager_celery,
                                                                monkeypatch, django_capture_on_commit_callbacks):
    """Through the real task (run eagerly): region B fails every attempt, region A does not."""
    broken, calls = failing_in(region_b.schema_name)
    monkeypatch.setattr(services, "COLLECTORS", [*COLLECTORS, broken])
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_refresh(regions=[region_a, region_b])
    a, b = (RegionRefresh.objects.get(run=run, region=r) for r in (region_a, region_b))
    assert a.status == "done" and a.attempts == 1
    assert b.status == "failed" and b.attempts == services.MAX_ATTEMPTS == calls["n"]
    assert "unreachable" in b.error
    run.refresh_from_db()
    assert run.status == RunStatus.PARTIAL
    assert RegionSnapshot.objects.get(region=region_a, is_current=True).run_id == run.pk


def test_a_region_that_recovers_on_retry_is_done(region_a, eager_celery, monkeypatch,
                                                 django_capture_on_commit_callbacks):
    flaky, calls = failing_in(region_a.schema_name, times=1)
    monkeypatch.setattr(services, "COLLECTORS", [*COLLECTORS, flaky])
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_refresh(regions=[region_a])
    part = RegionRefresh.objects.get(run=run)
    assert part.status == "done" and part.attempts == 2 and part.error == ""
    run.refresh_from_db()
    assert run.status == RunStatus.DONE


def test_a_region_whose_schema_is_missing_fails_without_touching_others(region_a, population):
    ghost = Region(schema_name="hilang", name="Kabupaten Hilang", kind="kabupaten", region_code="99.99",
                   province="Uji", status="active")
    ghost.auto_create_schema = False
    ghost.save()
    run = services.refresh_in_process(regions=[ghost, region_a])
    parts = {p.region_id: p for p in run.regions.all()}
    assert parts[ghost.pk].status == "failed" and "RegionSchemaMissing" in parts[ghost.pk].error
    assert parts[region_a.pk].status == "done"
    assert run.status == RunStatus.PARTIAL


def test_request_region_refresh_queues_one_run_and_not_twice(region_a, monkeypatch):
    monkeypatch.setattr(jobs, "enqueue", lambda name, *args: None)
    first = services.request_region_refresh(region_a.schema_name)
    assert first is not None and first.trigger == "region_event"
    assert list(first.regions.values_list("region__schema_name", flat=True)) == [region_a.schema_name]
    assert services.request_region_refresh(region_a.schema_name) is None


def test_request_region_refresh_works_when_called_from_the_regions_schema(region_a, monkeypatch):
    """Pay and appraisal call it from inside the region (e.g. while locking a pay run)."""
    from tests.helpers import in_region

    monkeypatch.setattr(jobs, "enqueue", lambda name, *args: None)
    with in_region(region_a):
        run = services.request_region_refresh(region_a.schema_name)
    assert RefreshRun.objects.filter(pk=run.pk).exists()


def test_a_task_in_the_wrong_schema_refuses_to_collect(region_a, region_b, population):
    run = RefreshRun.objects.create(trigger="manual")
    part = RegionRefresh.objects.create(run=run, region=region_a)
    with pytest.raises(RuntimeError, match="not bukittinggi"):
        services.refresh_region(part.pk, expected_schema=region_b.schema_name)
    assert not RegionSnapshot.objects.filter(region=region_a).exists()


def test_nightly_task_starts_a_run_over_every_region(region_a, region_b, monkeypatch):
    monkeypatch.setattr(jobs, "enqueue", lambda name, *args: None)
    run_id = tasks.refresh_all_regions_task()
    schemas = set(RefreshRun.objects.get(pk=run_id).regions.values_list("region__schema_name", flat=True))
    assert {region_a.schema_name, region_b.schema_name} <= schemas
    assert "public" not in schemas
