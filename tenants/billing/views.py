"""Billing pages of the public site: the sign-up page, the Stripe webhook, and the operator's pages
(applications, plans, every region's billing, invoices and bank-transfer payments)."""
import logging

import stripe
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tenants.billing import gateway, selectors, services
from tenants.billing.forms import (
    ApprovalForm,
    InvoiceForm,
    OpenAccountForm,
    PaymentForm,
    PlanForm,
    RejectionForm,
    SignupForm,
    TermsForm,
)
from tenants.billing.models import Invoice
from tenants.models import Region
from tenants.permissions import require
from kinerja.service_errors import add_to_form

logger = logging.getLogger(__name__)


# --- public --------------------------------------------------------------------------------------

def signup(request):
    form = SignupForm(request.POST or None, plans=selectors.offered_plans())
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_application(**form.cleaned_data)
        except ValidationError as error:
            add_to_form(form, error)
        else:
            return redirect("billing:signup-done")
    return render(request, "billing/signup.html", {"form": form})


def signup_done(request):
    return render(request, "billing/signup_done.html")


@csrf_exempt
@require_POST
def stripe_webhook(request):
    try:
        event = services.receive_stripe_event(request.body, request.headers.get("Stripe-Signature", ""))
    except (stripe.SignatureVerificationError, ValueError, KeyError):
        return HttpResponseBadRequest("invalid signature or payload")
    return HttpResponse(event.outcome or "ok")


# --- operator: applications ----------------------------------------------------------------------

@login_required
def application_list(request):
    require(request.user, "billing.manage")
    status = request.GET.get("status", "pending")
    return render(request, "billing/application_list.html", {
        "applications": selectors.applications(status if status != "all" else None), "status": status})


@login_required
def application_detail(request, pk):
    require(request.user, "billing.manage")
    application = get_object_or_404(selectors.applications(None), pk=pk)
    approval = ApprovalForm(initial={"slug": services.suggest_slug(application.region_name), "admin_username": "admin"})
    rejection = RejectionForm()
    result = None
    if request.method == "POST" and "approve" in request.POST:
        approval = ApprovalForm(request.POST)
        if approval.is_valid():
            try:
                result = services.approve_application(application, actor=request.user, **approval.cleaned_data)
            except ValidationError as error:
                add_to_form(approval, error)
            else:
                messages.success(request, _("%(region)s is onboarded; the set-password link was mailed to %(email)s.")
                                 % {"region": result.region.name, "email": application.contact_email})
    elif request.method == "POST" and "reject" in request.POST:
        rejection = RejectionForm(request.POST)
        rejection.is_valid()
        try:
            services.reject_application(application, actor=request.user,
                                        reason=rejection.cleaned_data.get("reason", ""))
        except ValidationError as error:
            add_to_form(rejection, error)
        else:
            messages.success(request, _("The application was rejected."))
            return redirect("billing:application-list")
    return render(request, "billing/application_detail.html", {
        "application": application, "approval": approval, "rejection": rejection, "result": result})


# --- operator: plans -----------------------------------------------------------------------------

@login_required
def plan_list(request):
    require(request.user, "billing.manage")
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_plan(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("The plan was saved."))
            return redirect("billing:plan-list")
    return render(request, "billing/plan_list.html", {"plans": selectors.plans(), "form": form})


# --- operator: regions ---------------------------------------------------------------------------

@login_required
def region_list(request):
    require(request.user, "billing.manage")
    return render(request, "billing/region_list.html", {
        "regions": selectors.billing_overview(), "pending_applications": selectors.application_count()})


def _region_or_404(pk) -> Region:
    return get_object_or_404(Region.objects.exclude(schema_name="public"), pk=pk)


@login_required
def region_detail(request, pk):
    require(request.user, "billing.manage")
    region = _region_or_404(pk)
    account = selectors.account_for_region(region)
    terms = TermsForm(initial={"plan": account.plan_id, "collection_method": account.collection_method}) if account else None
    opening = None if account else OpenAccountForm()
    invoice_form = InvoiceForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "open" and account is None:
                opening = OpenAccountForm(request.POST)
                if opening.is_valid():
                    services.open_billing_account(region, actor=request.user, **opening.cleaned_data)
                    return redirect("billing:region-detail", pk=region.pk)
            elif action == "terms" and account is not None:
                terms = TermsForm(request.POST)
                if terms.is_valid():
                    services.change_billing_terms(account, actor=request.user, **terms.cleaned_data)
                    messages.success(request, _("Billing terms saved."))
                    return redirect("billing:region-detail", pk=region.pk)
            elif action == "invoice" and account is not None:
                invoice_form = InvoiceForm(request.POST)
                if invoice_form.is_valid():
                    invoice = services.issue_offline_invoice(account, actor=request.user, **invoice_form.cleaned_data)
                    messages.success(request, _("Invoice %s issued.") % invoice.number)
                    return redirect("billing:region-detail", pk=region.pk)
            elif action == "sync" and account is not None:
                services.sync_headcount(region)
                messages.success(request, _("Headcount counted again."))
                return redirect("billing:region-detail", pk=region.pk)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except (stripe.StripeError, gateway.StripeNotConfigured):
            logger.warning("Stripe call failed for %s", region.schema_name, exc_info=True)
            messages.error(request, _("Stripe could not be reached; nothing was changed. Try again later."))
    invoices = selectors.invoices_for_account(account).prefetch_related("payments")
    return render(request, "billing/region_detail.html", {
        "target_region": region, "account": account, "terms": terms, "opening": opening,
        "invoice_form": invoice_form, "invoices": invoices, "payment_form": PaymentForm(),
    })


@login_required
@require_POST
def invoice_payment(request, pk):
    require(request.user, "billing.manage")
    invoice = get_object_or_404(Invoice.objects.select_related("account", "account__region"), pk=pk)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            services.record_payment(invoice, method="bank_transfer", actor=request.user, **form.cleaned_data)
            messages.success(request, _("Payment recorded against %s.") % invoice)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, " ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()))
    return redirect("billing:region-detail", pk=invoice.account.region_id)

