"""Reading appraisal data, and the one place that decides who sees what.

The employee sees their own SKP, the appraiser their appraisees', the appraiser's superior the
objections addressed to them, HR everything; leadership and auditors read everything but change nothing."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from kinerja.accounts.capabilities import has
from kinerja.appraisal.models import (
    BEHAVIOUR_VALUES,
    PEER_MINIMUM_FLOOR,
    AppraisalPeriod,
    AppraisalSettings,
    AppraisalYear,
    CurveBound,
    CurveRule,
    DailyLog,
    DailyLogStatus,
    Evidence,
    Feedback,
    Iki,
    IkiMeasure,
    Level,
    Objection,
    OrganisationRating,
    PeerInput,
    PlanStatus,
    Predicate,
    PredicateRule,
    Rating,
    Realisation,
    RecordKind,
    RewardSanction,
    Rhk,
    SelfReport,
    SkpPlan,
    UnitRating,
)
from kinerja.people.models import Employee, EmployeeStatus, PositionKind, Unit
from kinerja.people.selectors import acting_in_place_of, acts_in_place_of
from kinerja.region import facts
from kinerja.region.formats import number


# --- who may do what ----------------------------------------------------------------------------
def is_hr(user) -> bool:
    """Managing the region's appraisal: years, periods, rules, calibration, rewards and sanctions."""
    return has(user, "appraisal.manage")


def is_region_reader(user) -> bool:
    return has(user, "appraisal.read")


def is_region_wide_reader(user) -> bool:
    return has(user, "appraisal.read_all")


def takes_part(user) -> bool:
    """Whether the user takes part as an employee: their own SKP, their appraisees', objections addressed
    to them. Which plans that reaches is decided below, plan by plan."""
    return has(user, "appraisal.take_part")


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
    return period.opens_on <= facts.today(now) <= period.closes_on


def predicate_for(work_result: str, behaviour: str) -> str:
    """The predicate the region's matrix gives for a pair of levels."""
    rule = PredicateRule.objects.filter(work_result=work_result, behaviour=behaviour).first()
    if rule is None:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"The predicate matrix has no cell for {work_result} x {behaviour}.")
    return rule.predicate


# --- SKP plans ----------------------------------------------------------------------------------
def employee_of(user):
    """The employee record of a user, cached on the user object for the request."""
    if not (user and user.is_authenticated):
        return None
    if not hasattr(user, "_appraisal_employee"):
        user._appraisal_employee = Employee.objects.select_related("unit", "supervisor").filter(user=user).first()
    return user._appraisal_employee


def is_plan_owner(user, plan: SkpPlan) -> bool:
    return takes_part(user) and plan.employee.user_id == user.pk


def is_plan_appraiser(user, plan: SkpPlan) -> bool:
    """The plan's appraiser, or whoever acts in their place (Plt/Plh) today, unless it is their own plan."""
    if not takes_part(user):
        return False
    if plan.appraiser.user_id == user.pk:
        return True
    return plan.employee.user_id != user.pk and acts_in_place_of(user, plan.appraiser_id)


def visible_plans(user) -> QuerySet[SkpPlan]:
    """Region-wide readers see every plan; an employee sees their own, their appraisees', and those with
    an objection addressed to them as the appraiser's superior."""
    plans = SkpPlan.objects.select_related("employee", "appraiser", "appraisal_year", "unit")
    if is_region_wide_reader(user):
        return plans
    if takes_part(user):
        return plans.filter(Q(employee__user=user) | Q(appraiser__user=user) | _objection_scope(user)
                            | Q(appraiser__in=acting_in_place_of(user))).distinct()
    return plans.none()


def _objection_scope(user) -> Q:
    return Q(ratings__objection__decider__user=user)


def plan_for(user, plan_id) -> SkpPlan:
    """One plan the user may see. A plan outside what the user sees raises DoesNotExist, as a plan that
    does not exist does, so its existence is not given away."""
    return visible_plans(user).get(pk=plan_id)


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
def period_of_plan(plan: SkpPlan, number) -> AppraisalPeriod | None:
    try:
        number = int(number)
    except (TypeError, ValueError):
        return None
    return AppraisalPeriod.objects.select_related("appraisal_year").filter(
        appraisal_year_id=plan.appraisal_year_id, number=number).first()


def current_period(plan: SkpPlan, now=None) -> AppraisalPeriod | None:
    today = facts.today(now)
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
    """An evidence file the user may download: whoever may see the plan (DoesNotExist for anyone else)."""
    return Evidence.objects.select_related("realisation__iki__rhk__plan").get(
        pk=evidence_id, realisation__iki__rhk__plan__in=visible_plans(user).values("pk"))


