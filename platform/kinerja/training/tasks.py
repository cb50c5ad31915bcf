"""Background work of the training module, in the schema of the region it was sent to. Tasks only call
services."""
from celery import shared_task

from kinerja.training import services


@shared_task(acks_late=True)
def sync_catalog_task() -> int:
    """Bring this region's catalogue up to date with its enabled catalogue plugins."""
    return len(services.sync_catalog(actor=None))
