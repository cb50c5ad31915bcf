"""`migrate` brings every region up to date in parallel and leaves current regions alone."""
import pytest
from django.db import connection

from tenants.models import Region, RegionKind
from tenants.schemas import migrate_fleet, pending_migrations


@pytest.fixture
def behind_regions(django_db_setup, django_db_blocker):
    """Two committed regions whose schemas exist but have nothing applied (as after a failed deploy)."""
    names = ["fleetone", "fleettwo"]
    with django_db_blocker.unblock():
        for number, name in enumerate(names):
            region = Region(schema_name=name, name=name.title(), kind=RegionKind.CITY, region_code=f"99.{number + 1:02d}")
            region.auto_create_schema = False
            region.save()
            with connection.cursor() as cursor:
                cursor.execute(f"CREATE SCHEMA {name}")
    yield names
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        Region.objects.filter(schema_name__in=names).delete()
        with connection.cursor() as cursor:
            for name in names:
                cursor.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")


def test_fleet_migrate_applies_pending_regions_in_parallel_and_skips_current_ones(behind_regions, django_db_blocker):
    with django_db_blocker.unblock():
        assert all(pending_migrations(behind_regions).values())
        result = migrate_fleet(parallel=2)
        assert sorted(result.migrated) == behind_regions
        assert {"bukittinggi", "batanghari"} <= set(result.skipped)
        assert pending_migrations(behind_regions) == {name: set() for name in behind_regions}
        again = migrate_fleet(parallel=2)
    assert again.migrated == [] and not again.template_changed
