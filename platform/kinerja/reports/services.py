"""Refreshing the cross-region snapshots. Writes and rules live here; the Celery tasks, the operator's
pages, the API and the other modules (through `request_region_refresh`) call these functions.

A refresh is a run with one part per region. Each part is its own Celery task, sent from inside the
region's schema so tenant-schemas-celery runs it there; a part that fails is retried by its task and, after
the last attempt, marked failed with the reason, while the other regions carry on."""
from __future__ import annotations

import datetime
import time
from contextlib import contextmanager
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django_tenants.utils import schema_context

from kinerja import jobs
from kinerja.region import facts
from kinerja.region.facts import region_model, regions_at_work
from kinerja.reports import indicators, selectors
from kinerja.reports.collectors import COLLECTORS, CollectContext, Collector
from kinerja.reports.collectors.base import schema_tables
from kinerja.reports.models import (
    UNFINISHED_STATUSES,
    RefreshRun,
    RefreshTrigger,
    RegionRefresh,
    RegionRefreshStatus,
    RegionSnapshot,
    RunStatus,
    SnapshotFigure,
)
from kinerja.reports.privacy import RawFigure, still_hidden, suppress

if TYPE_CHECKING:
    from tenants.models import Region

MAX_ATTEMPTS = 3
REFRESH_REGION_TASK = "kinerja.reports.tasks.refresh_region_task"


class RegionSchemaMissing(Exception):
    """The region's schema does not exist: nothing can be collected, and that is a failure."""


def refreshable_regions():
    """Every region at work: archived and suspended regions keep their last snapshot."""
    return regions_at_work()


# --- runs -----------------------------------------------------------------------------------------
def start_refresh(*, trigger: str = RefreshTrigger.MANUAL, regions=None, actor=None) -> RefreshRun:
    """Create a run with one queued part per region and send the tasks once the run is committed."""
    regions = list(refreshable_regions() if regions is None else regions)
    with transaction.atomic():
        run = RefreshRun.objects.create(trigger=trigger, requested_by=getattr(actor, "username", "") or "")
        RegionRefresh.objects.bulk_create([RegionRefresh(run=run, region=region) for region in regions])
        if not regions:
            _close_run(run.pk)
        transaction.on_commit(lambda: dispatch_run(run.pk))
    return run


def request_region_refresh(region_schema: str) -> RefreshRun | None:
    """Refresh one region's snapshot soon: called after the region closes an appraisal period or locks a
    pay run. Returns None when a refresh of that region is already waiting to start."""
    with schema_context("public"):
        region = region_model().objects.get(schema_name=region_schema)
        if RegionRefresh.objects.filter(region=region, status=RegionRefreshStatus.QUEUED).exists():
            return None
        return start_refresh(trigger=RefreshTrigger.REGION_EVENT, regions=[region])


def dispatch_run(run_id: int) -> int:
    """Send one task per unfinished region of the run, each from inside its region's schema."""
    with schema_context("public"):
        parts = list(RegionRefresh.objects.filter(run_id=run_id, status__in=UNFINISHED_STATUSES)
                     .select_related("region").order_by("id"))
    for part in parts:
        with schema_context(part.region.schema_name):
            jobs.enqueue(REFRESH_REGION_TASK, part.pk)
    return len(parts)


def resume_run(run: RefreshRun) -> int:
    """Send the unfinished parts of a run again, e.g. after the workers were down. A part that already
    finished is not repeated; one still running is harmless to repeat (the newest snapshot wins)."""
    return dispatch_run(run.pk)


def _close_run(run_id: int) -> None:
    with transaction.atomic():
        run = RefreshRun.objects.select_for_update().get(pk=run_id)
        if run.finished_at is not None:
            return
        counts = dict(run.regions.order_by().values_list("status").annotate(n=Count("id")))
        if any(counts.get(status) for status in UNFINISHED_STATUSES):
            return
        failed, done = counts.get(RegionRefreshStatus.FAILED, 0), counts.get(RegionRefreshStatus.DONE, 0)
        run.status = RunStatus.DONE if not failed else (RunStatus.PARTIAL if done else RunStatus.FAILED)
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "finished_at"])
    # The national figures over the new snapshots, computed once now rather than by the first reader.
    with schema_context("public"):
        selectors.national_figures()


# --- one region -----------------------------------------------------------------------------------
def refresh_region(part_id: int, *, final_attempt: bool = True, collectors: list[Collector] | None = None,
                   expected_schema: str | None = None, close_run: bool = True) -> RegionSnapshot:
    """Run one region's part of a run: collect, suppress, store. On failure the part is marked
    "retrying" (or "failed" on the final attempt) with the reason, and the exception is raised again
    for the task to retry. `close_run` False leaves closing the run to the caller (a caller running every
    part itself closes it once, at the end)."""
    part = RegionRefresh.objects.select_related("region").get(pk=part_id)
    started = time.perf_counter()
    with asynchronous_commit():
        RegionRefresh.objects.filter(pk=part.pk).update(status=RegionRefreshStatus.RUNNING, attempts=part.attempts + 1,
                                                        started_at=timezone.now())
        try:
            if expected_schema is not None and expected_schema != part.region.schema_name:
                # The message reached a worker in another schema: never read one region as another.
                raise RuntimeError(f"task ran in schema {expected_schema}, not {part.region.schema_name}")
            with transaction.atomic():
                snapshot = take_snapshot(part.region, run_id=part.run_id, collectors=collectors)
        except Exception as error:
            RegionRefresh.objects.filter(pk=part.pk).update(
                status=RegionRefreshStatus.FAILED if final_attempt else RegionRefreshStatus.RETRYING,
                error=f"{type(error).__name__}: {error}"[:500],
                finished_at=timezone.now() if final_attempt else None,
            )
            if final_attempt and close_run:
                _close_run(part.run_id)
            raise
        RegionRefresh.objects.filter(pk=part.pk).update(
            status=RegionRefreshStatus.DONE, error="", finished_at=timezone.now(),
            duration_ms=int((time.perf_counter() - started) * 1000))
        if close_run:
            _close_run(part.run_id)
    return snapshot