def iki_of_plan(plan: SkpPlan, iki_id) -> Iki | None:
    """One of the plan's indicators, by id as a form or a request gives it."""
    try:
        return Iki.objects.select_related("rhk__plan").filter(pk=int(iki_id), rhk__plan=plan).first()
    except (TypeError, ValueError):
        return None


# --- ratings and peer input ---------------------------------------------------------------------
LEVEL_SCORES = {Level.ABOVE: 3, Level.AS_EXPECTED: 2, Level.BELOW: 1}


def ratings_of(plan: SkpPlan) -> QuerySet[Rating]:
    return Rating.objects.filter(plan=plan).select_related("period__appraisal_year", "rated_by")


def delivered_rating(plan: SkpPlan, period_number=None) -> Rating | None:
    """The rating delivered to the employee for a period number, or the annual one when no number is
    given: what the evaluation document is printed from. A malformed number names no rating."""
    ratings = ratings_of(plan).filter(delivered_at__isnull=False)
    if period_number in (None, ""):
        return ratings.filter(period__isnull=True).first()
    try:
        return ratings.filter(period__number=int(period_number)).first()
    except (TypeError, ValueError, OverflowError):
        return None


def document_plan(plan: SkpPlan) -> SkpPlan:
    """The plan again with everything an official document prints about both people in one query."""
    return SkpPlan.objects.select_related("employee__position", "appraiser__position", "appraiser__unit",
                                          "appraisal_year", "unit").get(pk=plan.pk)


def rating_of(plan: SkpPlan, period: AppraisalPeriod | None) -> Rating | None:
    return Rating.objects.filter(plan=plan, period=period).first()


def is_peer_of(user, plan: SkpPlan) -> bool:
    employee = employee_of(user)
    return bool(employee and takes_part(user) and employee.unit_id == plan.employee.unit_id
                and employee.pk not in (plan.employee_id, plan.appraiser_id))


def peer_plans_for(user) -> QuerySet[SkpPlan]:
    """Approved SKPs of the user's colleagues in the same unit, for peer input."""
    employee = employee_of(user)
    if employee is None or not takes_part(user):
        return SkpPlan.objects.none()
    return (SkpPlan.objects.filter(employee__unit_id=employee.unit_id, revision__gte=1)
            .exclude(employee=employee).exclude(appraiser=employee)
            .select_related("employee", "appraisal_year", "unit"))


def peer_summary(plan: SkpPlan, period: AppraisalPeriod | None = None) -> dict:
    """Aggregated peer input, shown only once enough respondents have answered: the highest of the
    floor (3), the region's minimum today and the minimum in force when each answer was given (lowering
    the setting never uncovers an answer given under a higher one). Until then not even the number of
    answers is told (watching it grow would tell who answered when). Never names a respondent; comments
    come sorted by text, not by time, so order gives nothing away."""
    inputs = list(PeerInput.objects.filter(plan=plan, period=period)
                  .only("behaviour_values", "comment", "minimum_respondents"))
    minimum = max([PEER_MINIMUM_FLOOR, appraisal_settings().peer_minimum_respondents]
                  + [i.minimum_respondents for i in inputs])
    shown = len(inputs) >= minimum
    summary = {"respondents": len(inputs) if shown else None, "minimum": minimum, "shown": shown,
               "values": [], "comments": []}
    if not shown:
        return summary
    for code, label in BEHAVIOUR_VALUES:
        levels = [i.behaviour_values.get(code) for i in inputs if i.behaviour_values.get(code)]
        counts = {level: levels.count(level) for level in Level.values}
        average = round(sum(LEVEL_SCORES[level] for level in levels) / len(levels), 2) if levels else None
        summary["values"].append({"code": code, "label": str(label), "counts": counts, "average": average})
    summary["comments"] = sorted(i.comment for i in inputs if i.comment)
    return summary


# --- organisation rating and the distribution curve ---------------------------------------------
def unit_head(unit: Unit) -> Employee | None:
    """The head of a unit: its highest-class structural employee whose supervisor is outside the unit."""
    return (Employee.objects.filter(unit=unit, position__kind=PositionKind.STRUCTURAL)
            .exclude(status__in=[EmployeeStatus.RETIRED, EmployeeStatus.TERMINATED])
            .filter(Q(supervisor__isnull=True) | ~Q(supervisor__unit=unit))
            .order_by("-position__position_class", "id").first())


