"""Background work on regions. Tasks are thin: they call the services."""
from celery import shared_task
from django.db import connection

from tenants import services
from tenants.models import Region
from tenants.schemas import fill_spare_pool


@shared_task(acks_late=True)
def export_region_data_task() -> str:
    """Export the data of the region whose schema the task runs in (tenant-schemas-celery sets it)."""
    region = Region.objects.get(schema_name=connection.schema_name)
    path = services.export_region_data(region)
    services.record_export(region, path)
    return path


@shared_task
def refill_spare_schemas_task() -> int:
    """Clone the template ahead of the next onboarding (public schema)."""
    return fill_spare_pool()
