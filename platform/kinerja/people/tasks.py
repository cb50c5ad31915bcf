"""Background work of the people module, in the schema of the region that sent it. Tasks only call services."""
from celery import shared_task

from kinerja.people import career, imports


@shared_task(acks_late=True)
def preview_import_task(batch_id: int) -> str | None:
    batch = imports.run_preview(batch_id)
    return batch.status if batch else None


@shared_task(acks_late=True)
def apply_import_task(batch_id: int) -> str | None:
    batch = imports.run_apply(batch_id)
    return batch.status if batch else None


@shared_task(acks_late=True)
def apply_due_career_events_task() -> int:
    """Daily, in one region's schema (sent there by the tenancy layer's fan-out): career changes whose
    date has come reach the employee records."""
    return career.apply_due_career_events()
