"""Billing rules: sign-up and approval, plans, billing accounts, headcount, invoices and payments, the
Stripe webhook, and the one place where a billing status changes and the region follows it
(`set_billing_status`), shared by card payments and bank transfers alike."""
from __future__ import annotations

import calendar
import datetime
import json
import logging
import re
import uuid

import stripe
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context
from kinerja.audit.services import record_change, snapshot
from kinerja.notifications.services import page, rupiah
from kinerja.people import selectors as people_selectors
from kinerja.region.facts import regions_in_service

from tenants import services as region_services
from tenants.billing import gateway
from tenants.billing.models import (
    ApplicationStatus,
    BillingAccount,
    BillingStatus,
    CollectionMethod,
    Invoice,
    InvoiceSource,
    InvoiceStatus,
    Payment,
    PaymentMethod,
    Plan,
    RegionApplication,
    StripeEvent,
)
from tenants.models import Region, RegionKind, RegionStatus, RegionTimeZone
from kinerja.region import formats

logger = logging.getLogger(__name__)

SUSPENDING = {BillingStatus.UNPAID, BillingStatus.CANCELED}
IN_GOOD_STANDING = {BillingStatus.TRIALING, BillingStatus.ACTIVE}
STRIPE_STATUS = {
    "trialing": BillingStatus.TRIALING,
    "active": BillingStatus.ACTIVE,
    "past_due": BillingStatus.PAST_DUE,
    "unpaid": BillingStatus.UNPAID,
    "canceled": BillingStatus.CANCELED,
    "incomplete": BillingStatus.PENDING,
    "incomplete_expired": BillingStatus.CANCELED,
    "paused": BillingStatus.UNPAID,  # a trial that ended without a card: nothing is being paid
}
# An invoice only moves forward; a late event about an earlier state of it is ignored.
INVOICE_STATUS_RANK = {InvoiceStatus.DRAFT: 0, InvoiceStatus.OPEN: 1, InvoiceStatus.UNCOLLECTIBLE: 2,
                       InvoiceStatus.PAID: 3, InvoiceStatus.VOID: 3}
STATUS_FIELDS = ["status", "past_due_since", "suspended_for_billing"]
SLUG_PREFIXES = ("kabupaten", "kab", "kota", "provinsi", "prov")


# --- plans ---------------------------------------------------------------------------------------

def save_plan(*, actor, code: str, name: str, price_per_employee: int, trial_days: int, grace_days: int,
              is_offered: bool = True, plan: Plan | None = None) -> Plan:
    errors: dict[str, list[str]] = {}
    if not re.fullmatch(r"[a-z0-9-]{2,40}", code or ""):
        errors["code"] = [_("Use 2-40 lowercase letters, digits or hyphens.")]
    elif Plan.objects.filter(code=code).exclude(pk=getattr(plan, "pk", None)).exists():
        errors["code"] = [_("A plan with the code %s exists.") % code]
    if not (name or "").strip():
        errors["name"] = [_("The plan needs a name.")]
    if price_per_employee is None or int(price_per_employee) < 1:
        errors["price_per_employee"] = [_("The price is a whole number of rupiah, at least 1.")]
    if errors:
        raise ValidationError(errors)
    before = snapshot(plan) if plan else None
    plan = plan or Plan()
    plan.code, plan.name, plan.price_per_employee = code, name.strip(), int(price_per_employee)
    plan.trial_days, plan.grace_days, plan.is_offered = int(trial_days), int(grace_days), bool(is_offered)
    plan.save()
    record_change(actor=actor, action="billing.plan_saved", target=plan, before=before, after=snapshot(plan))
    return plan


# --- sign-up and approval ------------------------------------------------------------------------

