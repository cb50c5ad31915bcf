"""Billing in the public schema: plans, the applications regions send to sign up, each region's billing
account (Stripe or invoiced), invoices and payments, and the Stripe events received.

Money is whole rupiah in integer fields. Stripe counts IDR in hundredths; the conversion lives in
tenants.billing.gateway, nowhere else."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import Region, RegionKind, RegionTimeZone


class Plan(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    price_per_employee = models.PositiveIntegerField(_("price per active employee per month (rupiah)"))
    trial_days = models.PositiveSmallIntegerField(_("trial period (days)"), default=30)
    grace_days = models.PositiveSmallIntegerField(_("grace period for overdue payment (days)"), default=14)
    is_offered = models.BooleanField(_("offered on the sign-up page"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["price_per_employee", "name"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self):
        return self.name


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class RegionApplication(models.Model):
    """A region asking to join, from the public sign-up page, until the operator decides."""

    region_name = models.CharField(_("region name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=[c for c in RegionKind.choices if c[0] != "platform"])
    region_code = models.CharField(_("official region code"), max_length=10)
    province = models.CharField(_("province"), max_length=80)
    time_zone = models.CharField(_("time zone"), max_length=20, choices=RegionTimeZone.choices)
    contact_name = models.CharField(_("contact name"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    estimated_employees = models.PositiveIntegerField(_("estimated number of employees"))
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="applications", verbose_name=_("plan"))
    status = models.CharField(_("status"), max_length=10, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.PENDING, db_index=True)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("decided by"))
    decision_reason = models.CharField(_("reason"), max_length=300, blank=True)
    region = models.OneToOneField(Region, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="application", verbose_name=_("region"))

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("region application")
        verbose_name_plural = _("region applications")
        constraints = [
            # The service checks first and says so clearly; this stops two simultaneous submissions.
            models.UniqueConstraint(fields=["region_code"], condition=models.Q(status="pending"),
                                    name="billing_one_pending_application_per_code"),
        ]

    def __str__(self):
        return f"{self.region_name} ({self.region_code})"


class CollectionMethod(models.TextChoices):
    STRIPE = "stripe", _("Card, through Stripe")
    INVOICE = "invoice", _("Invoice, paid by bank transfer")


class BillingStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting first payment")
    TRIALING = "trialing", _("Trial")
    ACTIVE = "active", _("Paid up")
    PAST_DUE = "past_due", _("Payment overdue")
    UNPAID = "unpaid", _("Unpaid")
    CANCELED = "canceled", _("Canceled")


class BillingAccount(models.Model):
    region = models.OneToOneField(Region, on_delete=models.CASCADE, related_name="billing_account",
                                  verbose_name=_("region"))
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="accounts", verbose_name=_("plan"))
    collection_method = models.CharField(_("collection method"), max_length=10, choices=CollectionMethod.choices,
                                         default=CollectionMethod.STRIPE)
    status = models.CharField(_("billing status"), max_length=10, choices=BillingStatus.choices,
                              default=BillingStatus.PENDING, db_index=True)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    past_due_since = models.DateTimeField(_("overdue since"), null=True, blank=True)
    # Only a suspension billing made is lifted by a payment; an operator's own suspension stays.
    suspended_for_billing = models.BooleanField(default=False)
    contact_name = models.CharField(_("billing contact"), max_length=200, blank=True)
    contact_email = models.EmailField(_("billing e-mail"), blank=True)
    trial_ends_at = models.DateTimeField(_("trial ends"), null=True, blank=True)

    stripe_customer_id = models.CharField(max_length=60, blank=True, db_index=True)
    stripe_subscription_id = models.CharField(max_length=60, blank=True)
    stripe_subscription_item_id = models.CharField(max_length=60, blank=True)
    stripe_subscription_created = models.BigIntegerField(null=True, blank=True)  # unix seconds
    # `created` of the newest event whose state we hold; older events never overwrite it.
    stripe_state_at = models.BigIntegerField(null=True, blank=True)

    active_headcount = models.PositiveIntegerField(_("active employees"), default=0)
    headcount_synced_at = models.DateTimeField(_("headcount counted"), null=True, blank=True)
    billed_quantity = models.PositiveIntegerField(_("quantity on the subscription"), null=True, blank=True)
    quantity_version = models.PositiveIntegerField(default=0)

    last_payment_at = models.DateTimeField(_("last payment"), null=True, blank=True)
    last_payment_amount = models.PositiveBigIntegerField(_("last payment (rupiah)"), default=0)
    next_invoice_on = models.DateField(_("next invoice"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["region__name"]
        verbose_name = _("billing account")
        verbose_name_plural = _("billing accounts")

    def __str__(self):
        return str(self.region)

    @property
    def monthly_estimate(self) -> int:
        return self.active_headcount * self.plan.price_per_employee


class InvoiceSource(models.TextChoices):
    STRIPE = "stripe", _("Stripe")
    OFFLINE = "offline", _("Bank transfer")


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    PAID = "paid", _("Paid")
    VOID = "void", _("Void")
    UNCOLLECTIBLE = "uncollectible", _("Uncollectible")


class Invoice(models.Model):
    account = models.ForeignKey(BillingAccount, on_delete=models.CASCADE, related_name="invoices",
                                verbose_name=_("billing account"))
    source = models.CharField(_("source"), max_length=10, choices=InvoiceSource.choices)
    stripe_invoice_id = models.CharField(max_length=60, unique=True, null=True, blank=True)
    number = models.CharField(_("number"), max_length=60, blank=True)
    status = models.CharField(_("status"), max_length=15, choices=InvoiceStatus.choices, default=InvoiceStatus.OPEN)
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    quantity = models.PositiveIntegerField(_("employees billed"), default=0)
    amount_due = models.PositiveBigIntegerField(_("amount due (rupiah)"), default=0)
    amount_paid = models.PositiveBigIntegerField(_("amount paid (rupiah)"), default=0)
    issued_on = models.DateField(_("issued"))
    due_on = models.DateField(_("due"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    hosted_url = models.URLField(_("invoice page"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [
            models.UniqueConstraint(fields=["number"], condition=models.Q(source="offline"),
                                    name="billing_offline_invoice_number_unique"),
        ]

    def __str__(self):
        return self.number or self.stripe_invoice_id or f"#{self.pk}"

    @property
    def amount_remaining(self) -> int:
        return max(self.amount_due - self.amount_paid, 0)


class PaymentMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    CARD = "card", _("Card (Stripe)")


class Payment(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments", verbose_name=_("invoice"))
    amount = models.PositiveBigIntegerField(_("amount (rupiah)"))
    paid_on = models.DateField(_("paid on"))
    method = models.CharField(_("method"), max_length=15, choices=PaymentMethod.choices)
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-paid_on", "-id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self):
        return f"{self.amount} ({self.paid_on})"


class StripeEvent(models.Model):
    """Every webhook event received, once: the unique id makes a replay a no-op."""

    event_id = models.CharField(max_length=80, unique=True)
    event_type = models.CharField(max_length=80, db_index=True)
    created = models.BigIntegerField()  # the event's own `created`, unix seconds
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=40, blank=True)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")

    def __str__(self):
        return f"{self.event_id} {self.event_type}"
