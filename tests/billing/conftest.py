"""Billing fixtures: a fake Stripe server on 127.0.0.1 that the SDK is pointed at, signed webhook
delivery, a plan, an operator, and employees in a region's schema."""
from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time

import pytest
from django.test import Client
from django.utils import translation

from kinerja.accounts.models import Role
from kinerja.people.models import Employee, EmployeeStatus, Position, PositionKind, Unit
from tenants.billing import services
from tenants.billing.models import CollectionMethod, Plan
from tests.billing.fake_stripe import FakeStripe
from tests.helpers import in_region, make_user

SECRET_KEY = "sk_test_kinerja_billing"
WEBHOOK_SECRET = "whsec_test_kinerja_billing"
_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def _english(settings):
    """Messages are asserted in their English source text, whatever the catalogue holds."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(scope="session")
def stripe_server():
    fake = FakeStripe(SECRET_KEY)
    fake.url = fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def fake_stripe(stripe_server, settings):
    stripe_server.reset()
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = stripe_server.url
    return stripe_server


def signature_header(body: str, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """What Stripe sends: t=<unix time>,v1=HMAC-SHA256(secret, "<t>.<body>")."""
    timestamp = timestamp or int(time.time())
    digest = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def post_event(event: dict, *, secret: str = WEBHOOK_SECRET, body: str | None = None, header: str | None = None):
    body = body if body is not None else json.dumps(event)
    client = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)  # Stripe sends no CSRF token
    extra = {"HTTP_STRIPE_SIGNATURE": header if header is not None else signature_header(body, secret)}
    return client.post("/billing/webhook/", data=body, content_type="application/json", **extra)


@pytest.fixture
def deliver(fake_stripe):
    """Deliver events to the webhook as Stripe would, each one signed; every one must be accepted."""
    def _deliver(*events: dict):
        responses = [post_event(event) for event in events]
        assert [r.status_code for r in responses] == [200] * len(events), [r.content for r in responses]
        return responses
    return _deliver


@pytest.fixture
def plan(db) -> Plan:
    return Plan.objects.create(code="standard", name="Standard", price_per_employee=2_500, trial_days=30,
                               grace_days=7)


@pytest.fixture
def operator(db):
    return make_user(None, Role.OPERATOR, username="billing-operator")


@pytest.fixture
def stripe_account(region_a, plan):
    return services.open_billing_account(region_a, plan=plan, collection_method=CollectionMethod.STRIPE,
                                         contact_name="Kepala BKPSDM", contact_email="bkpsdm@bukittinggi.go.id")


def add_employees(region, count: int, status: str = EmployeeStatus.ACTIVE) -> list[Employee]:
    with in_region(region):
        unit, _ = Unit.objects.get_or_create(code="BILLING-UNIT", defaults={"name": "Sekretariat Daerah"})
        position, _ = Position.objects.get_or_create(
            code="BILLING-POS", defaults={"title": "Pelaksana", "kind": PositionKind.EXECUTIVE, "position_class": 6})
        return [Employee.objects.create(
            nip=f"1985{next(_numbers):014d}", employee_type="PNS", full_name=f"Pegawai {n}", gender="F",
            birth_date="1985-05-05", rank="III/a", status=status, unit=unit, position=position)
            for n in range(count)]


def checkout_session_id(fake: FakeStripe) -> str:
    (session_id,) = fake.sessions
    return session_id
