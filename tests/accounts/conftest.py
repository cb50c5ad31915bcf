import pytest
from django.utils import translation
from kinerja.celery import app

from tests.factories import build_organisation
from tests.helpers import in_region


@pytest.fixture
def org(region_a):
    """An organisation in region A; the test body runs with region A's schema active."""
    with in_region(region_a):
        yield build_organisation(region_a)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def eager_tasks():
    """Tasks sent by name run at once, in this process (mail lands in mail.outbox)."""
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


SITE = "http://bukittinggi.localhost/"


def with_valid_nip(employee):
    """tests.factories numbers NIPs without the gender digit; status changes re-check the whole record,
    so give the employee a NIP that passes (born 1980-01-01, male)."""
    from kinerja.people.models import Employee

    nip = f"198001012005011{employee.pk % 1000:03d}"
    Employee.objects.filter(pk=employee.pk).update(nip=nip)
    employee.refresh_from_db()
    return employee
