"""Bulk appraisal work: a supervisor approves many submitted plans or delivers many ratings at once, HR
opens the year's plans for a unit or the whole region (from last year's, from templates, or carried over
by the year rollover) and records one reward or sanction for many people. Each row still goes through the per-plan service
(its rules, its plan event, its notification) and gets its own audit entry.

Preview and apply run the same code: a preview is an apply whose transaction is always rolled back, so it
shows exactly what apply will do (notifications written in it vanish with it, and their mail is never
queued because on_commit callbacks of a rolled-back transaction are dropped). All or nothing: when any row
is refused, apply rolls everything back and raises `BulkRefused` with every row and its reason."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.appraisal import plan_templates, selectors, services
from kinerja.appraisal.models import AppraisalYear, Iki, Rhk, SkpPlan
from kinerja.audit.services import record_change
from kinerja.notifications.services import notify, page
from kinerja.people.models import Employee, EmployeeStatus


@dataclass
class Row:
    id: int
    employee: str
    outcome: str = ""
    error: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


class BulkRefused(Exception):
    """Some rows cannot be done; nothing was done. `rows` holds every row, the refused ones with `error`."""

    def __init__(self, rows: list[Row]):
        super().__init__(_("%(count)s of the chosen rows cannot be done; nothing was changed.")
                         % {"count": sum(1 for row in rows if row.error)})
        self.rows = rows

    @property
    def refused(self) -> list[Row]:
        return [row for row in self.rows if row.error]


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You may not do this.")


def _ids(values, field: str) -> list[int]:
    """Distinct integer ids in the order given, or a ValidationError naming the field."""
    ids = []
    for value in values or []:
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ValidationError({field: _("%(value)s is not an id.") % {"value": str(value)[:40]}}) from None
        if number not in ids:
            ids.append(number)
    if not ids:
        raise ValidationError({field: _("Choose at least one row.")})
    return ids


def _run(items, *, apply: bool) -> list[Row]:
    """`items`: (row, do) pairs, `do` None for a row refused up front. Each `do` runs in its own savepoint
    and returns the row's outcome. Rolls back unless applying with no refusal."""
    rows = []
    with transaction.atomic():
        for row, do in items:
            if do is not None:
                try:
                    with transaction.atomic():
                        row.outcome = do()
                except (ValidationError, PermissionDenied) as error:
                    row.error = _message(error)
            rows.append(row)
        refused = any(row.error for row in rows)
        if refused or not apply:
            transaction.set_rollback(True)
    if refused and apply:
        raise BulkRefused(rows)
    return rows


# --- supervisors: approve plans, deliver ratings ------------------------------------------------
def approve_plans(*, actor, plan_ids, apply: bool) -> list[Row]:
    """Approve the chosen plans submitted to the actor."""
    ids = _ids(plan_ids, "plans")
    waiting = {plan.pk: plan for plan in selectors.plans_to_approve(actor).filter(pk__in=ids)}
    items = []
    for pk in ids:
        plan = waiting.get(pk)
        if plan is None:
            items.append((Row(pk, "", error=_("This plan is not waiting for your approval.")), None))
            continue

        def do(plan=plan):
            approved = services.approve_plan(actor=actor, plan=plan)
            record_change(actor=actor, action="appraisal.plan.approve", target=approved,
                          before={"status": "submitted"},
                          after={"status": approved.status, "revision": approved.revision},
                          reason=_("Approved with other plans at once."))
            return _("SKP %(year)s approved as revision %(revision)s.") % {
                "year": plan.appraisal_year.year, "revision": approved.revision}

        items.append((Row(pk, plan.employee.full_name), do))
    return _run(items, apply=apply)


def deliver_ratings(*, actor, rating_ids, apply: bool) -> list[Row]:
    """Deliver the chosen ratings the actor gave and has not delivered yet."""
    ids = _ids(rating_ids, "ratings")
    waiting = {rating.pk: rating for rating in selectors.ratings_to_deliver(actor).filter(pk__in=ids)}
    items = []
    for pk in ids:
        rating = waiting.get(pk)
        if rating is None:
            items.append((Row(pk, "", error=_("This rating is not waiting for you to deliver it.")), None))
            continue

        def do(rating=rating):
            delivered = services.deliver_rating(actor=actor, rating=rating)
            return _("%(period)s: %(predicate)s delivered; the objection window opens.") % {
                "period": services.rating_label(delivered), "predicate": delivered.get_predicate_display()}

        items.append((Row(pk, rating.plan.employee.full_name), do))
    return _run(items, apply=apply)


