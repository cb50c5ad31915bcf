"""Reading appraisal data, and the one place that decides who sees what.

The employee sees their own SKP, the appraiser their appraisees', the appraiser's superior the
objections addressed to them, HR everything; leadership and auditors read everything but change nothing."""
from __future__ import annotations

import datetime
import zoneinfo

from django.db import connection
from django.utils import timezone

from kinerja.accounts.models import Role
from kinerja.appraisal.models import (
    AppraisalPeriod,
    AppraisalSettings,
    AppraisalYear,
    CurveRule,
    PredicateRule,
)

REGION_WIDE_READERS = {Role.HR_ADMIN, Role.LEADERSHIP, Role.AUDITOR}
REGION_ROLES = {Role.EMPLOYEE, Role.HR_ADMIN, Role.LEADERSHIP, Role.AUDITOR}


# --- the region's clock ---------------------------------------------------------------------------
def region_time_zone() -> zoneinfo.ZoneInfo:
    """The current region's time zone (deadlines and "today" are always the region's local ones)."""
    name = getattr(connection.tenant, "time_zone", None)
    if not name:
        from tenants.models import Region

        name = Region.objects.filter(schema_name=connection.schema_name).values_list("time_zone", flat=True).first()
    return zoneinfo.ZoneInfo(name or "Asia/Jakarta")


def region_now(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()).astimezone(region_time_zone())


def region_today(now: datetime.datetime | None = None) -> datetime.date:
    return region_now(now).date()


# --- who may do what ----------------------------------------------------------------------------
def is_hr(user) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.HR_ADMIN)


def is_region_reader(user) -> bool:
    return bool(user and user.is_authenticated and user.role in REGION_ROLES)


def is_region_wide_reader(user) -> bool:
    return bool(user and user.is_authenticated and user.role in REGION_WIDE_READERS)


# --- settings and rule tables -------------------------------------------------------------------
def appraisal_settings() -> AppraisalSettings:
    return AppraisalSettings.objects.get_or_create(pk=1)[0]


def predicate_matrix() -> dict[tuple[str, str], str]:
    return {(rule.work_result, rule.behaviour): rule.predicate for rule in PredicateRule.objects.all()}


def predicate_rules():
    return PredicateRule.objects.order_by("id")


def curve_rules():
    return CurveRule.objects.order_by("organisation_rating", "id")


def appraisal_years():
    return AppraisalYear.objects.all()


def periods_of(appraisal_year: AppraisalYear):
    return AppraisalPeriod.objects.filter(appraisal_year=appraisal_year).select_related("appraisal_year")


def period_is_open(period: AppraisalPeriod, now: datetime.datetime | None = None) -> bool:
    return period.opens_on <= region_today(now) <= period.closes_on


def predicate_for(work_result: str, behaviour: str) -> str:
    """The predicate the region's matrix gives for a pair of levels."""
    rule = PredicateRule.objects.filter(work_result=work_result, behaviour=behaviour).first()
    if rule is None:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"The predicate matrix has no cell for {work_result} x {behaviour}.")
    return rule.predicate


# --- SKP plans ----------------------------------------------------------------------------------
from django.db.models import Prefetch, Q, QuerySet  # noqa: E402

from kinerja.appraisal.models import Iki, Rhk, SkpPlan  # noqa: E402


def employee_of(user):
    """The employee record of a user, cached on the user object for the request."""
    if not (user and user.is_authenticated):
        return None
    if not hasattr(user, "_appraisal_employee"):
        from kinerja.people.models import Employee

        user._appraisal_employee = Employee.objects.select_related("unit", "supervisor").filter(user=user).first()
    return user._appraisal_employee


def is_plan_owner(user, plan: SkpPlan) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.EMPLOYEE
                and plan.employee.user_id == user.pk)


def is_plan_appraiser(user, plan: SkpPlan) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.EMPLOYEE
                and plan.appraiser.user_id == user.pk)


