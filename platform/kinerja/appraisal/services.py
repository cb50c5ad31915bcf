"""Writing appraisal data. Every rule (who may do what, state transitions, deadlines) lives here; views,
serializers and the API only call these functions.

Errors: `PermissionDenied` when the actor may not do this at all, `ValidationError` (naming the field
and the reason) when the input or the record's state is wrong. Each service runs in one transaction,
so nothing is half-saved."""
from __future__ import annotations

import calendar
import datetime
import os
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from kinerja.appraisal import selectors
from kinerja.appraisal.indicators import indicator_template
from kinerja.appraisal.models import (
    BEHAVIOUR_VALUE_CODES,
    PEER_MINIMUM_FLOOR,
    AppraisalPeriod,
    AppraisalYear,
    Cadence,
    CurveEnforcement,
    CurveRule,
    DailyLog,
    DailyLogStatus,
    Evidence,
    Feedback,
    Iki,
    IkiAspect,
    IkiMeasure,
    Level,
    Objection,
    ObjectionStatus,
    OrganisationRating,
    PeerInput,
    PlanEvent,
    PlanRevision,
    PlanStatus,
    Predicate,
    PredicateRule,
    PredicateSource,
    Rating,
    Realisation,
    RecordKind,
    RewardSanction,
    Rhk,
    RhkKind,
    SelfReport,
    Severity,
    SkpPlan,
    UnitRating,
)
from kinerja.audit.services import record_change, snapshot
from kinerja.notifications.services import notify, page
from kinerja.region import facts

MIN_YEAR, MAX_YEAR = 2000, 2100


OBJECTION_REMINDER_DAYS = 3


def _decimal(value, field: str, message: str) -> Decimal | None:
    """A finite Decimal from user input, None when empty, or a ValidationError naming the field."""
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError({field: message}) from None
    if not number.is_finite():
        raise ValidationError({field: message})
    return number


def _require_hr(actor) -> None:
    if not selectors.is_hr(actor):
        raise PermissionDenied(_("Only HR administrators may do this."))


# --- years and periods --------------------------------------------------------------------------
def _period_bounds(year: int, cadence: str) -> list[tuple[datetime.date, datetime.date]]:
    months_per_period = 1 if cadence == Cadence.MONTHLY else 3
    bounds = []
    for first_month in range(1, 13, months_per_period):
        last_month = first_month + months_per_period - 1
        bounds.append((datetime.date(year, first_month, 1),
                       datetime.date(year, last_month, calendar.monthrange(year, last_month)[1])))
    return bounds


@transaction.atomic
def create_appraisal_year(*, actor, year: int, cadence: str) -> AppraisalYear:
    """HR opens an appraisal year; its periods (12 months or 4 quarters) are generated. Realisation for a
    period opens on its first day and closes `realisation_grace_days` after its last."""
    _require_hr(actor)
    if cadence not in Cadence.values:
        raise ValidationError({"cadence": _("Cadence must be one of: %(values)s.") % {"values": ", ".join(Cadence.values)}})
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError({"year": _("Year must be between %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR}})
    if AppraisalYear.objects.filter(year=year).exists():
        raise ValidationError({"year": _("The appraisal year %(year)s already exists.") % {"year": year}})
    grace = datetime.timedelta(days=selectors.appraisal_settings().realisation_grace_days)
    appraisal_year = AppraisalYear.objects.create(year=year, cadence=cadence, created_by=actor)
    AppraisalPeriod.objects.bulk_create(
        AppraisalPeriod(appraisal_year=appraisal_year, number=number, starts_on=start, ends_on=end,
                        opens_on=start, closes_on=end + grace)
        for number, (start, end) in enumerate(_period_bounds(year, cadence), start=1)
    )
    record_change(actor=actor, action="appraisal.year.create", target=appraisal_year,
                  after={"year": year, "cadence": cadence})
    return appraisal_year


@transaction.atomic
def set_period_window(*, actor, period: AppraisalPeriod, opens_on: datetime.date,
                      closes_on: datetime.date) -> AppraisalPeriod:
    """HR moves the dates between which realisation can be entered for a period."""
    _require_hr(actor)
    if opens_on is None or closes_on is None:
        raise ValidationError({"opens_on": _("Both the opening and the closing date are required.")})
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("The closing date must not be before the opening date.")})
    if opens_on.year != period.appraisal_year.year:
        raise ValidationError({"opens_on": _("The opening date must fall in the appraisal year %(year)s.")
                               % {"year": period.appraisal_year.year}})
    before = snapshot(period, ["opens_on", "closes_on"])
    period.opens_on, period.closes_on = opens_on, closes_on
    period.save(update_fields=["opens_on", "closes_on"])
    record_change(actor=actor, action="appraisal.period.window", target=period, before=before,
                  after=snapshot(period, ["opens_on", "closes_on"]))
    return period


@transaction.atomic
def set_predicate_rule(*, actor, work_result: str, behaviour: str, predicate: str, reason: str) -> PredicateRule:
    """HR changes one cell of the region's predicate matrix (with a written reason, audited)."""
    _require_hr(actor)
    errors = {}
    if work_result not in Level.values:
        errors["work_result"] = _("Unknown level.")
    if behaviour not in Level.values:
        errors["behaviour"] = _("Unknown level.")
    if predicate not in Predicate.values:
        errors["predicate"] = _("Unknown predicate.")
    if not (reason or "").strip():
        errors["reason"] = _("A reason is required to change the predicate matrix.")
    if errors:
        raise ValidationError(errors)
    rule, _created = PredicateRule.objects.get_or_create(work_result=work_result, behaviour=behaviour,
                                                         defaults={"predicate": predicate})
    before = {"predicate": None if _created else rule.predicate}
    rule.predicate = predicate
    rule.save(update_fields=["predicate"])
    record_change(actor=actor, action="appraisal.matrix.change", target=rule, before=before,
                  after={"predicate": predicate}, reason=reason.strip())
    return rule


# --- SKP plans ----------------------------------------------------------------------------------
# (action, from status) -> to status. Anything not here is refused.
PLAN_TRANSITIONS = {
    ("submit", PlanStatus.DRAFT): PlanStatus.SUBMITTED,
    ("submit", PlanStatus.RETURNED): PlanStatus.SUBMITTED,
    ("return", PlanStatus.SUBMITTED): PlanStatus.RETURNED,
    ("approve", PlanStatus.SUBMITTED): PlanStatus.APPROVED,
    ("reopen", PlanStatus.APPROVED): PlanStatus.DRAFT,
}
EDITABLE_STATUSES = {PlanStatus.DRAFT, PlanStatus.RETURNED}
PLAN_ACTION_VERBS = {"submit": _lazy("submit"), "return": _lazy("return"), "approve": _lazy("approve"),
                     "reopen": _lazy("reopen")}


def _transition(plan: SkpPlan, action: str, actor, comment: str = "") -> None:
    _require_year_open(plan.appraisal_year)
    target = PLAN_TRANSITIONS.get((action, plan.status))
    if target is None:
        raise ValidationError(
            {"status": _("Cannot %(action)s a plan that is %(status)s.") % {
                "action": PLAN_ACTION_VERBS[action], "status": PlanStatus(plan.status).label}},
            code="invalid_transition")
    PlanEvent.objects.create(plan=plan, action=action, from_status=plan.status, to_status=target, actor=actor,
                             comment=comment)
    plan.status = target


def _lock_plan(plan: SkpPlan) -> SkpPlan:
    """Reload the plan under a row lock, so two transitions cannot race."""
    return (SkpPlan.objects.select_for_update(of=("self",)).select_related("employee", "appraiser", "appraisal_year")
            .get(pk=plan.pk))


def _require_owner(actor, plan: SkpPlan) -> None:
    if not selectors.is_plan_owner(actor, plan):
        raise PermissionDenied(_("Only the employee whose SKP this is may do this."))


def _require_appraiser(actor, plan: SkpPlan) -> None:
    if not selectors.is_plan_appraiser(actor, plan):
        raise PermissionDenied(_("Only the plan's appraiser may do this."))


def can_edit_plan(actor, plan: SkpPlan) -> bool:
    """Whether the actor may change the plan's RHKs and IKIs now: its owner, while it is a draft or was
    returned."""
    return selectors.is_plan_owner(actor, plan) and plan.status in EDITABLE_STATUSES


def _require_editable(plan: SkpPlan) -> None:
    if plan.status not in EDITABLE_STATUSES:
        raise ValidationError({"status": _("The plan is %(status)s; reopen it for revision before changing it.")
                               % {"status": PlanStatus(plan.status).label}}, code="not_editable")


def _require_year_open(appraisal_year: AppraisalYear) -> None:
    """A closed year takes no new plans, transitions or ratings; HR reopens it first."""
    if appraisal_year.closed_at is not None:
        raise ValidationError({"appraisal_year": _("The appraisal year %(year)s is closed; HR must reopen it "
                                                   "before anything in it changes.") % {"year": appraisal_year.year}},
                              code="year_closed")


@transaction.atomic
def create_plan(*, actor, employee, appraisal_year, appraiser=None) -> SkpPlan:
    """The employee (or HR for them) starts an SKP for a year; the appraiser defaults to the direct
    supervisor."""
    if not (selectors.is_hr(actor) or (employee.user_id and employee.user_id == actor.pk)):
        raise PermissionDenied(_("Only the employee or HR may start this SKP."))
    if appraiser is not None and not selectors.is_hr(actor):
        raise PermissionDenied(_("Only HR may name an appraiser other than the direct supervisor."))
    appraiser = appraiser or employee.supervisor
    if appraiser is None:
        raise ValidationError({"appraiser": _("%(name)s has no direct supervisor: HR must name the appraiser.")
                               % {"name": employee.full_name}})
    if appraiser.pk == employee.pk:
        raise ValidationError({"appraiser": _("An employee cannot appraise themselves.")})
    _require_year_open(AppraisalYear.objects.get(pk=appraisal_year.pk))  # as it stands now, not as passed
    if SkpPlan.objects.filter(employee=employee, appraisal_year=appraisal_year).exists():
        raise ValidationError({"appraisal_year": _("%(name)s already has an SKP for %(year)s.")
                               % {"name": employee.full_name, "year": appraisal_year.year}})
    plan = SkpPlan.objects.create(employee=employee, appraisal_year=appraisal_year, appraiser=appraiser,
                                  unit_id=employee.unit_id)
    PlanEvent.objects.create(plan=plan, action="create", to_status=plan.status, actor=actor)
    return plan


@transaction.atomic
def set_appraiser(*, actor, plan: SkpPlan, appraiser, reason: str) -> SkpPlan:
    _require_hr(actor)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("A reason is required to change the appraiser.")})
    if appraiser.pk == plan.employee_id:
        raise ValidationError({"appraiser": _("An employee cannot appraise themselves.")})
    before = {"appraiser": plan.appraiser_id}
    plan.appraiser = appraiser
    plan.save(update_fields=["appraiser"])
    record_change(actor=actor, action="appraisal.plan.appraiser", target=plan, before=before,
                  after={"appraiser": appraiser.pk}, reason=reason.strip())
    return plan


