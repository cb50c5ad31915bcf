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
from tenants.schemas import (drop_stale_spares, fill_spare_pool, pending_migrations, spare_schemas,
                             template_schema_name)
from tenants.services import OnboardingRequest, onboard_region

pytestmark = pytest.mark.django_db


def request_for(slug="padang", code="13.71", **changes):
    values = dict(name="Kota Padang", slug=slug, kind="kota", region_code=code, province="Sumatera Barat",
                  time_zone="Asia/Jakarta", admin_email="bkpsdm@padang.go.id", admin_name="Admin BKPSDM Padang")
    values.update(changes)
    return OnboardingRequest(**values)


@pytest.mark.parametrize("use_template, spares, expected", [(True, 1, "spare"), (True, 0, "clone"), (False, 1, "migrate")])
def test_onboarding_creates_a_complete_current_region(use_template, spares, expected):
    for spare in spare_schemas():
        drop_schema(spare)
    fill_spare_pool(spares)
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
    assert "/accounts/reset/" in result.set_password_url and result.set_password_url.startswith("https://padang.localhost/")
    assert AuditEntry.objects.filter(action="region.onboarded", target_id=str(region.pk)).exists()


def drop_schema(name):
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA {name} CASCADE")


def test_a_spare_cloned_before_the_last_migration_is_never_handed_out():
    fill_spare_pool(1)
    (spare,) = spare_schemas()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {spare}.django_migrations WHERE app = 'people'")
    assert onboard_region(request_for()).schema_created_by == "clone"
    assert drop_stale_spares() == 1 and spare_schemas() == []


def test_two_onboardings_never_share_a_spare():
    for spare in spare_schemas():
        drop_schema(spare)
    fill_spare_pool(1)
    first = onboard_region(request_for())
    second = onboard_region(request_for(slug="solok", code="13.72"))
    assert (first.schema_created_by, second.schema_created_by) == ("spare", "clone")
    with schema_context("solok"):
        assert User.objects.count() == 1


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