# --- HR: open the year's plans ------------------------------------------------------------------
def employees_without_plan(appraisal_year: AppraisalYear, unit=None, *, carried: bool = False):
    """Active employees of the unit (or the region) with no SKP for the year; with `carried`, only those
    who had one the year before (the plans a year rollover carries)."""
    employees = (Employee.objects.filter(status=EmployeeStatus.ACTIVE)
                 .exclude(pk__in=SkpPlan.objects.filter(appraisal_year=appraisal_year).values("employee_id"))
                 .select_related("unit", "supervisor").order_by("unit__name", "full_name"))
    if carried:
        employees = employees.filter(pk__in=SkpPlan.objects.filter(
            appraisal_year__year=appraisal_year.year - 1).values("employee_id"))
    return employees.filter(unit=unit) if unit is not None else employees


def _copy_previous(plan: SkpPlan, previous: SkpPlan) -> tuple[int, int]:
    """Copy the previous year's results and indicators into the new draft (cascade links are not copied:
    the appraiser's results of the new year do not exist yet). Returns (results, indicators)."""
    results = indicators = 0
    for old in previous.rhks.prefetch_related("ikis").order_by("kind", "position", "pk"):
        new = Rhk.objects.create(plan=plan, kind=old.kind, text=old.text, position=old.position)
        results += 1
        Iki.objects.bulk_create([
            Iki(rhk=new, text=iki.text, aspect=iki.aspect, target_value=iki.target_value,
                target_unit=iki.target_unit, target_text=iki.target_text, template_code=iki.template_code,
                measured_by=iki.measured_by, position=iki.position) for iki in old.ikis.all()])
        indicators += len(old.ikis.all())
    return results, indicators


OPEN_SOURCES = ("previous", "template")