@contextmanager
def asynchronous_commit():
    """Commit a refresh's writes without waiting for each to reach the disk: a region's part is three
    small transactions, and waiting for the disk three times per region was a good part of a national
    refresh. Snapshots are derived data: a server crash loses at most the last fraction of a second of
    the refresh (the database stays consistent), and a part it lost shows as unfinished and is sent again
    when the run is resumed."""
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        if not connection.needs_rollback:  # an aborted transaction is rolled back by its owner, SET and all
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")


def collect_region(region: Region, *, collectors: list[Collector] | None = None,
                   today: datetime.date | None = None) -> tuple[dict, dict, list[RawFigure]]:
    """Read one region's schema through every collector: (sections, details, suppressed figures)."""
    collectors = COLLECTORS if collectors is None else collectors
    sections: dict[str, dict] = {}
    details: dict = {}
    figures: list[RawFigure] = []
    with schema_context(region.schema_name), connection.cursor() as cursor:
        today = today or facts.today()  # the region's own date
        tables = schema_tables(region.schema_name, cursor,
                               wanted=sorted({table for collector in collectors for table in collector.tables}))
        if tables is None:
            raise RegionSchemaMissing(f"schema {region.schema_name} does not exist")
        context = CollectContext(schema=region.schema_name, tables=tables, today=today, cursor=cursor)
        for collector in collectors:
            if not collector.is_available(context):
                sections[collector.section] = {"available": False}
                continue
            collected = collector.collect(context)
            sections[collector.section] = {"available": True}
            figures += collected.figures
            details.update(collected.details)
    suppress(figures, keep_hidden=still_hidden(figures, previous_counts(region)))
    figures += indicators.compute(figures, today)
    return sections, details, figures


def previous_counts(region: Region) -> dict[tuple[str, str, str], Decimal | None]:
    """The counts of the region's current snapshot as published (None where hidden), before the next
    snapshot replaces it: the suppression of the next one keeps hidden what this one hid (privacy rule 5)."""
    with schema_context("public"):
        return {(section, breakdown, key): value for section, breakdown, key, value in SnapshotFigure.objects.filter(
            snapshot__region=region, snapshot__is_current=True, kind="count").values_list(
            "section", "breakdown", "key", "value")}


def take_snapshot(region: Region, *, run_id: int | None = None, collectors: list[Collector] | None = None,
                  today: datetime.date | None = None) -> RegionSnapshot:
    sections, details, figures = collect_region(region, collectors=collectors, today=today)
    return save_snapshot(region, run_id=run_id, sections=sections, details=details, figures=figures)


def save_snapshot(region: Region, *, run_id: int | None, sections: dict, details: dict,
                  figures: list[RawFigure]) -> RegionSnapshot:
    """Store a snapshot as the region's current one. Older snapshots stay one per month: the previous
    snapshots of this same month are replaced.

    A nightly refresh stores hundreds of regions one after another: the figures go in with one COPY, and
    the replaced snapshots are deleted with two statements, without building a model object per figure."""
    for figure in figures:
        if figure.suppressed and figure.value is not None:
            raise ValueError(f"{figure.cell} is suppressed but still has a value")
    to_decimal = SnapshotFigure._meta.get_field("value").to_python
    now = timezone.now()
    month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    with schema_context("public"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE reports_regionsnapshot SET is_current = false WHERE region_id = %s AND is_current",
                           [region.pk])
            cursor.execute("DELETE FROM reports_snapshotfigure WHERE snapshot_id IN (SELECT id FROM reports_regionsnapshot "
                           "WHERE region_id = %s AND taken_at >= %s)", [region.pk, month_start])
            cursor.execute("DELETE FROM reports_regionsnapshot WHERE region_id = %s AND taken_at >= %s",
                           [region.pk, month_start])
        snapshot = RegionSnapshot.objects.create(region=region, run_id=run_id, taken_at=now, is_current=True,
                                                 sections=sections, details=details)
        with connection.cursor() as cursor, cursor.cursor.copy(
                "COPY reports_snapshotfigure (snapshot_id, section, breakdown, key, kind, value, suppressed) "
                "FROM STDIN") as copy:
            for f in figures:
                copy.write_row((snapshot.pk, f.section, f.breakdown, f.key, f.kind,
                                None if f.suppressed else to_decimal(f.value), f.suppressed))
    return snapshot


def refresh_in_process(*, regions=None, trigger: str = RefreshTrigger.MANUAL, actor=None) -> RefreshRun:
    """The whole refresh in this process, one region after the other, without Celery: for the command
    line, for benchmarks and for a deployment without workers."""
    regions = list(refreshable_regions() if regions is None else regions)
    run = RefreshRun.objects.create(trigger=trigger, requested_by=getattr(actor, "username", "") or "")
    parts = RegionRefresh.objects.bulk_create([RegionRefresh(run=run, region=region) for region in regions])
    for part in parts:
        try:
            refresh_region(part.pk, close_run=False)
        except Exception:  # recorded on the part; the other regions carry on
            continue
    _close_run(run.pk)
    run.refresh_from_db()
    return run
