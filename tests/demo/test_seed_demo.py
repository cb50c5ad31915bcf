"""`manage.py seed_demo` against the database: regions onboarded, people valid, logins working, and a
second run changing nothing. The session already holds "bukittinggi" and "batanghari" (onboarded by the
test fixtures, without demo data), so the command must leave those two alone."""
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_context

from kinerja.accounts.models import Role
from kinerja.appraisal.models import SkpPlan
from kinerja.audit.models import AuditEntry
from kinerja.people.identifiers import parse_nip, validate_pppk_number
from kinerja.people.models import PNS_RANKS, PPPK_GRADES, Employee, EmployeeType, Position, Unit
from tenants.models import Region, RegionStatus
from tenants.services import OnboardingRequest, onboard_region
from tests.helpers import client_for, in_region

pytestmark = pytest.mark.django_db

SMALL = ["--employees", "40"]
PASSWORD = "kinerja-demo"


def seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", *SMALL, *args, stdout=out)
    connection.set_schema_to_public()
    return out.getvalue()


def test_creates_the_missing_regions_and_leaves_existing_ones_untouched(region_a, region_b):
    output = seed()
    kotalama = Region.objects.get(schema_name="kotalama")
    tebingtinggi = Region.objects.get(schema_name="tebingtinggi")
    assert (tebingtinggi.name, tebingtinggi.kind, tebingtinggi.region_code, tebingtinggi.province) == (
        "Kota Tebing Tinggi", "kota", "12.76", "Sumatera Utara")
    assert kotalama.kind == "kota" and kotalama.status == tebingtinggi.status == RegionStatus.ACTIVE
    for region in (kotalama, tebingtinggi):
        with in_region(region):
            assert Employee.objects.exclude(status="candidate").count() == 40  # Tebingtinggi's hire joins later
            assert AuditEntry.objects.filter(action="demo.seeded").count() == 1
    for region in (region_a, region_b):
        with in_region(region):
            assert not Employee.objects.exists() and not Unit.objects.exists()
            assert not get_user_model().objects.filter(username="pimpinan").exists()
    assert "http://kotalama.localhost:8000/" in output and "http://tebingtinggi.localhost:8000/" in output
    assert "http://localhost:8000/" in output
    assert "http://bukittinggi.localhost:8000/" not in output, "a region without demo data lists no logins"


def test_every_person_is_valid_by_the_people_rules():
    seed("--region", "tebingtinggi")
    region = Region.objects.get(schema_name="tebingtinggi")
    with in_region(region):
        employees = list(Employee.objects.select_related("unit", "position"))
        assert {e.employee_type for e in employees} == {EmployeeType.PNS, EmployeeType.PPPK}
        for employee in employees:
            if employee.employee_type == EmployeeType.PNS:
                parsed = parse_nip(employee.nip)
                assert (parsed.birth_date, parsed.gender) == (employee.birth_date, employee.gender), employee
                assert employee.rank in PNS_RANKS
            else:
                assert validate_pppk_number(employee.nip) == employee.birth_date
                assert employee.rank in PPPK_GRADES
            assert 1 <= employee.position.position_class <= 17
        for unit in Unit.objects.select_related("parent"):
            assert unit.path == f"{unit.parent.path if unit.parent else '/'}{unit.pk}/"


def test_supervisors_have_subordinates_along_the_unit_tree():
    seed("--region", "kotalama")
    with in_region(Region.objects.get(schema_name="kotalama")):
        sekda = Employee.objects.get(position__code="J.SETDA")
        assert sekda.supervisor is None
        for employee in Employee.objects.exclude(pk=sekda.pk).select_related("unit", "supervisor__unit"):
            boss_unit = employee.supervisor.unit
            if employee.unit.parent_id is None and boss_unit != employee.unit:
                assert employee.supervisor == sekda, "the head of an OPD reports to the Sekda"
            else:  # staff report to their unit's head, heads of sub-units to the head of the unit above
                assert employee.unit.path.startswith(boss_unit.path), employee
        supervisor = Employee.objects.get(user__username="atasan")
        assert supervisor.position.title == "Kepala Dinas Kesehatan" and supervisor.supervisor == sekda
        assert supervisor.subordinates.count() >= 2
        assert Employee.objects.get(user__username="pegawai").supervisor == supervisor


def test_every_demo_login_signs_in_with_the_demo_password():
    seed("--region", "kotalama")
    region = Region.objects.get(schema_name="kotalama")
    expected = {"hr": Role.HR_ADMIN, "pimpinan": Role.LEADERSHIP, "auditor": Role.AUDITOR,
                "atasan": Role.EMPLOYEE, "pegawai": Role.EMPLOYEE}
    with in_region(region):
        assert dict(get_user_model().objects.filter(username__in=expected).values_list("username", "role")) == expected
    for username in expected:
        response = client_for(region).post("/accounts/login/", {"username": username, "password": PASSWORD})
        assert response.status_code == 302, username
    platform = {"operator": Role.OPERATOR, "bkn": Role.BKN_ANALYST, "vendor": Role.PLUGIN_VENDOR}
    with schema_context("public"):
        assert dict(get_user_model().objects.filter(username__in=platform).values_list("username", "role")) == platform
    for username in platform:
        response = client_for(None).post("/accounts/login/", {"username": username, "password": PASSWORD})
        assert response.status_code == 302, username
    refused = client_for(region).post("/accounts/login/", {"username": "hr", "password": "not-the-password"})
    assert refused.status_code == 200


def _counts() -> dict:
    User = get_user_model()
    counts = {"regions": Region.objects.count(), "platform users": User.objects.count()}
    with in_region(Region.objects.get(schema_name="kotalama")):
        for model in (Unit, Position, Employee, User, AuditEntry):
            counts[model.__name__] = model.objects.count()
        counts["linked"] = Employee.objects.filter(user__isnull=False).count()
        counts["SKP plans"] = SkpPlan.objects.count()
    return counts


def test_a_second_run_changes_nothing():
    seed("--region", "kotalama")
    first = _counts()
    output = seed("--region", "kotalama")
    assert _counts() == first
    # everyone has a login and an SKP: the whole region takes part in the demo's year
    assert first["Employee"] == 40 and first["linked"] == first["SKP plans"] == 40
    assert "http://kotalama.localhost:8000/" in output, "the logins are listed again"


def test_a_size_too_small_stops_before_anything_is_created():
    with pytest.raises(CommandError, match="21"):  # 20 unit heads and one employee under the demo supervisor
        call_command("seed_demo", "--employees", "5", "--region", "kotalama", stdout=io.StringIO())
    assert not Region.objects.filter(schema_name="kotalama").exists()
    with schema_context("public"):
        assert not get_user_model().objects.filter(username="operator").exists()


def test_a_region_code_already_taken_is_reported_by_region_and_field():
    onboard_region(OnboardingRequest(name="Kota Lain", slug="kotalain", kind="kota", region_code="35.80",
                                     province="Jawa Timur", time_zone="Asia/Jakarta", admin_email="hr@lain.go.id",
                                     admin_name="Admin"))
    with pytest.raises(CommandError, match="Kotalama.*region_code"):
        call_command("seed_demo", *SMALL, "--region", "kotalama", stdout=io.StringIO())
    assert not Region.objects.filter(schema_name="kotalama").exists()


def test_a_weak_password_is_refused_before_anything_is_created():
    with pytest.raises(CommandError):
        call_command("seed_demo", *SMALL, "--region", "kotalama", "--password", "short", stdout=io.StringIO())
    assert not Region.objects.filter(schema_name="kotalama").exists()
