import pytest
from django.utils import translation

from kinerja.accounts.models import Role
from tests.helpers import in_region, make_user
from tests.reports.factories import populate, rate_everyone


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def population(region_a):
    """Region A's staff, rated for 2025; the test body runs on the public schema."""
    with in_region(region_a):
        people = populate("A")
        rate_everyone(people)
    return people


@pytest.fixture
def bkn_user(db):
    return make_user(None, Role.BKN_ANALYST, username="bkn-analyst")


@pytest.fixture
def operator(db):
    return make_user(None, Role.OPERATOR, username="platform-operator")