def _check_parent(plan: SkpPlan, parent: Rhk | None) -> None:
    if parent is None:
        return
    if not (parent.plan.employee_id == plan.appraiser_id and parent.plan.appraisal_year_id == plan.appraisal_year_id):
        raise ValidationError({"parent": _("An RHK can only support an RHK of the appraiser's SKP for the same year.")})


@transaction.atomic
def add_rhk(*, actor, plan: SkpPlan, kind: str, text: str, parent: Rhk | None = None) -> Rhk:
    plan = _lock_plan(plan)
    _require_owner(actor, plan)
    _require_editable(plan)
    errors = {}
    if kind not in RhkKind.values:
        errors["kind"] = _("Kind must be one of: %(values)s.") % {"values": ", ".join(RhkKind.values)}
    if not (text or "").strip():
        errors["text"] = _("Describe the planned result.")
    if errors:
        raise ValidationError(errors)
    _check_parent(plan, parent)
    return Rhk.objects.create(plan=plan, kind=kind, text=text.strip(), parent=parent,
                              position=plan.rhks.filter(kind=kind).count() + 1)


@transaction.atomic
def update_rhk(*, actor, rhk: Rhk, text: str, parent: Rhk | None = None) -> Rhk:
    plan = _lock_plan(rhk.plan)
    _require_owner(actor, plan)
    _require_editable(plan)
    if not (text or "").strip():
        raise ValidationError({"text": _("Describe the planned result.")})
    _check_parent(plan, parent)
    rhk.text, rhk.parent = text.strip(), parent
    rhk.save(update_fields=["text", "parent"])
    return rhk


@transaction.atomic
def remove_rhk(*, actor, rhk: Rhk) -> None:
    plan = _lock_plan(rhk.plan)
    _require_owner(actor, plan)
    _require_editable(plan)
    if rhk.supporting.exists():
        raise ValidationError({"rhk": _("Other plans cascade from this RHK; it cannot be removed.")})
    if Realisation.objects.filter(iki__rhk=rhk).exists():
        raise ValidationError({"rhk": _("Realisation has been recorded for this RHK; it cannot be removed.")})
    rhk.delete()


def _clean_target(aspect: str, target_value, target_unit: str, target_text: str) -> tuple:
    errors = {}
    if aspect not in IkiAspect.values:
        errors["aspect"] = _("Aspect must be one of: %(values)s.") % {"values": ", ".join(IkiAspect.values)}
        raise ValidationError(errors)
    if aspect == IkiAspect.QUALITATIVE:
        if not (target_text or "").strip():
            errors["target_text"] = _("A qualitative indicator needs its target described.")
        value = None
    else:
        try:
            value = _decimal(target_value, "target_value", _("The target must be a number."))
        except ValidationError as error:
            value = None
            errors.update(error.message_dict)
        else:
            if value is None:
                errors["target_value"] = _("A %(aspect)s indicator needs a numeric target.") % {
                    "aspect": IkiAspect(aspect).label}
            elif value < 0:
                errors["target_value"] = _("The target cannot be negative.")
        if not (target_unit or "").strip():
            errors["target_unit"] = _("Name the unit of the target (e.g. documents, percent, days).")
    if errors:
        raise ValidationError(errors)
    return value, (target_unit or "").strip(), (target_text or "").strip()


@transaction.atomic
def add_iki(*, actor, rhk: Rhk, text: str = "", aspect: str = "", target_value=None, target_unit: str = "",
            target_text: str = "", template_code: str = "", measured_by: str | None = None) -> Iki:
    """Add an indicator to an RHK; with `template_code` the text, aspect, unit and where its realisation
    comes from (`measured_by`) follow the template unless given."""
    plan = _lock_plan(rhk.plan)
    _require_owner(actor, plan)
    _require_editable(plan)
    if template_code:
        template = indicator_template(template_code)
        if template is None:
            raise ValidationError({"template_code": _("Unknown indicator template %(code)s.") % {"code": template_code}})
        text = text or str(template.text)
        aspect = aspect or template.aspect
        target_unit = target_unit or str(template.target_unit)
        target_text = target_text or str(template.target_text)
        measured_by = template.measured_by if measured_by is None else measured_by
    if not (text or "").strip():
        raise ValidationError({"text": _("Describe the indicator.")})
    value, unit, qualitative = _clean_target(aspect, target_value, target_unit, target_text)
    measured_by = _clean_measure(measured_by or "", aspect)
    return Iki.objects.create(rhk=rhk, text=text.strip(), aspect=aspect, target_value=value, target_unit=unit,
                              target_text=qualitative, template_code=template_code, measured_by=measured_by,
                              position=rhk.ikis.count() + 1)


def _clean_measure(measured_by: str, aspect: str) -> str:
    if measured_by not in IkiMeasure.values:
        raise ValidationError({"measured_by": _("Where the realisation comes from must be one of: %(values)s.")
                               % {"values": ", ".join(v or '""' for v in IkiMeasure.values)}})
    if measured_by and aspect == IkiAspect.QUALITATIVE:
        raise ValidationError({"measured_by": _("A qualitative indicator cannot be counted from the daily log.")})
    return measured_by


