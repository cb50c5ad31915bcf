"""Every kind of notification the platform sends, in one table: its name in the preferences page, the
subject and sentence a recipient reads, and whether it goes to the inbox and by e-mail until the person
says otherwise.

Sentences are msgids with named parameters (`%(employee)s`). A notification stores the kind and the
parameters, never the rendered sentence, so the inbox shows it in the reader's language and the e-mail in
the recipient's. A parameter whose values are themselves words (an outcome) names them in `choices`, so
they are translated too; names, dates and amounts are passed already written."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    subject: str
    message: str
    in_app: bool = True  # default before the person chooses
    email: bool = True
    staff: bool = True  # False: goes to an e-mail address without a login (applicants), no preference
    choices: dict[str, dict[str, str]] = field(default_factory=dict)


OUTCOMES = {"upheld": _("upheld"), "rejected": _("not upheld"),
            "passed": _("passed"), "failed": _("did not pass"), "pending": _("pending")}

KINDS: dict[str, Kind] = {kind.code: kind for kind in [
    Kind("plan.submitted", _("SKP plan submitted for approval"),
         _("SKP plan of %(employee)s waits for your approval"),
         _("%(employee)s submitted the SKP plan for %(year)s. Please review and approve it or return it.")),
    Kind("plan.returned", _("SKP plan returned"),
         _("Your SKP plan for %(year)s was returned"),
         _("%(appraiser)s returned your SKP plan for %(year)s: %(comment)s")),
    Kind("plan.approved", _("SKP plan approved"),
         _("Your SKP plan for %(year)s was approved"),
         _("%(appraiser)s approved your SKP plan for %(year)s.")),
    Kind("plan.opened", _("SKP plan opened by HR"),
         _("Your SKP for %(year)s is open"),
         _("HR opened your SKP for %(year)s as a draft (appraiser: %(appraiser)s). Review its results and "
           "indicators and submit it for approval.")),
    Kind("appraisal.year_closed", _("Appraisal year closed"),
         _("The appraisal year %(year)s is closed"),
         _("HR closed the appraisal year %(year)s while your SKP for it still had work open; it no longer "
           "changes. HR's reason: %(reason)s")),
    Kind("people.departure", _("Retirement or contract end ahead"),
         _("%(employee)s: %(event)s on %(date)s"),
         _("%(employee)s (NIP %(nip)s) reaches %(event)s on %(date)s. Prepare the decree and the handover."),
         choices={"event": {"retirement": _("retirement at the age limit (BUP)"),
                            "contract_end": _("the end of the PPPK contract")}}),
    Kind("rating.delivered", _("Rating delivered"),
         _("Your rating for %(period)s"),
         _("%(appraiser)s delivered your rating for %(period)s: %(predicate)s. You may object until %(deadline)s.")),
    Kind("objection.filed", _("Objection filed"),
         _("%(employee)s objected to a rating"),
         _("%(employee)s filed an objection against the rating for %(period)s. You decide it.")),
    Kind("objection.answered", _("Objection decided"),
         _("Your objection for %(period)s was decided"),
         _("Your objection against the rating for %(period)s was %(outcome)s: %(decision)s"),
         choices={"outcome": OUTCOMES}),
    Kind("objection.deadline", _("Objection deadline near"),
         _("Three days left to object to your rating for %(period)s"),
         _("The time to object to your rating for %(period)s ends on %(deadline)s.")),
    Kind("payrun.awaiting_approval", _("TPP run waiting for approval"),
         _("TPP run for %(month)s waits for approval"),
         _("The TPP run for %(month)s has been computed by %(maker)s and waits for the approval of another HR admin.")),
    Kind("payrun.approved", _("TPP run approved"),
         _("TPP run for %(month)s approved"),
         _("%(approver)s approved the TPP run for %(month)s.")),
    Kind("payslip.ready", _("Payslip ready"),
         _("Your TPP payslip for %(month)s is ready"),
         _("Your TPP for %(month)s has been settled: Rp %(net)s. The payslip explains each line.")),
    Kind("pay.named_publication", _("TPP to be published by name"),
         _("Your TPP will be published by name from %(date)s"),
         _("Under %(regulation)s, the region's public transparency page will show each employee's name, position "
           "class and TPP amount from %(date)s. Nothing else about you is published.")),
    Kind("training.enrolled", _("Training enrolment"),
         _("Enrolment in %(course)s"),
         _("You are enrolled in %(course)s (%(starts_on)s): %(status)s."),
         choices={"status": {"confirmed": _("your seat is confirmed"), "waitlisted": _("you are on the waiting list"),
                             "awaiting_session": _("approved, waiting for a session to be scheduled")}}),
    Kind("training.promoted", _("Moved up from the waiting list"),
         _("A seat in %(course)s is yours"),
         _("A seat opened in %(course)s (%(starts_on)s): you moved from the waiting list to the participants.")),
    Kind("recruitment.stage_result", _("Selection stage results"), _("Results of %(stage)s: %(opening)s"),
         _("The results of the %(stage)s stage of %(opening)s are final. Your result (registration %(number)s): %(outcome)s."),
         staff=False, choices={"outcome": OUTCOMES}),
    Kind("recruitment.objection_window", _("Objection (sanggah) window"), _("Sanggah open for %(stage)s: %(opening)s"),
         _("You may file an objection (sanggah) against the results of %(stage)s of %(opening)s until %(deadline)s."),
         staff=False),
    Kind("region.suspended", _("Region suspended"),
         _("%(region)s has been suspended"),
         _("The platform operator suspended %(region)s: %(reason)s. Sign-in and billing stay open so the region can settle it.")),
    Kind("billing.due", _("Invoice due"),
         _("Invoice %(number)s of %(region)s is due"),
         _("Invoice %(number)s of Rp %(amount)s for %(region)s is due on %(due)s.")),
]}

STAFF_KINDS = [kind for kind in KINDS.values() if kind.staff]


def kind_named(code: str) -> Kind:
    """The kind called `code`; an unknown name is a programming error, not a silent drop."""
    try:
        return KINDS[code]
    except KeyError:
        raise LookupError(f"no notification kind named {code}") from None
