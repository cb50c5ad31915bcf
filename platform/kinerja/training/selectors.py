"""Reading training data, and the one place that decides who sees and decides what.

HR admins manage everything; leadership and auditors read everything; an employee sees their own
training, and a supervisor also their direct reports'. Approving and nominating belong to HR and to the
employee's own direct supervisor, never to a supervisor elsewhere."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from kinerja_plugin_api.host import get_host

from kinerja.accounts.capabilities import has
from kinerja.people.models import Employee, EmployeeStatus, Unit
from kinerja.plugins.services import enabled_plugin_names
from kinerja.region import facts
from kinerja.training.models import (
    CHARGED_STATUSES,
    LIVE_STATUSES,
    CatalogSync,
    Course,
    CourseRevision,
    Enrolment,
    EnrolmentStatus,
    ExternalCourse,
    SessionStatus,
    TrainingSession,
    TrainingSettings,
    UnitBudget,
)

CATALOG_HOOK = "kinerja_training_catalog"


# --- the region's settings --------------------------------------------------------------------------
def training_settings() -> TrainingSettings:
    """The region's settings; the defaults (unsaved) until HR first changes them, so reading never writes."""
    return TrainingSettings.objects.filter(pk=1).first() or TrainingSettings(pk=1)


def jp_target() -> int:
    return training_settings().annual_jp_target


# --- who may do what ------------------------------------------------------------------------------
def is_region_user(user) -> bool:
    return has(user, "training.read")


def is_hr(user) -> bool:
    return has(user, "training.manage")


def is_region_wide_reader(user) -> bool:
    return has(user, "training.read_all")


def takes_part(user) -> bool:
    """Whether the user takes part as an employee: requesting their own training, nominating and deciding
    for their direct reports."""
    return has(user, "training.take_part")


def employee_of(user) -> Employee | None:
    """The employee record of a user who takes part, cached on the user object for the request."""
    if not takes_part(user):
        return None
    if not hasattr(user, "_training_employee"):
        user._training_employee = Employee.objects.select_related("unit", "supervisor").filter(user=user).first()
    return user._training_employee


def is_direct_supervisor(user, employee: Employee) -> bool:
    return bool(takes_part(user) and employee.supervisor_id
                and Employee.objects.filter(pk=employee.supervisor_id, user_id=user.pk).exists())


def can_nominate(user, employee: Employee) -> bool:
    """HR may nominate anyone in the region; a supervisor only their own direct reports."""
    return is_hr(user) or is_direct_supervisor(user, employee)


def can_decide(user, enrolment: Enrolment) -> bool:
    """Approving or rejecting a request: HR, or the employee's own direct supervisor."""
    return is_hr(user) or is_direct_supervisor(user, enrolment.employee)


def can_withdraw(user, enrolment: Enrolment) -> bool:
    return is_hr(user) or is_direct_supervisor(user, enrolment.employee) or (
        bool(user and user.is_authenticated) and enrolment.employee.user_id == user.pk)


def offers_nomination(user) -> bool:
    """Whether the user may nominate anyone at all: HR, or a supervisor with direct reports."""
    employee = employee_of(user)
    return is_hr(user) or bool(employee and employee.subordinates.exists())


def may_decide_now(user, enrolment: Enrolment) -> bool:
    return enrolment.status == EnrolmentStatus.PENDING and can_decide(user, enrolment)


def may_withdraw_now(user, enrolment: Enrolment) -> bool:
    return enrolment.status in LIVE_STATUSES and can_withdraw(user, enrolment)


def can_see_employee(user, employee: Employee) -> bool:
    return visible_employees(user).filter(pk=employee.pk).exists()


def visible_employees(user) -> QuerySet[Employee]:
    """Whose training a user may see: the whole region for HR, leadership and auditors; themselves and
    their direct reports for an employee."""
    employees = Employee.objects.select_related("unit", "position")
    if is_region_wide_reader(user):
        return employees
    if takes_part(user):
        return employees.filter(Q(user=user) | Q(supervisor__user=user))
    return employees.none()


# --- catalog --------------------------------------------------------------------------------------
def enabled_catalog_plugins(host=None) -> list[str]:
    """The region's enabled plugins that supply a training catalog."""
    host = host or get_host()
    return [name for name in enabled_plugin_names() if host.implements(name, CATALOG_HOOK)]