def open_plans(*, actor, year, unit=None, employee_ids=None, apply: bool, carried: bool = False,
               source: str = "previous") -> list[Row]:
    """HR opens a draft SKP for the year for each chosen active employee of the unit (or the region)
    without one: all of them when `employee_ids` is None. With `source` "previous" a plan of the year
    before is copied, with "template" the region's template for the employee's position, else unit
    (kinerja.appraisal.plan_templates). With `carried` (a year rollover) only employees who had a plan
    the year before are candidates. Each employee is told their draft is open."""
    if not selectors.is_hr(actor):
        raise PermissionDenied(_("Only HR administrators may do this."))
    if source not in OPEN_SOURCES:
        raise ValidationError({"source": _("Open from one of: %(values)s.") % {"values": ", ".join(OPEN_SOURCES)}})
    appraisal_year = AppraisalYear.objects.filter(year=year).first() if str(year).isdigit() else None
    if appraisal_year is None:
        raise ValidationError({"year": _("There is no appraisal year %(year)s; create it first.")
                               % {"year": str(year)[:10]}})
    candidates = {employee.pk: employee for employee in employees_without_plan(appraisal_year, unit,
                                                                               carried=carried)}
    ids = list(candidates) if employee_ids is None else _ids(employee_ids, "employees")
    if not ids:
        if carried:
            raise ValidationError({"employees": _("No plan of %(previous)s is left to carry into %(year)s.")
                                   % {"previous": appraisal_year.year - 1, "year": appraisal_year.year}})
        raise ValidationError({"employees": _("Every active employee here already has an SKP for %(year)s.")
                               % {"year": appraisal_year.year}})
    previous = {plan.employee_id: plan for plan in SkpPlan.objects.filter(
        appraisal_year__year=appraisal_year.year - 1, employee_id__in=ids)} if source == "previous" else {}
    templates = plan_templates.templates_for(candidates[pk] for pk in ids if pk in candidates) \
        if source == "template" else {}
    items = []
    for pk in ids:
        employee = candidates.get(pk)
        if employee is None:
            refusal = (_("Not an active employee with an SKP in %(previous)s and none yet for %(year)s.")
                       if carried else _("Not an active employee here without an SKP for %(year)s."))
            items.append((Row(pk, "", error=refusal % {"previous": appraisal_year.year - 1,
                                                       "year": appraisal_year.year}), None))
            continue

        def do(employee=employee):
            plan = services.create_plan(actor=actor, employee=employee, appraisal_year=appraisal_year)
            old, template = previous.get(employee.pk), templates.get(employee.pk)
            if old:
                results, indicators = _copy_previous(plan, old)
            elif template:
                results, indicators = plan_templates.copy_into(plan, template)
            else:
                results, indicators = 0, 0
            record_change(actor=actor, action="appraisal.plan.open", target=plan, after={
                "status": plan.status, "appraiser": plan.appraiser_id, "copied_from": old.pk if old else None,
                "template": template.pk if template else None, "results": results, "indicators": indicators},
                reason=_("Carried over when the year %(previous)s closed.") % {"previous": appraisal_year.year - 1}
                if carried else _("Opened with other plans at once."))
            if employee.user_id:
                notify([employee.user], "plan.opened", link=page("appraisal:plan-detail", plan.pk),
                       params={"year": appraisal_year.year, "appraiser": plan.appraiser.full_name})
            if old:
                return _("Draft with %(results)s results and %(indicators)s indicators from %(year)s; "
                         "appraiser %(appraiser)s.") % {"results": results, "indicators": indicators,
                                                        "year": appraisal_year.year - 1,
                                                        "appraiser": plan.appraiser.full_name}
            if template:
                return _("Draft with %(results)s results and %(indicators)s indicators from the template "
                         "%(template)s; appraiser %(appraiser)s.") % {
                    "results": results, "indicators": indicators, "template": template.name,
                    "appraiser": plan.appraiser.full_name}
            return _("Empty draft; appraiser %(appraiser)s.") % {"appraiser": plan.appraiser.full_name}

        items.append((Row(pk, employee.full_name), do))
    return _run(items, apply=apply)


# --- HR: rewards and sanctions for many people ---------------------------------------------------
def _nips(values) -> list[str]:
    """Distinct NIPs in the order given (a list, or text with one or more per line), or a ValidationError."""
    if isinstance(values, str):
        values = values.replace(",", " ").split()
    nips = []
    for value in values or []:
        nip = str(value).strip()
        if nip and nip not in nips:
            nips.append(nip[:40])
    if not nips:
        raise ValidationError({"nips": _("Give at least one NIP.")})
    return nips


def record_rewards_sanctions(*, actor, nips, kind: str, category: str, starts_on, duration_months, percent,
                             severity: str = "", description: str = "", apply: bool) -> list[Row]:
    """HR records the same reward or sanction for every NIP given (a team's incentive, a unit's
    collective warning): each row through `services.record_reward_sanction`, so each is checked and
    audited on its own; an unknown NIP or a refused row leaves nothing recorded."""
    if not selectors.is_hr(actor):
        raise PermissionDenied(_("Only HR administrators may do this."))
    wanted = _nips(nips)
    employees = {employee.nip: employee for employee in Employee.objects.filter(nip__in=wanted)}
    items = []
    for number, nip in enumerate(wanted, start=1):
        employee = employees.get(nip)
        if employee is None:
            items.append((Row(number, nip, error=_("No employee with NIP %(nip)s.") % {"nip": nip}), None))
            continue

        def do(employee=employee):
            record = services.record_reward_sanction(
                actor=actor, employee=employee, kind=kind, category=category, starts_on=starts_on,
                duration_months=duration_months, percent=percent, severity=severity, description=description)
            return _("%(kind)s %(category)s of %(percent)s%% from %(first)s to %(last)s.") % {
                "kind": record.get_kind_display(), "category": record.category,
                "percent": f"{Decimal(str(record.percent)).normalize():f}",
                "first": record.starts_on.strftime("%Y-%m"), "last": record.ends_on.strftime("%Y-%m")}

        items.append((Row(number, f"{employee.full_name} ({nip})"), do))
    return _run(items, apply=apply)
