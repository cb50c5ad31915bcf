"""The overdue-payment banner on a region's pages (shown by web/base.html)."""
from django.utils.functional import SimpleLazyObject

from tenants.billing.selectors import billing_banner, can_manage_region_billing


def billing(request):
    # Lazy: the query runs only when a page actually renders the banner slot.
    return {"billing_banner": SimpleLazyObject(lambda: billing_banner(getattr(request, "tenant", None)) or ""),
            "can_manage_region_billing": can_manage_region_billing(getattr(request, "user", None))}
