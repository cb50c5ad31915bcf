"""Regions billed by invoice and paid by bank transfer follow the same suspension rules as card regions."""
import datetime

import pytest
from django.utils import timezone

from kinerja.audit.models import AuditEntry
from tenants.billing import services
from tenants.billing.models import BillingAccount, BillingStatus, CollectionMethod, Invoice, InvoiceStatus
from tenants.models import RegionStatus
from tests.billing.conftest import add_employees
from tests.helpers import client_for

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def invoiced(stripe_account, operator):
    return services.change_billing_terms(stripe_account, plan=stripe_account.plan,
                                         collection_method=CollectionMethod.INVOICE, actor=operator)


def test_operator_marks_a_region_as_invoiced(stripe_account, operator):
    client = client_for(None, operator)
    response = client.post(f"/billing/regions/{stripe_account.region_id}/",
                           {"action": "terms", "plan": stripe_account.plan_id, "collection_method": "invoice"})
    assert response.status_code == 302
    account = BillingAccount.objects.get(pk=stripe_account.pk)
    assert (account.collection_method, account.status) == (CollectionMethod.INVOICE, BillingStatus.ACTIVE)
    assert AuditEntry.objects.filter(action="billing.terms_changed", target_id=str(account.pk),
                                     actor=operator).exists()


def test_invoice_amount_is_headcount_times_price(invoiced, region_a, operator):
    add_employees(region_a, 40)
    invoice = services.issue_offline_invoice(invoiced, month=datetime.date(2025, 3, 17),
                                             due_on=TODAY() + datetime.timedelta(days=14), actor=operator)
    assert (invoice.number, invoice.quantity, invoice.amount_due) == ("KNJ-13.75-202503", 40, 100_000)
    assert (invoice.period_start, invoice.period_end) == (datetime.date(2025, 3, 1), datetime.date(2025, 3, 31))
    assert BillingAccount.objects.get(pk=invoiced.pk).next_invoice_on == datetime.date(2025, 4, 1)
    with pytest.raises(Exception) as twice:
        services.issue_offline_invoice(invoiced, month=datetime.date(2025, 3, 1), due_on=TODAY(), actor=operator)
    assert "already issued" in str(twice.value)


def test_overdue_beyond_grace_suspends_and_payment_reactivates(invoiced, region_a, operator):
    add_employees(region_a, 10)
    invoice = services.issue_offline_invoice(invoiced, month=TODAY(), due_on=TODAY(), actor=operator)
    services.enforce_grace_periods()
    assert BillingAccount.objects.get(pk=invoiced.pk).status == BillingStatus.ACTIVE  # due today is not overdue

    Invoice.objects.filter(pk=invoice.pk).update(due_on=TODAY() - datetime.timedelta(days=3))  # three days pass
    services.enforce_grace_periods()
    account = BillingAccount.objects.get(pk=invoiced.pk)
    region_a.refresh_from_db()
    assert account.status == BillingStatus.PAST_DUE and region_a.status == RegionStatus.ACTIVE
    assert timezone.localdate(account.past_due_since) == TODAY() - datetime.timedelta(days=2)

    assert services.enforce_grace_periods(now=timezone.now() + datetime.timedelta(days=4)) == []
    suspended = services.enforce_grace_periods(now=timezone.now() + datetime.timedelta(days=5))
    assert [a.pk for a in suspended] == [account.pk]
    region_a.refresh_from_db()
    assert region_a.status == RegionStatus.SUSPENDED and "grace period" in region_a.status_reason

    client = client_for(None, operator)
    client.post(f"/billing/invoices/{invoice.pk}/payments/", {"amount": 10_000, "paid_on": TODAY().isoformat(),
                                                               "reference": "BRI 0042"})
    invoice.refresh_from_db()
    region_a.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN and invoice.amount_paid == 10_000
    assert region_a.status == RegionStatus.SUSPENDED  # half paid is not paid

    response = client.post(f"/billing/invoices/{invoice.pk}/payments/",
                           {"amount": 15_000, "paid_on": TODAY().isoformat(), "reference": "BRI 0043"})
    assert response.status_code == 302
    invoice.refresh_from_db()
    region_a.refresh_from_db()
    account.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID and invoice.amount_paid == 25_000
    assert region_a.status == RegionStatus.ACTIVE and account.status == BillingStatus.ACTIVE
    assert account.last_payment_amount == 15_000 and not account.suspended_for_billing
    assert AuditEntry.objects.filter(action="billing.payment_recorded", target_id=str(invoice.pk)).count() == 2


def test_payment_errors_name_the_reason_and_save_nothing(invoiced, region_a, operator):
    add_employees(region_a, 1)
    invoice = services.issue_offline_invoice(invoiced, month=TODAY(), due_on=TODAY(), actor=operator)
    for amount, paid_on, reason in ((5_000, TODAY(), "more than the Rp 2.500 left"),
                                    (0, TODAY(), "at least 1"),
                                    (100, TODAY() + datetime.timedelta(days=2), "cannot be in the future")):
        with pytest.raises(Exception) as refused:
            services.record_payment(invoice, amount=amount, paid_on=paid_on, method="bank_transfer", actor=operator)
        assert reason in str(refused.value)
    invoice.refresh_from_db()
    assert invoice.amount_paid == 0 and not invoice.payments.exists()


def test_invoices_need_an_invoiced_region(stripe_account, operator):
    with pytest.raises(Exception) as refused:
        services.issue_offline_invoice(stripe_account, month=TODAY(), due_on=TODAY(), actor=operator)
    assert "Mark the region as invoiced" in str(refused.value)


def test_a_live_card_subscription_must_end_before_invoicing(fake_stripe, deliver, stripe_account, operator):
    services.start_checkout(stripe_account, success_url="http://x/", cancel_url="http://x/")
    deliver(*fake_stripe.complete_checkout(next(iter(fake_stripe.sessions))))
    account = BillingAccount.objects.get(pk=stripe_account.pk)
    with pytest.raises(Exception) as refused:
        services.change_billing_terms(account, plan=account.plan, collection_method="invoice", actor=operator)
    assert "cancel it there" in str(refused.value)
