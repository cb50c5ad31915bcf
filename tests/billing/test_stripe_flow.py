"""Card payments end to end against the fake Stripe server: sign-up, approval, Checkout, webhooks; the
trial's end; a failing card through past due and unpaid (region suspended) back to paid (reopened)."""
import datetime

import pytest
from django.utils import timezone

from kinerja.accounts.models import Role
from kinerja.audit.models import AuditEntry
from tenants.billing import services
from tenants.billing.models import BillingAccount, BillingStatus, Invoice, InvoiceStatus, Payment, RegionApplication
from tenants.models import Region, RegionStatus
from tests.billing.conftest import add_employees, checkout_session_id
from tests.helpers import client_for, make_user

pytestmark = pytest.mark.django_db

SIGNUP = {"region_name": "Kabupaten Agam", "kind": "kabupaten", "region_code": "13.06",
          "province": "Sumatera Barat", "time_zone": "Asia/Jakarta", "contact_name": "Kepala BKPSDM Agam",
          "contact_email": "bkpsdm@agamkab.go.id", "estimated_employees": "7200"}


def start_checkout(region, fake):
    admin = make_user(region, Role.HR_ADMIN, username="hr-billing")
    response = client_for(region, admin).post("/billing/checkout/")
    session_id = checkout_session_id(fake)
    assert response.status_code == 302 and response["Location"] == fake.sessions[session_id]["url"]
    return session_id


def test_sign_up_approve_checkout_and_the_webhook_makes_it_active(fake_stripe, deliver, plan, operator):
    plan.trial_days = 0
    plan.save()
    client_for(None).post("/billing/signup/", {**SIGNUP, "plan": plan.pk})
    application = RegionApplication.objects.get()
    services.approve_application(application, actor=operator, slug="agam")
    region = Region.objects.get(schema_name="agam")
    add_employees(region, 3)

    session_id = start_checkout(region, fake_stripe)
    session = fake_stripe.sessions[session_id]
    account = BillingAccount.objects.get(region=region)
    assert session["customer"] == account.stripe_customer_id
    assert session["_line"]["quantity"] == "3"
    assert session["_line"]["price_data"]["unit_amount"] == "250000"  # Rp2.500 in Stripe's hundredths

    deliver(*fake_stripe.complete_checkout(session_id))
    account.refresh_from_db()
    subscription = fake_stripe.subscriptions[session["subscription"]]
    assert account.status == BillingStatus.ACTIVE
    assert account.stripe_subscription_id == subscription["id"]
    assert account.stripe_subscription_item_id == subscription["items"]["data"][0]["id"]
    assert account.billed_quantity == 3
    invoice = Invoice.objects.get(account=account)
    assert (invoice.status, invoice.amount_due, invoice.amount_paid, invoice.quantity) == (
        InvoiceStatus.PAID, 7_500, 7_500, 3)
    assert account.last_payment_amount == 7_500 and account.next_invoice_on is not None
    assert AuditEntry.objects.filter(action="billing.status_changed", target_id=str(account.pk),
                                     after__status="active").exists()
    every_write = fake_stripe.post_requests()
    assert every_write and all((r["idempotency_key"] or "").startswith("kinerja-") for r in every_write)


def test_trial_then_first_charge_when_the_trial_ends(fake_stripe, deliver, stripe_account, region_a):
    add_employees(region_a, 2)
    session_id = start_checkout(region_a, fake_stripe)
    assert fake_stripe.sessions[session_id]["_subscription_data"]["trial_period_days"] == "30"
    deliver(*fake_stripe.complete_checkout(session_id))
    stripe_account.refresh_from_db()
    assert stripe_account.status == BillingStatus.TRIALING
    assert stripe_account.trial_ends_at - timezone.now() > datetime.timedelta(days=29)
    assert not Invoice.objects.filter(account=stripe_account).exists()

    deliver(*fake_stripe.end_trial(stripe_account.stripe_subscription_id, pay=True))
    stripe_account.refresh_from_db()
    assert stripe_account.status == BillingStatus.ACTIVE
    assert Invoice.objects.get(account=stripe_account).amount_paid == 5_000