def unit_rating_of(unit_id: int, appraisal_year_id: int) -> UnitRating | None:
    return UnitRating.objects.filter(unit_id=unit_id, appraisal_year_id=appraisal_year_id).first()


def unit_head_work_result(plan: SkpPlan) -> str | None:
    """The work-result level a unit head gets from their unit's organisation rating; None when the plan's
    employee is not the unit's head or the unit has no rating for the year."""
    unit_rating = unit_rating_of(plan.unit_id, plan.appraisal_year_id)
    if unit_rating is None:
        return None
    head = unit_head(plan.unit)
    if head is None or head.pk != plan.employee_id:
        return None
    return appraisal_settings().head_work_result.get(unit_rating.rating)


def rated_unit_for(plan: SkpPlan) -> UnitRating | None:
    """The nearest unit (the plan's own or an ancestor) with an organisation rating for the plan's year."""
    return nearest_unit_rating(plan.unit, plan.appraisal_year_id)


def nearest_unit_rating(unit: Unit | None, appraisal_year_id: int) -> UnitRating | None:
    """The organisation rating of `unit` or, failing that, of its nearest rated ancestor, for a year."""
    if unit is None:
        return None
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    ratings = {r.unit_id: r for r in UnitRating.objects.filter(unit_id__in=ids, appraisal_year_id=appraisal_year_id)
               .select_related("unit", "appraisal_year")}
    return next((ratings[i] for i in reversed(ids) if i in ratings), None)


@dataclass
class CurveLine:
    bound: str
    predicates: list[str]
    limit: Decimal
    count: int
    share: Decimal
    ok: bool

    @property
    def text(self) -> str:
        names = " + ".join(str(Predicate(p).label) for p in self.predicates)
        if self.bound == CurveBound.SOME:
            rule = _("at least one %(names)s") % {"names": names}
        elif self.bound == CurveBound.AT_MOST:
            rule = _("at most %(limit)s%% %(names)s") % {"limit": number(self.limit), "names": names}
        else:
            rule = _("at least %(limit)s%% %(names)s") % {"limit": number(self.limit), "names": names}
        return _("%(rule)s: %(count)s (%(share)s%%)") % {"rule": rule, "count": number(self.count), "share": number(self.share)}


@dataclass
class CurveCheck:
    unit: Unit
    rating: str
    total: int
    counts: dict[str, int]
    lines: list[CurveLine] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(line.ok for line in self.lines)

    @property
    def count_list(self) -> list[tuple[str, int]]:
        return [(str(Predicate(code).label), n) for code, n in self.counts.items()]

    @property
    def violations(self) -> list[CurveLine]:
        return [line for line in self.lines if not line.ok]

    @property
    def rating_label(self) -> str:
        return str(OrganisationRating(self.rating).label)


def check_curve(rating: str, counts: dict[str, int], unit: Unit | None = None) -> CurveCheck:
    """Check a unit's predicate counts against the region's curve for its organisation rating. Shares are
    percentages of the unit's rated staff, rounded half up to two decimals; a unit with nobody rated
    passes (there is nothing to check yet)."""
    total = sum(counts.values())
    check = CurveCheck(unit=unit, rating=rating, total=total, counts={p: counts.get(p, 0) for p in Predicate.values})
    for rule in curve_rules().filter(organisation_rating=rating):
        count = sum(counts.get(p, 0) for p in rule.predicates)
        share = (Decimal(count * 100) / total).quantize(Decimal("0.01"), ROUND_HALF_UP) if total else Decimal("0.00")
        if not total:
            ok = True
        elif rule.bound == CurveBound.AT_MOST:
            ok = share <= rule.percent
        elif rule.bound == CurveBound.AT_LEAST:
            ok = share >= rule.percent
        else:
            ok = count >= 1
        check.lines.append(CurveLine(rule.bound, list(rule.predicates), rule.percent, count, share, ok))
    return check


def annual_predicate_counts(unit: Unit, appraisal_year_id: int) -> dict[str, int]:
    """Annual predicates (delivered or not) of the SKPs made in a unit's subtree."""
    from django.db.models import Count

    rows = (Rating.objects.filter(period__isnull=True, plan__appraisal_year_id=appraisal_year_id,
                                  plan__unit__path__startswith=unit.path)
            .values("predicate").annotate(n=Count("id")))
    return {row["predicate"]: row["n"] for row in rows}


