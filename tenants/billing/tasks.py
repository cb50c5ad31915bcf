"""Billing's background work, run from the public schema: thin callers of the services."""
from celery import shared_task

from tenants.billing import services


@shared_task(acks_late=True)
def sync_headcounts_task() -> dict:
    """Daily: every billed region's active headcount, sent to Stripe as the subscription's quantity."""
    return services.sync_all_headcounts()


@shared_task(acks_late=True)
def enforce_grace_periods_task() -> list[str]:
    """Daily: overdue invoices make a region past due; past due beyond the grace period suspends it."""
    return [account.region.schema_name for account in services.enforce_grace_periods()]
