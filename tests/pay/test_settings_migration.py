"""The chunk size stored in a region's pay settings agrees with the code's default: the data migration
raises the old default and leaves a region's own choice alone."""
import importlib

from django.apps import apps

from kinerja.pay import services
from kinerja.pay.models import PaySettings

migration = importlib.import_module("kinerja.pay.migrations.0004_raise_chunk_size")


def test_a_migrated_region_stores_the_code_default(in_a):
    default = PaySettings._meta.get_field("chunk_size").default
    assert default == migration.NEW_DEFAULT == 2500
    assert services.pay_settings().chunk_size == default


def test_the_migration_raises_only_the_old_default(in_a):
    PaySettings.objects.filter(pk=1).update(chunk_size=migration.OLD_DEFAULT)
    migration.raise_default(apps, None)
    assert services.pay_settings().chunk_size == 2500

    PaySettings.objects.filter(pk=1).update(chunk_size=800)  # a region's own choice
    migration.raise_default(apps, None)
    assert services.pay_settings().chunk_size == 800