def submit_application(*, region_name: str, kind: str, region_code: str, province: str, time_zone: str,
                       contact_name: str, contact_email: str, estimated_employees, plan: Plan | None,
                       ) -> RegionApplication:
    """Validate every field at once (the error names each one) and store the application."""
    region_code = (region_code or "").strip()
    errors: dict[str, list[str]] = {}

    def fail(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    for name, value, message in (
        ("region_name", region_name, _("The region's name is required.")),
        ("province", province, _("The province is required.")),
        ("contact_name", contact_name, _("The contact's name is required.")),
    ):
        if not (value or "").strip():
            fail(name, message)
    if kind not in {RegionKind.REGENCY, RegionKind.CITY, RegionKind.PROVINCE}:
        fail("kind", _("Kind must be kabupaten, kota or provinsi."))
    if not region_services.REGION_CODE_PATTERN.match(region_code):
        fail("region_code", _("The official code looks like 13 (province) or 13.75 (regency or city)."))
    elif kind == RegionKind.PROVINCE and "." in region_code:
        fail("region_code", _("A province's code has two digits only, such as 13."))
    elif kind in {RegionKind.REGENCY, RegionKind.CITY} and "." not in region_code:
        fail("region_code", _("A regency's or city's code has the form 13.75."))
    elif Region.objects.filter(region_code=region_code).exists():
        fail("region_code", _("The region code %s is already registered with Kinerja.") % region_code)
    elif RegionApplication.objects.filter(region_code=region_code, status=ApplicationStatus.PENDING).exists():
        fail("region_code", _("An application for the region code %s is already waiting for review.") % region_code)
    if time_zone not in RegionTimeZone.values:
        fail("time_zone", _("Time zone must be one of %s.") % ", ".join(RegionTimeZone.values))
    try:
        validate_email(contact_email or "")
    except ValidationError:
        fail("contact_email", _("A valid e-mail address for the contact is required."))
    try:
        employees = int(estimated_employees)
        if employees < 1:
            raise ValueError
    except (TypeError, ValueError):
        employees = 0
        fail("estimated_employees", _("Give the estimated number of employees as a whole number, at least 1."))
    if plan is None or not plan.is_offered:
        fail("plan", _("Choose one of the plans offered."))
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return RegionApplication.objects.create(
                region_name=region_name.strip(), kind=kind, region_code=region_code, province=province.strip(),
                time_zone=time_zone, contact_name=contact_name.strip(), contact_email=contact_email.strip(),
                estimated_employees=employees, plan=plan,
            )
    except IntegrityError:
        raise ValidationError({"region_code": [
            _("An application for the region code %s is already waiting for review.") % region_code]})


def suggest_slug(region_name: str) -> str:
    """'Kota Bukittinggi' -> 'bukittinggi', 'Kabupaten Tanah Datar' -> 'tanahdatar'."""
    words = re.sub(r"[^a-z0-9 ]", " ", region_name.lower()).split()
    while len(words) > 1 and words[0] in SLUG_PREFIXES:
        words = words[1:]
    slug = "".join(words)[:30]
    return slug if slug[:1].isalpha() else f"r{slug}"[:30]


def _require_pending(application: RegionApplication) -> None:
    if application.status != ApplicationStatus.PENDING:
        raise ValidationError({"status": [_("The application was already decided (%s).")
                                          % application.get_status_display()]})


def approve_application(application: RegionApplication, *, actor, slug: str,
                        admin_username: str = "admin") -> region_services.OnboardingResult:
    """Onboard the region, open its billing account on the chosen plan, and mail the contact the HR
    admin's one-time set-password link once everything is committed."""
    _require_pending(application)
    request = region_services.OnboardingRequest(
        name=application.region_name, slug=(slug or "").strip().lower(), kind=application.kind,
        region_code=application.region_code, province=application.province, time_zone=application.time_zone,
        admin_email=application.contact_email, admin_name=application.contact_name, admin_username=admin_username,
    )
    with transaction.atomic():
        before = snapshot(application, ["status", "region_id"])
        result = region_services.onboard_region(request, actor=actor, send_email=False)
        application.status = ApplicationStatus.APPROVED
        application.region = result.region
        application.decided_at = timezone.now()
        application.decided_by = actor
        application.save(update_fields=["status", "region", "decided_at", "decided_by"])
        record_change(actor=actor, action="billing.application_approved", target=application, before=before,
                      after=snapshot(application, ["status", "region_id"]))
        open_billing_account(result.region, plan=application.plan, collection_method=CollectionMethod.STRIPE,
                             contact_name=application.contact_name, contact_email=application.contact_email,
                             actor=actor)
    contact, region_name, link = application.contact_email, result.region.name, result.set_password_url
    transaction.on_commit(lambda: send_mail(
        _("Kinerja: %s is ready") % region_name,
        _("Your application for %(region)s was approved. The first HR admin signs in as %(username)s and "
          "sets a password here (the link works once): %(link)s\nThe region's site: http://%(domain)s/") % {
            "region": region_name, "link": link, "domain": result.domain, "username": result.admin_username},
        settings.DEFAULT_FROM_EMAIL, [contact],
    ))
    return result


def reject_application(application: RegionApplication, *, actor, reason: str) -> RegionApplication:
    _require_pending(application)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the application is rejected; the contact will read it.")]})
    with transaction.atomic():
        before = snapshot(application, ["status"])
        application.status = ApplicationStatus.REJECTED
        application.decision_reason = reason.strip()[:300]
        application.decided_at = timezone.now()
        application.decided_by = actor
        application.save(update_fields=["status", "decision_reason", "decided_at", "decided_by"])
        record_change(actor=actor, action="billing.application_rejected", target=application, before=before,
                      after=snapshot(application, ["status"]), reason=application.decision_reason)
    contact, name, why = application.contact_email, application.region_name, application.decision_reason
    transaction.on_commit(lambda: send_mail(
        _("Kinerja: your application for %s") % name,
        _("Your application for %(region)s was not approved. Reason: %(reason)s") % {"region": name, "reason": why},
        settings.DEFAULT_FROM_EMAIL, [contact],
    ))
    return application


# --- billing accounts ----------------------------------------------------------------------------

def open_billing_account(region: Region, *, plan: Plan, collection_method: str, contact_name: str = "",
                         contact_email: str = "", actor=None) -> BillingAccount:
    if region.is_platform:
        raise ValidationError({"region": [_("The platform itself has no billing account.")]})
    if BillingAccount.objects.filter(region=region).exists():
        raise ValidationError({"region": [_("%s already has a billing account.") % region.name]})
    if collection_method not in CollectionMethod.values:
        raise ValidationError({"collection_method": [_("Choose card (Stripe) or invoice (bank transfer).")]})
    account = BillingAccount.objects.create(
        region=region, plan=plan, collection_method=collection_method, contact_name=contact_name,
        contact_email=contact_email,
        # An invoiced region is in good standing until an invoice is overdue; a card region until it pays.
        status=BillingStatus.ACTIVE if collection_method == CollectionMethod.INVOICE else BillingStatus.PENDING,
        status_changed_at=timezone.now(),
    )
    record_change(actor=actor, action="billing.account_opened", target=account, after=snapshot(account))
    return account


def _has_live_subscription(account: BillingAccount) -> bool:
    return bool(account.stripe_subscription_id) and account.status not in {BillingStatus.CANCELED,
                                                                           BillingStatus.PENDING}


def change_billing_terms(account: BillingAccount, *, plan: Plan, collection_method: str, actor) -> BillingAccount:
    """The operator moves a region to another plan or marks it as invoiced (bank transfer)."""
    if collection_method not in CollectionMethod.values:
        raise ValidationError({"collection_method": [_("Choose card (Stripe) or invoice (bank transfer).")]})
    if (collection_method == CollectionMethod.INVOICE and account.collection_method == CollectionMethod.STRIPE
            and _has_live_subscription(account)):
        raise ValidationError({"collection_method": [
            _("The region still has a card subscription in Stripe; cancel it there before invoicing by bank "
              "transfer.")]})
    if plan.pk != account.plan_id and _has_live_subscription(account):
        raise ValidationError({"plan": [
            _("The card subscription was priced on %s; change the plan in Stripe or after the subscription "
              "ends.") % account.plan.name]})
    with transaction.atomic():
        before = snapshot(account, ["plan_id", "collection_method"])
        account.plan, account.collection_method = plan, collection_method
        account.save(update_fields=["plan", "collection_method"])
        record_change(actor=actor, action="billing.terms_changed", target=account, before=before,
                      after=snapshot(account, ["plan_id", "collection_method"]))
        if collection_method == CollectionMethod.INVOICE and account.status == BillingStatus.PENDING:
            set_billing_status(account, BillingStatus.ACTIVE, actor=actor,
                               reason=_("Billed by invoice (bank transfer)."))
    return account


# --- the one place a billing status changes -------------------------------------------------------

def set_billing_status(account: BillingAccount, status: str, *, actor=None, reason: str = "",
                       at: datetime.datetime | None = None) -> bool:
    """Change the billing status and make the region follow: unpaid or canceled suspends it, paid (or
    trialing) again lifts a suspension that billing made. Returns whether anything changed."""
    at = at or timezone.now()
    if status == account.status:
        return False
    before = snapshot(account, STATUS_FIELDS)
    account.status = status
    account.status_changed_at = timezone.now()
    if status == BillingStatus.PAST_DUE:
        account.past_due_since = account.past_due_since or at
    elif status in IN_GOOD_STANDING:
        account.past_due_since = None
    region = account.region
    if status in SUSPENDING:
        _suspend_for_billing(account, region, reason or _("Billing status: %s.") % account.get_status_display())
    elif status in IN_GOOD_STANDING:
        _lift_billing_suspension(account, region, reason or _("Payment received."))
    account.save(update_fields=["status", "status_changed_at", "past_due_since", "suspended_for_billing"])
    record_change(actor=actor, action="billing.status_changed", target=account, before=before,
                  after=snapshot(account, STATUS_FIELDS), reason=reason)
    return True


def _suspend_for_billing(account: BillingAccount, region: Region, reason: str) -> None:
    if account.suspended_for_billing or region.status != RegionStatus.ACTIVE:
        return  # already closed, by billing or by the operator for a reason of their own
    region_services.suspend_region(region, actor=None, reason=reason)
    account.suspended_for_billing = True


def _lift_billing_suspension(account: BillingAccount, region: Region, reason: str) -> None:
    if not account.suspended_for_billing:
        return
    if region.status == RegionStatus.SUSPENDED:
        region_services.reactivate_region(region, actor=None, reason=reason)
    account.suspended_for_billing = False


def grace_ends_at(account: BillingAccount) -> datetime.datetime | None:
    if account.status != BillingStatus.PAST_DUE or account.past_due_since is None:
        return None
    return account.past_due_since + datetime.timedelta(days=account.plan.grace_days)


def _start_of_day_after(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time()))