def latest_curve_checks() -> tuple[int | None, list[CurveCheck]]:
    """(year, every rated unit's distribution against the curve) for the latest year that has organisation
    ratings; each annual rating counts once, for the deepest rated unit above it (as calibration counts)."""
    appraisal_year = AppraisalYear.objects.filter(unit_ratings__isnull=False).order_by("-year").first()
    if appraisal_year is None:
        return None, []
    return appraisal_year.year, [entry["check"] for entry in calibration_overview(appraisal_year) if entry["check"]]


def unit_curve_check(unit_rating: UnitRating) -> CurveCheck:
    return check_curve(unit_rating.rating, annual_predicate_counts(unit_rating.unit, unit_rating.appraisal_year_id),
                       unit_rating.unit)


def calibration_overview(appraisal_year) -> list[dict]:
    """Every rated unit of a year with its distribution against the curve, and the annual ratings of its
    staff. Each rating counts once, for the deepest rated unit above it. A fixed number of queries."""
    unit_ratings = list(UnitRating.objects.filter(appraisal_year=appraisal_year).select_related("unit")
                        .order_by("unit__path"))
    ratings = list(Rating.objects.filter(period__isnull=True, plan__appraisal_year=appraisal_year)
                   .select_related("plan__employee", "plan__unit", "plan__appraiser").order_by("plan__employee__full_name"))
    by_unit: dict[int, list[Rating]] = {ur.unit_id: [] for ur in unit_ratings}
    unrated: list[Rating] = []
    for rating in ratings:
        owner = max((ur for ur in unit_ratings if rating.plan.unit.path.startswith(ur.unit.path)),
                    key=lambda ur: len(ur.unit.path), default=None)
        (by_unit[owner.unit_id] if owner else unrated).append(rating)
    overview = []
    for unit_rating in unit_ratings:
        members = by_unit[unit_rating.unit_id]
        counts: dict[str, int] = {}
        for rating in members:
            counts[rating.predicate] = counts.get(rating.predicate, 0) + 1
        overview.append({"unit_rating": unit_rating, "check": check_curve(unit_rating.rating, counts, unit_rating.unit),
                         "ratings": members})
    if unrated:
        overview.append({"unit_rating": None, "check": None, "ratings": unrated})
    return overview


# --- objections ---------------------------------------------------------------------------------
def objection_deadline(rating: Rating) -> datetime.date | None:
    """The last local day on which the employee may object: delivery day + the region's window (14)."""
    if rating.delivered_at is None:
        return None
    delivered = rating.delivered_at.astimezone(facts.time_zone()).date()
    return delivered + datetime.timedelta(days=appraisal_settings().objection_window_days)


def objection_window(rating: Rating, now=None) -> dict:
    deadline = objection_deadline(rating)
    today = facts.today(now)
    return {"deadline": deadline, "today": today, "open": bool(deadline and today <= deadline),
            "days_left": (deadline - today).days if deadline and today <= deadline else 0}


def visible_objections(user) -> QuerySet[Objection]:
    """HR and read-only roles see all; an employee sees the objections they filed, decide, or whose
    result they gave as appraiser."""
    objections = Objection.objects.select_related(
        "rating__plan__employee", "rating__plan__appraiser", "rating__plan__appraisal_year", "rating__period", "decider")
    if is_region_wide_reader(user):
        return objections
    if takes_part(user):
        acting = acting_in_place_of(user)
        return objections.filter(Q(rating__plan__employee__user=user) | Q(decider__user=user)
                                 | Q(rating__plan__appraiser__user=user) | Q(decider__in=acting)
                                 | Q(rating__plan__appraiser__in=acting))
    return objections.none()


def is_objection_decider(user, objection: Objection) -> bool:
    if not takes_part(user):
        return False
    return objection.decider.user_id == user.pk or (
        objection.rating.plan.employee.user_id != user.pk and acts_in_place_of(user, objection.decider_id))


# --- rewards and sanctions (read by pay formulas) -----------------------------------------------
def _records_in_force(kind: str, employee_ids, month: datetime.date) -> dict[int, list[dict]]:
    first = month.replace(day=1)
    rows = (RewardSanction.objects.filter(kind=kind, employee_id__in=list(employee_ids), starts_on__lte=first,
                                          ends_on__gte=first, revoked_at__isnull=True)
            .order_by("employee_id", "starts_on", "id")
            .values("id", "employee_id", "category", "severity", "percent", "starts_on", "ends_on", "duration_months"))
    result: dict[int, list[dict]] = {}
    for row in rows:
        result.setdefault(row.pop("employee_id"), []).append(row)
    return result


