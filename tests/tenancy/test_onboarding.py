"""Onboarding a region: schema cloned from the template (or migrated as a fallback), domain, first HR
admin with a one-time link, and clear refusals that leave nothing behind."""
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_context, schema_exists

from kinerja.accounts.models import Role, User
from kinerja.audit.models import AuditEntry
from tenants.models import Domain, Region, RegionStatus
from tenants.schemas import pending_migrations, template_schema_name
from tenants.services import OnboardingRequest, onboard_region

pytestmark = pytest.mark.django_db


def request_for(slug="padang", code="13.71", **changes):
    values = dict(name="Kota Padang", slug=slug, kind="kota", region_code=code, province="Sumatera Barat",
                  time_zone="Asia/Jakarta", admin_email="bkpsdm@padang.go.id", admin_name="Admin BKPSDM Padang")
    values.update(changes)
    return OnboardingRequest(**values)


@pytest.mark.parametrize("use_template, expected", [(True, "clone"), (False, "migrate")])
def test_onboarding_creates_a_complete_current_region(use_template, expected):
    result = onboard_region(request_for(), use_template=use_template)
    assert result.schema_created_by == expected
    region = Region.objects.get(schema_name="padang")
    assert region.status == RegionStatus.ACTIVE
    assert Domain.objects.get(tenant=region).domain == "padang.localhost"
    assert pending_migrations(["padang"]) == {"padang": set()}
    with schema_context("padang"):
        admin = User.objects.get()
        assert admin.role == Role.HR_ADMIN and not admin.has_usable_password()
        assert AuditEntry.objects.filter(action="region.onboarded").exists()
    assert "/accounts/reset/" in result.set_password_url and result.set_password_url.startswith("http://padang.localhost/")
    assert AuditEntry.objects.filter(action="region.onboarded", target_id=str(region.pk)).exists()


def test_clone_falls_back_to_migrations_when_the_template_is_behind():
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {template_schema_name()}.django_migrations WHERE app = 'people'")
    result = onboard_region(request_for())
    assert result.schema_created_by == "migrate"
    assert pending_migrations(["padang"]) == {"padang": set()}


@pytest.mark.parametrize("changes, field", [
    ({"slug": "Padang!"}, "slug"),
    ({"slug": "public"}, "slug"),
    ({"slug": "bukittinggi"}, "slug"),
    ({"region_code": "13.75"}, "region_code"),
    ({"region_code": "1371"}, "region_code"),
    ({"kind": "provinsi", "region_code": "13.71"}, "region_code"),
    ({"kind": "desa"}, "kind"),
    ({"time_zone": "Europe/Paris"}, "time_zone"),
    ({"admin_email": "no-at-sign"}, "admin_email"),
    ({"name": "  "}, "name"),
])
def test_bad_onboarding_input_names_the_field_and_creates_nothing(changes, field):
    regions_before = Region.objects.count()
    with pytest.raises(ValidationError) as error:
        onboard_region(request_for(**changes))
    assert field in error.value.message_dict
    assert Region.objects.count() == regions_before
    assert not schema_exists(changes.get("slug", "padang")) or changes.get("slug") in {"public", "bukittinggi"}


def test_cli_command_onboards_and_reports_errors(capsys):
    call_command("onboard_region", "padang", "Kota Padang", "kota", "13.71", "Sumatera Barat",
                 "--admin-email", "a@padang.go.id", "--admin-name", "Admin")
    out = capsys.readouterr().out
    assert "padang.localhost" in out and "/accounts/reset/" in out
    with pytest.raises(CommandError, match="region_code"):
        call_command("onboard_region", "solok", "Kota Solok", "kota", "13.71", "Sumatera Barat",
                     "--admin-email", "a@solok.go.id", "--admin-name", "Admin")
