"""Hiring: the selected applicants of a finished opening become employee records, enrolled in the
opening's onboarding courses."""
from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from kinerja_plugin_api.host import PluginHost

from kinerja.audit.services import record_change
from kinerja.people.models import Employee, EmployeeStatus
from kinerja.people.services import create_employee
from kinerja.recruitment.models import (
    Applicant,
    ApplicationStatus,
    Hire,
    Opening,
    OpeningStatus,
)
from kinerja.recruitment.services.access import require_hr
from kinerja.recruitment.services.openings import training_catalog
from kinerja.region import facts
from kinerja.training.services import enrol_new_hire


def _next_number(prefix: str) -> str:
    taken = Employee.objects.filter(nip__startswith=prefix).values_list("nip", flat=True)
    sequence = max((int(nip[len(prefix):]) for nip in taken if nip[len(prefix):].isdecimal()), default=0) + 1
    if sequence > 999:
        raise ValidationError({"nip": [_("No free sequence number is left for %s.") % prefix]})
    return f"{prefix}{sequence:03d}"


def _employee_number(opening: Opening, applicant: Applicant, start: datetime.date) -> str:
    gender = "1" if applicant.gender == "M" else "2"
    birth = applicant.birth_date.strftime("%Y%m%d")
    if opening.employee_type == "PNS":
        return _next_number(f"{birth}{start:%Y%m}{gender}")
    # PPPK: birth date, appointment year, contract count (01 for a first contract), gender, sequence.
    return _next_number(f"{birth}{start:%Y}01{gender}")


def _enrol_onboarding(employee, opening: Opening, *, actor, catalog: dict) -> list[dict]:
    courses = [catalog.get(code, {"code": code, "title": code, "jp_hours": None}) for code in opening.onboarding_courses]
    if not courses:
        return []
    enrolments = enrol_new_hire(employee, [c["code"] for c in courses], actor=actor,
                                reason=_("Onboarding for opening %s") % opening.code)
    by_code = {e.course.code: e for e in enrolments}
    return [{**course, "status": "enrolled", "enrolment": by_code[course["code"]].pk} for course in courses]


@transaction.atomic
def hire(opening: Opening, *, actor, start: datetime.date | None = None, host: PluginHost | None = None) -> list[Hire]:
    """Turn the selected applications into employee records (status candidate) and enrol each hire in the
    opening's onboarding courses."""
    require_hr(actor)
    opening = Opening.objects.select_for_update().select_related("unit", "position").get(pk=opening.pk)
    if opening.status != OpeningStatus.FINISHED:
        raise ValidationError({"status": [_("Hiring comes after the selection is finished.")]})
    selected = list(opening.applications.filter(status=ApplicationStatus.SELECTED).select_related("applicant")
                    .order_by("final_rank", "number"))
    if not selected:
        raise ValidationError({"status": [_("No applicant was selected.")]})
    start = start or facts.today()
    catalog = training_catalog(host) if opening.onboarding_courses else {}
    hires = []
    for application in selected:
        applicant = application.applicant
        try:
            employee = create_employee(
                actor=actor, nip=_employee_number(opening, applicant, start), employee_type=opening.employee_type,
                full_name=applicant.full_name, gender=applicant.gender, birth_date=applicant.birth_date,
                rank=opening.rank, unit=opening.unit, position=opening.position, status=EmployeeStatus.CANDIDATE,
                email=applicant.email)
        except ValidationError as error:
            raise ValidationError({application.number: [f"{field}: {message}" for field, messages in
                                                        error.message_dict.items() for message in messages]}) from None
        onboarding = _enrol_onboarding(employee, opening, actor=actor, catalog=catalog)
        hires.append(Hire.objects.create(application=application, employee=employee, hired_by=actor,
                                         onboarding=onboarding))
        application.status = ApplicationStatus.HIRED
        application.save(update_fields=["status"])
    opening.status = OpeningStatus.HIRED
    opening.save(update_fields=["status"])
    record_change(actor=actor, action="recruitment.opening.hired", target=opening,
                  after={"hires": [{"number": h.application.number, "nip": h.employee.nip} for h in hires]})
    return hires
