"""People services: NIP and rank rules, unit tree paths, supervisor loops, logins, and the audit trail."""
import datetime

import pytest
from django.core.exceptions import ValidationError

from kinerja.accounts.models import Role
from kinerja.audit.models import AuditEntry
from kinerja.people import services
from kinerja.people.models import Employee, Unit, UnitKind
from tests.helpers import in_region, make_user
from tests.people.conftest import NIP_BUDI, PPPK_RINA

pytestmark = pytest.mark.django_db


def new_employee(org, **overrides):
    values = dict(actor=org.hr, nip="198503152010011001", employee_type="PNS", full_name="Joko Widodo",
                  gender="M", birth_date=datetime.date(1985, 3, 15), rank="III/b", unit=org.disdik,
                  position=org.clerk)
    values.update(overrides)
    return services.create_employee(**values)


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# --- NIP ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("nip, birth_date, gender", [
    ("198503152010011001", datetime.date(1985, 3, 15), "M"),   # male, CPNS January 2010, no. 001
    ("199212312019022015", datetime.date(1992, 12, 31), "F"),  # female, CPNS February 2019, no. 015
    ("196808172000121999", datetime.date(1968, 8, 17), "M"),   # CPNS December 2000, no. 999
    ("1985 0315 2010 01 1 002", datetime.date(1985, 3, 15), "M"),  # spaces as typed on a form are dropped
])
def test_valid_pns_nips_are_accepted(org, nip, birth_date, gender):
    with in_region(org.region):
        employee = new_employee(org, nip=nip, birth_date=birth_date, gender=gender)
        assert Employee.objects.get(pk=employee.pk).nip == nip.replace(" ", "")


@pytest.mark.parametrize("nip, reason", [
    ("19850315201001100", "18 digits"),            # 17 digits
    ("19850315201001100A", "18 digits"),           # a letter
    ("198513152010011001", "digits 1-8"),          # month 13 in the birth date
    ("198503152010131001", "digits 9-14"),         # month 13 in the CPNS start
    ("198503151995011001", "too soon after birth"),  # CPNS at 9 years old
    ("198503152010013001", "digit 15"),            # gender digit 3
    ("198503152010011000", "cannot be 000"),       # sequence 000
])
def test_invalid_pns_nips_name_the_wrong_part(org, nip, reason):
    with in_region(org.region), pytest.raises(ValidationError) as excinfo:
        new_employee(org, nip=nip)
    assert reason in " ".join(errors_of(excinfo)["nip"])
    with in_region(org.region):
        assert not Employee.objects.filter(full_name="Joko Widodo").exists()


def test_pns_nip_birth_date_must_match_birth_date(org):
    with in_region(org.region), pytest.raises(ValidationError) as excinfo:
        new_employee(org, birth_date=datetime.date(1985, 3, 16))
    assert "1985-03-15" in errors_of(excinfo)["nip"][0] and "1985-03-16" in errors_of(excinfo)["nip"][0]


def test_pns_nip_gender_digit_must_match_gender(org):
    with in_region(org.region), pytest.raises(ValidationError) as excinfo:
        new_employee(org, gender="F")
    assert "digit 15" in errors_of(excinfo)["nip"][0]


def test_pppk_numbers_are_not_held_to_pns_rules(org):
    with in_region(org.region):
        # "202321" would be month 21 and "3" a wrong gender digit for a PNS; a PPPK number has another structure.
        employee = new_employee(org, nip="199001012023213007", employee_type="PPPK", rank="VII",
                                birth_date=datetime.date(1990, 1, 1))
        assert employee.employee_type == "PPPK"
        with pytest.raises(ValidationError) as excinfo:  # the same number is refused for a PNS
            new_employee(org, nip="199001012023213008", employee_type="PNS", rank="III/a",
                         birth_date=datetime.date(1990, 1, 1))
        assert "digits 9-14" in errors_of(excinfo)["nip"][0]


