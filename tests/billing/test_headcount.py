"""The region's active headcount becomes the subscription's quantity: daily, and after imports."""
import datetime

import pytest
from django.db import transaction

from kinerja.people import services as people_services
from kinerja.people.models import Employee, EmployeeStatus, Position, Unit
from tenants.billing import services
from tenants.billing.models import BillingAccount
from tenants.billing.tasks import sync_headcounts_task
from tests.billing.conftest import add_employees
from tests.helpers import in_region

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscribed(fake_stripe, deliver, stripe_account, region_a):
    add_employees(region_a, 2)
    add_employees(region_a, 1, status=EmployeeStatus.RETIRED)
    services.start_checkout(stripe_account, success_url="http://x/", cancel_url="http://x/")
    deliver(*fake_stripe.complete_checkout(next(iter(fake_stripe.sessions))))
    return BillingAccount.objects.get(pk=stripe_account.pk)


def item_quantity(fake, account) -> int:
    return fake.item(account.stripe_subscription_item_id)[1]["quantity"]


def quantity_writes(fake) -> list[dict]:
    return [r for r in fake.post_requests() if r["path"].startswith("/v1/subscription_items/")]


def test_checkout_counts_only_active_employees(fake_stripe, subscribed):
    assert subscribed.billed_quantity == 2 and item_quantity(fake_stripe, subscribed) == 2


def test_quantity_follows_headcount_and_each_change_is_its_own_request(fake_stripe, subscribed, region_a):
    added = add_employees(region_a, 1)
    services.sync_headcount(region_a)
    assert item_quantity(fake_stripe, subscribed) == 3
    with in_region(region_a):
        Employee.objects.filter(pk=added[0].pk).update(status=EmployeeStatus.TERMINATED)
    services.sync_headcount(region_a)
    add_employees(region_a, 1)
    services.sync_headcount(region_a)
    services.sync_headcount(region_a)  # nothing changed: nothing sent
    writes = quantity_writes(fake_stripe)
    assert [w["params"]["quantity"] for w in writes] == ["3", "2", "3"]
    keys = [w["idempotency_key"] for w in writes]
    assert len(set(keys)) == 3 and all(k.startswith("kinerja-quantity-") for k in keys)
    account = BillingAccount.objects.get(pk=subscribed.pk)
    assert (account.active_headcount, account.billed_quantity) == (3, 3) and item_quantity(fake_stripe, account) == 3


def test_daily_task_syncs_every_billed_region(fake_stripe, subscribed, region_a, region_b, plan):
    services.open_billing_account(region_b, plan=plan, collection_method="invoice")
    add_employees(region_a, 2)
    add_employees(region_b, 5)
    assert sync_headcounts_task() == {"bukittinggi": 4, "batanghari": 5}
    assert item_quantity(fake_stripe, subscribed) == 4
    assert BillingAccount.objects.get(region=region_b).active_headcount == 5


def test_one_failing_region_does_not_stop_the_daily_sync(fake_stripe, subscribed, region_a, region_b, plan):
    from tests.billing.fake_stripe import StripeError

    services.open_billing_account(region_b, plan=plan, collection_method="invoice")
    add_employees(region_a, 1)
    add_employees(region_b, 2)
    fake_stripe.fail_next.extend([StripeError(500, "boom", kind="api_error")] * 3)
    assert sync_headcounts_task() == {"bukittinggi": None, "batanghari": 2}
    assert BillingAccount.objects.get(pk=subscribed.pk).billed_quantity == 2  # unchanged until tomorrow


def test_headcount_changed_syncs_after_the_import_commits(fake_stripe, subscribed, region_a,
                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with in_region(region_a), transaction.atomic():
            add_employees(region_a, 3)
            services.headcount_changed()
            assert item_quantity(fake_stripe, subscribed) == 2  # not before the import is committed
    assert len(callbacks) == 1
    assert item_quantity(fake_stripe, subscribed) == 5


def test_headcount_changed_survives_a_stripe_outage(fake_stripe, subscribed, region_a,
                                                    django_capture_on_commit_callbacks):
    from tests.billing.fake_stripe import StripeError

    fake_stripe.fail_next.extend([StripeError(500, "boom", kind="api_error")] * 3)
    with django_capture_on_commit_callbacks(execute=True):
        with in_region(region_a):
            add_employees(region_a, 1)
            services.headcount_changed()
    assert BillingAccount.objects.get(pk=subscribed.pk).billed_quantity == 2


def _hire(unit, position, number: int, status=EmployeeStatus.ACTIVE) -> Employee:
    return people_services.create_employee(
        actor=None, nip=f"19850505201003200{number}", employee_type="PNS", full_name=f"Pegawai Baru {number}",
        gender="F", birth_date=datetime.date(1985, 5, 5), rank="III/a", unit=unit, position=position, status=status)


def test_people_changes_reach_the_bill_once_each_transaction_commits(fake_stripe, subscribed, region_a,
                                                                     django_capture_on_commit_callbacks):
    """Billing hears from the people module's signal: arrivals and departures, not candidates."""
    with in_region(region_a):
        unit, position = Unit.objects.get(code="BILLING-UNIT"), Position.objects.get(code="BILLING-POS")
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            first = _hire(unit, position, 1)
            _hire(unit, position, 2)
            assert item_quantity(fake_stripe, subscribed) == 2  # nothing before the commit
        assert item_quantity(fake_stripe, subscribed) == 4
        assert [w["params"]["quantity"] for w in quantity_writes(fake_stripe)] == ["4"]  # one sync for both

        with django_capture_on_commit_callbacks(execute=True):
            people_services.update_employee(first, actor=None, status=EmployeeStatus.RETIRED, reason="BUP")
        assert item_quantity(fake_stripe, subscribed) == 3

        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            _hire(unit, position, 3, status=EmployeeStatus.CANDIDATE)
        assert callbacks == [] and item_quantity(fake_stripe, subscribed) == 3


def test_a_rolled_back_change_never_reaches_the_bill(fake_stripe, subscribed, region_a,
                                                     django_capture_on_commit_callbacks):
    with in_region(region_a):
        unit, position = Unit.objects.get(code="BILLING-UNIT"), Position.objects.get(code="BILLING-POS")
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            with pytest.raises(RuntimeError), transaction.atomic():
                _hire(unit, position, 4)
                raise RuntimeError("import failed")
    assert callbacks == [] and item_quantity(fake_stripe, subscribed) == 2