def _settle_offline(account: BillingAccount, *, today: datetime.date, actor=None) -> None:
    """An invoiced region is past due while any invoice is open after its due date, else paid up."""
    overdue = (account.invoices.filter(source=InvoiceSource.OFFLINE, status=InvoiceStatus.OPEN, due_on__lt=today)
               .order_by("due_on").first())
    if overdue is not None:
        set_billing_status(account, BillingStatus.PAST_DUE, actor=actor, at=_start_of_day_after(overdue.due_on),
                           reason=_("Invoice %(number)s was due on %(due)s.") % {
                               "number": overdue.number, "due": overdue.due_on.isoformat()})
    elif account.status in {BillingStatus.PAST_DUE, BillingStatus.UNPAID, BillingStatus.PENDING}:
        set_billing_status(account, BillingStatus.ACTIVE, actor=actor, reason=_("All invoices are paid."))


def enforce_grace_periods(now: datetime.datetime | None = None) -> list[BillingAccount]:
    """Daily: invoiced regions with an overdue invoice become past due, and any region past due beyond its
    plan's grace period is suspended. Returns the accounts suspended now."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    suspended = []
    accounts = (BillingAccount.objects.select_related("region", "plan")
                .exclude(region__status=RegionStatus.ARCHIVED))
    for account in accounts:
        with transaction.atomic():
            if account.collection_method == CollectionMethod.INVOICE:
                _settle_offline(account, today=today)
            ends = grace_ends_at(account)
            if ends is not None and now >= ends and not account.suspended_for_billing:
                before = snapshot(account, STATUS_FIELDS)
                reason = _("Payment overdue since %(since)s; the %(days)d-day grace period has passed.") % {
                    "since": timezone.localdate(account.past_due_since).isoformat(), "days": account.plan.grace_days}
                _suspend_for_billing(account, account.region, reason)
                if account.suspended_for_billing:
                    account.save(update_fields=["suspended_for_billing"])
                    record_change(actor=None, action="billing.grace_expired", target=account, before=before,
                                  after=snapshot(account, STATUS_FIELDS), reason=reason)
                    suspended.append(account)
    return suspended


# --- invoices and payments ------------------------------------------------------------------------

def _month_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = day.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def issue_offline_invoice(account: BillingAccount, *, month: datetime.date, due_on: datetime.date,
                          actor) -> Invoice:
    """An invoice for one month: the region's active headcount, counted now, times the plan's price."""
    if account.collection_method != CollectionMethod.INVOICE:
        raise ValidationError({"collection_method": [_("Mark the region as invoiced before issuing invoices.")]})
    start, end = _month_bounds(month)
    today = timezone.localdate()
    if due_on < today:
        raise ValidationError({"due_on": [_("The due date cannot be in the past.")]})
    number = f"KNJ-{account.region.region_code or account.region.schema_name}-{start:%Y%m}"
    if Invoice.objects.filter(source=InvoiceSource.OFFLINE, number=number).exists():
        raise ValidationError({"month": [_("Invoice %s for this month was already issued.") % number]})
    headcount = count_active_employees(account.region)
    with transaction.atomic():
        account.active_headcount, account.headcount_synced_at = headcount, timezone.now()
        account.next_invoice_on = end + datetime.timedelta(days=1)
        account.save(update_fields=["active_headcount", "headcount_synced_at", "next_invoice_on"])
        invoice = Invoice.objects.create(
            account=account, source=InvoiceSource.OFFLINE, number=number, status=InvoiceStatus.OPEN,
            period_start=start, period_end=end, quantity=headcount,
            amount_due=headcount * account.plan.price_per_employee, issued_on=today, due_on=due_on,
        )
        record_change(actor=actor, action="billing.invoice_issued", target=invoice, after=snapshot(invoice))
        region_services.tell_region_hr(
            account.region, "billing.due", {"number": invoice.number, "amount": rupiah(invoice.amount_due),
                                            "region": account.region.name, "due": invoice.due_on},
            page("region_billing:invoice-detail", invoice.pk), event_key=f"invoice:{invoice.number}")
    return invoice


def record_payment(invoice: Invoice, *, amount: int, paid_on: datetime.date, method: str, reference: str = "",
                   actor=None, paid_at: datetime.datetime | None = None) -> Payment:
    """A payment against an invoice, from the operator (bank transfer) or from Stripe (card). An invoiced
    region's status follows its invoices at once; a card region's follows its subscription."""
    amount = int(amount)
    if amount < 1:
        raise ValidationError({"amount": [_("The amount is a whole number of rupiah, at least 1.")]})
    if invoice.status in {InvoiceStatus.VOID, InvoiceStatus.DRAFT}:
        raise ValidationError({"invoice": [_("Invoice %s is not payable.") % invoice]})
    if method == PaymentMethod.BANK_TRANSFER:
        if invoice.source != InvoiceSource.OFFLINE:
            raise ValidationError({"invoice": [_("Invoice %s is paid through Stripe.") % invoice]})
        if amount > invoice.amount_remaining:
            raise ValidationError({"amount": [_("%(amount)s is more than the %(left)s left on invoice %(number)s.")
                                              % {"amount": formats.rupiah(amount), "left": formats.rupiah(invoice.amount_remaining),
                                                 "number": invoice}]})
        if paid_on > timezone.localdate():
            raise ValidationError({"paid_on": [_("The payment date cannot be in the future.")]})
    with transaction.atomic():
        payment = Payment.objects.create(invoice=invoice, amount=amount, paid_on=paid_on, method=method,
                                         reference=reference[:120], recorded_by=actor if actor else None)
        before = snapshot(invoice, ["status", "amount_paid"])
        invoice.amount_paid += amount
        if invoice.amount_paid >= invoice.amount_due:
            invoice.status = InvoiceStatus.PAID
            invoice.paid_at = invoice.paid_at or paid_at or timezone.now()
        invoice.save(update_fields=["amount_paid", "status", "paid_at"])
        account = invoice.account
        account.last_payment_at = paid_at or timezone.now()
        account.last_payment_amount = amount
        account.save(update_fields=["last_payment_at", "last_payment_amount"])
        record_change(actor=actor, action="billing.payment_recorded", target=invoice, before=before,
                      after=snapshot(invoice, ["status", "amount_paid"]),
                      reason=f"{payment.get_method_display()} {reference}".strip())
        if account.collection_method == CollectionMethod.INVOICE:
            _settle_offline(account, today=timezone.localdate(), actor=actor)
    return payment


# --- headcount ------------------------------------------------------------------------------------

def count_active_employees(region: Region) -> int:
    with schema_context(region.schema_name):
        return people_selectors.active_headcount()


def sync_headcount(region: Region) -> BillingAccount | None:
    """Count the region's active employees and, for a card subscription, set its quantity in Stripe."""
    headcount = count_active_employees(region)
    with schema_context("public"), transaction.atomic():
        account = BillingAccount.objects.select_for_update().filter(region=region).first()
        if account is None:
            return None
        account.active_headcount, account.headcount_synced_at = headcount, timezone.now()
        push = (account.collection_method == CollectionMethod.STRIPE and account.stripe_subscription_item_id
                and account.status != BillingStatus.CANCELED and account.billed_quantity != headcount)
        if push:
            account.quantity_version += 1
            gateway.update_quantity(account_id=account.pk, version=account.quantity_version,
                                    item_id=account.stripe_subscription_item_id, quantity=headcount)
            account.billed_quantity = headcount
        account.save(update_fields=["active_headcount", "headcount_synced_at", "quantity_version", "billed_quantity"])
    return account