def catalog(host=None) -> QuerySet[Course]:
    """The courses the region offers: its own, and those of catalog plugins it has enabled."""
    return Course.objects.filter(active=True).filter(
        Q(plugin_name="") | Q(plugin_name__in=enabled_catalog_plugins(host)))


def filter_catalog(courses: QuerySet[Course], *, search: str = "", competency: str = "", method: str = "",
                   jp_min: int | None = None, jp_max: int | None = None, source: str = "") -> QuerySet[Course]:
    search = search.strip()
    if search:
        courses = courses.filter(Q(title__icontains=search) | Q(code__icontains=search)
                                 | Q(provider__icontains=search))
    if competency.strip():
        courses = courses.filter(competencies__contains=[competency.strip()])
    if method:
        courses = courses.filter(method=method)
    if jp_min is not None:
        courses = courses.filter(jp_hours__gte=jp_min)
    if jp_max is not None:
        courses = courses.filter(jp_hours__lte=jp_max)
    if source == "region":
        courses = courses.filter(plugin_name="")
    elif source:
        courses = courses.filter(plugin_name=source)
    return courses


def competency_choices(courses: QuerySet[Course]) -> list[str]:
    """Every competency the given courses develop, sorted, in one query."""
    found = set()
    for values in courses.order_by().values_list("competencies", flat=True):
        found.update(values)
    return sorted(found)


def course_by_code(code: str) -> Course | None:
    return Course.objects.filter(code=code).first() if code else None


def course_revisions(course: Course) -> QuerySet[CourseRevision]:
    return course.revisions.select_related("sync", "changed_by").order_by("-number")


def catalog_syncs() -> QuerySet[CatalogSync]:
    return CatalogSync.objects.select_related("synced_by")


# --- sessions and enrolments ----------------------------------------------------------------------
def sessions() -> QuerySet[TrainingSession]:
    """Sessions with their course and seat counts, in one query."""
    return TrainingSession.objects.select_related("course").annotate(
        confirmed_count=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.CONFIRMED)),
        waitlist_count=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITLISTED)),
        pending_count=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.PENDING)),
    )


def upcoming_sessions(course: Course | None = None) -> QuerySet[TrainingSession]:
    found = sessions().filter(status=SessionStatus.SCHEDULED, starts_on__gte=facts.today())
    return found.filter(course=course) if course is not None else found


def takes_requests(session: TrainingSession) -> bool:
    """A session takes requests and nominations while it is scheduled and has not started."""
    return session.status == SessionStatus.SCHEDULED and session.starts_on >= facts.today()


def free_seats(session: TrainingSession) -> int:
    taken = session.enrolments.filter(status=EnrolmentStatus.CONFIRMED).count()
    return max(session.seats - taken, 0)


def _enrolments() -> QuerySet[Enrolment]:
    return Enrolment.objects.select_related("course", "session", "employee", "employee__unit", "unit",
                                            "nominated_by", "decided_by")


def visible_enrolments(user) -> QuerySet[Enrolment]:
    if is_region_wide_reader(user):
        return _enrolments()
    if takes_part(user):
        return _enrolments().filter(Q(employee__user=user) | Q(employee__supervisor__user=user))
    return _enrolments().none()


def enrolment_for(user, pk) -> Enrolment | None:
    return visible_enrolments(user).select_related("evaluation").filter(pk=pk).first()


def decisions_for(user) -> QuerySet[Enrolment]:
    """Requests awaiting a decision the user may take: every one for HR, their direct reports' for a
    supervisor."""
    pending = _enrolments().filter(status=EnrolmentStatus.PENDING)
    if is_hr(user):
        return pending.order_by("created_at", "id")
    if takes_part(user):
        return pending.filter(employee__supervisor__user=user).order_by("created_at", "id")
    return pending.none()


def session_participants(user, session: TrainingSession) -> QuerySet[Enrolment]:
    """The session's enrolments the user may see, waiting list in its order."""
    return visible_enrolments(user).filter(session=session).order_by("status", "waitlisted_at", "created_at", "id")


def waiting_list(session: TrainingSession) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(session=session, status=EnrolmentStatus.WAITLISTED).order_by("waitlisted_at", "id")


