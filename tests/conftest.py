"""Shared fixtures. Tests run on real PostgreSQL (the embedded server unless DATABASE_URL is set).

Two regions are onboarded once per session, through the real onboarding service, and every test runs
inside a transaction that is rolled back, so tests may change them freely."""
from __future__ import annotations

import os

import pytest
from django.db import connection
from hypothesis import settings as hypothesis_settings

from tenants import cluster
from tenants.models import Region
from tenants.services import OnboardingRequest, onboard_region
from tests.helpers import client_for, make_user

# Property tests: no per-example time limit (a loaded machine is slow, not wrong) and the same examples on
# every run, so the suite's verdict never depends on luck; KINERJA_HYPOTHESIS=explore draws new ones.
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
hypothesis_settings.register_profile("explore", deadline=None, max_examples=1000)
hypothesis_settings.load_profile("explore" if os.environ.get("KINERJA_HYPOTHESIS") == "explore" else "ci")

REGION_A = OnboardingRequest(name="Kota Bukittinggi", slug="bukittinggi", kind="kota", region_code="13.75",
                             province="Sumatera Barat", time_zone="Asia/Jakarta", admin_email="bkpsdm@bukittinggi.go.id",
                             admin_name="Admin BKPSDM Bukittinggi")
REGION_B = OnboardingRequest(name="Kabupaten Batanghari", slug="batanghari", kind="kabupaten", region_code="15.04",
                             province="Jambi", time_zone="Asia/Jakarta", admin_email="bkd@batanghari.go.id",
                             admin_name="Admin BKD Batanghari")

@pytest.fixture
def media(settings, tmp_path):
    """Uploads and written files go to a folder of the test's own."""
    settings.MEDIA_ROOT = str(tmp_path)
    settings.MULTITENANT_RELATIVE_MEDIA_ROOT = "%s"  # clears the storage's cached root
    return tmp_path


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.test.utils import setup_databases, teardown_databases

    own_setup = None
    with django_db_blocker.unblock():
        if not connection.settings_dict["NAME"].startswith("test_"):
            # pytest-django sets up only the databases that marked tests ask for. Tests that commit data
            # for another process (a worker, a browser) need the test database too, never the dev one.
            own_setup = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        for request in (REGION_A, REGION_B):
            if not Region.objects.filter(schema_name=request.slug).exists():
                onboard_region(request)
        if cluster.is_citus():  # what the placement task does after onboarding; the suite runs no worker here
            cluster.place_unplaced_regions()
    yield
    if own_setup:
        with django_db_blocker.unblock():
            teardown_databases(own_setup, verbosity=0)


@pytest.fixture(autouse=True)
def _back_to_public():
    yield
    connection.set_schema_to_public()


@pytest.fixture
def region_a(db) -> Region:
    return Region.objects.get(schema_name=REGION_A.slug)


@pytest.fixture
def region_b(db) -> Region:
    return Region.objects.get(schema_name=REGION_B.slug)


@pytest.fixture
def make_region_user():
    return make_user


@pytest.fixture
def region_client():
    return client_for