def sanctions_in_force(employee_ids, month: datetime.date) -> dict[int, list[dict]]:
    """Sanctions in force in `month` (any day of it), per employee id, as plain dicts: id, category,
    severity, percent (Decimal), starts_on, ends_on, duration_months. Employees without any are absent.
    One query, for a whole pay run."""
    return _records_in_force(RecordKind.SANCTION, employee_ids, month)


def rewards_in_force(employee_ids, month: datetime.date) -> dict[int, list[dict]]:
    """Rewards in force in `month`, in the same shape as `sanctions_in_force`."""
    return _records_in_force(RecordKind.REWARD, employee_ids, month)


def visible_rewards_sanctions(user) -> QuerySet[RewardSanction]:
    records = RewardSanction.objects.select_related("employee")
    if is_region_wide_reader(user):
        return records
    if takes_part(user):
        return records.filter(employee__user=user)
    return records.none()


# --- transparency -------------------------------------------------------------------------------
def plan_result(plan: SkpPlan) -> dict:
    """Everything an employee is entitled to see about their SKP's result: the criteria (matrix and
    behaviour values), each indicator's target and realisation by period, every rating with its
    predicate, where the predicate came from and the reasons, and the objection window."""
    periods = list(periods_of(plan.appraisal_year))
    realised = {(r.iki_id, r.period_id): r for r in realisations_of(plan)}
    labels = dict(BEHAVIOUR_VALUES)
    ratings = []
    for rating in ratings_of(plan).select_related("objection"):
        objection = getattr(rating, "objection", None)
        ratings.append({
            "rating": rating,
            "period": rating.period.label if rating.period_id else None,
            "behaviour_values": [(str(labels.get(code, code)), Level(level).label)
                                 for code, level in rating.behaviour_values.items()],
            "matrix_predicate": predicate_for(rating.work_result, rating.behaviour),
            "window": objection_window(rating) if rating.delivered_at else None,
            "objection": objection,
        })
    return {
        "matrix": list(predicate_rules()),
        "behaviour_values": [str(label) for _code, label in BEHAVIOUR_VALUES],
        "periods": periods,
        "indicators": [
            {"rhk": rhk, "iki": iki, "by_period": [realised.get((iki.pk, p.pk)) for p in periods]}
            for rhk in plan_rhks(plan) for iki in rhk.ikis.all()
        ],
        "ratings": ratings,
    }


# --- exports in the national system's shapes ----------------------------------------------------
def _appraiser_fields(appraiser) -> dict:
    return {"penilaiNama": appraiser.full_name, "penilaiNipNrp": appraiser.nip, "penilaiGolongan": appraiser.rank,
            "penilaiJabatan": appraiser.position.title, "penilaiUnorNama": appraiser.unit.name,
            "statusPenilai": "ASN"}


def _export_ratings(appraisal_year, annual: bool):
    return (Rating.objects.filter(plan__appraisal_year=appraisal_year, period__isnull=annual,
                                  delivered_at__isnull=False)
            .select_related("plan__employee", "plan__appraiser__position", "plan__appraiser__unit",
                            "plan__appraisal_year", "period__appraisal_year")
            .order_by("plan__employee__nip", "period__number"))


def siasn_code_rows() -> list[dict]:
    """Every level and predicate with the code the exports send for it, for the rules page."""
    codes = appraisal_settings().siasn_codes
    return [{"group": group, "value": value, "label": label, "code": codes.get(group, {}).get(value)}
            for group, choices in (("level", Level.choices), ("predicate", Predicate.choices))
            for value, label in choices]


def skp22_rows(appraisal_year) -> list[dict]:
    """Delivered annual results of a year, one `skp22/save` payload per employee."""
    codes = appraisal_settings().siasn_codes
    return [{
        "nipBaru": r.plan.employee.nip, "pnsDinilaiNama": r.plan.employee.full_name, "tahun": appraisal_year.year,
        "hasilKinerjaNilai": codes["level"][r.work_result], "perilakuKerjaNilai": codes["level"][r.behaviour],
        "kuadranKinerjaNilai": codes["predicate"][r.predicate], **_appraiser_fields(r.plan.appraiser),
    } for r in _export_ratings(appraisal_year, annual=True)]


def periodic_rows(appraisal_year, period_number: int | None = None) -> list[dict]:
    """Delivered periodic results, one `kinerjaperiodik/save` payload per employee and period."""
    codes = appraisal_settings().siasn_codes
    ratings = _export_ratings(appraisal_year, annual=False)
    if period_number:
        ratings = ratings.filter(period__number=period_number)
    return [{
        "nipBaru": r.plan.employee.nip, "pnsDinilaiNama": r.plan.employee.full_name, "tahun": appraisal_year.year,
        "bulanMulaiPenilaian": r.period.start_month, "bulanSelesaiPenilaian": r.period.end_month,
        "tahunMulaiPenilaian": r.period.starts_on.year, "tahunSelesaiPenilaian": r.period.ends_on.year,
        "hasilKinerjaNilai": codes["level"][r.work_result], "perilakuKerjaNilai": codes["level"][r.behaviour],
        "kuadranKinerjaNilai": codes["predicate"][r.predicate], **_appraiser_fields(r.plan.appraiser),
    } for r in ratings]


@dataclass
class AppraiseeDistribution:
    """How a supervisor's appraisees' annual predicates are spread in one year, against the curve of
    the nearest rated unit above the supervisor (None when no unit above them has an organisation rating)."""

    year: int
    rows: list[tuple[str, str, int]]  # (predicate code, label, count), every predicate in order
    curve: CurveCheck | None

    @property
    def counts(self) -> dict[str, int]:
        return {label: count for _code, label, count in self.rows}


def appraisee_distribution(user, year: int | None = None) -> AppraiseeDistribution | None:
    """For a supervisor: their appraisees' annual predicates (latest year by default) and the distribution
    curve their unit is held to; None when the user appraises nobody."""
    employee = employee_of(user)
    if employee is None or not SkpPlan.objects.filter(appraiser=employee).exists():
        return None
    appraisal_year = (AppraisalYear.objects.filter(year=year).first() if year
                      else AppraisalYear.objects.filter(plans__appraiser=employee).order_by("-year").first())
    if appraisal_year is None:
        return None
    counts = dict(Rating.objects.filter(plan__appraiser=employee, plan__appraisal_year=appraisal_year,
                                        period__isnull=True).values_list("predicate").annotate(n=Count("id")))
    unit_rating = nearest_unit_rating(employee.unit, appraisal_year.pk)
    curve = check_curve(unit_rating.rating, counts, unit_rating.unit) if unit_rating else None
    return AppraiseeDistribution(year=appraisal_year.year, curve=curve,
                                 rows=[(code, str(label), counts.get(code, 0)) for code, label in Predicate.choices])


# --- what to do next (dashboards) -----------------------------------------------------------------
SUBMITTED_OR_APPROVED = ("submitted", "approved")


def _appraised_by(user, prefix: str = "") -> Q:
    """Plans the user appraises: as their appraiser, or acting (Plt/Plh) today in the appraiser's place,
    never their own plan (as `is_plan_appraiser` decides for one plan)."""
    if not (user and user.is_authenticated):
        return Q(pk__in=[])
    acting = Q(**{f"{prefix}appraiser__in": acting_in_place_of(user)}) & ~Q(**{f"{prefix}employee__user": user})
    return Q(**{f"{prefix}appraiser__user": user}) | acting


def plans_to_approve(user) -> QuerySet[SkpPlan]:
    """Plans submitted to the user as appraiser, or to the supervisor they act for."""
    return (SkpPlan.objects.filter(_appraised_by(user), status="submitted")
            .select_related("employee", "appraisal_year").order_by("submitted_at", "pk"))


def ratings_to_deliver(user) -> QuerySet[Rating]:
    """Ratings of plans the user appraises (or appraises in an absent supervisor's place), given but not
    yet delivered."""
    return (Rating.objects.filter(_appraised_by(user, "plan__"), delivered_at__isnull=True)
            .select_related("plan__employee", "plan__appraisal_year", "period")
            .order_by("plan__employee__full_name", "period__number", "pk"))


def ratings_due(user, today: datetime.date | None = None, limit: int = 20) -> list[dict]:
    """Approved plans the user appraises with a period that has ended (or a year that has ended) and no
    rating for it yet: [{"plan", "period"}], period None for the annual rating. Three queries."""
    today = today or facts.today()
    plans = list(SkpPlan.objects.filter(appraiser__user=user, appraiser__user__isnull=False, status="approved",
                                        appraisal_year__year__in=(today.year - 1, today.year))
                 .select_related("employee", "appraisal_year").order_by("employee__full_name", "pk"))
    if not plans:
        return []
    periods = list(AppraisalPeriod.objects.filter(appraisal_year__in={p.appraisal_year_id for p in plans},
                                                  ends_on__lt=today).order_by("number"))
    rated = set(Rating.objects.filter(plan__in=plans).values_list("plan_id", "period_id"))
    due = []
    for plan in plans:
        for period in periods:
            if period.appraisal_year_id == plan.appraisal_year_id and (plan.pk, period.pk) not in rated:
                due.append({"plan": plan, "period": period})
        if plan.appraisal_year.year < today.year and (plan.pk, None) not in rated:
            due.append({"plan": plan, "period": None})
    return due[:limit]


def subordinates_without_plan(user, year: int) -> QuerySet[Employee]:
    """The user's active direct reports with no SKP for the year."""
    return (Employee.objects.filter(supervisor__user=user, supervisor__user__isnull=False, status=EmployeeStatus.ACTIVE)
            .exclude(pk__in=SkpPlan.objects.filter(appraisal_year__year=year).values("employee_id"))
            .order_by("full_name"))


def unsubmitted_plans_by_unit(year: int, limit: int = 10) -> list[dict]:
    """Per unit, the active employees whose SKP for the year is missing or not yet submitted, most
    first: [{"unit_id", "unit__name", "missing"}]. One query."""
    done = SkpPlan.objects.filter(appraisal_year__year=year, status__in=SUBMITTED_OR_APPROVED).values("employee_id")
    return list(Employee.objects.filter(status=EmployeeStatus.ACTIVE).exclude(pk__in=done)
                .values("unit_id", "unit__name", "unit__code").annotate(missing=Count("id")).order_by("-missing", "unit__name")[:limit])


def open_objections() -> QuerySet[Objection]:
    return Objection.objects.filter(status="filed")


def plan_of(user, year: int) -> SkpPlan | None:
    return SkpPlan.objects.filter(employee__user=user, appraisal_year__year=year).first() \
        if getattr(user, "is_authenticated", False) else None


def last_delivered_rating(user) -> Rating | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (Rating.objects.filter(plan__employee__user=user, delivered_at__isnull=False)
            .select_related("period", "plan__appraisal_year").order_by("-delivered_at").first())


def open_objection_of(user) -> Objection | None:
    return Objection.objects.filter(filed_by=user, status="filed").first() \
        if getattr(user, "is_authenticated", False) else None


def latest_predicate_distribution() -> tuple[str, list[dict]]:
    """The newest delivered round of predicates counted per unit: the annual ratings of the latest year
    that has some, otherwise its latest period's (a year in progress has only periodic ones). Returns
    (what was counted: "2025" or "TW III 2026", [{"unit": name, "counts": {predicate: n}, "cells": [n per
    predicate, in the predicates' order], "total": n}]). Counts only; two queries."""
    latest = (Rating.objects.filter(delivered_at__isnull=False).select_related("period", "plan__appraisal_year")
              .order_by("-plan__appraisal_year__year", F("period__ends_on").desc(nulls_first=True)).first())
    if latest is None:
        return "", []
    rows = (Rating.objects.filter(period=latest.period_id, plan__appraisal_year=latest.plan.appraisal_year_id,
                                  delivered_at__isnull=False)
            .values("plan__unit_id", "plan__unit__name", "predicate").annotate(n=Count("id"))
            .order_by("plan__unit__name"))
    units: dict[int, dict] = {}
    for row in rows:
        unit = units.setdefault(row["plan__unit_id"], {"unit": row["plan__unit__name"], "total": 0,
                                                        "counts": {code: 0 for code in Predicate.values}})
        unit["counts"][row["predicate"]] = row["n"]
        unit["total"] += row["n"]
    for unit in units.values():
        unit["cells"] = [unit["counts"][code] for code in Predicate.values]
    label = str(latest.period) if latest.period_id else str(latest.plan.appraisal_year.year)
    return label, list(units.values())
# --- daily work log (laporan harian) -------------------------------------------------------------
def visible_daily_logs(user) -> QuerySet[DailyLog]:
    """Region-wide readers see every entry; an employee sees their own and their appraisees' (the
    entries they verify). Anyone else in the unit sees none of a colleague's."""
    logs = DailyLog.objects.select_related("plan__employee", "plan__appraiser", "plan__appraisal_year", "rhk",
                                           "iki", "verified_by")
    if is_region_wide_reader(user):
        return logs
    if takes_part(user):
        return logs.filter(Q(plan__employee__user=user) | Q(plan__appraiser__user=user))
    return logs.none()


def daily_log_for(user, log_id) -> DailyLog:
    """One entry the user may see; DoesNotExist for any other, as for one that does not exist."""
    return visible_daily_logs(user).get(pk=log_id)


def is_daily_log_verifier(user, log: DailyLog) -> bool:
    return is_plan_appraiser(user, log.plan)


