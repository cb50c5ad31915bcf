"""Background work of the people module, in the schema of the region that sent it. Tasks only call services."""
from celery import shared_task
from django.db import InterfaceError, OperationalError

from kinerja.people import career, departures, imports

# as for pay runs: a dropped connection or a restarting server is retried with backoff
DATABASE_RETRY = {"autoretry_for": (OperationalError, InterfaceError), "retry_backoff": 2, "retry_backoff_max": 60,
                  "retry_jitter": True, "max_retries": 8}


@shared_task(acks_late=True, **DATABASE_RETRY)
def preview_import_task(batch_id: int) -> str | None:
    batch = imports.run_preview(batch_id)
    return batch.status if batch else None


@shared_task(acks_late=True, **DATABASE_RETRY)
def apply_import_task(batch_id: int) -> str | None:
    batch = imports.run_apply(batch_id)
    return batch.status if batch else None


@shared_task(acks_late=True)
def apply_due_career_events_task() -> int:
    """Daily, in one region's schema (sent there by the tenancy layer's fan-out): career changes whose
    date has come reach the employee records."""
    return career.apply_due_career_events()


@shared_task(acks_late=True)
def notify_upcoming_departures_task() -> int:
    """Daily, in one region's schema: HR is told about retirements and PPPK contract ends ahead."""
    return departures.notify_upcoming_departures()