def headcount_changed(schema_name: str | None = None) -> None:
    """Call after anything that changes who is active in a region (an import, a termination). Runs once
    the caller's transaction commits; a Stripe failure is logged and left to the daily sync."""
    schema = schema_name or connection.schema_name

    def sync() -> None:
        with schema_context("public"):
            region = Region.objects.filter(schema_name=schema).first()
            if region is None or region.is_platform:
                return
            try:
                sync_headcount(region)
            except (stripe.StripeError, gateway.StripeNotConfigured):
                logger.warning("Headcount of %s not sent to Stripe; the daily sync retries.", schema, exc_info=True)

    transaction.on_commit(sync, robust=True)


def sync_all_headcounts() -> dict[str, int | None]:
    """Daily, from the public schema: every billed region's headcount, one region's failure not stopping
    the others."""
    results: dict[str, int | None] = {}
    regions = regions_in_service().filter(billing_account__isnull=False)
    for region in regions:
        try:
            account = sync_headcount(region)
            results[region.schema_name] = account.active_headcount if account else None
        except Exception:  # noqa: BLE001 - logged, retried tomorrow
            logger.exception("Headcount sync failed for %s", region.schema_name)
            results[region.schema_name] = None
    return results


# --- Stripe: checkout and the billing portal -------------------------------------------------------

