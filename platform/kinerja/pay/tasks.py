"""Background work of the pay module, in the schema of the region that sent it. Tasks only call services."""
from celery import shared_task

from kinerja.pay import services


@shared_task(acks_late=True)
def compute_pay_run_task(run_id: int) -> int:
    return services.compute_run(run_id).processed


@shared_task(acks_late=True)
def build_payslip_archive_task(run_id: int) -> str:
    return services.build_payslip_archive(run_id)


@shared_task(acks_late=True)
def resume_stalled_runs_task() -> int:
    """In one region's schema (sent there by the tenancy layer's fan-out): send its stalled runs again."""
    return len(services.resume_stalled_runs())