def visible_plans(user) -> QuerySet[SkpPlan]:
    """Region-wide readers see every plan; an employee sees their own, their appraisees', and those with
    an objection addressed to them as the appraiser's superior."""
    plans = SkpPlan.objects.select_related("employee", "appraiser", "appraisal_year", "unit")
    if is_region_wide_reader(user):
        return plans
    if user and user.is_authenticated and user.role == Role.EMPLOYEE:
        return plans.filter(Q(employee__user=user) | Q(appraiser__user=user) | _objection_scope(user)).distinct()
    return plans.none()


def _objection_scope(user) -> Q:
    return Q(pk__in=[])  # widened when objections exist (see objections section)


def plan_for(user, plan_id) -> SkpPlan:
    """One plan the user may see, or PermissionDenied / DoesNotExist."""
    from django.core.exceptions import PermissionDenied

    plan = SkpPlan.objects.select_related("employee", "appraiser", "appraisal_year", "unit").get(pk=plan_id)
    if not visible_plans(user).filter(pk=plan.pk).exists():
        raise PermissionDenied
    return plan


def plan_rhks(plan: SkpPlan) -> list[Rhk]:
    return list(plan.rhks.select_related("parent").prefetch_related(
        Prefetch("ikis", queryset=Iki.objects.order_by("position", "id"))).order_by("kind", "position", "id"))


def cascade_options(plan: SkpPlan) -> QuerySet[Rhk]:
    """The appraiser's RHKs for the same year, which this plan's RHKs may support."""
    return Rhk.objects.filter(plan__employee_id=plan.appraiser_id,
                              plan__appraisal_year_id=plan.appraisal_year_id).order_by("kind", "position", "id")


def supporting_rhks(rhk: Rhk) -> QuerySet[Rhk]:
    """The subordinates' RHKs that cascade from this one."""
    return rhk.supporting.select_related("plan__employee")


def plan_content(plan: SkpPlan) -> dict:
    """The plan as plain data (for revision snapshots and exports)."""
    return {
        "employee": plan.employee.nip,
        "appraiser": plan.appraiser.nip,
        "year": plan.appraisal_year.year,
        "rhks": [
            {"id": rhk.pk, "kind": rhk.kind, "text": rhk.text, "parent": rhk.parent_id,
             "ikis": [{"id": iki.pk, "text": iki.text, "aspect": iki.aspect,
                       "target_value": str(iki.target_value) if iki.target_value is not None else None,
                       "target_unit": iki.target_unit, "target_text": iki.target_text} for iki in rhk.ikis.all()]}
            for rhk in plan_rhks(plan)
        ],
    }


# --- realisation, evidence, feedback, self-reports ----------------------------------------------
from kinerja.appraisal.models import Evidence, Feedback, Realisation, SelfReport  # noqa: E402


def period_of_plan(plan: SkpPlan, number) -> AppraisalPeriod | None:
    try:
        number = int(number)
    except (TypeError, ValueError):
        return None
    return AppraisalPeriod.objects.select_related("appraisal_year").filter(
        appraisal_year_id=plan.appraisal_year_id, number=number).first()


def current_period(plan: SkpPlan, now=None) -> AppraisalPeriod | None:
    today = region_today(now)
    periods = AppraisalPeriod.objects.select_related("appraisal_year").filter(appraisal_year_id=plan.appraisal_year_id)
    return periods.filter(starts_on__lte=today, ends_on__gte=today).first() or periods.order_by("number").first()


def realisations_of(plan: SkpPlan, period: AppraisalPeriod | None = None) -> QuerySet[Realisation]:
    realisations = Realisation.objects.filter(iki__rhk__plan=plan).select_related(
        "iki__rhk", "period__appraisal_year").prefetch_related("evidence")
    return realisations.filter(period=period) if period else realisations