def _ensure_customer(account: BillingAccount) -> str:
    if not account.stripe_customer_id:
        customer = gateway.create_customer(account_id=account.pk, region_name=account.region.name,
                                           schema_name=account.region.schema_name,
                                           email=account.contact_email)
        account.stripe_customer_id = customer["id"]
        account.save(update_fields=["stripe_customer_id"])
    return account.stripe_customer_id


def start_checkout(account: BillingAccount, *, success_url: str, cancel_url: str, actor=None) -> str:
    """A Stripe Checkout page for the first payment (after the plan's trial); returns its address."""
    if account.collection_method != CollectionMethod.STRIPE:
        raise ValidationError({"collection_method": [_("This region pays by invoice (bank transfer).")]})
    if _has_live_subscription(account):
        raise ValidationError({"subscription": [_("The region already has a subscription; manage it in the "
                                                  "billing portal.")]})
    customer_id = _ensure_customer(account)
    headcount = count_active_employees(account.region)
    trial_days = account.plan.trial_days if not account.stripe_subscription_id else 0  # one trial per region
    session = gateway.create_checkout_session(
        account_id=account.pk, attempt=uuid.uuid4().hex, customer_id=customer_id, plan_name=account.plan.name,
        price_per_employee=account.plan.price_per_employee, quantity=max(headcount, 1), trial_days=trial_days,
        success_url=success_url, cancel_url=cancel_url,
    )
    record_change(actor=actor, action="billing.checkout_started", target=account,
                  after={"checkout_session": session["id"], "quantity": max(headcount, 1)})
    return session["url"]


