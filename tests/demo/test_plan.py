"""The demo plan, before anything is written: its size, its tree, its numbers, and that a seed repeats."""
import dataclasses
import re

import pytest

from kinerja.demo.builder import DEFAULT_EMPLOYEES, DemoDataError, check_plan, minimum_employees, plan_region
from kinerja.demo.regions import BATANGHARI, BUKITTINGGI, DEMO_REGIONS, KOTALAMA, TEBINGTINGGI
from kinerja.people.identifiers import IdentifierError, parse_nip
from kinerja.people.models import PNS_RANKS, EmployeeType, PositionKind


def test_demo_regions_carry_their_official_codes_and_distinct_slugs():
    assert (BUKITTINGGI.region_code, TEBINGTINGGI.region_code, BATANGHARI.region_code) == ("13.75", "12.76", "15.04")
    assert (BUKITTINGGI.kind, KOTALAMA.kind, TEBINGTINGGI.kind, BATANGHARI.kind) == ("kota", "kota", "kota",
                                                                                       "kabupaten")
    assert len({spec.slug for spec in DEMO_REGIONS}) == len({spec.region_code for spec in DEMO_REGIONS}) == 4


@pytest.mark.parametrize("spec", DEMO_REGIONS, ids=lambda spec: spec.slug)
def test_full_size_plan_has_the_asked_headcount_and_a_realistic_tree(spec):
    plan = plan_region(spec, DEFAULT_EMPLOYEES, "kinerja")
    assert len(plan.employees) == DEFAULT_EMPLOYEES
    names = {unit.name for unit in plan.units}
    for agency in ("Sekretariat Daerah", "Inspektorat Daerah", "Dinas Pendidikan", "Dinas Kesehatan",
                   "Dinas Kependudukan dan Pencatatan Sipil",
                   "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"):
        assert agency in names
    assert sum(unit.unit_type == "sekolah" for unit in plan.units) >= 4
    assert sum(unit.unit_type == "puskesmas" for unit in plan.units) >= 2
    assert sum(unit.unit_type == "kecamatan" for unit in plan.units) == len(spec.districts)
    assert any(unit.name.startswith("Bidang ") for unit in plan.units)
    assert any(unit.name.startswith("Seksi ") for unit in plan.units)
    assert max(unit.code.count(".") for unit in plan.units) == 2  # OPD > sekretariat > subbagian


def test_every_number_is_valid_and_agrees_with_the_person():
    plan = plan_region(TEBINGTINGGI, DEFAULT_EMPLOYEES, "kinerja")
    types = {EmployeeType.PNS: 0, EmployeeType.PPPK: 0}
    for employee in plan.employees:
        person = employee.person
        types[person.employee_type] += 1
        if person.employee_type == EmployeeType.PNS:
            parsed = parse_nip(person.nip)
            assert (parsed.birth_date, parsed.gender) == (person.birth_date, person.gender)
            assert person.rank in PNS_RANKS
        else:
            with pytest.raises(IdentifierError):  # a PPPK number never passes for a PNS NIP
                parse_nip(person.nip)
    assert types[EmployeeType.PPPK] > 0 and types[EmployeeType.PNS] > types[EmployeeType.PPPK]
    assert len({employee.person.nip for employee in plan.employees}) == len(plan.employees)


def test_golongan_fits_the_position():
    plan = plan_region(BUKITTINGGI, DEFAULT_EMPLOYEES, "kinerja")
    for employee in plan.employees:
        template = plan.positions[employee.position]
        if employee.person.employee_type == EmployeeType.PPPK:
            assert employee.person.rank == template.pppk_grade
            continue
        rank = PNS_RANKS.index(employee.person.rank)
        assert PNS_RANKS.index(template.rank_low) <= rank <= PNS_RANKS.index(template.rank_high), employee
        if template.kind == PositionKind.STRUCTURAL and template.position_class >= 14:
            assert rank >= PNS_RANKS.index("IV/b")


def test_supervisors_follow_the_tree_in_the_plan():
    plan = plan_region(BATANGHARI, DEFAULT_EMPLOYEES, "kinerja")
    parent_of = {unit.code: unit.parent for unit in plan.units}
    sekda = next(i for i, e in enumerate(plan.employees) if e.position == "J.SETDA")
    assert plan.employees[sekda].supervisor is None
    for employee in plan.employees:
        if employee.position.startswith("J.") and parent_of[employee.unit] is None and employee.unit != "SETDA":
            assert employee.supervisor == sekda, "a head of an OPD reports to the Sekda"
        elif employee is not plan.employees[sekda]:
            boss = plan.employees[employee.supervisor]
            # staff report to the head of their own unit, heads to the head of the unit above
            assert boss.unit in (employee.unit, parent_of[employee.unit])


def test_same_seed_same_people_other_seed_other_people():
    first = [e.person for e in plan_region(KOTALAMA, 60, "kinerja").employees]
    again = [e.person for e in plan_region(KOTALAMA, 60, "kinerja").employees]
    other = [e.person for e in plan_region(KOTALAMA, 60, "another").employees]
    assert first == again
    assert first != other


def test_a_size_below_one_head_per_unit_is_refused():
    needed = minimum_employees(KOTALAMA, 10)
    with pytest.raises(DemoDataError, match=str(needed)):
        plan_region(KOTALAMA, needed - 1, "kinerja")
    assert len(plan_region(KOTALAMA, needed, "kinerja").employees) == needed


def test_the_plan_check_refuses_a_nip_that_disagrees_with_the_person():
    plan = plan_region(KOTALAMA, 40, "kinerja")
    employee = next(e for e in plan.employees if e.person.employee_type == EmployeeType.PNS)
    other_gender = "F" if employee.person.gender == "M" else "M"
    employee.person = dataclasses.replace(employee.person, gender=other_gender)
    with pytest.raises(DemoDataError, match=re.escape(employee.person.full_name) + r".*nip: "):
        check_plan(plan)
