"""Suspending, reactivating and archiving regions, and who may do it."""
import zipfile

import pytest
from django.core.exceptions import ValidationError

from kinerja.accounts.models import Role
from kinerja.audit.models import AuditEntry
from kinerja.people.models import Unit
from tenants.models import Region, RegionStatus
from tenants.services import archive_region, reactivate_region, suspend_region
from tests.helpers import client_for, in_region, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator():
    return make_user(None, Role.OPERATOR, username="operator")


def test_suspended_region_pages_say_so_and_api_answers_403_with_reason(region_a, operator):
    hr = make_user(region_a, Role.HR_ADMIN)
    suspend_region(region_a, actor=operator, reason="Invoice 2026-10 unpaid")
    page = client_for(region_a, hr).get("/people/units/")
    assert page.status_code == 403
    assert "Invoice 2026-10 unpaid" in page.content.decode()
    api = client_for(region_a, hr).get("/api/v1/units/")
    assert api.status_code == 403
    assert "Invoice 2026-10 unpaid" in api.json()["detail"] and api.json()["region_status"] == "suspended"
    # The public site and other regions carry on.
    assert client_for(None).get("/accounts/login/").status_code == 200


def test_only_the_regions_hr_reads_why_it_is_suspended(region_a, operator):
    """An unpaid invoice is between the region and the platform: an employee, a visitor of the job portal
    and the API read only that the region is unavailable."""
    employee = make_user(region_a, Role.EMPLOYEE)
    suspend_region(region_a, actor=operator, reason="Invoice 2026-10 unpaid")
    for client in (client_for(region_a, employee), client_for(region_a)):
        page = client.get("/jobs/", HTTP_ACCEPT_LANGUAGE="en")
        assert page.status_code == 403 and "Invoice" not in page.content.decode()
        assert 'data-testid="region-closed"' in page.content.decode()
    api = client_for(region_a, employee).get("/api/v1/units/")
    assert api.status_code == 403 and api.json()["region_status"] == "unavailable"
    assert "Invoice" not in api.json()["detail"]


def test_reactivated_region_serves_again_and_both_changes_are_audited(region_a, operator):
    hr = make_user(region_a, Role.HR_ADMIN)
    suspend_region(region_a, actor=operator, reason="Audit")
    reactivate_region(region_a, actor=operator)
    assert client_for(region_a, hr).get("/people/units/").status_code == 200
    actions = list(AuditEntry.objects.filter(target_id=str(region_a.pk)).values_list("action", flat=True))
    assert "region.suspended" in actions and "region.reactivated" in actions


def test_suspension_needs_a_reason_and_an_active_region(region_a, operator):
    with pytest.raises(ValidationError) as error:
        suspend_region(region_a, actor=operator, reason=" ")
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError):
        reactivate_region(region_a, actor=operator)


def test_suspended_region_keeps_sign_in_and_billing_open_for_paying(region_a, operator):
    suspend_region(region_a, actor=operator, reason="Unpaid")
    assert client_for(region_a).get("/accounts/login/").status_code == 200
    assert client_for(region_a).get("/billing/").status_code == 302  # to sign-in, not closed
    assert client_for(region_a).get("/people/units/").status_code == 403


def test_archive_exports_the_regions_data(region_b, operator, settings, tmp_path):
    from django_tenants.utils import schema_context

    from tenants.tasks import export_region_data_task

    settings.DATA_DIR = tmp_path
    with in_region(region_b):
        Unit.objects.create(code="ARSIP", name="Dinas Perpustakaan dan Arsip")
    archive_region(region_b, actor=operator, reason="Merged into the province")
    region_b.refresh_from_db()
    assert region_b.status == RegionStatus.ARCHIVED and region_b.archive_status == "queued"
    with schema_context(region_b.schema_name):
        export_region_data_task.apply()  # what the worker does with the queued task
    region_b.refresh_from_db()
    assert region_b.archive_status == "ready"
    with zipfile.ZipFile(region_b.archive_file) as archive:
        assert "Dinas Perpustakaan dan Arsip" in archive.read("people.unit.json").decode()
    assert client_for(region_b).get("/accounts/login/").status_code == 403


def test_operator_suspends_and_reactivates_through_the_api(region_a, operator):
    client = client_for(None, operator)
    response = client.post(f"/api/v1/regions/{region_a.pk}/suspend/", {"reason": "Data breach investigation"},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "suspended"
    again = client.post(f"/api/v1/regions/{region_a.pk}/suspend/", {"reason": "twice"}, content_type="application/json")
    assert again.status_code == 400
    assert client.post(f"/api/v1/regions/{region_a.pk}/reactivate/", {}, content_type="application/json").json()["status"] == "active"


def test_operator_onboards_through_the_api_with_field_errors():
    client = client_for(None, make_user(None, Role.OPERATOR))
    bad = client.post("/api/v1/regions/", {"name": "Kota Padang", "slug": "padang", "kind": "kota",
                                           "region_code": "13.75", "province": "Sumatera Barat",
                                           "admin_name": "Admin", "admin_email": "a@padang.go.id"},
                      content_type="application/json")
    assert bad.status_code == 400 and "region_code" in bad.json()
    good = client.post("/api/v1/regions/", {"name": "Kota Padang", "slug": "padang", "kind": "kota",
                                            "region_code": "13.71", "province": "Sumatera Barat",
                                            "admin_name": "Admin", "admin_email": "a@padang.go.id"},
                       content_type="application/json")
    assert good.status_code == 201 and good.json()["set_password_url"].startswith("https://padang.localhost/")


@pytest.mark.parametrize("role", [Role.BKN_ANALYST, Role.PLUGIN_VENDOR])
def test_other_platform_roles_cannot_manage_regions(region_a, role):
    client = client_for(None, make_user(None, role))
    assert client.get("/operator/regions/").status_code == 403
    assert client.get("/api/v1/regions/").status_code == 403
    assert client.post(f"/operator/regions/{region_a.pk}/suspend/", {"reason": "x"}).status_code == 403
    region_a.refresh_from_db()
    assert region_a.status == RegionStatus.ACTIVE


def test_region_hr_admin_cannot_reach_operator_pages_from_a_region_or_the_public_site(region_a):
    hr = make_user(region_a, Role.HR_ADMIN, username="hr")
    assert client_for(region_a, hr).get("/operator/regions/").status_code == 404  # not routed on region hosts
    assert client_for(region_a, hr).get("/api/v1/regions/").status_code == 404
    # The region user does not exist on the public site at all.
    response = client_for(None).post("/accounts/login/", {"username": "hr", "password": "rahasia-123"})
    assert response.status_code == 200


def test_operator_pages_list_and_onboard(region_a, operator):
    client = client_for(None, operator)
    listing = client.get("/operator/regions/")
    assert listing.status_code == 200 and "Kota Bukittinggi" in listing.content.decode()
    response = client.post("/operator/regions/new/", {
        "name": "Kota Padang", "slug": "padang", "kind": "kota", "region_code": "13.75", "province": "Sumbar",
        "time_zone": "Asia/Jakarta", "admin_name": "Admin", "admin_email": "a@padang.go.id"})
    assert response.status_code == 200 and "13.75" in response.content.decode()
    assert 'class="errorlist' in response.content.decode()
    assert not Region.objects.filter(schema_name="padang").exists()
