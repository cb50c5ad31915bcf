"""People data built directly in the schema that is active, for the tests of every area: logins,
units, employees (each with a position of their own) and a small two-unit organisation.

Nothing here goes through the services or checks a rule: the people tests do that. Numbers in codes,
user names and NIPs come from one counter, so two calls never collide within a test."""
from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass, field

from kinerja.accounts.models import Role
from kinerja.people.models import Employee, Position, PositionKind, Unit, UnitType

_sequence = itertools.count(1)


def make_login(role: str, username: str | None = None, full_name: str = ""):
    """A user of the active schema without a password: tests sign in with force_login, and hashing a
    password would only cost time. (tests.helpers.make_user makes one that can sign in with a password.)"""
    from django.contrib.auth import get_user_model

    number = next(_sequence)
    user = get_user_model()(username=username or f"{role}-{number}", role=role, full_name=full_name or f"Test {role}")
    user.set_unusable_password()
    user.save()
    return user


def make_unit(code: str, name: str, unit_type: str = UnitType.DINAS, parent: Unit | None = None) -> Unit:
    unit = Unit.objects.create(code=code, name=name, unit_type=unit_type, parent=parent)
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.save(update_fields=["path"])
    return unit


def make_employee(unit: Unit, name: str, supervisor: Employee | None = None, *,
                  kind: str = PositionKind.EXECUTIVE, position_class: int = 7, employee_type: str = "PNS",
                  rank: str = "III/a", with_user: bool = True, status: str = "active") -> Employee:
    """An employee with a position of their own and, unless told not to, a login of their own."""
    number = next(_sequence)
    position = Position.objects.create(code=f"P{number}", title=f"Position {number}", kind=kind,
                                       position_class=position_class)
    user = make_login(Role.EMPLOYEE, f"emp{number}", name) if with_user else None
    return Employee.objects.create(
        nip=f"19800101200501{number:04d}", employee_type=employee_type, full_name=name, gender="M",
        birth_date=datetime.date(1980, 1, 1), rank=rank, unit=unit, position=position, supervisor=supervisor,
        user=user, status=status)


@dataclass
class Organisation:
    """Dinas Kesehatan: head -> chief -> staff, staff2; Dinas Pendidikan: edu_head -> teacher."""

    region: object
    health: Unit
    education: Unit
    head: Employee
    chief: Employee
    staff: Employee
    staff2: Employee
    edu_head: Employee
    teacher: Employee
    hr: object
    leadership: object
    auditor: object
    extra: dict = field(default_factory=dict)


def build_organisation(region, *, prefix: str = "", teacher: str = "Guru",
                       structural_heads: bool = True) -> Organisation:
    """The organisation in the active schema. `prefix` goes before the unit codes and the HR, leadership
    and auditor user names; with `structural_heads` the heads and the chief hold structural positions of
    their class (14, 9) and the teacher a functional one, otherwise everyone holds an executive class 7."""
    def position(kind: str, position_class: int) -> dict:
        return {"kind": kind, "position_class": position_class} if structural_heads else {}

    health = make_unit(f"{prefix}DINKES", "Dinas Kesehatan")
    education = make_unit(f"{prefix}DISDIK", "Dinas Pendidikan")
    head = make_employee(health, "Kepala Dinkes", **position(PositionKind.STRUCTURAL, 14))
    chief = make_employee(health, "Kepala Seksi", head, **position(PositionKind.STRUCTURAL, 9))
    staff = make_employee(health, "Staf Satu", chief)
    staff2 = make_employee(health, "Staf Dua", chief)
    edu_head = make_employee(education, "Kepala Disdik", **position(PositionKind.STRUCTURAL, 14))
    teacher_employee = make_employee(education, teacher, edu_head, **position(PositionKind.FUNCTIONAL, 7))
    login = prefix.lower()
    return Organisation(
        region=region, health=health, education=education, head=head, chief=chief, staff=staff, staff2=staff2,
        edu_head=edu_head, teacher=teacher_employee,
        hr=make_login(Role.HR_ADMIN, f"{login}hr"), leadership=make_login(Role.LEADERSHIP, f"{login}lead"),
        auditor=make_login(Role.AUDITOR, f"{login}aud"))


def make_api_token(user, *, days: int = 30) -> str:
    """A personal API token of `user` in the active schema; returns the value a client sends."""
    import datetime as _datetime

    from django.utils import timezone
    from kinerja.accounts.models import ApiToken
    from kinerja.accounts.tokens import digest_of, new_token_value

    prefix, value = new_token_value()
    ApiToken.objects.create(user=user, name="test", prefix=prefix, digest=digest_of(value),
                            expires_at=timezone.now() + _datetime.timedelta(days=days))
    return value