def open_billing_portal(account: BillingAccount, *, return_url: str) -> str:
    if not account.stripe_customer_id:
        raise ValidationError({"customer": [_("Pay for the first time before opening the billing portal.")]})
    session = gateway.create_portal_session(account_id=account.pk, attempt=uuid.uuid4().hex,
                                            customer_id=account.stripe_customer_id, return_url=return_url)
    return session["url"]


def refresh_stripe_invoices(account: BillingAccount) -> int:
    """Pull the customer's invoices from Stripe (fills in any webhook that never arrived)."""
    if not account.stripe_customer_id:
        return 0
    invoices = gateway.list_invoices(account.stripe_customer_id)
    with transaction.atomic():
        for data in invoices:
            _upsert_stripe_invoice(account, data)
    return len(invoices)


# --- Stripe: the webhook --------------------------------------------------------------------------

def receive_stripe_event(payload: bytes, signature: str) -> StripeEvent:
    """Verify the signature (stripe.SignatureVerificationError when it fails), store the event once and
    process it once: a replay of a processed event changes nothing."""
    gateway.verify_event(payload, signature)
    data = json.loads(payload)
    with transaction.atomic():
        stored, _created = StripeEvent.objects.get_or_create(
            event_id=data["id"],
            defaults={"event_type": data.get("type", ""), "created": int(data.get("created") or 0), "payload": data},
        )
    try:
        with transaction.atomic():
            stored = StripeEvent.objects.select_for_update().get(pk=stored.pk)
            if stored.processed_at is not None:
                return stored
            stored.outcome = _dispatch(stored.event_type, stored.created, data["data"]["object"])
            stored.processed_at = timezone.now()
            stored.detail = ""
            stored.save(update_fields=["outcome", "processed_at", "detail"])
    except Exception as error:
        StripeEvent.objects.filter(pk=stored.pk).update(outcome="failed", detail=repr(error)[:2000])
        raise
    return stored


