"""Fleet-wide work: one task per region in service, each sent from inside the region's schema so that
tenant-schemas-celery runs it there. The apps define what one region does (resume its stalled pay
runs, sync its training catalogue); this layer, which knows the regions, decides where it runs."""
from __future__ import annotations

from collections.abc import Callable

from django_tenants.utils import get_public_schema_name, schema_context
from kinerja import jobs
from kinerja.region.facts import schemas_in_service

RESUME_STALLED_PAY_RUNS = "kinerja.pay.tasks.resume_stalled_runs_task"
SYNC_TRAINING_CATALOG = "kinerja.training.tasks.sync_catalog_task"
REMIND_OBJECTION_DEADLINES = "kinerja.appraisal.tasks.remind_objection_deadlines_task"
APPLY_CAREER_EVENTS = "kinerja.people.tasks.apply_due_career_events_task"
NOTIFY_DEPARTURES = "kinerja.people.tasks.notify_upcoming_departures_task"


def send_to_each_region(task_name: str, schemas: list[str] | None = None) -> list[str]:
    """Send `task_name` (no arguments) into every region in service, or into the schemas given.
    Returns the schemas it was sent to."""
    if schemas is None:
        with schema_context(get_public_schema_name()):
            schemas = schemas_in_service()
    for schema in schemas:
        with schema_context(schema):
            jobs.enqueue(task_name)
    return schemas


def schemas_where(has_work: Callable[[], bool]) -> list[str]:
    """The regions in service where `has_work()` (one small indexed query) holds, asked from this one
    task. A beat that runs every few seconds then sends tasks only where there is something to do: at
    548 regions, one task per region every fifteen seconds would keep two worker processes busy doing
    nothing."""
    with schema_context(get_public_schema_name()):
        schemas = schemas_in_service()
    found = []
    for schema in schemas:
        with schema_context(schema):
            if has_work():
                found.append(schema)
    return found
