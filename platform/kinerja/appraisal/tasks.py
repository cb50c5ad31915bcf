"""Background work of appraisal. Tasks are thin: they call the services."""
from celery import shared_task

from kinerja.appraisal import services


@shared_task(acks_late=True)
def remind_objection_deadlines_task() -> int:
    """Daily (beat, through tenants.fanout), in one region: three days before an objection window ends."""
    return services.remind_objection_deadlines()
