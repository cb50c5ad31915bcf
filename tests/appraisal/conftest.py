import pytest
from django.utils import translation

from tests.factories import build_organisation
from tests.helpers import in_region


@pytest.fixture
def org(region_a):
    """An organisation in region A; the test body runs with region A's schema active."""
    with in_region(region_a):
        yield build_organisation(region_a)


@pytest.fixture(autouse=True)
def _english():
    """Assertions read the English source texts; the region's default language is Indonesian."""
    with translation.override("en"):
        yield