def live_enrolment(employee: Employee, course: Course) -> Enrolment | None:
    return Enrolment.objects.filter(employee=employee, course=course, status__in=LIVE_STATUSES).first()


def evaluation_summary(session: TrainingSession) -> dict:
    from django.db.models import Avg

    return Enrolment.objects.filter(session=session, evaluation__isnull=False).aggregate(
        responses=Count("id"), content=Avg("evaluation__content"), trainer=Avg("evaluation__trainer"),
        relevance=Avg("evaluation__relevance"))


# --- hours (JP) -----------------------------------------------------------------------------------
@dataclass
class TrainingRecord:
    """One completed piece of training, from a session or recorded from elsewhere."""

    title: str
    record_kind: str
    organiser: str
    jp_hours: int
    started_on: datetime.date
    ended_on: datetime.date
    certificate_number: str
    source: str  # "session" or "external"
    competencies: list[str] = field(default_factory=list)
    enrolment_id: int | None = None


def completed_training_for(employee: Employee, year: int) -> list[TrainingRecord]:
    """The employee's completed training in a year (sessions completed and verified external courses),
    oldest first. Appraisal pages show it as evidence; the caller decides who may see the employee."""
    records = [
        TrainingRecord(title=e.course.title, record_kind=e.course.record_kind, organiser=e.course.provider,
                       jp_hours=e.jp_hours, started_on=e.session.starts_on, ended_on=e.completed_on,
                       certificate_number=e.certificate_number, source="session",
                       competencies=list(e.course.competencies), enrolment_id=e.pk)
        for e in Enrolment.objects.select_related("course", "session").filter(
            employee=employee, status=EnrolmentStatus.COMPLETED, completed_on__year=year)
    ]
    records += [
        TrainingRecord(title=x.title, record_kind=x.record_kind, organiser=x.organiser, jp_hours=x.jp_hours,
                       started_on=x.started_on, ended_on=x.ended_on, certificate_number=x.certificate_number,
                       source="external")
        for x in ExternalCourse.objects.filter(employee=employee, verified=True, ended_on__year=year)
    ]
    return sorted(records, key=lambda r: (r.ended_on, r.title))


def jp_by_employee(employee_ids, year: int) -> dict[int, dict]:
    """{employee id: {"sessions": JP, "external": JP, "total": JP}} in two queries."""
    totals = {pk: {"sessions": 0, "external": 0, "total": 0} for pk in employee_ids}
    completed = (Enrolment.objects.filter(employee_id__in=employee_ids, status=EnrolmentStatus.COMPLETED,
                                          completed_on__year=year)
                 .values("employee_id").annotate(jp=Sum("jp_hours")).order_by())
    external = (ExternalCourse.objects.filter(employee_id__in=employee_ids, verified=True, ended_on__year=year)
                .values("employee_id").annotate(jp=Sum("jp_hours")).order_by())
    for kind, rows in (("sessions", completed), ("external", external)):
        for row in rows:
            totals[row["employee_id"]][kind] += row["jp"] or 0
            totals[row["employee_id"]]["total"] += row["jp"] or 0
    return totals


def jp_between(employee_id: int, starts_on: datetime.date, ends_on: datetime.date) -> tuple[int, int]:
    """(JP, pieces of training) the employee completed between two dates: sessions by their completion
    date, verified external courses by their end date."""
    sessions = Enrolment.objects.filter(employee_id=employee_id, status=EnrolmentStatus.COMPLETED,
                                        completed_on__gte=starts_on, completed_on__lte=ends_on).aggregate(
        jp=Sum("jp_hours"), n=Count("id"))
    external = ExternalCourse.objects.filter(employee_id=employee_id, verified=True, ended_on__gte=starts_on,
                                             ended_on__lte=ends_on).aggregate(jp=Sum("jp_hours"), n=Count("id"))
    return (sessions["jp"] or 0) + (external["jp"] or 0), sessions["n"] + external["n"]


def hours_table(employees: QuerySet[Employee], year: int) -> list[dict]:
    """One row per employee still in service with JP for the year against the region's target."""
    target = jp_target()
    employees = list(employees.exclude(status__in=[EmployeeStatus.RETIRED, EmployeeStatus.TERMINATED]))
    totals = jp_by_employee([e.pk for e in employees], year)
    return [{"employee": e, **totals[e.pk], "target": target, "meets_target": totals[e.pk]["total"] >= target,
             "missing": max(target - totals[e.pk]["total"], 0)} for e in employees]