def test_failed_card_past_due_unpaid_suspends_and_payment_reopens(fake_stripe, deliver, stripe_account, region_a):
    add_employees(region_a, 4)
    stripe_account.plan.trial_days = 0
    stripe_account.plan.save()
    session_id = start_checkout(region_a, fake_stripe)
    deliver(*fake_stripe.complete_checkout(session_id))
    subscription_id = stripe_account.__class__.objects.get(pk=stripe_account.pk).stripe_subscription_id
    hr = make_user(region_a, Role.HR_ADMIN, username="hr-grace")

    deliver(*fake_stripe.renew(subscription_id, pay=False))
    account = BillingAccount.objects.get(pk=stripe_account.pk)
    assert account.status == BillingStatus.PAST_DUE and account.past_due_since is not None
    region_a.refresh_from_db()
    assert region_a.status == RegionStatus.ACTIVE  # still within the grace period
    open_invoice = Invoice.objects.get(account=account, status=InvoiceStatus.OPEN)
    assert open_invoice.amount_due == 10_000

    deliver(*fake_stripe.retries_exhausted(subscription_id, then="unpaid"))
    account.refresh_from_db()
    region_a.refresh_from_db()
    assert account.status == BillingStatus.UNPAID and account.suspended_for_billing
    assert region_a.status == RegionStatus.SUSPENDED and "unpaid" in region_a.status_reason
    assert client_for(region_a, hr).get("/dashboard/").status_code == 403

    deliver(*fake_stripe.pay_open_invoice(subscription_id))
    account.refresh_from_db()
    region_a.refresh_from_db()
    assert account.status == BillingStatus.ACTIVE and not account.suspended_for_billing
    assert region_a.status == RegionStatus.ACTIVE
    open_invoice.refresh_from_db()
    assert open_invoice.status == InvoiceStatus.PAID
    assert Payment.objects.filter(invoice=open_invoice).count() == 1
    assert client_for(region_a, hr).get("/dashboard/").status_code == 200
    actions = list(AuditEntry.objects.filter(target_id__in=[str(account.pk), str(region_a.pk)],
                                             action__in=["billing.status_changed", "region.suspended",
                                                         "region.reactivated"])
                   .order_by("at", "id").values_list("action", "after__status"))
    assert actions[-5:] == [("billing.status_changed", "past_due"), ("region.suspended", "suspended"),
                            ("billing.status_changed", "unpaid"), ("region.reactivated", "active"),
                            ("billing.status_changed", "active")]


def test_canceled_subscription_suspends_the_region(fake_stripe, deliver, stripe_account, region_a):
    session_id = start_checkout(region_a, fake_stripe)
    deliver(*fake_stripe.complete_checkout(session_id))
    subscription_id = BillingAccount.objects.get(pk=stripe_account.pk).stripe_subscription_id
    deliver(*fake_stripe.retries_exhausted(subscription_id, then="canceled"))
    region_a.refresh_from_db()
    assert region_a.status == RegionStatus.SUSPENDED
    assert BillingAccount.objects.get(pk=stripe_account.pk).status == BillingStatus.CANCELED


def test_payment_does_not_lift_a_suspension_the_operator_made(fake_stripe, deliver, stripe_account, region_a, operator):
    session_id = start_checkout(region_a, fake_stripe)
    deliver(*fake_stripe.complete_checkout(session_id))
    subscription_id = BillingAccount.objects.get(pk=stripe_account.pk).stripe_subscription_id
    deliver(*fake_stripe.renew(subscription_id, pay=False))
    from tenants.services import suspend_region
    suspend_region(Region.objects.get(pk=region_a.pk), actor=operator, reason="Audit BPKP sedang berjalan.")
    deliver(*fake_stripe.pay_open_invoice(subscription_id))
    region_a.refresh_from_db()
    assert region_a.status == RegionStatus.SUSPENDED and region_a.status_reason == "Audit BPKP sedang berjalan."
    assert BillingAccount.objects.get(pk=stripe_account.pk).status == BillingStatus.ACTIVE