@pytest.mark.parametrize("nip, reason", [("19900101202321300", "18 digits"), ("199013012023213007", "digits 1-8")])
def test_pppk_numbers_still_need_18_digits_and_a_birth_date(org, nip, reason):
    with in_region(org.region), pytest.raises(ValidationError) as excinfo:
        new_employee(org, nip=nip, employee_type="PPPK", rank="VII", birth_date=datetime.date(1990, 1, 1))
    assert reason in errors_of(excinfo)["nip"][0]


def test_nip_is_unique(org):
    with in_region(org.region), pytest.raises(ValidationError) as excinfo:
        new_employee(org, nip=NIP_BUDI, birth_date=datetime.date(1975, 6, 12))
    assert "already belongs" in errors_of(excinfo)["nip"][0]


# --- rank -----------------------------------------------------------------------------------------------

def test_pns_needs_a_golongan_and_pppk_a_grade(org):
    with in_region(org.region):
        with pytest.raises(ValidationError) as excinfo:
            new_employee(org, rank="IX")
        assert "PPPK grade" in errors_of(excinfo)["rank"][0]
        with pytest.raises(ValidationError) as excinfo:
            new_employee(org, rank="IV/f")
        assert "I/a to IV/e" in errors_of(excinfo)["rank"][0]
        with pytest.raises(ValidationError) as excinfo:
            services.update_employee(org.rina, actor=org.hr, rank="III/a")
        assert "PNS golongan" in errors_of(excinfo)["rank"][0]


def test_rank_spellings_are_normalised(org):
    with in_region(org.region):
        assert new_employee(org, rank="iii / b").rank == "III/b"
        assert services.update_employee(org.rina, actor=org.hr, rank="10").rank == "X"


def test_changing_type_rechecks_nip_and_rank(org):
    with in_region(org.region), pytest.raises(ValidationError) as excinfo:
        services.update_employee(org.rina, actor=org.hr, employee_type="PNS")
    assert {"nip", "rank"} <= set(errors_of(excinfo))


# --- supervisors ----------------------------------------------------------------------------------------

def test_employee_cannot_supervise_themselves(org):
    with in_region(org.region), pytest.raises(ValidationError) as excinfo:
        services.update_employee(org.budi, actor=org.hr, supervisor=org.budi)
    assert "own supervisor" in errors_of(excinfo)["supervisor"][0]


def test_supervisor_loops_are_refused(org):
    with in_region(org.region):
        # Budi -> Sari -> Rina; making Rina Budi's supervisor would close the loop.
        with pytest.raises(ValidationError) as excinfo:
            services.update_employee(org.budi, actor=org.hr, supervisor=org.rina)
        assert "loop" in errors_of(excinfo)["supervisor"][0]
        with pytest.raises(ValidationError):
            services.update_employee(org.sari, actor=org.hr, supervisor=org.rina)
        assert Employee.objects.get(pk=org.budi.pk).supervisor_id is None
        # An acyclic change is fine: Dewi may report to Budi.
        assert services.update_employee(org.dewi, actor=org.hr, supervisor=org.budi).supervisor_id == org.budi.pk


# --- units ----------------------------------------------------------------------------------------------

def test_unit_paths_are_materialised_ids(org):
    with in_region(org.region):
        assert org.dinkes.path == f"/{org.dinkes.pk}/"
        assert Unit.objects.get(pk=org.puskesmas.pk).path == f"/{org.dinkes.pk}/{org.puskesmas.pk}/"


def test_moving_a_unit_moves_its_subtree(org):
    with in_region(org.region):
        ward = services.create_unit(actor=org.hr, code="PKM-POSTU", name="Pustu Garegeh", kind=UnitKind.SUB_UNIT,
                                    parent=org.puskesmas)
        services.update_unit(org.dinkes, actor=org.hr, parent=org.disdik, kind=UnitKind.SUB_UNIT)
        base = f"/{org.disdik.pk}/{org.dinkes.pk}/"
        assert Unit.objects.get(pk=org.dinkes.pk).path == base
        assert Unit.objects.get(pk=org.puskesmas.pk).path == f"{base}{org.puskesmas.pk}/"
        assert Unit.objects.get(pk=ward.pk).path == f"{base}{org.puskesmas.pk}/{ward.pk}/"
        assert Unit.objects.get(pk=org.disdik.pk).path == f"/{org.disdik.pk}/"