def compliance_report(year: int) -> dict:
    """Per unit: active employees, how many reached the JP target, the share, total and average JP;
    plus the region's totals. Each employee counts in their own unit. Four queries."""
    target = jp_target()
    employees = list(Employee.objects.filter(status=EmployeeStatus.ACTIVE).values_list("pk", "unit_id"))
    totals = jp_by_employee([pk for pk, _unit in employees], year)
    units = {u.pk: u for u in Unit.objects.order_by("path", "name")}
    rows: dict[int, dict] = {}
    for pk, unit_id in employees:
        row = rows.setdefault(unit_id, {"unit": units[unit_id], "employees": 0, "compliant": 0, "total_jp": 0})
        row["employees"] += 1
        row["total_jp"] += totals[pk]["total"]
        row["compliant"] += totals[pk]["total"] >= target
    ordered = [rows[pk] for pk in units if pk in rows]
    for row in ordered:
        _shares(row)
    region = {"employees": sum(r["employees"] for r in ordered), "compliant": sum(r["compliant"] for r in ordered),
              "total_jp": sum(r["total_jp"] for r in ordered)}
    _shares(region)
    return {"year": year, "target": target, "units": ordered, "region": region}


def _shares(row: dict) -> None:
    from decimal import ROUND_HALF_UP, Decimal

    count = row["employees"]
    # Shown to one decimal, half up; the report's only rounding.
    row["compliance_percent"] = (Decimal(row["compliant"] * 100) / count).quantize(Decimal("0.1"), ROUND_HALF_UP) \
        if count else Decimal("0.0")
    row["average_jp"] = (Decimal(row["total_jp"]) / count).quantize(Decimal("0.1"), ROUND_HALF_UP) \
        if count else Decimal("0.0")


# --- budgets --------------------------------------------------------------------------------------
def budget_report(year: int) -> list[dict]:
    """Each unit with a budget for the year: the budget, what is committed (seats confirmed), spent
    (sessions held, whether attended or not, and verified external courses the unit paid) and what is
    left. A unit's figures include its sub-units. Three queries."""
    budgets = list(UnitBudget.objects.filter(year=year).select_related("unit").order_by("unit__path"))
    charged = list(Enrolment.objects.filter(status__in=CHARGED_STATUSES, session__starts_on__year=year)
                   .values("unit__path", "status").annotate(total=Sum("cost")).order_by())
    external = list(ExternalCourse.objects.filter(verified=True, ended_on__year=year, cost__gt=0)
                    .values("unit__path").annotate(total=Sum("cost")).order_by())
    rows = []
    for budget in budgets:
        prefix = budget.unit.path
        committed = sum(r["total"] for r in charged if r["unit__path"].startswith(prefix)
                        and r["status"] == EnrolmentStatus.CONFIRMED)
        spent = sum(r["total"] for r in charged if r["unit__path"].startswith(prefix)
                    and r["status"] != EnrolmentStatus.CONFIRMED)
        spent += sum(r["total"] for r in external if r["unit__path"].startswith(prefix))
        remaining = budget.amount - committed - spent
        rows.append({"budget": budget, "unit": budget.unit, "amount": budget.amount, "committed": committed,
                     "spent": spent, "remaining": remaining, "over_budget": remaining < 0})
    return rows


def external_courses_for(user) -> QuerySet[ExternalCourse]:
    found = ExternalCourse.objects.select_related("employee", "unit", "recorded_by", "verified_by")
    if is_region_wide_reader(user):
        return found
    if takes_part(user):
        return found.filter(Q(employee__user=user) | Q(employee__supervisor__user=user))
    return found.none()


def can_export(user) -> bool:
    return has(user, "training.export")


def below_jp_target(year: int) -> int:
    """How many active employees have not reached the region's JP target this year."""
    region = compliance_report(year)["region"]
    return region["employees"] - region["compliant"]


def jp_of(employee: Employee, year: int) -> dict:
    """One employee's JP of the year against the region's target."""
    return {**jp_by_employee([employee.pk], year)[employee.pk], "target": jp_target()}
