"""A small organisation and training data inside a region, for the training tests."""
from __future__ import annotations

import datetime
import itertools
import types
from dataclasses import dataclass, field

from kinerja.accounts.models import Role
from kinerja.people.models import Employee, Position, PositionKind, Unit, UnitType
from kinerja_plugin_api.hookspecs import hookimpl
from kinerja_plugin_api.types import TrainingCourse

_sequence = itertools.count(1)


def make_login(role: str, username: str, full_name: str = ""):
    """A region user without a password (tests log in with force_login)."""
    from django.contrib.auth import get_user_model

    user = get_user_model()(username=username, role=role, full_name=full_name or f"Test {role}")
    user.set_unusable_password()
    user.save()
    return user


def make_unit(code: str, name: str, parent: Unit | None = None) -> Unit:
    unit = Unit.objects.create(code=code, name=name, unit_type=UnitType.DINAS, parent=parent)
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.save(update_fields=["path"])
    return unit


def make_employee(unit: Unit, name: str, supervisor: Employee | None = None, *, with_user: bool = True,
                  status: str = "active") -> Employee:
    number = next(_sequence)
    position = Position.objects.create(code=f"TP{number}", title=f"Position {number}", kind=PositionKind.EXECUTIVE,
                                       position_class=7)
    user = make_login(Role.EMPLOYEE, f"trn{number}", name) if with_user else None
    return Employee.objects.create(
        nip=f"19800101200501{number:04d}"[:18], employee_type="PNS", full_name=name, gender="M",
        birth_date=datetime.date(1980, 1, 1), rank="III/a", unit=unit, position=position, supervisor=supervisor,
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


def build_organisation(region) -> Organisation:
    health = make_unit("T-DINKES", "Dinas Kesehatan")
    education = make_unit("T-DISDIK", "Dinas Pendidikan")
    head = make_employee(health, "Kepala Dinkes")
    chief = make_employee(health, "Kepala Seksi", head)
    staff = make_employee(health, "Staf Satu", chief)
    staff2 = make_employee(health, "Staf Dua", chief)
    edu_head = make_employee(education, "Kepala Disdik")
    teacher = make_employee(education, "Guru Satu", edu_head)
    return Organisation(region=region, health=health, education=education, head=head, chief=chief, staff=staff,
                        staff2=staff2, edu_head=edu_head, teacher=teacher,
                        hr=make_login(Role.HR_ADMIN, "t-hr"), leadership=make_login(Role.LEADERSHIP, "t-lead"),
                        auditor=make_login(Role.AUDITOR, "t-aud"))


def catalog_plugin(name: str, version: str, courses: list[TrainingCourse]):
    """A catalog plugin module built in memory, as a vendor would write it."""
    module = types.ModuleType(name.replace("-", "_"))
    module.PLUGIN_META = {"name": name, "version": version, "vendor": "Test", "hook_api": ">=2.0,<3.0",
                          "description": "A catalog for tests."}

    @hookimpl
    def kinerja_training_catalog():
        return list(courses)

    module.kinerja_training_catalog = kinerja_training_catalog
    return module


def region_course(hr, code: str = "REG-01", *, jp: int = 8, cost: int = 500_000, title: str = "Layanan Prima",
                  method: str = "klasikal", competencies=("Pelayanan publik",)):
    from kinerja.training import services

    return services.create_course(actor=hr, code=code, title=title, method=method, jp_hours=jp, cost=cost,
                                  provider="BKPSDM", competencies=list(competencies))


def session_of(hr, course, *, seats: int = 2, starts_in: int = 10, days: int = 2, cost=None, jp=None):
    """A session starting `starts_in` days from the region's today (negative: in the past)."""
    from kinerja.training import selectors, services

    start = selectors.region_today() + datetime.timedelta(days=starts_in)
    return services.create_session(actor=hr, course=course, starts_on=start,
                                   ends_on=start + datetime.timedelta(days=days - 1), seats=seats, place="Aula BKPSDM",
                                   cost=cost, jp_hours=jp, trainer="Widyaiswara")


def held_session(hr, course, participants, *, on, attended=None, jp=None, cost=None, days: int = 1):
    """A session held from `on` with the given employees seated (nominated by HR), attendance recorded
    and the session completed. `attended` defaults to everyone."""
    from kinerja.training import services
    from kinerja.training.models import Enrolment, TrainingSession

    session = TrainingSession.objects.create(
        course=course, starts_on=on, ends_on=on + datetime.timedelta(days=days - 1), seats=len(participants) or 1,
        place="Aula", cost=course.cost if cost is None else cost, jp_hours=jp or course.jp_hours, trainer="Widyaiswara")
    enrolments = [Enrolment.objects.create(course=course, session=session, employee=employee, unit=employee.unit,
                                           origin="hr", nominated_by=hr, status="confirmed", cost=session.cost)
                  for employee in participants]
    present = [e.pk for e, employee in zip(enrolments, participants) if attended is None or employee in attended]
    services.record_attendance(session, actor=hr, present=present)
    services.complete_session(session, actor=hr)
    return session


def client_for(region, user=None):
    """A region client asking for English pages; the test's schema is active again after each request."""
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
