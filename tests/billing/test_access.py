"""Who may open which billing page: the operator's pages stay the operator's, a region's HR admin sees
only their own region's invoices, and list pages take a bounded number of queries."""
import datetime

import pytest
from django.utils import timezone

from kinerja.accounts.models import Role
from kinerja.region import formats
from tenants.billing import services
from tenants.billing.models import CollectionMethod
from tests.billing.conftest import add_employees
from tests.helpers import assert_queries, capture_queries, client_for, host_of, make_user

pytestmark = pytest.mark.django_db
OPERATOR_PAGES = ["/billing/regions/", "/billing/applications/", "/billing/plans/"]


@pytest.fixture
def invoices(region_a, region_b, plan, operator):
    """One invoice for each region, both billed by bank transfer."""
    found = {}
    for region in (region_a, region_b):
        add_employees(region, 2)
        account = services.open_billing_account(region, plan=plan, collection_method=CollectionMethod.INVOICE)
        found[region.schema_name] = services.issue_offline_invoice(
            account, month=timezone.localdate(), due_on=timezone.localdate() + datetime.timedelta(days=14),
            actor=operator)
    return found


def test_operator_opens_every_operator_page(operator, invoices, region_a):
    client = client_for(None, operator)
    for url in [*OPERATOR_PAGES, f"/billing/regions/{region_a.pk}/"]:
        assert client.get(url).status_code == 200, url


def test_other_platform_roles_and_strangers_are_kept_out(invoices, region_a):
    for role in (Role.BKN_ANALYST, Role.PLUGIN_VENDOR, Role.HR_ADMIN):
        client = client_for(None, make_user(None, role, username=f"public-{role}"))
        for url in [*OPERATOR_PAGES, f"/billing/regions/{region_a.pk}/"]:
            assert client.get(url).status_code == 403, (role, url)
        response = client.post(f"/billing/invoices/{invoices['bukittinggi'].pk}/payments/",
                               {"amount": 1, "paid_on": timezone.localdate().isoformat()})
        assert response.status_code == 403
    assert client_for(None).get("/billing/regions/").status_code == 302
    assert not invoices["bukittinggi"].payments.exists()


def test_a_region_hr_admin_cannot_reach_the_operator_pages(region_a):
    hr = make_user(region_a, Role.HR_ADMIN, username="hr-operator-pages")
    client = client_for(region_a, hr)
    for url in [*OPERATOR_PAGES, "/billing/webhook/"]:
        assert client.get(url).status_code == 404, url  # the region's site has no such pages
    client.defaults["HTTP_HOST"] = "localhost"
    assert client.get("/billing/regions/").status_code == 302  # a region session means nothing on the public site


def test_hr_admin_sees_own_invoices_only(invoices, region_a, region_b):
    mine, theirs = invoices["batanghari"], invoices["bukittinggi"]
    hr_b = make_user(region_b, Role.HR_ADMIN, username="hr-batanghari")
    client = client_for(region_b, hr_b)
    page = client.get("/billing/")
    assert page.status_code == 200
    assert [i.pk for i in page.context["invoices"]] == [mine.pk]
    assert client.get(f"/billing/invoices/{mine.pk}/").status_code == 200
    assert client.get(f"/billing/invoices/{theirs.pk}/").status_code == 404
    client.defaults["HTTP_HOST"] = host_of(region_a)
    response = client.get(f"/billing/invoices/{theirs.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_other_region_roles_cannot_open_billing(invoices, region_a):
    for role in (Role.EMPLOYEE, Role.LEADERSHIP, Role.AUDITOR):
        client = client_for(region_a, make_user(region_a, role, username=f"billing-{role}"))
        assert client.get("/billing/").status_code == 403
        assert client.get(f"/billing/invoices/{invoices['bukittinggi'].pk}/").status_code == 403
        assert client.post("/billing/checkout/").status_code == 403


def test_operator_overview_shows_plan_status_headcount_payment_and_next_invoice(
        invoices, operator, region_a):
    services.record_payment(invoices["bukittinggi"], amount=5_000, paid_on=timezone.localdate(),
                            method="bank_transfer", actor=operator)
    client = client_for(None, operator)
    with assert_queries(5):
        response = client.get("/billing/regions/")
    html = response.content.decode()
    row = html[html.index('data-region="bukittinggi"'):]
    row = row[:row.index("</tr>")]
    assert "Standard" in row and "Paid up" in row and "Rp 5.000" in row and ">2<" in row
    next_month = (timezone.localdate().replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    assert formats.date(next_month, "en") in row


def test_overview_queries_do_not_grow_with_regions(invoices, operator, plan):
    client = client_for(None, operator)
    with capture_queries() as few:
        client.get("/billing/regions/")
    from tenants.models import Region
    for n in range(3):
        region = Region(schema_name=f"billingextra{n}", name=f"Extra {n}", kind="kota", region_code=f"99.0{n}")
        region.auto_create_schema = False
        region.save()
        services.open_billing_account(region, plan=plan, collection_method=CollectionMethod.INVOICE)
    with assert_queries(len(few)):
        client.get("/billing/regions/")


def test_region_billing_page_query_count(invoices, region_b, operator):
    account = invoices["batanghari"].account
    for month in (1, 2, 3):
        services.issue_offline_invoice(account, month=datetime.date(2024, month, 1),
                                       due_on=timezone.localdate(), actor=operator)
    client = client_for(region_b, make_user(region_b, Role.HR_ADMIN, username="hr-queries"))
    with assert_queries(6):
        response = client.get("/billing/")
    assert len(response.context["invoices"]) == 4