def feedback_threads(plan: SkpPlan) -> dict[int, list[Feedback]]:
    """Opening messages per RHK id, each with its replies prefetched, oldest first."""
    threads: dict[int, list[Feedback]] = {}
    openings = Feedback.objects.filter(rhk__plan=plan, parent__isnull=True).select_related("author").prefetch_related(
        Prefetch("replies", queryset=Feedback.objects.select_related("author").order_by("created_at", "id")))
    for message in openings:
        threads.setdefault(message.rhk_id, []).append(message)
    return threads


def self_reports_of(plan: SkpPlan) -> QuerySet[SelfReport]:
    return plan.self_reports.select_related("period__appraisal_year")


def evidence_for(user, evidence_id) -> Evidence:
    """An evidence file the user may download: whoever may see the plan."""
    from django.core.exceptions import PermissionDenied

    evidence = Evidence.objects.select_related("realisation__iki__rhk__plan").get(pk=evidence_id)
    if not visible_plans(user).filter(pk=evidence.realisation.iki.rhk.plan_id).exists():
        raise PermissionDenied
    return evidence


# --- ratings and peer input ---------------------------------------------------------------------
from kinerja.appraisal.models import BEHAVIOUR_VALUES, Level, PeerInput, Rating  # noqa: E402

LEVEL_SCORES = {Level.ABOVE: 3, Level.AS_EXPECTED: 2, Level.BELOW: 1}


def ratings_of(plan: SkpPlan) -> QuerySet[Rating]:
    return Rating.objects.filter(plan=plan).select_related("period__appraisal_year", "rated_by")


def rating_of(plan: SkpPlan, period: AppraisalPeriod | None) -> Rating | None:
    return Rating.objects.filter(plan=plan, period=period).first()


def is_peer_of(user, plan: SkpPlan) -> bool:
    employee = employee_of(user)
    return bool(employee and user.role == Role.EMPLOYEE and employee.unit_id == plan.employee.unit_id
                and employee.pk not in (plan.employee_id, plan.appraiser_id))


def peer_plans_for(user) -> QuerySet[SkpPlan]:
    """Approved SKPs of the user's colleagues in the same unit, for peer input."""
    employee = employee_of(user)
    if employee is None or user.role != Role.EMPLOYEE:
        return SkpPlan.objects.none()
    return (SkpPlan.objects.filter(employee__unit_id=employee.unit_id, revision__gte=1)
            .exclude(employee=employee).exclude(appraiser=employee)
            .select_related("employee", "appraisal_year", "unit"))


def peer_summary(plan: SkpPlan, period: AppraisalPeriod | None = None) -> dict:
    """Aggregated peer input, shown only once the region's minimum number of respondents has answered.
    Never names a respondent; comments come sorted by text, not by time, so order gives nothing away."""
    minimum = appraisal_settings().peer_minimum_respondents
    inputs = list(PeerInput.objects.filter(plan=plan, period=period).only("behaviour_values", "comment"))
    summary = {"respondents": len(inputs), "minimum": minimum, "shown": len(inputs) >= minimum and len(inputs) > 0,
               "values": [], "comments": []}
    if not summary["shown"]:
        return summary
    for code, label in BEHAVIOUR_VALUES:
        levels = [i.behaviour_values.get(code) for i in inputs if i.behaviour_values.get(code)]
        counts = {level: levels.count(level) for level in Level.values}
        average = round(sum(LEVEL_SCORES[level] for level in levels) / len(levels), 2) if levels else None
        summary["values"].append({"code": code, "label": str(label), "counts": counts, "average": average})
    summary["comments"] = sorted(i.comment for i in inputs if i.comment)
    return summary


def unit_head_work_result(plan: SkpPlan) -> str | None:
    """The work-result level a unit head gets from the unit's organisation rating (none: no rule applies)."""
    return None


def enforce_curve_on_delivery(rating: Rating) -> None:
    """Refuses delivery when the region blocks on the distribution curve and this would break it."""
    return None
