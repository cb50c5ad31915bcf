"""The public sign-up page and the operator's review: duplicates and incomplete forms are refused,
approval onboards the region and mails the one-time link, rejection needs a reason."""
import pytest
from django.core import mail

from kinerja.accounts.models import Role
from kinerja.audit.models import AuditEntry
from tenants.billing import services
from tenants.billing.models import ApplicationStatus, BillingAccount, BillingStatus, RegionApplication
from tenants.models import Region
from tests.helpers import client_for, make_user

pytestmark = pytest.mark.django_db

AGAM = {"region_name": "Kabupaten Agam", "kind": "kabupaten", "region_code": "13.06", "province": "Sumatera Barat",
        "time_zone": "Asia/Jakarta", "contact_name": "Kepala BKPSDM Agam", "contact_email": "bkpsdm@agamkab.go.id",
        "estimated_employees": "7200"}


def test_sign_up_page_stores_an_application(plan):
    client = client_for(None)
    assert client.get("/billing/signup/").status_code == 200
    response = client.post("/billing/signup/", {**AGAM, "plan": plan.pk})
    assert response.status_code == 302 and response["Location"].endswith("/billing/signup/done/")
    application = RegionApplication.objects.get()
    assert (application.region_name, application.region_code, application.estimated_employees, application.plan) == (
        "Kabupaten Agam", "13.06", 7200, plan)
    assert application.status == ApplicationStatus.PENDING


def test_incomplete_form_names_every_missing_field_and_saves_nothing(plan):
    response = client_for(None).post("/billing/signup/", {"region_name": "Kabupaten Agam", "time_zone": "Asia/Jakarta"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"kind", "region_code", "province", "contact_name", "contact_email", "estimated_employees", "plan"} <= set(errors)
    assert "region_name" not in errors
    assert not RegionApplication.objects.exists()


def test_code_of_an_existing_region_is_refused(region_a, plan):
    response = client_for(None).post("/billing/signup/", {**AGAM, "region_name": "Kota Bukittinggi", "kind": "kota",
                                                           "region_code": "13.75", "plan": plan.pk})
    assert response.status_code == 200
    assert "13.75 is already registered" in " ".join(response.context["form"].errors["region_code"])
    assert not RegionApplication.objects.exists()


def test_code_of_a_pending_application_is_refused_until_it_is_decided(plan, operator):
    first = services.submit_application(**AGAM, plan=plan)
    with pytest.raises(Exception) as refused:
        services.submit_application(**{**AGAM, "contact_email": "other@agamkab.go.id"}, plan=plan)
    assert "already waiting for review" in str(refused.value)
    services.reject_application(first, actor=operator, reason="Surat permohonan belum ditandatangani.")
    assert services.submit_application(**AGAM, plan=plan).status == ApplicationStatus.PENDING


@pytest.mark.parametrize("field,value,message", [
    ("region_code", "13.6", "looks like 13"),
    ("region_code", "13", "has the form 13.75"),
    ("contact_email", "bkpsdm-at-agam", "valid e-mail"),
    ("estimated_employees", "0", "at least 1"),
    ("time_zone", "Europe/Paris", "Time zone must be"),
])
def test_bad_fields_are_refused_with_a_reason(plan, field, value, message):
    with pytest.raises(Exception) as refused:
        services.submit_application(**{**AGAM, field: value}, plan=plan)
    assert message in " ".join(refused.value.message_dict[field])


def test_plan_not_offered_cannot_be_chosen(plan):
    plan.is_offered = False
    plan.save()
    with pytest.raises(Exception) as refused:
        services.submit_application(**AGAM, plan=plan)
    assert "plan" in refused.value.message_dict


def test_operator_approves_and_the_contact_gets_the_set_password_link(plan, operator, django_capture_on_commit_callbacks):
    application = services.submit_application(**AGAM, plan=plan)
    client = client_for(None, operator)
    page = client.get(f"/billing/applications/{application.pk}/")
    assert page.status_code == 200 and page.context["approval"].initial["slug"] == "agam"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/billing/applications/{application.pk}/",
                               {"approve": "1", "slug": "agam", "admin_username": "admin"})
    assert response.status_code == 200
    region = Region.objects.get(schema_name="agam")
    application.refresh_from_db()
    assert (application.status, application.region, application.decided_by_id) == (
        ApplicationStatus.APPROVED, region, operator.pk)
    account = BillingAccount.objects.get(region=region)
    assert (account.plan, account.status, account.contact_email) == (plan, BillingStatus.PENDING, "bkpsdm@agamkab.go.id")
    (message,) = mail.outbox
    assert message.to == ["bkpsdm@agamkab.go.id"]
    link = response.context["result"].set_password_url
    assert link.startswith("https://agam.localhost/accounts/reset/") and link in message.body
    assert AuditEntry.objects.filter(action="billing.application_approved", target_id=str(application.pk)).exists()


def test_approval_with_a_taken_subdomain_creates_nothing(region_a, plan, operator):
    application = services.submit_application(**AGAM, plan=plan)
    response = client_for(None, operator).post(f"/billing/applications/{application.pk}/",
                                                {"approve": "1", "slug": "bukittinggi", "admin_username": "admin"})
    assert response.status_code == 200
    assert "already exists" in " ".join(response.context["approval"].errors["slug"])
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING and application.region is None
    assert not Region.objects.filter(region_code="13.06").exists() and not mail.outbox


def test_rejection_needs_a_reason_and_tells_the_contact(plan, operator, django_capture_on_commit_callbacks):
    application = services.submit_application(**AGAM, plan=plan)
    client = client_for(None, operator)
    response = client.post(f"/billing/applications/{application.pk}/", {"reject": "1", "reason": ""})
    assert response.status_code == 200 and "reason" in response.context["rejection"].errors
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/billing/applications/{application.pk}/",
                               {"reject": "1", "reason": "Kode wilayah tidak sesuai Kemendagri."})
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.decision_reason) == (ApplicationStatus.REJECTED,
                                                                  "Kode wilayah tidak sesuai Kemendagri.")
    assert "Kode wilayah tidak sesuai" in mail.outbox[0].body
    with pytest.raises(Exception):
        services.approve_application(application, actor=operator, slug="agam")


def test_suggested_subdomains():
    assert services.suggest_slug("Kota Bukittinggi") == "bukittinggi"
    assert services.suggest_slug("Kabupaten Tanah Datar") == "tanahdatar"
    assert services.suggest_slug("Provinsi Jambi") == "jambi"


def test_only_the_operator_reviews_applications(plan):
    application = services.submit_application(**AGAM, plan=plan)
    analyst = make_user(None, Role.BKN_ANALYST, username="analyst-billing")
    for url in ("/billing/applications/", f"/billing/applications/{application.pk}/"):
        assert client_for(None, analyst).get(url).status_code == 403
        assert client_for(None).get(url).status_code == 302  # to the sign-in page
    response = client_for(None, analyst).post(f"/billing/applications/{application.pk}/",
                                             {"reject": "1", "reason": "no"})
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING
