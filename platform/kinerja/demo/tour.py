"""A short guided tour on the dashboard of a demo region: per role, where to look to see what the region's
article does differently. Only regions made by `seed_demo` have one (their seed audit entry names the
article they tell); every other region's dashboard shows nothing of it."""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from kinerja.accounts.models import Role
from kinerja.audit.models import AuditEntry

SEEDED_ACTION = "demo.seeded"


@dataclass(frozen=True)
class Step:
    text: str
    link: str


HR = (Role.HR_ADMIN,)
READERS = (Role.LEADERSHIP, Role.AUDITOR)
STAFF = (Role.EMPLOYEE,)

TOURS: dict[str, dict[tuple[str, ...], tuple[Step, ...]]] = {
    "bukittinggi": {
        HR: (Step(_("Pay follows the predicate: open the October run and find the Sangat Baik bonus lines."), "/pay/"),
             Step(_("A clarification (objection) raised a Baik to Sangat Baik before October's pay."),
                  "/appraisal/objections/")),
        READERS: (Step(_("The calibration page shows each agency's predicates against the curve."),
                       "/appraisal/calibration/"),),
        STAFF: (Step(_("Log the day's work; your supervisor verifies it or returns it with a comment."),
                     "/appraisal/daily/"),
                Step(_("Teachers: the JP of the city's workshops fill the training indicator of the SKP."),
                     "/appraisal/"),),
    },
    "kotalama": {
        HR: (Step(_("Public-service targets of October: staff who met all of them on time got the bonus."),
                  "/pay/service-targets/"),
             Step(_("Pay is published by name under the city's regulation, with the criteria."), "/pay/transparency/")),
        READERS: (Step(_("The public page lists name, position class and TPP, as the regulation orders."),
                       "/pay/transparency/"),),
        STAFF: (Step(_("Colleagues' input counts in the monthly behaviour rating; you see it once three answered."),
                     "/appraisal/"),),
    },
    "tebingtinggi": {
        HR: (Step(_("Sanctions in force are deducted from October's TPP, by their severity."), "/appraisal/rewards-sanctions/"),
             Step(_("The managerial CPNS post went through psychological test, panel and clarification."), "/recruitment/"),
             Step(_("Attendance of August to October: late arrivals (TL) and early departures (PSW) by month."),
                  "/pay/attendance/")),
        READERS: (Step(_("The new hire completed the service-ethics and administration courses."), "/training/hours/"),
                  Step(_("Health-centre staff report children immunised month by month in their SKP."), "/appraisal/"),),
        STAFF: (Step(_("Sangat Baik earns a fixed reward on top of the TPP: see your payslip."), "/pay/"),),
    },
    "batanghari": {
        HR: (Step(_("Incentives recorded as rewards are paid in October's TPP."), "/appraisal/rewards-sanctions/"),
             Step(_("A light sanction means coaching: the payslip shows it without a deduction."), "/pay/")),
        READERS: (Step(_("Self-reports tell each quarter's achievements, obstacles and plans."), "/appraisal/"),
                  Step(_("Service staff are measured on requests finished within the service standard time."),
                       "/appraisal/"),),
        STAFF: (Step(_("Write your quarter's self-report: achievements, obstacles, improvement plan."), "/appraisal/"),),
    },
}


def demo_story() -> str | None:
    """The article this region's demo tells, or None when the region was not made by the demo."""
    entry = AuditEntry.objects.filter(action=SEEDED_ACTION).only("after").first()
    if entry is None:
        return None
    return (entry.after or {}).get("story") or None


def tour_for(role: str) -> tuple[Step, ...]:
    """The steps for a dashboard of `role` in this region: none outside demo regions."""
    story = demo_story()
    for roles, steps in TOURS.get(story or "", {}).items():
        if role in roles:
            return steps
    return ()
