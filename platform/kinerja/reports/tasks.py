"""Background refresh of the cross-region snapshots: thin callers of the services."""
from celery import shared_task
from django.db import connection

from kinerja.reports import services
from kinerja.reports.models import RefreshTrigger

RETRY_DELAYS = (30, 120)  # seconds before the second and third attempt


@shared_task(acks_late=True)
def refresh_all_regions_task() -> int:
    """Nightly (beat): start a run over every region; returns the run's id."""
    return services.start_refresh(trigger=RefreshTrigger.NIGHTLY).pk


@shared_task(bind=True, acks_late=True, max_retries=services.MAX_ATTEMPTS - 1)
def refresh_region_task(self, part_id: int) -> None:
    """One region's part of a run. tenant-schemas-celery has switched the connection to the region's
    schema (named in the message headers) before this runs."""
    final = self.request.retries >= self.max_retries
    try:
        services.refresh_region(part_id, final_attempt=final, expected_schema=connection.schema_name)
    except Exception as error:
        if final:
            return  # recorded on the part as failed; the other regions are not affected
        raise self.retry(exc=error, countdown=RETRY_DELAYS[min(self.request.retries, len(RETRY_DELAYS) - 1)])