def test_past_due_beyond_the_grace_period_suspends_and_the_banner_warns_before(
        fake_stripe, deliver, stripe_account, region_a, settings):
    hr = make_user(region_a, Role.HR_ADMIN, username="hr-banner")
    session_id = start_checkout(region_a, fake_stripe)
    deliver(*fake_stripe.complete_checkout(session_id))
    page = client_for(region_a, hr).get("/dashboard/").content.decode()
    assert 'data-testid="billing-banner"' not in page

    subscription_id = BillingAccount.objects.get(pk=stripe_account.pk).stripe_subscription_id
    deliver(*fake_stripe.renew(subscription_id, pay=False))
    account = BillingAccount.objects.get(pk=stripe_account.pk)
    page = client_for(region_a, hr).get("/dashboard/").content.decode()
    assert 'data-testid="billing-banner"' in page and 'href="/billing/"' in page
    auditor = make_user(region_a, Role.AUDITOR, username="auditor-banner")
    page = client_for(region_a, auditor).get("/dashboard/").content.decode()
    assert 'data-testid="billing-banner"' in page and 'href="/billing/"' not in page  # not theirs to open
    grace_end = services.grace_ends_at(account)
    assert grace_end == account.past_due_since + datetime.timedelta(days=7)
    assert client_for(region_a, hr).get("/api/v1/units/").status_code == 200  # no banner in API answers

    assert services.enforce_grace_periods(now=grace_end - datetime.timedelta(minutes=1)) == []
    region_a.refresh_from_db()
    assert region_a.status == RegionStatus.ACTIVE
    assert [a.pk for a in services.enforce_grace_periods(now=grace_end)] == [account.pk]
    region_a.refresh_from_db()
    assert region_a.status == RegionStatus.SUSPENDED and "grace period" in region_a.status_reason

    deliver(*fake_stripe.pay_open_invoice(subscription_id))
    region_a.refresh_from_db()
    assert region_a.status == RegionStatus.ACTIVE
    assert 'data-testid="billing-banner"' not in client_for(region_a, hr).get("/dashboard/").content.decode()


def test_billing_portal_opens_for_the_customer(fake_stripe, deliver, stripe_account, region_a):
    hr = make_user(region_a, Role.HR_ADMIN, username="hr-portal")
    response = client_for(region_a, hr).post("/billing/portal/")
    assert response.status_code == 302 and not fake_stripe.portal_sessions  # no customer yet: nothing to open
    session_id = start_checkout(region_a, fake_stripe)
    deliver(*fake_stripe.complete_checkout(session_id))
    response = client_for(region_a, hr).post("/billing/portal/")
    (portal,) = fake_stripe.portal_sessions.values()
    assert response["Location"] == portal["url"]
    assert portal["customer"] == BillingAccount.objects.get(pk=stripe_account.pk).stripe_customer_id
    assert portal["return_url"] == "http://bukittinggi.localhost/billing/"


def test_stripe_outage_at_checkout_is_reported_and_nothing_is_saved(fake_stripe, stripe_account, region_a):
    from tests.billing.fake_stripe import StripeError
    fake_stripe.fail_next.extend([StripeError(500, "Internal error", kind="api_error")] * 3)
    hr = make_user(region_a, Role.HR_ADMIN, username="hr-outage")
    response = client_for(region_a, hr).post("/billing/checkout/", follow=True)
    assert "unavailable" in response.content.decode()
    assert BillingAccount.objects.get(pk=stripe_account.pk).stripe_customer_id == ""


def test_invoices_are_pulled_from_stripe_when_a_webhook_was_missed(fake_stripe, stripe_account, region_a):
    session_id = start_checkout(region_a, fake_stripe)
    fake_stripe.complete_checkout(session_id)  # the events never arrive
    fake_stripe.renew(next(iter(fake_stripe.subscriptions)), pay=True)
    account = BillingAccount.objects.get(pk=stripe_account.pk)
    assert services.refresh_stripe_invoices(account) == 1
    invoice = Invoice.objects.get(account=account)
    assert invoice.status == InvoiceStatus.PAID and invoice.source == "stripe"
