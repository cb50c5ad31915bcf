"""A region's organisation with enough people for aggregates, built directly in the region's schema."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from kinerja.accounts.models import Role
from kinerja.people.models import Employee, EmployeeStatus, Position, PositionKind, Unit, UnitType
from tests.factories import make_unit


@dataclass
class Population:
    units: dict[str, Unit]
    employees: list[Employee]
    retired: list[Employee] = field(default_factory=list)
    year: object = None

    @property
    def nips(self) -> list[str]:
        return [e.nip for e in self.employees + self.retired]

    @property
    def names(self) -> list[str]:
        return [e.full_name for e in self.employees + self.retired]


# (unit, employee type, rank, position kind, class, how many)
STAFF = [
    ("DINKES", "PNS", "IV/a", PositionKind.STRUCTURAL, 14, 1),
    ("DINKES", "PNS", "III/a", PositionKind.EXECUTIVE, 7, 12),
    ("DINKES", "PNS", "II/c", PositionKind.EXECUTIVE, 7, 8),
    ("PKM", "PNS", "III/b", PositionKind.FUNCTIONAL, 9, 8),
    ("SETDA", "PPPK", "IX", PositionKind.EXECUTIVE, 7, 3),
]
FIRST_NAMES = ["Siti", "Budi", "Ahmad", "Dewi", "Rina", "Agus", "Yusuf", "Nurul", "Hendra", "Fitri", "Joko", "Wati"]


def populate(prefix: str = "R") -> Population:
    """32 serving staff (29 PNS, 3 PPPK) and one retired employee, each with a distinctive name and NIP."""
    units = {"DINKES": make_unit(f"{prefix}DINKES", "Dinas Kesehatan", UnitType.DINAS),
             "SETDA": make_unit(f"{prefix}SETDA", "Sekretariat Daerah", UnitType.SECRETARIAT)}
    units["PKM"] = make_unit(f"{prefix}PKM", "Puskesmas Mandiangin", UnitType.HEALTH_CENTRE, units["DINKES"])
    positions = {}
    employees = []
    number = 0
    for unit_code, employee_type, rank, kind, position_class, how_many in STAFF:
        position = positions.get((kind, position_class))
        if position is None:
            position = positions[(kind, position_class)] = Position.objects.create(
                code=f"{prefix}-{kind}-{position_class}", title=f"{kind} {position_class}", kind=kind,
                position_class=position_class)
        for _ in range(how_many):
            number += 1
            employees.append(Employee(
                nip=f"1985{number % 12 + 1:02d}{number % 27 + 1:02d}201001{number % 2 + 1}{number:03d}",
                employee_type=employee_type,
                full_name=f"{FIRST_NAMES[number % len(FIRST_NAMES)]} Zulkarnaen{number:02d}{prefix}",
                gender="F" if number % 2 else "M", birth_date=datetime.date(1985, number % 12 + 1, 1), rank=rank,
                unit=units[unit_code], position=position, status=EmployeeStatus.ACTIVE))
    employees = Employee.objects.bulk_create(employees)
    retired = Employee.objects.create(
        nip="196001011985031999", employee_type="PNS", full_name=f"Pensiunan Wiratmaja{prefix}", gender="M",
        birth_date=datetime.date(1960, 1, 1), rank="IV/b", unit=units["DINKES"], position=employees[0].position,
        status=EmployeeStatus.RETIRED)
    return Population(units=units, employees=employees, retired=[retired])


def hr_user():
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username="reports-hr", defaults={"role": Role.HR_ADMIN})
    return user


ANNUAL_PREDICATES = ["sangat_baik"] * 10 + ["baik"] * 12 + ["butuh_perbaikan"] * 7 + ["kurang"] * 3


def rate_everyone(population: Population, year: int = 2025) -> None:
    """An appraisal year (quarterly) with an annual rating for every serving employee, a TW I rating for
    all of them, and organisation ratings for Dinas Kesehatan (Baik) and the secretariat (Istimewa)."""
    from kinerja.appraisal import services
    from kinerja.appraisal.models import Rating, SkpPlan, UnitRating

    appraisal_year = services.create_appraisal_year(actor=hr_user(), year=year, cadence="quarterly")
    population.year = appraisal_year
    head = population.employees[0]
    plans = SkpPlan.objects.bulk_create([
        SkpPlan(employee=e, appraisal_year=appraisal_year, appraiser=head, unit=e.unit, status="approved")
        for e in population.employees])
    first_period = appraisal_year.periods.get(number=1)
    ratings = []
    for plan, predicate in zip(plans, ANNUAL_PREDICATES):
        ratings.append(Rating(plan=plan, period=None, work_result="as_expected", behaviour="as_expected",
                              predicate=predicate))
        ratings.append(Rating(plan=plan, period=first_period, work_result="as_expected", behaviour="as_expected",
                              predicate="baik"))
    Rating.objects.bulk_create(ratings)
    UnitRating.objects.create(unit=population.units["DINKES"], appraisal_year=appraisal_year, rating="baik")
    UnitRating.objects.create(unit=population.units["SETDA"], appraisal_year=appraisal_year, rating="istimewa")
