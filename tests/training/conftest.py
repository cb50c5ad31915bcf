import pytest
from django.utils import translation

from kinerja_plugin_api.host import PluginHost, set_host
from tests.factories import build_organisation
from tests.helpers import in_region


@pytest.fixture(autouse=True)
def _english():
    """Assertions read the English source texts; the region's default language is Indonesian."""
    with translation.override("en"):
        yield


@pytest.fixture
def org(region_a):
    """An organisation in region A; the test body runs with region A's schema active."""
    with in_region(region_a):
        yield build_organisation(region_a, prefix="T-", teacher="Guru Satu", structural_heads=False)


@pytest.fixture
def host():
    """An empty plugin host installed as the process's host; tests register the catalogs they need."""
    fresh = PluginHost()
    previous = set_host(fresh)
    yield fresh
    set_host(previous)

