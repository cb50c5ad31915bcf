"""Background work of the pay module, in the schema of the region that sent it. Tasks only call services.

A database error inside a task (the server restarting, a connection dropped, a failover) is retried with
exponential backoff (2, 4, 8 ... s, at most a minute apart, eight times); a pay run resumes at its first
uncommitted chunk, so a retry repeats no work that was saved."""
from celery import shared_task
from django.db import InterfaceError, OperationalError

from kinerja.pay import services

DATABASE_RETRY = {"autoretry_for": (OperationalError, InterfaceError), "retry_backoff": 2, "retry_backoff_max": 60,
                  "retry_jitter": True, "max_retries": 8}


@shared_task(acks_late=True, **DATABASE_RETRY)
def compute_pay_run_task(run_id: int) -> int:
    return services.compute_run(run_id).processed


@shared_task(acks_late=True, **DATABASE_RETRY)
def build_payslip_archive_task(run_id: int) -> str:
    return services.build_payslip_archive(run_id)


@shared_task(acks_late=True, **DATABASE_RETRY)
def resume_stalled_runs_task() -> int:
    """In one region's schema (sent there by the tenancy layer's fan-out): send its stalled runs again."""
    return len(services.resume_stalled_runs())
