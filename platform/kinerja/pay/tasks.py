"""Background work of the pay module, in the schema of the region that sent it. Tasks only call services.

A database error inside a task (the server restarting, a connection dropped, a failover) is retried with
exponential backoff (2, 4, 8 ... s, at most a minute apart, eight times); a pay run resumes at its first
uncommitted chunk, so a retry repeats no work that was saved."""
from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.db import InterfaceError, OperationalError

from kinerja.pay import services

DATABASE_RETRY = {"autoretry_for": (OperationalError, InterfaceError), "retry_backoff": 2, "retry_backoff_max": 60,
                  "retry_jitter": True, "max_retries": 8}


def backoff_seconds(retries: int) -> int:
    """The wait before try `retries + 2`, as DATABASE_RETRY computes it."""
    return get_exponential_backoff_interval(factor=DATABASE_RETRY["retry_backoff"], retries=retries,
                                            maximum=DATABASE_RETRY["retry_backoff_max"], full_jitter=True)


@shared_task(bind=True, acks_late=True, max_retries=DATABASE_RETRY["max_retries"])
def compute_pay_run_task(self, run_id: int) -> int:
    """DATABASE_RETRY's retries, written down first, so the run page says which attempt comes and when."""
    try:
        return services.compute_run(run_id).processed
    except (OperationalError, InterfaceError) as error:
        delay = backoff_seconds(self.request.retries)
        services.note_retry(run_id, delay_seconds=delay, error=error)
        raise self.retry(exc=error, countdown=delay) from error


@shared_task(acks_late=True, **DATABASE_RETRY)
def build_payslip_archive_task(run_id: int) -> str:
    return services.build_payslip_archive(run_id)


@shared_task(acks_late=True, **DATABASE_RETRY)
def resume_stalled_runs_task() -> int:
    """In one region's schema (sent there by the tenancy layer's fan-out): send its stalled runs again."""
    return len(services.resume_stalled_runs())
