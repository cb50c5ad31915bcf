"""Billing pages on a region's own site, for its HR admin: plan, status, invoices, paying by card."""
import logging

import stripe
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tenants.billing import gateway, selectors, services

logger = logging.getLogger(__name__)


def _require_billing_admin(request) -> None:
    if not selectors.can_manage_region_billing(request.user):
        raise PermissionDenied


def _stripe_failed(request) -> None:
    logger.warning("Stripe call failed for %s", request.tenant.schema_name, exc_info=True)
    messages.error(request, _("Card payments are unavailable right now; nothing was charged. Try again later."))


@login_required
def overview(request):
    _require_billing_admin(request)
    account = selectors.account_for_region(request.tenant)
    return render(request, "billing/region_overview.html", {
        "account": account,
        "invoices": selectors.invoices_for_account(account),
        "grace_ends_at": services.grace_ends_at(account) if account else None,
        "card_payments": gateway.is_configured(),
        "returned": request.GET.get("checkout"),
    })


@login_required
@require_POST
def checkout(request):
    _require_billing_admin(request)
    account = selectors.account_for_region(request.tenant)
    if account is None:
        messages.error(request, _("The region has no billing account yet; contact the platform operator."))
        return redirect("region_billing:overview")
    back = request.build_absolute_uri(reverse("region_billing:overview"))
    try:
        url = services.start_checkout(account, success_url=f"{back}?checkout=done", cancel_url=f"{back}?checkout=cancel",
                                      actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("region_billing:overview")
    except (stripe.StripeError, gateway.StripeNotConfigured):
        _stripe_failed(request)
        return redirect("region_billing:overview")
    return redirect(url)


@login_required
@require_POST
def portal(request):
    _require_billing_admin(request)
    account = selectors.account_for_region(request.tenant)
    try:
        if account is None:
            raise ValidationError(_("The region has no billing account yet; contact the platform operator."))
        url = services.open_billing_portal(account, return_url=request.build_absolute_uri(
            reverse("region_billing:overview")))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("region_billing:overview")
    except (stripe.StripeError, gateway.StripeNotConfigured):
        _stripe_failed(request)
        return redirect("region_billing:overview")
    return redirect(url)


@login_required
def invoice_detail(request, pk):
    _require_billing_admin(request)
    invoice = selectors.invoice_for_region(request.tenant, pk)
    return render(request, "billing/region_invoice.html", {
        "invoice": invoice, "payments": selectors.payments_for_invoice(invoice)})