def own_daily_logs(user, start: datetime.date, end: datetime.date) -> QuerySet[DailyLog]:
    """The user's own entries between two dates, newest first."""
    return visible_daily_logs(user).filter(plan__employee__user=user, date__gte=start, date__lte=end)


def daily_logs_to_verify(user) -> QuerySet[DailyLog]:
    """The entries awaiting the user's verification, as their appraisees' appraiser, oldest first."""
    if not takes_part(user):
        return DailyLog.objects.none()
    return (visible_daily_logs(user).filter(plan__appraiser__user=user, status=DailyLogStatus.SUBMITTED)
            .order_by("plan__employee__full_name", "date", "id"))


def daily_log_plan(user, on: datetime.date) -> SkpPlan | None:
    """The user's own SKP for the year of a date, the one daily logs of that date go to."""
    if not takes_part(user):
        return None
    return (SkpPlan.objects.select_related("employee", "appraiser", "appraisal_year")
            .filter(employee__user=user, appraisal_year__year=on.year).first())


def period_containing(plan: SkpPlan, on: datetime.date) -> AppraisalPeriod | None:
    return (AppraisalPeriod.objects.select_related("appraisal_year")
            .filter(appraisal_year_id=plan.appraisal_year_id, starts_on__lte=on, ends_on__gte=on).first())


def daily_log_measures(iki: Iki, period: AppraisalPeriod) -> tuple[Decimal | None, str]:
    """The realisation of an indicator measured by the daily log in one period, from the entries as they
    stand: (value, the sentence saying how it was counted). None when nothing can be counted yet.

    - sum: the quantities of the plan's verified entries against this indicator in the period;
    - verified same day: of the entries the plan's employee had to verify (their appraisees' entries
      dated in the period, returned ones left out), the percent verified on the local day they were
      sent. An entry still waiting counts as not verified the same day once its day has passed."""
    in_period = Q(date__gte=period.starts_on, date__lte=period.ends_on)
    if iki.measured_by == IkiMeasure.DAILY_LOG_SUM:
        rows = DailyLog.objects.filter(in_period, iki=iki, status=DailyLogStatus.VERIFIED)
        total = sum((row.quantity or Decimal(0) for row in rows.only("quantity")), Decimal(0))
        count = rows.count()
        return (total if count else None), _("%(count)s verified daily log entries") % {"count": count}
    if iki.measured_by == IkiMeasure.DAILY_LOGS_VERIFIED_SAME_DAY:
        plan = iki.rhk.plan
        rows = DailyLog.objects.filter(in_period, plan__appraiser_id=plan.employee_id,
                                       plan__appraisal_year_id=plan.appraisal_year_id).exclude(
            status=DailyLogStatus.RETURNED)
        counts = rows.aggregate(all=Count("id"), same_day=Count("id", filter=Q(verified_same_day=True)))
        if not counts["all"]:
            return None, ""
        percent = (Decimal(100) * counts["same_day"] / counts["all"]).quantize(Decimal("0.01"), ROUND_HALF_UP)
        return percent, _("%(same_day)s of %(all)s daily log entries verified on the day they were sent") % counts
    return None, ""


def counted_indicators(employee_ids, measure: str, on: datetime.date) -> list[tuple[Iki, AppraisalPeriod]]:
    """The indicators of the employees' approved SKPs whose realisation `measure` counts, each with the
    period of its plan that contains `on`."""
    ikis = list(Iki.objects.select_related("rhk__plan").filter(
        measured_by=measure, rhk__plan__employee_id__in=list(employee_ids), rhk__plan__status=PlanStatus.APPROVED,
        rhk__plan__appraisal_year__year=on.year).order_by("pk"))
    periods = {period.appraisal_year_id: period for period in AppraisalPeriod.objects.filter(
        appraisal_year_id__in={iki.rhk.plan.appraisal_year_id for iki in ikis}, starts_on__lte=on, ends_on__gte=on)}
    return [(iki, periods[iki.rhk.plan.appraisal_year_id]) for iki in ikis if iki.rhk.plan.appraisal_year_id in periods]


def daily_log_summary(plan: SkpPlan, period: AppraisalPeriod) -> dict[str, int]:
    """How many of the plan's entries in a period stand in each status."""
    rows = (DailyLog.objects.filter(plan=plan, date__gte=period.starts_on, date__lte=period.ends_on)
            .values("status").annotate(n=Count("id")))
    summary = {status: 0 for status in DailyLogStatus.values}
    summary.update({row["status"]: row["n"] for row in rows})
    return summary