def _dispatch(event_type: str, created: int, obj: dict) -> str:
    if event_type == "checkout.session.completed":
        return _on_checkout_completed(obj, created)
    if event_type.startswith("customer.subscription."):
        return _on_subscription_event(obj, created)
    if event_type.startswith("invoice."):
        return _on_invoice_event(obj)
    return "ignored"


def _locked_account(*, customer_id: str = "", account_ref: str = "") -> BillingAccount | None:
    accounts = BillingAccount.objects.select_for_update().select_related("region", "plan")
    if account_ref and account_ref.isdigit():
        account = accounts.filter(pk=int(account_ref)).first()
        if account is not None:
            return account
    return accounts.filter(stripe_customer_id=customer_id).first() if customer_id else None


def _on_checkout_completed(session: dict, created: int) -> str:
    if session.get("mode") != "subscription" or not session.get("subscription"):
        return "ignored"
    account = _locked_account(customer_id=session.get("customer") or "",
                              account_ref=session.get("client_reference_id") or "")
    if account is None:
        return "unknown_customer"
    if not account.stripe_customer_id:
        account.stripe_customer_id = session["customer"]
        account.save(update_fields=["stripe_customer_id"])
    # The session does not carry the subscription's state; the subscription itself does.
    return _apply_subscription(account, gateway.retrieve_subscription(session["subscription"]), created)


def _on_subscription_event(subscription: dict, created: int) -> str:
    account = _locked_account(customer_id=subscription.get("customer") or "",
                              account_ref=(subscription.get("metadata") or {}).get("billing_account", ""))
    if account is None:
        return "unknown_customer"
    return _apply_subscription(account, subscription, created)


def _as_datetime(seconds: int | None) -> datetime.datetime | None:
    return datetime.datetime.fromtimestamp(int(seconds), tz=datetime.timezone.utc) if seconds else None


