"""The year rollover: HR closes an appraisal year and carries its plans into the next one as drafts.

Closing is refused while anything of the year is still open (a plan not approved, an approved plan
without a delivered annual rating, a rating given but not delivered, an objection not decided), with the
list of what is open, unless HR writes a reason to close anyway; the audit entry keeps the reason and what
was left open, and the employees whose SKP was left open are told. A closed year takes no new plans,
transitions or ratings (`services._require_year_open`) and stays readable; HR may reopen it with a reason.

Carrying is the bulk open of the next year (`bulk.open_plans` with `carried=True`): the same preview, all
or nothing, per-plan audit and notification, limited to the employees who had a plan in the closed year."""
from __future__ import annotations

from dataclasses import asdict, dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.appraisal import bulk, selectors
from kinerja.appraisal.models import AppraisalYear, Objection, ObjectionStatus, PlanStatus, Rating, SkpPlan
from kinerja.audit.services import record_change
from kinerja.notifications.services import notify_each, page

# How many open items an error message or the audit entry names; the page lists them all.
NAMED_IN_MESSAGE = 10
KEPT_IN_AUDIT = 200


@dataclass
class OpenItem:
    kind: str  # plan, annual_rating, undelivered_rating, objection
    plan_id: int
    employee_id: int
    employee: str
    unit: str
    what: str

    def as_dict(self) -> dict:
        return asdict(self)


def open_items(appraisal_year: AppraisalYear) -> list[OpenItem]:
    """Everything of the year that is not finished, by unit and name: four queries whatever the size."""
    plans = SkpPlan.objects.filter(appraisal_year=appraisal_year).select_related("employee", "unit")
    items: list[OpenItem] = []

    def item(kind: str, plan: SkpPlan, what: str) -> OpenItem:
        return OpenItem(kind, plan.pk, plan.employee_id, plan.employee.full_name, plan.unit.name, what)

    for plan in plans.exclude(status=PlanStatus.APPROVED):
        items.append(item("plan", plan, _("SKP is %(status)s, not approved.")
                          % {"status": PlanStatus(plan.status).label.lower()}))
    delivered_annual = Rating.objects.filter(plan=OuterRef("pk"), period__isnull=True, delivered_at__isnull=False)
    for plan in plans.filter(status=PlanStatus.APPROVED).exclude(Exists(delivered_annual)):
        items.append(item("annual_rating", plan, _("No annual rating delivered.")))
    undelivered = (Rating.objects.filter(plan__appraisal_year=appraisal_year, delivered_at__isnull=True)
                   .exclude(period__isnull=True).select_related("plan__employee", "plan__unit", "period__appraisal_year"))
    for rating in undelivered:
        items.append(item("undelivered_rating", rating.plan, _("Rating for %(period)s given but not delivered.")
                          % {"period": rating.period.label}))
    pending = (Objection.objects.filter(rating__plan__appraisal_year=appraisal_year, status=ObjectionStatus.FILED)
               .select_related("rating__plan__employee", "rating__plan__unit"))
    for objection in pending:
        items.append(item("objection", objection.rating.plan, _("Objection filed and not decided.")))
    items.sort(key=lambda found: (found.unit, found.employee, found.kind))
    return items


def _require_hr(actor) -> None:
    if not selectors.is_hr(actor):
        raise PermissionDenied(_("Only HR administrators may do this."))


def _locked_year(appraisal_year: AppraisalYear) -> AppraisalYear:
    return AppraisalYear.objects.select_for_update().get(pk=appraisal_year.pk)


@transaction.atomic
def close_year(*, actor, appraisal_year: AppraisalYear, reason: str = "", now=None) -> list[OpenItem]:
    """HR closes the year. Refused with what is still open unless `reason` explains closing anyway.
    Returns the items left open (empty when the year was finished)."""
    _require_hr(actor)
    appraisal_year = _locked_year(appraisal_year)
    if appraisal_year.closed_at is not None:
        raise ValidationError({"year": _("The appraisal year %(year)s is already closed.")
                               % {"year": appraisal_year.year}})
    reason = (reason or "").strip()
    items = open_items(appraisal_year)
    if items and not reason:
        named = "; ".join(f"{found.employee}: {found.what}" for found in items[:NAMED_IN_MESSAGE])
        more = len(items) - NAMED_IN_MESSAGE
        raise ValidationError({"reason": _("%(count)s items of %(year)s are still open (%(named)s%(more)s). "
                                           "Finish them, or write the reason to close the year anyway.") % {
            "count": len(items), "year": appraisal_year.year, "named": named,
            "more": (_("; and %(count)s more") % {"count": more}) if more > 0 else ""}},
            code="open_items")
    appraisal_year.closed_at, appraisal_year.closed_by, appraisal_year.close_reason = now or timezone.now(), actor, reason
    appraisal_year.save(update_fields=["closed_at", "closed_by", "close_reason"])
    record_change(actor=actor, action="appraisal.year.close", target=appraisal_year,
                  before={"closed": False},
                  after={"closed": True, "open_items": len(items),
                         "left_open": [found.as_dict() for found in items[:KEPT_IN_AUDIT]]},
                  reason=reason)
    left_open = (SkpPlan.objects.filter(pk__in={found.plan_id for found in items}, employee__user__isnull=False)
                 .select_related("employee__user").order_by("pk"))
    notify_each("appraisal.year_closed", [
        (plan.employee.user, {"year": appraisal_year.year, "reason": reason}, page("appraisal:plan-detail", plan.pk))
        for plan in left_open])
    return items


@transaction.atomic
def reopen_year(*, actor, appraisal_year: AppraisalYear, reason: str) -> AppraisalYear:
    """HR reopens a closed year, with a reason (a late objection decision, a rating delivered late)."""
    _require_hr(actor)
    appraisal_year = _locked_year(appraisal_year)
    if appraisal_year.closed_at is None:
        raise ValidationError({"year": _("The appraisal year %(year)s is not closed.") % {"year": appraisal_year.year}})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("A reason is required to reopen a closed year.")})
    before = {"closed": True, "closed_at": appraisal_year.closed_at.isoformat()}
    appraisal_year.closed_at, appraisal_year.closed_by, appraisal_year.close_reason = None, None, ""
    appraisal_year.save(update_fields=["closed_at", "closed_by", "close_reason"])
    record_change(actor=actor, action="appraisal.year.reopen", target=appraisal_year, before=before,
                  after={"closed": False}, reason=reason.strip())
    return appraisal_year


def next_year_of(appraisal_year: AppraisalYear) -> AppraisalYear | None:
    return AppraisalYear.objects.filter(year=appraisal_year.year + 1).first()


def plans_to_carry(appraisal_year: AppraisalYear):
    """Active employees with a plan in the year and none yet in the next (empty when it does not exist)."""
    following = next_year_of(appraisal_year)
    if following is None:
        return bulk.Employee.objects.none()
    return bulk.employees_without_plan(following, carried=True)


def carry_plans(*, actor, appraisal_year: AppraisalYear, employee_ids=None, unit=None,
                apply: bool) -> list[bulk.Row]:
    """Carry the closed year's plans into the next year as drafts, through the bulk open: every chosen
    employee (all who can be carried when `employee_ids` is None) or nothing."""
    _require_hr(actor)
    if appraisal_year.closed_at is None:
        raise ValidationError({"year": _("Close the appraisal year %(year)s before carrying its plans.")
                               % {"year": appraisal_year.year}})
    return bulk.open_plans(actor=actor, year=appraisal_year.year + 1, unit=unit, employee_ids=employee_ids,
                           apply=apply, carried=True)