def clean_indicator(*, aspect: str, target_value=None, target_unit: str = "", target_text: str = "",
                    measured_by: str = "") -> tuple:
    """An indicator's target and source as `add_iki` accepts them: (value, unit, qualitative text,
    measured_by), or a ValidationError naming the field. Plan templates check their indicators with it."""
    value, unit, qualitative = _clean_target(aspect, target_value, target_unit, target_text)
    return value, unit, qualitative, _clean_measure(measured_by or "", aspect)


@transaction.atomic
def remove_iki(*, actor, iki: Iki) -> None:
    plan = _lock_plan(iki.rhk.plan)
    _require_owner(actor, plan)
    _require_editable(plan)
    if iki.realisations.exists():
        raise ValidationError({"iki": _("Realisation has been recorded for this indicator; it cannot be removed.")})
    iki.delete()


@transaction.atomic
def submit_plan(*, actor, plan: SkpPlan) -> SkpPlan:
    plan = _lock_plan(plan)
    _require_owner(actor, plan)
    rhks = list(plan.rhks.prefetch_related("ikis"))
    if plan.status in EDITABLE_STATUSES:
        if not any(r.kind == RhkKind.UTAMA for r in rhks):
            raise ValidationError({"rhks": _("The plan needs at least one main (Utama) RHK.")})
        empty = [r for r in rhks if not r.ikis.all()]
        if empty:
            raise ValidationError({"rhks": _("RHK \"%(rhk)s\" has no indicator (IKI).") % {"rhk": empty[0].text[:60]}})
    _transition(plan, "submit", actor)
    plan.submitted_at = timezone.now()
    plan.save(update_fields=["status", "submitted_at"])
    notify([plan.appraiser.user], "plan.submitted", link=page("appraisal:plan-detail", plan.pk),
           params={"employee": plan.employee.full_name, "year": plan.appraisal_year.year})
    return plan


@transaction.atomic
def return_plan(*, actor, plan: SkpPlan, comment: str) -> SkpPlan:
    plan = _lock_plan(plan)
    _require_appraiser(actor, plan)
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Say what must change when returning a plan.")})
    _transition(plan, "return", actor, comment.strip())
    plan.return_comment = comment.strip()
    plan.save(update_fields=["status", "return_comment"])
    notify([plan.employee.user], "plan.returned", link=page("appraisal:plan-detail", plan.pk),
           params={"appraiser": plan.appraiser.full_name, "year": plan.appraisal_year.year,
                   "comment": plan.return_comment})
    return plan


@transaction.atomic
def approve_plan(*, actor, plan: SkpPlan) -> SkpPlan:
    """The appraiser approves; the approved content is frozen as a new revision."""
    plan = _lock_plan(plan)
    _require_appraiser(actor, plan)
    _transition(plan, "approve", actor)
    plan.revision += 1
    plan.approved_at = timezone.now()
    plan.return_comment = ""
    plan.save(update_fields=["status", "revision", "approved_at", "return_comment"])
    PlanRevision.objects.create(plan=plan, number=plan.revision, content=selectors.plan_content(plan),
                                approved_by=actor)
    notify([plan.employee.user], "plan.approved", link=page("appraisal:plan-detail", plan.pk),
           params={"appraiser": plan.appraiser.full_name, "year": plan.appraisal_year.year})
    return plan


