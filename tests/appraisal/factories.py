"""Building a small organisation inside a region for appraisal tests."""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from kinerja.accounts.models import Role
from kinerja.people.models import Employee, Position, PositionKind, Unit, UnitType
_sequence = itertools.count(1)


def make_user(region, role: str, username: str, full_name: str = ""):
    """A region user without a password (tests log in with force_login; hashing would only cost time)."""
    from django.contrib.auth import get_user_model

    user = get_user_model()(username=username, role=role, full_name=full_name or f"Test {role}")
    user.set_unusable_password()
    user.save()
    return user


def make_unit(code: str, name: str, unit_type: str = UnitType.DINAS, parent: Unit | None = None) -> Unit:
    unit = Unit.objects.create(code=code, name=name, unit_type=unit_type, parent=parent)
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.save(update_fields=["path"])
    return unit


def make_employee(region, unit: Unit, name: str, supervisor: Employee | None = None, *,
                  kind: str = PositionKind.EXECUTIVE, position_class: int = 7, with_user: bool = True) -> Employee:
    number = next(_sequence)
    position = Position.objects.create(code=f"P{number}", title=f"Position {number}", kind=kind,
                                       position_class=position_class)
    user = make_user(region, Role.EMPLOYEE, username=f"emp{number}", full_name=name) if with_user else None
    return Employee.objects.create(
        nip=f"19800101200501{number:04d}"[:18], employee_type="PNS", full_name=name, gender="M",
        birth_date="1980-01-01", rank="III/a", unit=unit, position=position, supervisor=supervisor, user=user)


@dataclass
class Organisation:
    """Dinas Kesehatan: head -> section chief -> two staff; Dinas Pendidikan: head -> teacher."""

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


def build_organisation(region) -> Organisation:
    health = make_unit("DINKES", "Dinas Kesehatan")
    education = make_unit("DISDIK", "Dinas Pendidikan")
    head = make_employee(region, health, "Kepala Dinkes", kind=PositionKind.STRUCTURAL, position_class=14)
    chief = make_employee(region, health, "Kepala Seksi", head, kind=PositionKind.STRUCTURAL, position_class=9)
    staff = make_employee(region, health, "Staf Satu", chief)
    staff2 = make_employee(region, health, "Staf Dua", chief)
    edu_head = make_employee(region, education, "Kepala Disdik", kind=PositionKind.STRUCTURAL, position_class=14)
    teacher = make_employee(region, education, "Guru", edu_head, kind=PositionKind.FUNCTIONAL)
    return Organisation(
        region=region, health=health, education=education, head=head, chief=chief, staff=staff, staff2=staff2,
        edu_head=edu_head, teacher=teacher,
        hr=make_user(region, Role.HR_ADMIN, username="hr"),
        leadership=make_user(region, Role.LEADERSHIP, username="lead"),
        auditor=make_user(region, Role.AUDITOR, username="aud"),
    )


def open_year(org, year: int = 2026, cadence: str = "quarterly"):
    from kinerja.appraisal import services

    return services.create_appraisal_year(actor=org.hr, year=year, cadence=cadence)


def plan_with_indicators(employee, appraisal_year, *, approve: bool = True, parent=None, text: str = "Result"):
    """An SKP with one Utama RHK carrying one quantity IKI; approved by the appraiser unless told not to."""
    from kinerja.appraisal import services

    plan = services.create_plan(actor=employee.user, employee=employee, appraisal_year=appraisal_year)
    rhk = services.add_rhk(actor=employee.user, plan=plan, kind="utama", text=f"{text} of {employee.full_name}",
                           parent=parent)
    services.add_iki(actor=employee.user, rhk=rhk, text="Documents processed", aspect="quantity",
                     target_value="120", target_unit="documents")
    if approve:
        services.submit_plan(actor=employee.user, plan=plan)
        services.approve_plan(actor=plan.appraiser.user, plan=plan)
    plan.refresh_from_db()
    return plan


def client_for(region, user=None):
    """A region client asking for English pages (assertions read the source texts). After each request
    the schema the test was using is active again, so the test body keeps reading its own region."""
    from django.db import connection

    from tests.helpers import client_for as base_client_for

    client = base_client_for(region, user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    send = client.request

    def request(**kwargs):
        schema = connection.schema_name
        try:
            return send(**kwargs)
        finally:
            connection.set_schema(schema)

    client.request = request
    return client