def test_unit_cycles_are_refused(org):
    with in_region(org.region):
        with pytest.raises(ValidationError) as excinfo:
            services.update_unit(org.dinkes, actor=org.hr, parent=org.puskesmas)
        assert "under itself" in errors_of(excinfo)["parent"][0]
        with pytest.raises(ValidationError):
            services.update_unit(org.dinkes, actor=org.hr, parent=org.dinkes)
        assert Unit.objects.get(pk=org.dinkes.pk).parent_id is None


def test_unit_rules(org):
    with in_region(org.region):
        with pytest.raises(ValidationError) as excinfo:
            services.create_unit(actor=org.hr, code="DINKES", name="", kind=UnitKind.SUB_UNIT)
        assert set(errors_of(excinfo)) == {"code", "name", "parent"}


def test_position_class_is_1_to_17(org):
    with in_region(org.region):
        for bad in (0, 18):
            with pytest.raises(ValidationError) as excinfo:
                services.create_position(actor=org.hr, code=f"X{bad}", title="X", kind="pelaksana",
                                         position_class=bad)
            assert "1 to 17" in errors_of(excinfo)["position_class"][0]


# --- logins ---------------------------------------------------------------------------------------------

def test_link_user_gives_one_login_to_one_employee(org):
    user = make_user(org.region, Role.EMPLOYEE, username="sari")
    with in_region(org.region):
        services.link_user(org.sari, user, actor=org.hr)
        assert Employee.objects.get(user=user) == org.sari
        with pytest.raises(ValidationError) as excinfo:
            services.link_user(org.budi, user, actor=org.hr)
        assert "Sari Wulandari" in errors_of(excinfo)["user"][0]
        entry = AuditEntry.objects.get(action="people.employee.link_user")
        assert entry.before == {"user_id": None} and entry.after == {"user_id": user.pk}


# --- audit ----------------------------------------------------------------------------------------------

def test_every_create_and_update_is_audited(org):
    with in_region(org.region):
        created = AuditEntry.objects.filter(target_type="people.employee", action="people.employee.create")
        assert set(created.values_list("target_id", flat=True)) == {
            str(e.pk) for e in (org.budi, org.sari, org.rina, org.dewi, org.andi)}
        assert created.get(target_id=str(org.rina.pk)).after["nip"] == PPPK_RINA
        assert AuditEntry.objects.filter(action="people.unit.create").count() == 3
        assert AuditEntry.objects.filter(action="people.position.create").count() == 4

        services.update_employee(org.andi, actor=org.hr, rank="III/b", reason="kenaikan pangkat")
        entry = AuditEntry.objects.get(action="people.employee.update", target_id=str(org.andi.pk))
        assert entry.before["rank"] == "III/a" and entry.after["rank"] == "III/b"
        assert entry.actor_id == org.hr.pk and entry.reason == "kenaikan pangkat"

        services.update_unit(org.puskesmas, actor=org.hr, parent=org.disdik)
        entry = AuditEntry.objects.get(action="people.unit.update")
        assert entry.before["parent_id"] == org.dinkes.pk and entry.after["parent_id"] == org.disdik.pk
        assert entry.after["path"] == f"/{org.disdik.pk}/{org.puskesmas.pk}/"

        services.update_position(org.clerk, actor=org.hr, position_class=6)
        entry = AuditEntry.objects.get(action="people.position.update")
        assert (entry.before["position_class"], entry.after["position_class"]) == (5, 6)


def test_update_without_change_writes_no_audit_entry(org):
    with in_region(org.region):
        services.update_employee(org.andi, actor=org.hr, rank="III/a")
        assert not AuditEntry.objects.filter(action="people.employee.update").exists()


def test_a_refused_update_changes_nothing(org):
    with in_region(org.region):
        with pytest.raises(ValidationError):
            services.update_employee(org.andi, actor=org.hr, full_name="Andi P.", rank="XX")
        assert Employee.objects.get(pk=org.andi.pk).full_name == "Andi Pratama"
        assert not AuditEntry.objects.filter(action="people.employee.update").exists()
