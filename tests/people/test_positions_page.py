"""The positions page: HR adds and edits positions (class and retirement age included) without the API or an
import; other roles and other regions cannot."""
import pytest
from kinerja.accounts.models import Role
from kinerja.audit.models import AuditEntry
from kinerja.people.models import Position

from tests.helpers import english_client, in_region, make_user

pytestmark = pytest.mark.django_db

NEW_ANALYST = {"code": "ANALIS-SDM", "title": "Analis SDM Aparatur", "kind": "fungsional", "position_class": "9",
               "retirement_age": "60"}


def test_hr_adds_a_position_with_its_retirement_age_and_sees_it_listed_with_its_staff(org):
    hr = english_client(org.region, org.hr)
    assert hr.post("/people/positions/", NEW_ANALYST).status_code == 302
    page = hr.get("/people/positions/").content.decode()
    assert "Analis SDM Aparatur" in page and "Pengadministrasi Umum" in page
    with in_region(org.region):
        analyst = Position.objects.get(code="ANALIS-SDM")
        assert (analyst.kind, analyst.position_class, analyst.retirement_age) == ("fungsional", 9, 60)
        assert AuditEntry.objects.filter(action="people.position.create", target_id=str(analyst.pk)).exists()


def test_hr_sets_the_retirement_age_of_an_existing_position_and_can_clear_it(org):
    hr = english_client(org.region, org.hr)
    edit = f"/people/positions/{org.head.pk}/edit/"
    assert 'value="14"' in hr.get(edit).content.decode()
    fields = {"code": "KADIS", "title": "Kepala Dinas", "kind": "struktural", "position_class": "15"}
    assert hr.post(edit, {**fields, "retirement_age": "60"}).status_code == 302
    with in_region(org.region):
        org.head.refresh_from_db()
        assert (org.head.position_class, org.head.retirement_age) == (15, 60)
        entry = AuditEntry.objects.get(action="people.position.update", target_id=str(org.head.pk))
        assert entry.before["retirement_age"] is None and entry.after["retirement_age"] == 60
    assert hr.post(edit, {**fields, "retirement_age": ""}).status_code == 302
    with in_region(org.region):
        org.head.refresh_from_db()
        assert org.head.retirement_age is None


def test_bad_input_names_the_field_and_saves_nothing(org):
    hr = english_client(org.region, org.hr)
    taken = hr.post("/people/positions/", {**NEW_ANALYST, "code": "DOKTER"})
    assert taken.status_code == 400 and "position code DOKTER is already used" in taken.content.decode()
    too_old = hr.post("/people/positions/", {**NEW_ANALYST, "retirement_age": "75"})
    assert too_old.status_code == 400 and "less than or equal to 70" in too_old.content.decode()
    no_class = hr.post(f"/people/positions/{org.doctor.pk}/edit/", {**NEW_ANALYST, "position_class": "18"})
    assert no_class.status_code == 400
    with in_region(org.region):
        assert not Position.objects.filter(code="ANALIS-SDM").exists()
        org.doctor.refresh_from_db()
        assert org.doctor.code == "DOKTER" and org.doctor.position_class == 11


@pytest.mark.parametrize("role", [Role.LEADERSHIP, Role.AUDITOR])
def test_readers_see_positions_but_cannot_add_or_edit(org, role):
    reader = english_client(org.region, make_user(org.region, role, username=f"reader-{role}"))
    page = reader.get("/people/positions/")
    assert page.status_code == 200 and "Kepala Dinas" in page.content.decode()
    assert 'data-testid="position-form"' not in page.content.decode()
    assert reader.post("/people/positions/", NEW_ANALYST).status_code == 403
    assert reader.post(f"/people/positions/{org.head.pk}/edit/", {**NEW_ANALYST, "code": "KADIS"}).status_code == 403
    with in_region(org.region):
        assert not Position.objects.filter(code="ANALIS-SDM").exists()


def test_an_employee_and_another_regions_hr_cannot_reach_the_positions(org, region_b):
    employee = english_client(org.region, make_user(org.region, Role.EMPLOYEE, username="plain-employee"))
    assert employee.get("/people/positions/").status_code == 403
    outsider = make_user(region_b, Role.HR_ADMIN, username="hr-elsewhere")
    # the other region's HR reaches only its own region's positions: the same id there is nobody's
    assert english_client(region_b, outsider).get(f"/people/positions/{org.head.pk}/edit/").status_code == 404
    assert english_client(region_b, outsider).post("/people/positions/", NEW_ANALYST).status_code == 302
    with in_region(org.region):
        assert not Position.objects.filter(code="ANALIS-SDM").exists()
