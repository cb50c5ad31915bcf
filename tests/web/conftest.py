"""People data for the web tests: one unit, a supervisor with a team, and a plain employee."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from kinerja.accounts.models import Role
from tests.factories import make_unit
from tests.helpers import in_region, make_user


@dataclass
class Team:
    supervisor_user: object
    employee_user: object
    supervisor: object
    members: list


def build_team(region, *, size: int = 3, prefix: str = "web") -> Team:
    """A unit with a supervisor (an employee with a login) and `size` direct reports; the first report
    has a login of their own."""
    from kinerja.people.models import Employee, Position, PositionKind, UnitType

    supervisor_user = make_user(region, Role.EMPLOYEE, username=f"{prefix}-kabid", full_name="Rina Marlina")
    employee_user = make_user(region, Role.EMPLOYEE, username=f"{prefix}-staf", full_name="Andi Saputra")
    with in_region(region):
        unit = make_unit(f"{prefix.upper()}-DINKES", "Dinas Kesehatan", UnitType.OTHER)
        head = Position.objects.create(code=f"{prefix.upper()}-KABID", title="Kepala Bidang Pelayanan",
                                       kind=PositionKind.STRUCTURAL, position_class=11)
        staff = Position.objects.create(code=f"{prefix.upper()}-PERAWAT", title="Perawat Ahli Pertama",
                                        kind=PositionKind.FUNCTIONAL, position_class=8)
        supervisor = Employee.objects.create(
            nip="197805122005012003", employee_type="PNS", full_name="Rina Marlina", gender="F",
            birth_date=datetime.date(1978, 5, 12), rank="III/d", unit=unit, position=head, user=supervisor_user)
        members = []
        for index in range(size):
            members.append(Employee.objects.create(
                nip=f"19900101201501{index + 1:04d}", employee_type="PNS" if index % 2 == 0 else "PPPK",
                full_name=f"Staf Pelayanan {index + 1}", gender="M", birth_date=datetime.date(1990, 1, 1),
                rank="III/a" if index % 2 == 0 else "IX", unit=unit, position=staff, supervisor=supervisor,
                user=employee_user if index == 0 else None))
    return Team(supervisor_user, employee_user, supervisor, members)


@pytest.fixture
def team(region_a) -> Team:
    return build_team(region_a)
