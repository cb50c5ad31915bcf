"""The only module that talks to Stripe, through the official SDK. Every write carries an idempotency key
built here, so a retried request never charges or creates twice.

Rupiah rounding, written down once: Stripe counts IDR in hundredths (it is not a zero-decimal currency
there), so whole rupiah go out multiplied by 100, and amounts coming back are rounded half up to whole
rupiah."""
from __future__ import annotations

import stripe
from django.conf import settings

CURRENCY = "idr"
IDEMPOTENCY_PREFIX = "kinerja"


class StripeNotConfigured(Exception):
    pass


def is_configured() -> bool:
    return bool(settings.STRIPE_SECRET_KEY)


def client() -> stripe.StripeClient:
    if not is_configured():
        raise StripeNotConfigured
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": settings.STRIPE_API_BASE},
        max_network_retries=2,
    )


def idempotency_key(*parts) -> str:
    return "-".join([IDEMPOTENCY_PREFIX, *(str(p) for p in parts)])


def to_stripe_amount(rupiah: int) -> int:
    return int(rupiah) * 100


def from_stripe_amount(amount: int | None) -> int:
    return (int(amount or 0) + 50) // 100


def create_customer(*, account_id: int, region_name: str, schema_name: str, email: str) -> dict:
    params = {"name": region_name, "metadata": {"billing_account": str(account_id), "region": schema_name}}
    if email:
        params["email"] = email
    customer = client().v1.customers.create(
        params=params,
        options={"idempotency_key": idempotency_key("customer", account_id)},
    )
    return customer.to_dict()


def create_checkout_session(*, account_id: int, attempt: str, customer_id: str, plan_name: str,
                            price_per_employee: int, quantity: int, trial_days: int,
                            success_url: str, cancel_url: str) -> dict:
    subscription_data: dict = {"metadata": {"billing_account": str(account_id)}}
    if trial_days:
        subscription_data["trial_period_days"] = trial_days
    session = client().v1.checkout.sessions.create(
        params={
            "mode": "subscription",
            "customer": customer_id,
            "client_reference_id": str(account_id),
            "line_items": [{
                "quantity": quantity,
                "price_data": {
                    "currency": CURRENCY,
                    "unit_amount": to_stripe_amount(price_per_employee),
                    "recurring": {"interval": "month"},
                    "product_data": {"name": plan_name},
                },
            }],
            "subscription_data": subscription_data,
            "success_url": success_url,
            "cancel_url": cancel_url,
        },
        options={"idempotency_key": idempotency_key("checkout", account_id, attempt)},
    )
    return session.to_dict()


def create_portal_session(*, account_id: int, attempt: str, customer_id: str, return_url: str) -> dict:
    session = client().v1.billing_portal.sessions.create(
        params={"customer": customer_id, "return_url": return_url},
        options={"idempotency_key": idempotency_key("portal", account_id, attempt)},
    )
    return session.to_dict()


def retrieve_subscription(subscription_id: str) -> dict:
    return client().v1.subscriptions.retrieve(subscription_id).to_dict()


def update_quantity(*, account_id: int, version: int, item_id: str, quantity: int) -> dict:
    # The version makes 100 -> 101 -> 100 three distinct requests; a retry of one of them reuses its key.
    item = client().v1.subscription_items.update(
        item_id,
        params={"quantity": quantity, "proration_behavior": "create_prorations"},
        options={"idempotency_key": idempotency_key("quantity", account_id, version, quantity)},
    )
    return item.to_dict()


def list_invoices(customer_id: str, limit: int = 24) -> list[dict]:
    result = client().v1.invoices.list(params={"customer": customer_id, "limit": limit})
    return [invoice.to_dict() for invoice in result.data]


def verify_event(payload: bytes, signature: str) -> None:
    """Raise stripe.SignatureVerificationError (or ValueError for a malformed body) unless Stripe signed it."""
    stripe.Webhook.construct_event(payload.decode("utf-8"), signature, settings.STRIPE_WEBHOOK_SECRET)
