"""The career history on the employee page: HR records a change with its decree; nobody else can."""
import pytest
from kinerja.accounts.models import Role
from kinerja.people.models import CareerEvent, Employee

from tests.factories import build_organisation, make_login
from tests.helpers import english_client, in_region

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(region_a):
    with in_region(region_a):
        yield build_organisation(region_a)


def test_hr_records_a_transfer_others_are_refused(org, region_b):
    with in_region(org.region):  # the change goes through the people service, which checks the NIP
        Employee.objects.filter(pk=org.staff.pk).update(nip="198001012005011003")
    url = f"/people/employees/{org.staff.pk}/"
    transfer = {"kind": "transfer", "effective_on": "2026-01-05", "sk_number": "800/12/BKPSDM/2026",
                "unit": org.education.code}
    for user in (org.staff.user, org.chief.user, org.leadership):
        assert english_client(org.region, user).post(url, transfer).status_code in (403, 404)
    with in_region(region_b):
        other_hr = make_login(Role.HR_ADMIN, username="hr-career-b")
    assert english_client(region_b, other_hr).post(url, transfer).status_code == 404
    with in_region(org.region):
        assert not CareerEvent.objects.exists()
    hr = english_client(org.region, org.hr)
    page = hr.post(url, transfer, follow=True).content.decode()
    assert "800/12/BKPSDM/2026" in page and "Dinas Kesehatan &rarr; Dinas Pendidikan" in page
    with in_region(org.region):
        org.staff.refresh_from_db()
        assert org.staff.unit == org.education
    page = hr.post(url, {"kind": "promotion", "effective_on": "2026-02-01", "sk_number": ""}, follow=True)
    assert "Enter the number of the decree (SK)." in page.content.decode()
    # the employee reads their own history
    own = english_client(org.region, org.staff.user).get(url).content.decode()
    assert "800/12/BKPSDM/2026" in own and 'data-testid="career-form"' not in own
