"""Background work on regions. Tasks are thin: they call the services."""
from celery import shared_task
from django.db import connection
from kinerja.pay import selectors as pay_selectors

from tenants import cluster, cluster_services, fanout, services
from tenants.models import Region
from tenants.schemas import fill_spare_pool


@shared_task(acks_late=True)
def export_region_data_task() -> str:
    """Export the data of the region whose schema the task runs in (tenant-schemas-celery sets it)."""
    region = Region.objects.get(schema_name=connection.schema_name)
    try:
        path = services.export_region_data(region)
    except Exception as error:
        services.record_export_failed(region, error)
        raise
    services.record_export(region, path)
    return path


@shared_task
def refill_spare_schemas_task() -> int:
    """Clone the template ahead of the next onboarding (public schema)."""
    return fill_spare_pool()


@shared_task(acks_late=True)
def place_region_task(schema_name: str) -> bool:
    """Move a region onboarded beyond the spare pool from the coordinator to a worker (Citus)."""
    return cluster.place_schema(schema_name)


@shared_task
def place_unplaced_regions_task() -> int:
    """Every minute (beat): place any region a lost task left on the coordinator; nothing off Citus."""
    return len(cluster.place_unplaced_regions()) if cluster.is_citus() else 0


@shared_task(acks_late=True)
def resume_stalled_pay_runs_everywhere_task() -> int:
    """Every fifteen seconds (beat), from the public schema: each region with a stalled pay run resumes it."""
    stalled = fanout.schemas_where(lambda: pay_selectors.stalled_runs().exists())
    return len(fanout.send_to_each_region(fanout.RESUME_STALLED_PAY_RUNS, stalled))


@shared_task(acks_late=True)
def sync_training_catalogs_everywhere_task() -> int:
    """Nightly (beat), from the public schema: each region syncs its catalogue with its plugins."""
    return len(fanout.send_to_each_region(fanout.SYNC_TRAINING_CATALOG))


@shared_task(acks_late=True)
def remind_objection_deadlines_everywhere_task() -> int:
    """Daily (beat), from the public schema: each region reminds employees whose objection window ends in
    three days."""
    return len(fanout.send_to_each_region(fanout.REMIND_OBJECTION_DEADLINES))


@shared_task(acks_late=True)
def apply_career_events_everywhere_task() -> int:
    """Daily (beat), from the public schema: each region applies the career changes taking effect."""
    return len(fanout.send_to_each_region(fanout.APPLY_CAREER_EVENTS))


@shared_task(acks_late=True)
def notify_departures_everywhere_task() -> int:
    """Daily (beat), from the public schema: each region tells its HR about retirements and PPPK contract
    ends ahead."""
    return len(fanout.send_to_each_region(fanout.NOTIFY_DEPARTURES))


@shared_task(acks_late=True)
def run_cluster_operation_task(operation_id: int) -> str:
    """Move regions between Citus nodes as the operator asked (public schema)."""
    return cluster_services.run_operation(operation_id).status
