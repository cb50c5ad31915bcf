"""Background work of the people module, in the schema of the region that sent it. Tasks only call services."""
from celery import shared_task

from kinerja.people import imports


@shared_task(acks_late=True)
def preview_import_task(batch_id: int) -> str | None:
    batch = imports.run_preview(batch_id)
    return batch.status if batch else None


@shared_task(acks_late=True)
def apply_import_task(batch_id: int) -> str | None:
    batch = imports.run_apply(batch_id)
    return batch.status if batch else None
