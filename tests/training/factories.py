"""Training data for the training tests: catalog plugins built in memory, region courses and sessions.
People come from tests.factories."""
from __future__ import annotations

import datetime
import types

from kinerja_plugin_api.hookspecs import hookimpl
from kinerja_plugin_api.types import TrainingCourse
from kinerja.region import facts


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
    from kinerja.training import services

    start = facts.today() + datetime.timedelta(days=starts_in)
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