@transaction.atomic
def reopen_plan(*, actor, plan: SkpPlan, reason: str) -> SkpPlan:
    """An approved plan goes back to draft for a revision during the year; earlier revisions stay."""
    plan = _lock_plan(plan)
    if not (selectors.is_plan_owner(actor, plan) or selectors.is_plan_appraiser(actor, plan)):
        raise PermissionDenied(_("Only the employee or the appraiser may reopen this plan."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for revising an approved plan.")})
    _transition(plan, "reopen", actor, reason.strip())
    plan.save(update_fields=["status"])
    return plan


# --- realisation, evidence, feedback, self-reports ----------------------------------------------
EVIDENCE_EXTENSIONS = {".pdf", ".jpg", ".jpeg", ".png", ".docx", ".xlsx", ".odt", ".ods"}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


def _require_open_period(plan: SkpPlan, period: AppraisalPeriod, now=None) -> None:
    if period.appraisal_year_id != plan.appraisal_year_id:
        raise ValidationError({"period": _("The period is not in this SKP's year.")})
    if plan.status != PlanStatus.APPROVED:
        raise ValidationError({"status": _("Realisation is recorded against an approved plan; this one is %(status)s.")
                               % {"status": PlanStatus(plan.status).label}})
    today = facts.today(now)
    if not period.opens_on <= today <= period.closes_on:
        raise ValidationError({"period": _("%(period)s is open for realisation from %(opens)s to %(closes)s "
                                           "(today is %(today)s).") % {
            "period": period.label, "opens": period.opens_on, "closes": period.closes_on, "today": today}})


@transaction.atomic
def record_realisation(*, actor, iki: Iki, period: AppraisalPeriod, value=None, text: str = "",
                       now=None) -> Realisation:
    plan = _lock_plan(iki.rhk.plan)
    _require_owner(actor, plan)
    _require_open_period(plan, period, now)
    if iki.measured_by:
        raise ValidationError({"value": _("The realisation of \"%(iki)s\" is counted by the platform "
                                          "(%(source)s); it is not entered by hand.") % {
            "iki": iki.text[:60], "source": IkiMeasure(iki.measured_by).label}})
    clean_value = None
    if iki.aspect == IkiAspect.QUALITATIVE:
        if not (text or "").strip():
            raise ValidationError({"text": _("Describe what was achieved.")})
    else:
        clean_value = _decimal(value, "value", _("The achieved value must be a number."))
        if clean_value is None:
            raise ValidationError({"value": _("Enter the achieved value.")})
        if clean_value < 0:
            raise ValidationError({"value": _("The achieved value cannot be negative.")})
    realisation, _created = Realisation.objects.update_or_create(
        iki=iki, period=period, defaults={"value": clean_value, "text": (text or "").strip(), "updated_by": actor})
    return realisation


def write_counted_realisation(*, iki: Iki, period: AppraisalPeriod, value: Decimal | None, text: str,
                              actor) -> None:
    """Write the realisation another module counted for an indicator measured outside the appraisal (the
    training records' JP); None removes it. The employee cannot enter these by hand."""
    if not iki.measured_by or iki.measured_by in (IkiMeasure.DAILY_LOG_SUM, IkiMeasure.DAILY_LOGS_VERIFIED_SAME_DAY):
        raise ValidationError({"iki": _("\"%(iki)s\" is not counted from another module's records.")
                               % {"iki": iki.text[:60]}})
    if period.appraisal_year_id != iki.rhk.plan.appraisal_year_id:
        raise ValidationError({"period": _("The period is not in this SKP's year.")})
    if value is None:
        Realisation.objects.filter(iki=iki, period=period).delete()
        return
    Realisation.objects.update_or_create(iki=iki, period=period,
                                         defaults={"value": value, "text": text, "updated_by": actor})


def _check_evidence_file(file, field: str) -> None:
    extension = os.path.splitext(file.name)[1].lower()
    if extension not in EVIDENCE_EXTENSIONS:
        raise ValidationError({field: _("%(name)s: files of type %(ext)s are not accepted (allowed: %(allowed)s).") % {
            "name": file.name, "ext": extension or "?", "allowed": ", ".join(sorted(EVIDENCE_EXTENSIONS))}})
    if file.size > EVIDENCE_MAX_BYTES:
        raise ValidationError({field: _("%(name)s is larger than %(mb)s MB.") % {
            "name": file.name, "mb": EVIDENCE_MAX_BYTES // (1024 * 1024)}})


@transaction.atomic
def attach_evidence(*, actor, realisation: Realisation, file, title: str = "", now=None) -> Evidence:
    plan = _lock_plan(realisation.iki.rhk.plan)
    _require_owner(actor, plan)
    _require_open_period(plan, realisation.period, now)
    if file is None:
        raise ValidationError({"file": _("Choose a file.")})
    _check_evidence_file(file, "file")
    evidence = Evidence(realisation=realisation, title=(title or "").strip()[:200], uploaded_by=actor)
    evidence.file.save(os.path.basename(file.name), file, save=False)
    evidence.save()
    return evidence


@transaction.atomic
def record_realisation_with_evidence(*, actor, iki: Iki, period: AppraisalPeriod, value=None, text: str = "",
                                     file=None, title: str = "", now=None) -> Realisation:
    """What the employee achieved on an indicator in a period, with a file of evidence when one is given:
    both are saved or, when either is refused (a period not open, a file of a refused type), neither."""
    realisation = record_realisation(actor=actor, iki=iki, period=period, value=value, text=text, now=now)
    if file:
        attach_evidence(actor=actor, realisation=realisation, file=file, title=title, now=now)
    return realisation


@transaction.atomic
def post_feedback(*, actor, rhk: Rhk, body: str, parent: Feedback | None = None) -> Feedback:
    """The employee and the appraiser talk about an RHK during the year."""
    plan = rhk.plan
    if not (selectors.is_plan_owner(actor, plan) or selectors.is_plan_appraiser(actor, plan)):
        raise PermissionDenied(_("Only the employee and the appraiser take part in this feedback."))
    if not (body or "").strip():
        raise ValidationError({"body": _("Write the feedback.")})
    if parent is not None and parent.rhk_id != rhk.pk:
        raise ValidationError({"parent": _("A reply must belong to the same RHK.")})
    if parent is not None and parent.parent_id:
        parent = parent.parent  # threads are one level deep: replies attach to the opening message
    return Feedback.objects.create(rhk=rhk, parent=parent, author=actor, body=body.strip())


@transaction.atomic
def save_self_report(*, actor, plan: SkpPlan, period: AppraisalPeriod, achievements: str = "",
                     obstacles: str = "", improvement_plan: str = "", now=None) -> SelfReport:
    plan = _lock_plan(plan)
    _require_owner(actor, plan)
    _require_open_period(plan, period, now)
    texts = [(achievements or "").strip(), (obstacles or "").strip(), (improvement_plan or "").strip()]
    if not any(texts):
        raise ValidationError({"achievements": _("Write at least one of achievements, obstacles or improvement plan.")})
    report, _created = SelfReport.objects.update_or_create(
        plan=plan, period=period,
        defaults={"achievements": texts[0], "obstacles": texts[1], "improvement_plan": texts[2]})
    return report


# --- ratings and peer input ---------------------------------------------------------------------
RATING_AUDIT_FIELDS = ["work_result", "behaviour", "behaviour_values", "predicate", "predicate_source", "reason",
                       "adjustment_reason", "delivered_at"]


def _clean_behaviour_values(values, field: str = "behaviour_values") -> dict:
    values = values or {}
    if not isinstance(values, dict):
        raise ValidationError({field: _("Give a level for each of the seven BerAKHLAK values.")})
    unknown = sorted(set(values) - set(BEHAVIOUR_VALUE_CODES))
    missing = [code for code in BEHAVIOUR_VALUE_CODES if code not in values]
    bad = [code for code in BEHAVIOUR_VALUE_CODES if code in values and values[code] not in Level.values]
    if unknown:
        raise ValidationError({field: _("Unknown BerAKHLAK values: %(codes)s.") % {"codes": ", ".join(unknown)}})
    if missing:
        raise ValidationError({field: _("Missing a level for: %(codes)s.") % {"codes": ", ".join(missing)}})
    if bad:
        raise ValidationError({field: _("Not a level (above, as_expected, below) for: %(codes)s.")
                               % {"codes": ", ".join(bad)}})
    return {code: values[code] for code in BEHAVIOUR_VALUE_CODES}


def _check_period_of(plan: SkpPlan, period: AppraisalPeriod | None) -> None:
    if period is not None and period.appraisal_year_id != plan.appraisal_year_id:
        raise ValidationError({"period": _("The period is not in this SKP's year.")})


@transaction.atomic
def rate(*, actor, plan: SkpPlan, period: AppraisalPeriod | None = None, work_result: str, behaviour: str,
         behaviour_values: dict, reason: str, now=None) -> Rating:
    """The appraiser rates work result and behaviour (each BerAKHLAK value and overall) for a period, or
    for the year when `period` is None. The predicate comes from the region's matrix. A unit head's work
    result follows the unit's organisation rating when one is set."""
    plan = _lock_plan(plan)
    _require_appraiser(actor, plan)
    _require_year_open(plan.appraisal_year)
    if plan.revision < 1:
        raise ValidationError({"status": _("Only an approved SKP can be rated.")})
    _check_period_of(plan, period)
    if period is not None and facts.today(now) < period.starts_on:
        raise ValidationError({"period": _("%(period)s has not started yet.") % {"period": period.label}})
    errors = {}
    if work_result not in Level.values:
        errors["work_result"] = _("Not a level (above, as_expected, below).")
    if behaviour not in Level.values:
        errors["behaviour"] = _("Not a level (above, as_expected, below).")
    if not (reason or "").strip():
        errors["reason"] = _("Explain the rating: the employee reads this reason.")
    if errors:
        raise ValidationError(errors)
    values = _clean_behaviour_values(behaviour_values)
    rating = Rating.objects.select_for_update().filter(plan=plan, period=period).first()
    if rating is not None and rating.delivered_at:
        raise ValidationError({"rating": _("This rating was delivered on %(date)s; it changes only through "
                                           "calibration or an objection.") % {
            "date": rating.delivered_at.astimezone(facts.time_zone()).date()}})
    # The organisation rating is annual, so it governs the head's annual work result only.
    head_level = selectors.unit_head_work_result(plan) if period is None else None
    if head_level:
        work_result = head_level
    before = snapshot(rating, RATING_AUDIT_FIELDS) if rating else None
    rating = rating or Rating(plan=plan, period=period)
    rating.work_result, rating.behaviour, rating.behaviour_values = work_result, behaviour, values
    rating.predicate = selectors.predicate_for(work_result, behaviour)
    rating.predicate_source, rating.adjustment_reason = PredicateSource.MATRIX, ""
    rating.reason, rating.rated_by, rating.rated_at = reason.strip(), actor, now or timezone.now()
    rating.save()
    record_change(actor=actor, action="appraisal.rating.set", target=rating, before=before,
                  after=snapshot(rating, RATING_AUDIT_FIELDS), reason=rating.reason)
    return rating


@transaction.atomic
def deliver_rating(*, actor, rating: Rating, now=None) -> Rating:
    """The appraiser hands the result to the employee; the objection window starts now."""
    rating = Rating.objects.select_for_update(of=("self",)).select_related(
        "plan__employee", "plan__appraiser", "plan__appraisal_year", "period").get(pk=rating.pk)
    _require_appraiser(actor, rating.plan)
    _require_year_open(rating.plan.appraisal_year)
    if rating.delivered_at:
        raise ValidationError({"rating": _("This rating has already been delivered.")})
    if rating.is_annual:
        _enforce_curve(rating)
    before = snapshot(rating, RATING_AUDIT_FIELDS)
    rating.delivered_at = now or timezone.now()
    rating.save(update_fields=["delivered_at"])
    record_change(actor=actor, action="appraisal.rating.deliver", target=rating, before=before,
                  after=snapshot(rating, RATING_AUDIT_FIELDS))
    notify([rating.plan.employee.user], "rating.delivered", link=page("appraisal:plan-result", rating.plan_id),
           params={"appraiser": rating.plan.appraiser.full_name, "period": rating_label(rating),
                   "predicate": rating.get_predicate_display(), "deadline": selectors.objection_deadline(rating)})
    return rating


def rating_label(rating: Rating) -> str:
    """How notifications name the result: its period ("TW I 2026"), or the year of an annual one."""
    return str(rating.period) if rating.period_id else str(rating.plan.appraisal_year.year)


@transaction.atomic
def give_peer_input(*, actor, plan: SkpPlan, period: AppraisalPeriod | None = None, behaviour_values: dict,
                    comment: str = "") -> PeerInput:
    if not selectors.is_peer_of(actor, plan):
        raise PermissionDenied(_("Only colleagues in the same unit (not the employee or the appraiser) give peer input."))
    if plan.revision < 1:
        raise ValidationError({"status": _("Peer input is collected for an approved SKP.")})
    _check_period_of(plan, period)
    values = _clean_behaviour_values(behaviour_values)
    if PeerInput.objects.filter(plan=plan, period=period, respondent=actor).exists():
        raise ValidationError({"respondent": _("You have already given your input for this period.")})
    minimum = max(selectors.appraisal_settings().peer_minimum_respondents, PEER_MINIMUM_FLOOR)
    return PeerInput.objects.create(plan=plan, period=period, respondent=actor, behaviour_values=values,
                                    comment=(comment or "").strip(), minimum_respondents=minimum)


# --- organisation rating, the curve, calibration ------------------------------------------------
def _enforce_curve(rating: Rating) -> None:
    """Refuse to deliver an annual result while the unit's distribution breaks the curve, if the region
    blocks on it (with "warn", pages show the check and delivery goes ahead)."""
    if selectors.appraisal_settings().curve_enforcement != CurveEnforcement.BLOCK:
        return
    unit_rating = selectors.rated_unit_for(rating.plan)
    if unit_rating is None:
        return
    check = selectors.unit_curve_check(unit_rating)
    if not check.ok:
        raise ValidationError({"predicate": _("%(unit)s (%(rating)s) breaks the distribution curve: %(lines)s. "
                                              "HR must calibrate before results are delivered.") % {
            "unit": unit_rating.unit.name, "rating": OrganisationRating(unit_rating.rating).label,
            "lines": "; ".join(line.text for line in check.violations)}})


@transaction.atomic
def set_unit_rating(*, actor, unit, appraisal_year, rating: str, reason: str = "") -> UnitRating:
    """HR sets a unit's organisation rating. The unit head's undelivered annual rating follows it."""
    _require_hr(actor)
    if rating not in OrganisationRating.values:
        raise ValidationError({"rating": _("Organisation rating must be one of: %(values)s.")
                               % {"values": ", ".join(OrganisationRating.values)}})
    unit_rating = UnitRating.objects.select_for_update().filter(unit=unit, appraisal_year=appraisal_year).first()
    before = {"rating": unit_rating.rating} if unit_rating else None
    if unit_rating is None:
        unit_rating = UnitRating(unit=unit, appraisal_year=appraisal_year)
    unit_rating.rating, unit_rating.reason, unit_rating.set_by = rating, (reason or "").strip(), actor
    unit_rating.save()
    record_change(actor=actor, action="appraisal.unit_rating.set", target=unit_rating, before=before,
                  after={"rating": rating, "unit": unit.pk, "year": appraisal_year.year}, reason=unit_rating.reason)
    _apply_unit_rating_to_head(actor, unit_rating)
    return unit_rating


def _apply_unit_rating_to_head(actor, unit_rating: UnitRating) -> None:
    head = selectors.unit_head(unit_rating.unit)
    if head is None:
        return
    rating = (Rating.objects.select_for_update(of=("self",)).select_related("plan__unit", "plan__employee")
              .filter(plan__employee=head, plan__appraisal_year=unit_rating.appraisal_year, plan__unit=unit_rating.unit,
                      period__isnull=True, delivered_at__isnull=True).first())
    level = selectors.appraisal_settings().head_work_result.get(unit_rating.rating)
    if rating is None or level is None or rating.work_result == level:
        return
    before = snapshot(rating, RATING_AUDIT_FIELDS)
    rating.work_result = level
    rating.predicate = selectors.predicate_for(level, rating.behaviour)
    rating.predicate_source = PredicateSource.MATRIX
    rating.save(update_fields=["work_result", "predicate", "predicate_source"])
    record_change(actor=actor, action="appraisal.rating.unit_head", target=rating, before=before,
                  after=snapshot(rating, RATING_AUDIT_FIELDS),
                  reason=_("The unit head's work result follows the unit's rating (%(rating)s).")
                  % {"rating": OrganisationRating(unit_rating.rating).label})


@transaction.atomic
def calibrate(*, actor, rating: Rating, predicate: str, reason: str) -> Rating:
    """HR adjusts an annual predicate during calibration, with a written reason; audited."""
    _require_hr(actor)
    rating = Rating.objects.select_for_update(of=("self",)).select_related("plan", "period").get(pk=rating.pk)
    if predicate not in Predicate.values:
        raise ValidationError({"predicate": _("Unknown predicate.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Calibration needs a written reason.")})
    if not rating.is_annual:
        raise ValidationError({"rating": _("Only annual ratings are calibrated.")})
    if rating.delivered_at:
        raise ValidationError({"rating": _("This result has been delivered; it changes only through an objection.")})
    before = snapshot(rating, RATING_AUDIT_FIELDS)
    rating.predicate, rating.predicate_source = predicate, PredicateSource.CALIBRATION
    rating.adjustment_reason = reason.strip()
    rating.save(update_fields=["predicate", "predicate_source", "adjustment_reason"])
    record_change(actor=actor, action="appraisal.rating.calibrate", target=rating, before=before,
                  after=snapshot(rating, RATING_AUDIT_FIELDS), reason=reason.strip())
    return rating


@transaction.atomic
def set_curve_rule(*, actor, rule: CurveRule, percent, reason: str) -> CurveRule:
    """HR changes a percentage of the region's distribution curve (with a reason, audited)."""
    _require_hr(actor)
    value = _decimal(percent, "percent", _("The percentage must be a number."))
    if value is None or not Decimal(0) <= value <= Decimal(100):
        raise ValidationError({"percent": _("The percentage must be between 0 and 100.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("A reason is required to change the distribution curve.")})
    before = {"percent": str(rule.percent)}
    rule.percent = value
    rule.save(update_fields=["percent"])
    record_change(actor=actor, action="appraisal.curve.change", target=rule, before=before,
                  after={"percent": str(value)}, reason=reason.strip())
    return rule


@transaction.atomic
def set_curve_enforcement(*, actor, enforcement: str, reason: str = ""):
    _require_hr(actor)
    if enforcement not in CurveEnforcement.values:
        raise ValidationError({"curve_enforcement": _("Must be one of: %(values)s.")
                               % {"values": ", ".join(CurveEnforcement.values)}})
    settings_row = selectors.appraisal_settings()
    before = {"curve_enforcement": settings_row.curve_enforcement}
    settings_row.curve_enforcement = enforcement
    settings_row.save(update_fields=["curve_enforcement"])
    record_change(actor=actor, action="appraisal.settings.change", target=settings_row, before=before,
                  after={"curve_enforcement": enforcement}, reason=(reason or "").strip())
    return settings_row


# Region-editable numbers: field -> (lowest, highest).
NUMERIC_SETTINGS = {"objection_window_days": (1, 90), "peer_minimum_respondents": (PEER_MINIMUM_FLOOR, 50),
                    "realisation_grace_days": (0, 60)}


SIASN_CODE_RANGE = (0, 99)
SIASN_SOURCE_MAX = 1000


@transaction.atomic
def set_siasn_codes(*, actor, codes: dict, source: str):
    """HR sets the codes the national system (SIASN) expects for each level and predicate, where public
    sources disagree or BKN has confirmed them, recording where they come from. `codes` is
    {"level": {level: code}, "predicate": {predicate: code}}; every level and predicate needs a whole code,
    distinct within its group. Nothing is saved unless all of it is right."""
    _require_hr(actor)
    source = (source or "").strip()
    errors, clean = {}, {}
    if not source:
        errors["source"] = [_("Say where these codes come from (a BKN letter, the SIASN manual, your SIASN account).")]
    elif len(source) > SIASN_SOURCE_MAX:
        errors["source"] = [_("At most %d characters.") % SIASN_SOURCE_MAX]
    low, high = SIASN_CODE_RANGE
    for group, choices in (("level", Level.choices), ("predicate", Predicate.choices)):
        given = (codes or {}).get(group) or {}
        clean[group] = {}
        for value, label in choices:
            field = f"{group}.{value}"
            try:
                number = int(str(given.get(value, "")).strip())
            except (TypeError, ValueError):
                errors[field] = [_("%(name)s needs a whole number as its code.") % {"name": label}]
                continue
            if not low <= number <= high:
                errors[field] = [_("%(name)s: a code between %(low)d and %(high)d.") % {"name": label, "low": low,
                                                                                        "high": high}]
                continue
            clean[group][value] = number
        taken = list(clean[group].values())
        if len(set(taken)) != len(taken):
            errors[group] = [_("Two %(group)s values have the same code; each needs its own.") % {
                "group": _("level") if group == "level" else _("predicate")}]
    if errors:
        raise ValidationError(errors)
    settings_row = selectors.appraisal_settings()
    before = snapshot(settings_row, ["siasn_codes", "siasn_codes_source"])
    settings_row.siasn_codes, settings_row.siasn_codes_source = clean, source
    settings_row.save(update_fields=["siasn_codes", "siasn_codes_source"])
    record_change(actor=actor, action="appraisal.settings.change", target=settings_row, before=before,
                  after=snapshot(settings_row, ["siasn_codes", "siasn_codes_source"]), reason=source)
    return settings_row


@transaction.atomic
def update_appraisal_numbers(*, actor, values: dict, reason: str = ""):
    """HR sets the region's objection window, peer-input minimum and realisation grace days (audited).
    Every value is checked before any is saved."""
    _require_hr(actor)
    settings_row = selectors.appraisal_settings()
    errors, clean = {}, {}
    for field, raw in values.items():
        if field not in NUMERIC_SETTINGS:
            errors[field] = _("Not an editable setting.")
            continue
        low, high = NUMERIC_SETTINGS[field]
        try:
            number = int(str(raw).strip())
        except (TypeError, ValueError):
            errors[field] = _("Must be a whole number.")
            continue
        if not low <= number <= high:
            errors[field] = _("Must be between %(low)s and %(high)s.") % {"low": low, "high": high}
        else:
            clean[field] = number
    if errors:
        raise ValidationError(errors)
    before = snapshot(settings_row, list(clean))
    for field, number in clean.items():
        setattr(settings_row, field, number)
    settings_row.save(update_fields=list(clean))
    record_change(actor=actor, action="appraisal.settings.change", target=settings_row, before=before,
                  after=snapshot(settings_row, list(clean)), reason=(reason or "").strip())
    return settings_row


# --- objections ---------------------------------------------------------------------------------
@transaction.atomic
def file_objection(*, actor, rating: Rating, reasons: str, now=None) -> Objection:
    """The employee objects to a delivered result, with reasons, up to and including the last day of
    the window (delivery day + 14 by default), counted in the region's local dates."""
    rating = Rating.objects.select_for_update(of=("self",)).select_related(
        "plan__employee__supervisor", "plan__appraiser__supervisor", "period").get(pk=rating.pk)
    _require_owner(actor, rating.plan)
    if rating.delivered_at is None:
        raise ValidationError({"rating": _("The result has not been delivered yet.")})
    if Objection.objects.filter(rating=rating).exists():
        raise ValidationError({"rating": _("An objection to this result has already been filed.")})
    window = selectors.objection_window(rating, now)
    if not window["open"]:
        raise ValidationError({"rating": _("The objection window closed on %(deadline)s (today is %(today)s).")
                               % {"deadline": window["deadline"], "today": window["today"]}})
    if not (reasons or "").strip():
        raise ValidationError({"reasons": _("Give the reasons for the objection.")})
    decider = rating.plan.appraiser.supervisor
    if decider is None or decider.pk == rating.plan.employee_id:
        raise ValidationError({"decider": _("The appraiser has no superior to decide the objection; ask HR to "
                                            "record the appraiser's superior first.")})
    objection = Objection.objects.create(rating=rating, filed_by=actor, filed_at=now or timezone.now(),
                                         deadline=window["deadline"], reasons=reasons.strip(), decider=decider)
    record_change(actor=actor, action="appraisal.objection.file", target=objection,
                  after={"rating": rating.pk, "deadline": window["deadline"], "decider": decider.pk},
                  reason=objection.reasons)
    notify([decider.user], "objection.filed", link=page("appraisal:objection-detail", objection.pk),
           params={"employee": rating.plan.employee.full_name, "period": rating_label(rating)})
    return objection


@transaction.atomic
def respond_to_objection(*, actor, objection: Objection, response: str) -> Objection:
    """The appraiser's side, heard before the decision."""
    objection = Objection.objects.select_for_update(of=("self",)).select_related(
        "rating__plan__employee", "rating__plan__appraiser").get(pk=objection.pk)
    _require_appraiser(actor, objection.rating.plan)
    if objection.status != ObjectionStatus.FILED:
        raise ValidationError({"status": _("The objection has been decided; the decision is final.")})
    if not (response or "").strip():
        raise ValidationError({"response": _("Write the response.")})
    objection.appraiser_response = response.strip()
    objection.save(update_fields=["appraiser_response"])
    return objection


@transaction.atomic
def decide_objection(*, actor, objection: Objection, upheld: bool, decision: str, work_result: str = "",
                     behaviour: str = "", now=None) -> Objection:
    """The appraiser's superior decides, finally. Upholding sets new levels; the predicate follows the
    matrix. Both the decision and any change of the result are audited."""
    objection = Objection.objects.select_for_update(of=("self",)).select_related(
        "decider", "rating__plan__employee", "rating__plan__appraiser").get(pk=objection.pk)
    if not selectors.is_objection_decider(actor, objection):
        raise PermissionDenied(_("Only the appraiser's superior decides this objection."))
    if objection.status != ObjectionStatus.FILED:
        raise ValidationError({"status": _("The objection has been decided; the decision is final.")})
    if not (decision or "").strip():
        raise ValidationError({"decision": _("Write the decision and its grounds.")})
    rating = Rating.objects.select_for_update().get(pk=objection.rating_id)
    objection.previous_predicate = rating.predicate
    if upheld:
        errors = {}
        if work_result not in Level.values:
            errors["work_result"] = _("Not a level (above, as_expected, below).")
        if behaviour not in Level.values:
            errors["behaviour"] = _("Not a level (above, as_expected, below).")
        if errors:
            raise ValidationError(errors)
        before = snapshot(rating, RATING_AUDIT_FIELDS)
        rating.work_result, rating.behaviour = work_result, behaviour
        rating.predicate = selectors.predicate_for(work_result, behaviour)
        rating.predicate_source = PredicateSource.OBJECTION
        rating.adjustment_reason = decision.strip()
        rating.save(update_fields=["work_result", "behaviour", "predicate", "predicate_source", "adjustment_reason"])
        record_change(actor=actor, action="appraisal.rating.objection", target=rating, before=before,
                      after=snapshot(rating, RATING_AUDIT_FIELDS), reason=decision.strip())
    objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.REJECTED
    objection.decision, objection.decided_by, objection.decided_at = decision.strip(), actor, now or timezone.now()
    objection.save()
    record_change(actor=actor, action="appraisal.objection.decide", target=objection,
                  before={"status": ObjectionStatus.FILED, "predicate": objection.previous_predicate},
                  after={"status": objection.status, "predicate": rating.predicate}, reason=objection.decision)
    notify([objection.rating.plan.employee.user], "objection.answered",
           link=page("appraisal:objection-detail", objection.pk),
           params={"period": rating_label(objection.rating), "outcome": "upheld" if upheld else "rejected",
                   "decision": objection.decision})
    return objection


def remind_objection_deadlines(now=None) -> int:
    """Daily: tell each employee whose objection window ends in three days and who has not objected.
    A day's reminder carries the rating as its event, so running twice tells nobody twice."""
    deadline = facts.today(now) + datetime.timedelta(days=OBJECTION_REMINDER_DAYS)
    delivered_on = deadline - datetime.timedelta(days=selectors.appraisal_settings().objection_window_days)
    start = facts.end_of_day(delivered_on - datetime.timedelta(days=1))
    ratings = (Rating.objects.filter(delivered_at__gt=start, delivered_at__lte=facts.end_of_day(delivered_on),
                                     objection__isnull=True, plan__employee__user__isnull=False)
               .select_related("plan__employee__user", "plan__appraisal_year", "period"))
    told = 0
    for rating in ratings:
        told += len(notify([rating.plan.employee.user], "objection.deadline", event_key=f"rating:{rating.pk}",
                           link=page("appraisal:plan-result", rating.plan_id),
                           params={"period": rating_label(rating), "deadline": deadline}))
    return told


# --- rewards and sanctions ----------------------------------------------------------------------
def _last_day_after(starts_on: datetime.date, months: int) -> datetime.date:
    index = starts_on.year * 12 + starts_on.month - 1 + months - 1
    year, month = divmod(index, 12)
    return datetime.date(year, month + 1, calendar.monthrange(year, month + 1)[1])


@transaction.atomic
def record_reward_sanction(*, actor, employee, kind: str, category: str, starts_on: datetime.date,
                           duration_months: int, percent, severity: str = "", description: str = "") -> RewardSanction:
    """HR records a reward or sanction for whole months, from the month of `starts_on`."""
    _require_hr(actor)
    errors = {}
    if kind not in RecordKind.values:
        errors["kind"] = _("Kind must be one of: %(values)s.") % {"values": ", ".join(RecordKind.values)}
    if not (category or "").strip():
        errors["category"] = _("Name the category (e.g. verbal_warning, certificate).")
    elif len(category.strip()) > 60:
        errors["category"] = _("The category has at most 60 characters.")
    if kind == RecordKind.SANCTION and severity not in Severity.values:
        errors["severity"] = _("A sanction needs a severity: %(values)s.") % {"values": ", ".join(Severity.values)}
    if severity and severity not in Severity.values:
        errors["severity"] = _("Severity must be one of: %(values)s.") % {"values": ", ".join(Severity.values)}
    if not isinstance(starts_on, datetime.date):
        errors["starts_on"] = _("Give the first month as a date.")
    if not isinstance(duration_months, int) or not 1 <= duration_months <= 120:
        errors["duration_months"] = _("Duration must be 1 to 120 months.")
    try:
        value = _decimal(percent, "percent", _("The percentage must be a number."))
    except ValidationError as error:
        errors.update(error.message_dict)
    else:
        if value is None or not Decimal(0) <= value <= Decimal(100):
            errors["percent"] = _("The percentage must be between 0 and 100.")
    if errors:
        raise ValidationError(errors)
    first = starts_on.replace(day=1)
    record = RewardSanction.objects.create(
        employee=employee, kind=kind, category=category.strip(), severity=severity or "",
        description=(description or "").strip(), starts_on=first, duration_months=duration_months,
        ends_on=_last_day_after(first, duration_months), percent=value, recorded_by=actor)
    record_change(actor=actor, action=f"appraisal.{kind}.record", target=record,
                  after=snapshot(record, ["employee_id", "kind", "category", "severity", "starts_on",
                                          "duration_months", "ends_on", "percent"]))
    return record


@transaction.atomic
def revoke_reward_sanction(*, actor, record: RewardSanction, reason: str, now=None) -> RewardSanction:
    _require_hr(actor)
    if record.revoked_at:
        raise ValidationError({"record": _("Already revoked.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for revoking.")})
    record.revoked_at, record.revoke_reason = now or timezone.now(), reason.strip()
    record.save(update_fields=["revoked_at", "revoke_reason"])
    record_change(actor=actor, action=f"appraisal.{record.kind}.revoke", target=record,
                  before={"revoked_at": None}, after={"revoked_at": record.revoked_at}, reason=record.revoke_reason)
    return record


# --- daily work log (laporan harian) -------------------------------------------------------------
DAILY_LOG_ACTIVITY_MAX = 2000
DAILY_LOG_AUDIT_FIELDS = ["plan_id", "rhk_id", "iki_id", "date", "activity", "quantity", "status",
                          "verifier_comment", "verified_at", "verified_same_day"]


def _log_snapshot(log: DailyLog) -> dict:
    return {**snapshot(log, DAILY_LOG_AUDIT_FIELDS), "evidence": log.evidence.name or ""}


def _clean_daily_log(plan: SkpPlan, rhk: Rhk, iki: Iki | None, date, activity: str, quantity,
                     now=None) -> tuple[datetime.date, str, Decimal | None, AppraisalPeriod]:
    """The entry's fields checked against the plan: an approved SKP, one of its RHKs (and that RHK's
    indicator), a day not after today in a period still open, and what was done."""
    if plan.status != PlanStatus.APPROVED:
        raise ValidationError({"plan": _("Daily work is logged against an approved SKP; this one is %(status)s.")
                               % {"status": PlanStatus(plan.status).label}})
    errors = {}
    if rhk is None or rhk.plan_id != plan.pk:
        errors["rhk"] = _("Choose one of the RHKs of your SKP for %(year)s.") % {"year": plan.appraisal_year.year}
    elif iki is not None and iki.rhk_id != rhk.pk:
        errors["iki"] = _("The indicator must belong to the chosen RHK.")
    if not isinstance(date, datetime.date):
        errors["date"] = _("Enter the date of the work (YYYY-MM-DD).")
    elif date > facts.today(now):
        errors["date"] = _("%(date)s is in the future: log work once it is done.") % {"date": date}
    elif date.year != plan.appraisal_year.year:
        errors["date"] = _("%(date)s is not in the SKP's year %(year)s.") % {"date": date, "year": plan.appraisal_year.year}
    activity = (activity or "").strip()
    if not activity:
        errors["activity"] = _("Describe what you did.")
    elif len(activity) > DAILY_LOG_ACTIVITY_MAX:
        errors["activity"] = _("Keep the description under %(max)s characters.") % {"max": DAILY_LOG_ACTIVITY_MAX}
    try:
        clean_quantity = _decimal(quantity, "quantity", _("The quantity must be a number."))
    except ValidationError as error:
        errors.update(error.message_dict)
        clean_quantity = None
    if clean_quantity is not None and "quantity" not in errors:
        if clean_quantity < 0:
            errors["quantity"] = _("The quantity cannot be negative.")
        elif iki is None or iki.aspect == IkiAspect.QUALITATIVE:
            errors["quantity"] = _("A quantity counts towards a numeric indicator: choose the indicator it advances.")
    if (iki is not None and iki.measured_by == IkiMeasure.DAILY_LOG_SUM and clean_quantity is None
            and "quantity" not in errors):
        errors["quantity"] = _("\"%(iki)s\" is counted from the quantities in the daily log: enter how many.") % {
            "iki": iki.text[:60]}
    if errors:
        raise ValidationError(errors)
    period = selectors.period_containing(plan, date)
    if period is None:
        raise ValidationError({"date": _("No appraisal period of %(year)s contains %(date)s.")
                               % {"year": plan.appraisal_year.year, "date": date}})
    _require_open_period(plan, period, now)
    return date, activity, clean_quantity, period


def _affected_measures(logs) -> set[tuple[int, int]]:
    """The (indicator, period) pairs whose realisation the daily log entries count towards: the entry's own
    indicator when it sums quantities, and the appraiser's indicators counting same-day verification."""
    pairs: set[tuple[int, int]] = set()
    periods: dict[tuple[int, datetime.date], AppraisalPeriod | None] = {}
    appraiser_ikis: dict[tuple[int, int], list[int]] = {}
    for log in logs:
        key = (log.plan.appraisal_year_id, log.date)
        if key not in periods:
            periods[key] = selectors.period_containing(log.plan, log.date)
        period = periods[key]
        if period is None:
            continue
        if log.iki_id and log.iki.measured_by == IkiMeasure.DAILY_LOG_SUM:
            pairs.add((log.iki_id, period.pk))
        appraiser_key = (log.plan.appraiser_id, log.plan.appraisal_year_id)
        if appraiser_key not in appraiser_ikis:
            appraiser_ikis[appraiser_key] = list(Iki.objects.filter(
                measured_by=IkiMeasure.DAILY_LOGS_VERIFIED_SAME_DAY, rhk__plan__employee_id=appraiser_key[0],
                rhk__plan__appraisal_year_id=appraiser_key[1],
                rhk__plan__status=PlanStatus.APPROVED).values_list("pk", flat=True))
        pairs.update((iki_id, period.pk) for iki_id in appraiser_ikis[appraiser_key])
    return pairs


def _refresh_log_measures(pairs: set[tuple[int, int]], actor) -> None:
    """Write the realisation of each indicator measured by the daily log, from the entries as they now
    stand; a realisation with nothing left to count is removed."""
    if not pairs:
        return
    ikis = Iki.objects.select_related("rhk__plan").in_bulk({iki_id for iki_id, _period in pairs})
    periods = AppraisalPeriod.objects.in_bulk({period_id for _iki, period_id in pairs})
    for iki_id, period_id in sorted(pairs):
        iki, period = ikis[iki_id], periods[period_id]
        value, text = selectors.daily_log_measures(iki, period)
        if value is None:
            Realisation.objects.filter(iki=iki, period=period).delete()
        else:
            Realisation.objects.update_or_create(iki=iki, period=period,
                                                 defaults={"value": value, "text": text, "updated_by": actor})


def _save_log_evidence(log: DailyLog, file) -> None:
    _check_evidence_file(file, "evidence")
    log.evidence.save(os.path.basename(file.name), file, save=False)


@transaction.atomic
def record_daily_log(*, actor, rhk: Rhk, date, activity: str, iki: Iki | None = None, quantity=None,
                     file=None, now=None) -> DailyLog:
    """The employee logs one day's work against an RHK of their approved SKP (optionally the indicator
    it advances, how much, and a file of evidence); it waits for the appraiser's verification."""
    plan = _lock_plan(rhk.plan)
    _require_owner(actor, plan)
    date, activity, quantity, _period = _clean_daily_log(plan, rhk, iki, date, activity, quantity, now)
    log = DailyLog(plan=plan, rhk=rhk, iki=iki, date=date, activity=activity, quantity=quantity,
                   submitted_at=now or timezone.now())
    if file:
        _save_log_evidence(log, file)
    log.save()
    record_change(actor=actor, action="appraisal.daily_log.create", target=log,
                  after=_log_snapshot(log))
    _refresh_log_measures(_affected_measures([log]), actor)
    return log


def _lock_logs(ids) -> list[DailyLog]:
    return list(DailyLog.objects.select_for_update(of=("self",))
                .select_related("plan__employee", "plan__appraiser", "plan__appraisal_year", "iki")
                .filter(pk__in=list(ids)).order_by("plan__employee__full_name", "date", "id"))


def _require_changeable_log(actor, log: DailyLog) -> None:
    if not selectors.is_plan_owner(actor, log.plan):
        raise PermissionDenied(_("Only the employee whose daily log this is may change it."))
    if log.status == DailyLogStatus.VERIFIED:
        raise ValidationError({"status": _("The entry of %(date)s is verified; it can no longer be changed.")
                               % {"date": log.date}})


@transaction.atomic
def update_daily_log(*, actor, log: DailyLog, rhk: Rhk, date, activity: str, iki: Iki | None = None,
                     quantity=None, file=None, now=None) -> DailyLog:
    """The employee corrects an entry not yet verified (a returned one goes back for verification)."""
    [log] = _lock_logs([log.pk])
    _require_changeable_log(actor, log)
    before = _log_snapshot(log)
    affected_before = _affected_measures([log])
    plan = _lock_plan(log.plan)
    date, activity, quantity, _period = _clean_daily_log(plan, rhk, iki, date, activity, quantity, now)
    log.rhk, log.iki, log.date, log.activity, log.quantity = rhk, iki, date, activity, quantity
    log.status, log.submitted_at = DailyLogStatus.SUBMITTED, now or timezone.now()
    if file:
        _save_log_evidence(log, file)
    log.save()
    record_change(actor=actor, action="appraisal.daily_log.update", target=log, before=before,
                  after=_log_snapshot(log))
    _refresh_log_measures(affected_before | _affected_measures([log]), actor)
    return log


@transaction.atomic
def delete_daily_log(*, actor, log: DailyLog, now=None) -> None:
    [log] = _lock_logs([log.pk])
    _require_changeable_log(actor, log)
    period = selectors.period_containing(log.plan, log.date)
    if period is not None:
        _require_open_period(log.plan, period, now)
    affected = _affected_measures([log])
    record_change(actor=actor, action="appraisal.daily_log.delete", target=log,
                  before=_log_snapshot(log))
    log.delete()
    _refresh_log_measures(affected, actor)


def _logs_for_decision(actor, log_ids, now) -> list[DailyLog]:
    """The entries an appraiser decides on at once, locked; refused all together, naming each entry
    that cannot be decided, when any of them cannot."""
    try:
        ids = sorted({int(pk) for pk in log_ids})
    except (TypeError, ValueError):
        raise ValidationError({"logs": _("Entries are named by their numbers.")}) from None
    if not ids:
        raise ValidationError({"logs": _("Choose at least one entry.")})
    logs = _lock_logs(ids)
    found = {log.pk: log for log in logs}
    problems = []
    today = facts.today(now)
    for pk in ids:
        log = found.get(pk)
        if log is None or not selectors.is_daily_log_verifier(actor, log):
            # Someone else's entries are refused like entries that do not exist.
            problems.append(_("Entry %(id)s is not among the entries you verify.") % {"id": pk})
            continue
        if log.status != DailyLogStatus.SUBMITTED:
            problems.append(_("Entry %(id)s (%(name)s, %(date)s) is %(status)s.") % {
                "id": pk, "name": log.plan.employee.full_name, "date": log.date,
                "status": DailyLogStatus(log.status).label.lower()})
            continue
        period = selectors.period_containing(log.plan, log.date)
        if period is not None and today > period.closes_on:
            problems.append(_("Entry %(id)s (%(name)s, %(date)s): %(period)s closed on %(closes)s.") % {
                "id": pk, "name": log.plan.employee.full_name, "date": log.date, "period": period.label,
                "closes": period.closes_on})
    if problems:
        raise ValidationError({"logs": problems})
    return logs


@transaction.atomic
def verify_daily_logs(*, actor, log_ids, now=None) -> list[DailyLog]:
    """The appraiser verifies many entries of their appraisees at once: all of them, or none when any
    cannot be verified. Each entry is audited; the realisations they count towards are refreshed."""
    logs = _logs_for_decision(actor, log_ids, now)
    at = now or timezone.now()
    verified_day = facts.today(at)
    for log in logs:
        before = snapshot(log, ["status", "verified_at"])
        log.status, log.verified_by, log.verified_at = DailyLogStatus.VERIFIED, actor, at
        log.verified_same_day = facts.today(log.submitted_at) == verified_day
        log.verifier_comment = ""
        record_change(actor=actor, action="appraisal.daily_log.verify", target=log, before=before,
                      after=snapshot(log, ["status", "verified_at", "verified_same_day"]))
    DailyLog.objects.bulk_update(logs, ["status", "verified_by", "verified_at", "verified_same_day",
                                        "verifier_comment"])
    _refresh_log_measures(_affected_measures(logs), actor)
    return logs


@transaction.atomic
def return_daily_logs(*, actor, log_ids, comment: str, now=None) -> list[DailyLog]:
    """The appraiser returns many entries with one comment, for the employee to correct: all or none."""
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Say what must be corrected when returning entries.")})
    logs = _logs_for_decision(actor, log_ids, now)
    for log in logs:
        before = snapshot(log, ["status", "verifier_comment"])
        log.status, log.verifier_comment = DailyLogStatus.RETURNED, comment.strip()
        record_change(actor=actor, action="appraisal.daily_log.return", target=log, before=before,
                      after=snapshot(log, ["status", "verifier_comment"]), reason=comment.strip())
    DailyLog.objects.bulk_update(logs, ["status", "verifier_comment"])
    _refresh_log_measures(_affected_measures(logs), actor)
    return logs
