"""Reading billing, and who may: the operator sees every region; a region's HR admin sees only the
region whose host they are on. Billing tables live in the public schema, which every region's search
path reaches, so every region-side read here is scoped to the region explicitly."""
from __future__ import annotations

from django.db.models import Count, QuerySet
from django.http import Http404
from kinerja.accounts.capabilities import has

from tenants.billing import services
from tenants.billing.models import (
    ApplicationStatus,
    BillingAccount,
    BillingStatus,
    Invoice,
    Payment,
    Plan,
    RegionApplication,
)
from tenants.models import Region


def can_manage_region_billing(user) -> bool:
    return has(user, "billing.region.manage")


def offered_plans() -> QuerySet[Plan]:
    return Plan.objects.filter(is_offered=True)


def plans() -> QuerySet[Plan]:
    return Plan.objects.annotate(region_count=Count("accounts"))


def applications(status: str | None = ApplicationStatus.PENDING) -> QuerySet[RegionApplication]:
    queryset = RegionApplication.objects.select_related("plan", "decided_by", "region")
    return queryset.filter(status=status) if status else queryset


def application_count() -> int:
    return RegionApplication.objects.filter(status=ApplicationStatus.PENDING).count()


def billing_overview() -> QuerySet[Region]:
    """Every region with its billing account and plan, in one query."""
    return (Region.objects.exclude(schema_name="public")
            .select_related("billing_account", "billing_account__plan").order_by("name"))


def account_for_region(region: Region) -> BillingAccount | None:
    return BillingAccount.objects.select_related("plan", "region").filter(region=region).first()


def invoices_for_account(account: BillingAccount | None) -> QuerySet[Invoice]:
    if account is None:
        return Invoice.objects.none()
    return Invoice.objects.filter(account=account)


def invoice_for_region(region: Region, pk: int) -> Invoice:
    """An invoice of this region only; another region's invoice is simply not found."""
    invoice = (Invoice.objects.select_related("account", "account__plan")
               .filter(account__region=region, pk=pk).first())
    if invoice is None:
        raise Http404
    return invoice


def payments_for_invoice(invoice: Invoice) -> QuerySet[Payment]:
    return Payment.objects.filter(invoice=invoice).select_related("recorded_by")


def billing_banner(region: Region | None) -> dict | None:
    """What the region's pages show while a payment is overdue: since when and when the grace ends."""
    if region is None or region.is_platform:
        return None
    account = (BillingAccount.objects.select_related("plan")
               .filter(region=region, status=BillingStatus.PAST_DUE).first())
    if account is None:
        return None
    return {"past_due_since": account.past_due_since, "grace_ends_at": services.grace_ends_at(account)}

