import pytest
from django.utils import translation

from kinerja.accounts.models import Role
from tests.factories import make_login, make_unit
from tests.helpers import in_region


@pytest.fixture(autouse=True)
def _english():
    """Assertions read the English source texts; the region's default language is Indonesian."""
    with translation.override("en"):
        yield


@pytest.fixture
def in_a(region_a):
    """Region A's schema is active for the test body."""
    with in_region(region_a):
        yield region_a


@pytest.fixture
def hr(in_a):
    return make_login(Role.HR_ADMIN, "pay-hr-maker", "HR Maker")


@pytest.fixture
def checker(in_a):
    return make_login(Role.HR_ADMIN, "pay-hr-checker", "HR Checker")


@pytest.fixture
def unit(in_a):
    return make_unit("PAY-DINKES", "Dinas Kesehatan")