def _apply_subscription(account: BillingAccount, sub: dict, created: int) -> str:
    """Apply a subscription's state unless we already hold a newer one: an event about an older
    subscription, or an older event about this one, changes nothing."""
    sub_created = int(sub.get("created") or 0)
    if account.stripe_subscription_id and sub["id"] != account.stripe_subscription_id:
        if account.stripe_subscription_created and sub_created < account.stripe_subscription_created:
            return "stale"
        account.stripe_state_at = None  # a newer subscription replaces the old one
    elif account.stripe_state_at is not None:
        if created < account.stripe_state_at:
            return "stale"
        if created == account.stripe_state_at and STRIPE_STATUS.get(sub.get("status")) != account.status:
            # Two states stamped with the same second: the subscription's current state settles it.
            sub = gateway.retrieve_subscription(sub["id"])
    items = (sub.get("items") or {}).get("data") or []
    item = items[0] if items else {}
    account.stripe_subscription_id = sub["id"]
    account.stripe_subscription_created = sub_created or account.stripe_subscription_created
    account.stripe_subscription_item_id = item.get("id", account.stripe_subscription_item_id)
    if item.get("quantity") is not None:
        account.billed_quantity = item["quantity"]
    account.trial_ends_at = _as_datetime(sub.get("trial_end"))
    period_end = item.get("current_period_end") or sub.get("current_period_end")
    if period_end and sub.get("status") not in {"canceled", "incomplete_expired"}:
        account.next_invoice_on = timezone.localdate(_as_datetime(period_end))
    elif sub.get("status") == "canceled":
        account.next_invoice_on = None
    if not account.stripe_customer_id and sub.get("customer"):
        account.stripe_customer_id = sub["customer"]
    account.stripe_state_at = max(created, account.stripe_state_at or 0)
    account.save()
    status = STRIPE_STATUS.get(sub.get("status"), account.status)
    set_billing_status(account, status, at=_as_datetime(created),
                       reason=_("Stripe subscription %(id)s is %(status)s.") % {"id": sub["id"],
                                                                                "status": sub.get("status")})
    return "applied"


def _on_invoice_event(data: dict) -> str:
    account = _locked_account(customer_id=data.get("customer") or "")
    if account is None:
        return "unknown_customer"
    return _upsert_stripe_invoice(account, data)


def _upsert_stripe_invoice(account: BillingAccount, data: dict) -> str:
    status = data.get("status") or InvoiceStatus.DRAFT
    if status not in InvoiceStatus.values:
        return "ignored"
    invoice = Invoice.objects.select_for_update().filter(stripe_invoice_id=data["id"]).first()
    if invoice is not None and INVOICE_STATUS_RANK[status] < INVOICE_STATUS_RANK[invoice.status]:
        return "stale"
    lines = (data.get("lines") or {}).get("data") or []
    period = (lines[0].get("period") if lines else None) or {}
    created = _as_datetime(data.get("created")) or timezone.now()
    fields = {
        "account": account, "source": InvoiceSource.STRIPE, "number": data.get("number") or "",
        "amount_due": gateway.from_stripe_amount(data.get("amount_due")),
        "quantity": sum(int(line.get("quantity") or 0) for line in lines),
        "period_start": timezone.localdate(_as_datetime(period.get("start") or data.get("period_start")) or created),
        "period_end": timezone.localdate(_as_datetime(period.get("end") or data.get("period_end")) or created),
        "issued_on": timezone.localdate(created),
        "due_on": timezone.localdate(_as_datetime(data["due_date"])) if data.get("due_date") else None,
        "hosted_url": data.get("hosted_invoice_url") or "",
    }
    if invoice is None:
        invoice = Invoice(stripe_invoice_id=data["id"], status=InvoiceStatus.DRAFT, **fields)
    else:
        for name, value in fields.items():
            setattr(invoice, name, value)
    newly_paid = status == InvoiceStatus.PAID and invoice.status != InvoiceStatus.PAID
    # A paid invoice was finalised (open) first, even when that event never reached us.
    invoice.status = InvoiceStatus.OPEN if newly_paid else status
    invoice.save()
    if newly_paid:
        paid_at = _as_datetime((data.get("status_transitions") or {}).get("paid_at")) or timezone.now()
        amount = gateway.from_stripe_amount(data.get("amount_paid"))
        if amount:
            record_payment(invoice, amount=amount, paid_on=timezone.localdate(paid_at), method=PaymentMethod.CARD,
                           reference=data["id"], paid_at=paid_at)
            invoice.refresh_from_db()
        invoice.status, invoice.paid_at = InvoiceStatus.PAID, paid_at
        invoice.save(update_fields=["status", "paid_at"])
    return "applied"
