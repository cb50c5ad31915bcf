"""The webhook: Stripe's signature is checked on the raw body, each event is stored and processed once,
and an event older than the state we hold never overwrites it."""
import copy
import json

import pytest

from kinerja.audit.models import AuditEntry
from tenants.billing import services
from tenants.billing.models import BillingAccount, BillingStatus, Invoice, Payment, StripeEvent
from tests.billing.conftest import post_event, signature_header

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscribed(fake_stripe, stripe_account):
    """A region that went through Checkout with no trial; its events are not delivered yet."""
    stripe_account.plan.trial_days = 0
    stripe_account.plan.save()
    services.start_checkout(stripe_account, success_url="http://bukittinggi.localhost/billing/",
                            cancel_url="http://bukittinggi.localhost/billing/")
    events = fake_stripe.complete_checkout(next(iter(fake_stripe.sessions)))
    return stripe_account, events


def test_events_signed_with_another_secret_or_altered_are_refused(fake_stripe, subscribed):
    account, events = subscribed
    body = json.dumps(events[0])
    assert post_event(events[0], secret="whsec_someone_else").status_code == 400
    tampered = body.replace('"trialing"', '"active"').replace('"active"', '"canceled"')
    assert post_event(None, body=tampered, header=signature_header(body)).status_code == 400
    assert post_event(events[0], header="").status_code == 400
    assert post_event(events[0], header=signature_header(body, timestamp=1_500_000_000)).status_code == 400  # too old
    assert not StripeEvent.objects.exists()
    assert BillingAccount.objects.get(pk=account.pk).status == BillingStatus.PENDING
    assert post_event(events[0]).status_code == 200  # the same event, signed as Stripe signs it


def test_a_replayed_event_is_processed_once(fake_stripe, deliver, subscribed):
    account, events = subscribed
    deliver(*events)
    paid = next(e for e in events if e["type"] == "invoice.paid")
    changes = AuditEntry.objects.filter(action__startswith="billing.").count()
    deliver(paid, paid, events[0])
    assert StripeEvent.objects.filter(event_id=paid["id"]).count() == 1
    assert Payment.objects.filter(invoice__account=account).count() == 1
    assert Invoice.objects.get(account=account).amount_paid == 2_500 * 1
    assert AuditEntry.objects.filter(action__startswith="billing.").count() == changes


def test_an_older_event_arriving_late_does_not_overwrite_a_newer_state(fake_stripe, deliver, subscribed):
    account, events = subscribed
    deliver(*events)
    subscription_id = BillingAccount.objects.get(pk=account.pk).stripe_subscription_id
    failed = fake_stripe.renew(subscription_id, pay=False)   # past_due at t1
    paid = fake_stripe.pay_open_invoice(subscription_id)     # active at t2 > t1
    deliver(*paid)
    deliver(*failed)                                         # t1 arrives after t2
    account.refresh_from_db()
    assert account.status == BillingStatus.ACTIVE and account.past_due_since is None
    stale = StripeEvent.objects.get(event_id=failed[-1]["id"])
    assert stale.outcome == "stale" and stale.processed_at is not None
    assert Invoice.objects.get(stripe_invoice_id=failed[0]["data"]["object"]["id"]).status == "paid"


def test_same_second_events_are_settled_by_the_subscription_itself(fake_stripe, deliver, subscribed):
    account, events = subscribed
    deliver(*events)
    subscription_id = BillingAccount.objects.get(pk=account.pk).stripe_subscription_id
    failed = fake_stripe.renew(subscription_id, pay=False)[-1]
    paid = fake_stripe.pay_open_invoice(subscription_id)[-1]
    paid["created"] = failed["created"]                      # Stripe stamps whole seconds
    deliver(paid, failed)
    account.refresh_from_db()
    assert account.status == BillingStatus.ACTIVE           # what Stripe holds now, not the last to arrive
    retrievals = [r for r in fake_stripe.requests if r["path"] == f"/v1/subscriptions/{subscription_id}"]
    assert len(retrievals) == 2                              # checkout.session.completed, then the tie


def test_an_event_about_an_older_subscription_is_ignored(fake_stripe, deliver, subscribed):
    account, events = subscribed
    deliver(*events)
    account.refresh_from_db()
    old = copy.deepcopy(events[0])
    old["id"] = "evt_old_subscription"
    old["created"] += 3600
    old["data"]["object"].update(id="sub_replaced_long_ago", status="canceled",
                                 created=account.stripe_subscription_created - 86400)
    deliver(old)
    account.refresh_from_db()
    assert account.status == BillingStatus.ACTIVE and account.stripe_subscription_id != "sub_replaced_long_ago"
    assert StripeEvent.objects.get(event_id="evt_old_subscription").outcome == "stale"


def test_unknown_events_and_customers_are_stored_and_left_alone(fake_stripe, deliver, stripe_account):
    deliver({"id": "evt_other", "object": "event", "type": "charge.refunded", "created": 1, "data": {"object": {}}},
            {"id": "evt_stranger", "object": "event", "type": "customer.subscription.updated", "created": 2,
             "data": {"object": {"id": "sub_x", "customer": "cus_not_ours", "status": "canceled", "created": 1}}})
    assert dict(StripeEvent.objects.values_list("event_id", "outcome")) == {
        "evt_other": "ignored", "evt_stranger": "unknown_customer"}
    assert BillingAccount.objects.get(pk=stripe_account.pk).status == BillingStatus.PENDING


def test_a_failed_event_stays_unprocessed_so_stripe_can_retry(fake_stripe, stripe_account):
    from tests.billing.fake_stripe import StripeError

    stripe_account.stripe_customer_id = "cus_test_known"
    stripe_account.save()
    event = {"id": "evt_retry", "object": "event", "type": "checkout.session.completed", "created": 10,
             "data": {"object": {"id": "cs_1", "mode": "subscription", "customer": "cus_test_known",
                                 "subscription": "sub_missing", "client_reference_id": str(stripe_account.pk)}}}
    fake_stripe.fail_next.extend([StripeError(404, "No such subscription", code="resource_missing")])
    with pytest.raises(Exception):
        post_event(event)
    stored = StripeEvent.objects.get(event_id="evt_retry")
    assert stored.processed_at is None and stored.outcome == "failed"
    assert BillingAccount.objects.get(pk=stripe_account.pk).status == BillingStatus.PENDING


def test_webhook_accepts_only_post(db):
    from django.test import Client

    assert Client(HTTP_HOST="localhost").get("/billing/webhook/").status_code == 405

