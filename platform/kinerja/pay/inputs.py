"""Everything a pay run reads about its employees, gathered in bulk: one query per kind of input for a
whole chunk of employees, never one per employee.

Attendance is judged here, in the region's local time (records hold local wall-clock times):
- a working day is a weekday with working hours that is not a holiday;
- lateness (TL) is check-in after the day's start, early leave (PSW) check-out before its end, in whole
  minutes (seconds are dropped), in brackets 1-30, 31-60, 61-90 and more than 90 minutes;
- a present day without a check-in counts as TL4 and one without a check-out as PSW4 (nothing shows
  when the employee came or went);
- a working day with no record, or recorded as absent, is an absence without reason.

Appraisal results come from the appraisal app's models: the latest rating delivered to the employee whose
period ended by the end of the month paid (an annual rating counts as ending on 31 December). A rating
the appraiser has not delivered yet is still a draft the employee has not seen nor could object to, so
it never moves pay; a run reads only ratings delivered before it started, so a run resumed later
computes exactly what it began. Sanctions come from the appraisal app's `sanctions_in_force` selector
(one query). The month's public-service targets (entered or imported by HR in this module) travel with
the appraisal result, where the plugin types put them."""
from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db.models import DateField, F, Func, Value
from django.db.models.functions import Coalesce
from kinerja_plugin_api.types import (
    AppraisalResult,
    AttendanceSummary,
    PayInput,
    Reward,
    Sanction,
)

from kinerja.appraisal import selectors
from kinerja.appraisal.models import Rating
from kinerja.pay.models import AttendanceRecord, AttendanceStatus, ServiceTarget
from kinerja.people import career, leave
from kinerja.people.models import Employee, LeaveKind
from kinerja.region.facts import WorkCalendar, month_end, month_start, work_calendar

BRACKET_LIMITS = (30, 60, 90)  # upper minutes of brackets 1..3; bracket 4 is anything longer
PREDIKAT_NAMES = {"sangat_baik": "Sangat Baik", "baik": "Baik", "butuh_perbaikan": "Butuh Perbaikan",
                  "kurang": "Kurang", "sangat_kurang": "Sangat Kurang"}
LEVEL_NAMES = {"above": "Di Atas Ekspektasi", "as_expected": "Sesuai Ekspektasi", "below": "Di Bawah Ekspektasi"}


def bracket(minutes: int) -> int:
    """0 when on time, else 1..4 for 1-30, 31-60, 61-90 and more than 90 minutes."""
    if minutes <= 0:
        return 0
    for number, limit in enumerate(BRACKET_LIMITS, start=1):
        if minutes <= limit:
            return number
    return 4


def _seconds(value: datetime.time) -> int:
    return value.hour * 3600 + value.minute * 60 + value.second


@dataclass(frozen=True)
class DayFinding:
    """What one working day counts for: kind is one of present, absent, leave, sick, official_duty,
    late, early_leave, missed_assembly; bracket and minutes for late and early_leave."""

    date: datetime.date
    kind: str
    bracket: int = 0
    minutes: int | None = None


def _judge(hours: tuple[datetime.time, datetime.time], status: str | None, check_in: datetime.time | None,
           check_out: datetime.time | None, attended_assembly: bool | None) -> tuple[tuple[str, int, int | None], ...]:
    """The rules of one working day, as (kind, bracket, minutes) findings."""
    if status is None or status == AttendanceStatus.ABSENT:
        return (("absent", 0, None),)
    if status != AttendanceStatus.PRESENT:
        return ((status, 0, None),)
    found = [("present", 0, None)]
    start, end = hours
    if check_in is None:
        found.append(("late", 4, None))
    else:
        late = (_seconds(check_in) - _seconds(start)) // 60
        if bracket(late):
            found.append(("late", bracket(late), late))
    if check_out is None:
        found.append(("early_leave", 4, None))
    else:
        early = (_seconds(end) - _seconds(check_out)) // 60
        if bracket(early):
            found.append(("early_leave", bracket(early), early))
    if attended_assembly is False:
        found.append(("missed_assembly", 0, None))
    return tuple(found)


def judge_day(day: datetime.date, hours: tuple[datetime.time, datetime.time], status: str | None,
              check_in: datetime.time | None, check_out: datetime.time | None,
              attended_assembly: bool | None) -> list[DayFinding]:
    """The findings of one working day; `status` None means there is no record of the day."""
    return [DayFinding(day, kind, number, minutes)
            for kind, number, minutes in _judge(hours, status, check_in, check_out, attended_assembly)]




def _records(employee_ids, cal: WorkCalendar):
    """Attendance rows of the month for the employees, by an id range (chunks are runs of sorted ids):
    one indexed scan instead of a list of thousands of ids; rows of others in the range are skipped."""
    ids = list(employee_ids)
    return AttendanceRecord.objects.filter(
        employee_id__gte=min(ids), employee_id__lte=max(ids), date__gte=cal.month, date__lte=month_end(cal.month),
    ).values_list("employee_id", "date", "status", "check_in", "check_out", "attended_assembly") if ids else []


def _day_counts(employee_ids, cal: WorkCalendar) -> tuple[dict[int, dict[str, int]], list[tuple]]:
    """(days per status on working dates per employee, the present rows that may hold a finding). A present
    row checked in by the start, out after the end and not missing the assembly can only be plain presence,
    so only the other rows travel; `_judge` decides about those."""
    from django.db import connection

    ids = list(employee_ids)
    working = cal.working_dates
    if not ids or not working:
        return {}, []
    table = AttendanceRecord._meta.db_table
    # weekday (ISO, 1 = Monday) -> hours, inlined as literals of the region's own calendar
    starts = " ".join(f"WHEN {weekday + 1} THEN TIME '{start.isoformat()}'" for weekday, (start, _e) in cal.hours.items())
    ends = " ".join(f"WHEN {weekday + 1} THEN TIME '{end.isoformat()}'" for weekday, (_s, end) in cal.hours.items())
    scope = "employee_id BETWEEN %s AND %s AND date = ANY(%s)"
    params = [min(ids), max(ids), working]
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT employee_id, status, count(*) FROM {table} WHERE {scope} GROUP BY employee_id, status",
                       params)
        for employee_id, status, number in cursor.fetchall():
            counts[employee_id][status] = number
        cursor.execute(
            f"SELECT employee_id, date, check_in, check_out, attended_assembly FROM {table} WHERE {scope} "
            f"AND status = 'present' AND (check_in IS NULL OR check_out IS NULL OR attended_assembly = false "
            f"OR check_in > (CASE EXTRACT(ISODOW FROM date)::int {starts} END) "
            f"OR check_out < (CASE EXTRACT(ISODOW FROM date)::int {ends} END))", params)
        rows = cursor.fetchall()
    return counts, rows


def approved_leave(employee_ids, cal: WorkCalendar) -> dict[int, dict[datetime.date, str]]:
    """Approved leave on the month's working days, per employee id: {date: kind}."""
    working = set(cal.working_dates)
    found = leave.leave_by_day(employee_ids, cal.month, month_end(cal.month))
    return {employee_id: {day: kind for day, kind in days.items() if day in working}
            for employee_id, days in found.items()}


def _approved_leave_not_recorded(on_leave: dict[int, dict[datetime.date, str]]) -> tuple[dict[int, int], dict[int, int]]:
    """Working days of approved leave that the attendance records leave absent (no record, or one saying
    absent): they count as leave (sick days as sick), not as absences. A day recorded present, on duty or
    already as leave stays as recorded."""
    if not any(on_leave.values()):
        return {}, {}
    dates = sorted({day for days in on_leave.values() for day in days})
    recorded = {(e, d): s for e, d, s in AttendanceRecord.objects.filter(
        employee_id__in=list(on_leave), date__in=dates).values_list("employee_id", "date", "status")}
    extra_leave: dict[int, int] = defaultdict(int)
    extra_sick: dict[int, int] = defaultdict(int)
    for employee_id, days in on_leave.items():
        for day, kind in days.items():
            if recorded.get((employee_id, day), AttendanceStatus.ABSENT) != AttendanceStatus.ABSENT:
                continue
            (extra_sick if kind == LeaveKind.SICK else extra_leave)[employee_id] += 1
    return extra_leave, extra_sick


def leave_taken(on_leave: dict[int, dict[datetime.date, str]]) -> dict[int, dict[str, int]]:
    """The month's approved leave as working days per kind, per employee id (what a plugin is told)."""
    taken: dict[int, dict[str, int]] = {}
    for employee_id, days in on_leave.items():
        for kind in days.values():
            taken.setdefault(employee_id, {}).setdefault(kind, 0)
            taken[employee_id][kind] += 1
    return taken


def attendance_summaries(employee_ids, cal: WorkCalendar,
                         on_leave: dict[int, dict[datetime.date, str]] | None = None) -> dict[int, AttendanceSummary]:
    """Every employee's summary of the month, from two queries whatever their number (a third and a fourth for approved leave): days per status,
    and the present days that may be late, early or without the assembly (judged by `_judge`; identical
    days are judged once)."""
    working_days = len(cal.working_dates)
    counts, rows = _day_counts(employee_ids, cal)
    judged: dict[tuple, tuple] = {}
    late: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    early: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    assemblies: dict[int, int] = defaultdict(int)
    for employee_id, day, check_in, check_out, assembly in rows:
        key = (cal.hours[day.weekday()], AttendanceStatus.PRESENT, check_in, check_out, assembly)
        findings = judged.get(key)
        if findings is None:
            findings = judged[key] = _judge(*key)
        for kind, number, _minutes in findings:
            if kind == "late":
                late[employee_id][number - 1] += 1
            elif kind == "early_leave":
                early[employee_id][number - 1] += 1
            elif kind == "missed_assembly":
                assemblies[employee_id] += 1
    none = {}
    summaries = {}
    extra_leave, extra_sick = _approved_leave_not_recorded(
        approved_leave(employee_ids, cal) if on_leave is None else on_leave)
    for employee_id in employee_ids:
        days = counts.get(employee_id, none)
        present = days.get(AttendanceStatus.PRESENT, 0)
        leave = days.get(AttendanceStatus.LEAVE, 0) + extra_leave.get(employee_id, 0)
        sick = days.get(AttendanceStatus.SICK, 0) + extra_sick.get(employee_id, 0)
        duty = days.get(AttendanceStatus.OFFICIAL_DUTY, 0)
        summaries[employee_id] = AttendanceSummary(
            working_days=working_days, days_present=present,
            absent_without_reason=working_days - present - leave - sick - duty,
            late=tuple(late[employee_id]) if employee_id in late else (0, 0, 0, 0),
            early_leave=tuple(early[employee_id]) if employee_id in early else (0, 0, 0, 0),
            leave_days=leave, sick_days=sick, official_duty_days=duty, missed_assemblies=assemblies.get(employee_id, 0))
    return summaries


def attendance_findings(employee_id: int, month: datetime.date) -> list[DayFinding]:
    """One employee's month day by day (for the explanation): every finding that is not plain presence."""
    cal = work_calendar(month)
    days = {day: (status, ci, co, ap) for _e, day, status, ci, co, ap in _records([employee_id], cal)}
    found = []
    for day in cal.working_dates:
        record = days.get(day, (None, None, None, None))
        found.extend(f for f in judge_day(day, cal.hours[day.weekday()], *record) if f.kind != "present")
    return found


def effective_end():
    """When a rating's period ended: its period's last day, or 31 December of its year for an annual one."""
    return Coalesce("period__ends_on", Func(F("plan__appraisal_year__year"), Value(12), Value(31),
                                            function="make_date", output_field=DateField()))


def appraisal_results(employee_ids, month: datetime.date,
                      delivered_by: datetime.datetime | None = None) -> dict[int, AppraisalResult]:
    """The delivered rating in force for each employee who has one (delivered by `delivered_by` when
    given), from one query."""
    last_day = month_end(month_start(month))
    ids = list(employee_ids)
    if not ids:
        return {}
    wanted = set(ids)
    delivered = Rating.objects.filter(delivered_at__isnull=False)
    if delivered_by is not None:
        delivered = delivered.filter(delivered_at__lte=delivered_by)
    rows = (delivered.filter(plan__employee_id__gte=min(ids), plan__employee_id__lte=max(ids))
            .annotate(effective_end=effective_end()).filter(effective_end__lte=last_day)
            .order_by("plan__employee_id", "-effective_end", "period_id")
            .distinct("plan__employee_id")
            .values_list("plan__employee_id", "predicate", "work_result", "behaviour"))
    return {employee_id: AppraisalResult(predikat=PREDIKAT_NAMES[predicate], work_result=LEVEL_NAMES[work_result],
                                         behaviour=LEVEL_NAMES[behaviour])
            for employee_id, predicate, work_result, behaviour in rows if employee_id in wanted}


SEVERITY_WORDS = {"light": "ringan", "medium": "sedang", "heavy": "berat"}
# How a decision is written on a slip; other categories are shown as recorded.
CATEGORY_WORDS = {"verbal_warning": "teguran lisan", "written_warning": "teguran tertulis",
                  "statement_of_dissatisfaction": "pernyataan tidak puas"}


def _as_sanction(item) -> Sanction:
    """A plugin's Sanction from the appraisal app's plain record (category, severity, percent, months)."""
    if isinstance(item, Sanction):
        return item
    category = str(item["category"])
    return Sanction(kind=CATEGORY_WORDS.get(category, category.replace("_", " ")),
                    severity=SEVERITY_WORDS.get(item["severity"], item["severity"]),
                    percent=Decimal(str(item["percent"])), months=int(item["duration_months"]))


def sanctions_in_force(employee_ids, month: datetime.date) -> dict[int, tuple[Sanction, ...]]:
    """Sanctions in force during the month, per employee id, through the appraisal app's selector."""
    found = selectors.sanctions_in_force(list(employee_ids), month_start(month))
    return {employee_id: tuple(_as_sanction(s) for s in items) for employee_id, items in found.items() if items}


REWARD_WORDS = {"incentive": "insentif", "certificate": "piagam penghargaan"}


def rewards_in_force(employee_ids, month: datetime.date) -> dict[int, tuple[Reward, ...]]:
    """Rewards in force during the month, per employee id, through the appraisal app's selector."""
    found = selectors.rewards_in_force(list(employee_ids), month_start(month))
    return {employee_id: tuple(Reward(kind=REWARD_WORDS.get(str(r["category"]), str(r["category"]).replace("_", " ")),
                                      percent=Decimal(str(r["percent"])), months=int(r["duration_months"]))
                               for r in items)
            for employee_id, items in found.items() if items}


@dataclass(frozen=True)
class EmployeeFacts:
    id: int
    nip: str
    full_name: str
    employee_type: str
    rank: str
    position_class: int
    position_title: str
    unit_name: str
    status: str = "active"


EMPLOYEE_FIELDS = ("id", "nip", "full_name", "employee_type", "rank", "position__position_class",
                   "position__title", "unit__name", "status")


def employee_facts(employee_ids, month: datetime.date | None = None) -> list[EmployeeFacts]:
    """The employees as pay reads them; with `month`, the position, unit and rank in force on its first
    day (a promotion effective in the middle of a month is paid from the next month)."""
    ids = list(employee_ids)
    if not ids:
        return []
    wanted = set(ids)
    found = [EmployeeFacts(*row) for row in Employee.objects.filter(pk__gte=min(ids), pk__lte=max(ids))
             .order_by("pk").values_list(*EMPLOYEE_FIELDS) if row[0] in wanted]
    if month is None:
        return found
    in_force = career.state_on(ids, month_start(month))
    return [replace(f, position_class=s.position_class, position_title=s.position_title, unit_name=s.unit_name,
                    rank=s.rank) if (s := in_force.get(f.id)) else f for f in found]


def service_targets(employee_ids, month: datetime.date) -> dict[int, tuple[int, int]]:
    """(requests due, completed on time) of the month per employee who has a record, from one query."""
    ids = list(employee_ids)
    if not ids:
        return {}
    wanted = set(ids)
    rows = ServiceTarget.objects.filter(employee_id__gte=min(ids), employee_id__lte=max(ids),
                                        month=month_start(month)).values_list("employee_id", "targets", "met_on_time")
    return {employee_id: (targets, met) for employee_id, targets, met in rows if employee_id in wanted}


def with_service_targets(appraisal: AppraisalResult | None, targets: tuple[int, int] | None) -> AppraisalResult | None:
    """The appraisal result carrying the month's public-service targets, where the plugin boundary puts
    them. Without an appraisal result there is nowhere to carry them."""
    if appraisal is None or targets is None:
        return appraisal
    return replace(appraisal, service_targets=targets[0], service_targets_met_on_time=targets[1])


def pay_inputs(facts: list[EmployeeFacts], cal: WorkCalendar, region_config: dict,
               delivered_by: datetime.datetime | None = None) -> dict[int, PayInput]:
    """The PayInput of every employee in `facts`: five queries whatever their number (six when someone is on leave). Ratings count
    when delivered (by `delivered_by` when given)."""
    ids = [f.id for f in facts]
    on_leave = approved_leave(ids, cal)
    attendance = attendance_summaries(ids, cal, on_leave)
    appraisals = appraisal_results(ids, cal.month, delivered_by)
    sanctions = sanctions_in_force(ids, cal.month)
    targets = service_targets(ids, cal.month)
    rewards = rewards_in_force(ids, cal.month)
    taken = leave_taken(on_leave)
    return {f.id: PayInput(employee_id=f.nip, position_class=f.position_class, employee_type=f.employee_type,
                           rank=f.rank, attendance=attendance[f.id],
                           appraisal=with_service_targets(appraisals.get(f.id), targets.get(f.id)),
                           sanctions=sanctions.get(f.id, ()), region_config=region_config,
                           leave=taken.get(f.id, {}), employment_status=f.status, rewards=rewards.get(f.id, ()),
                           service_targets=targets.get(f.id, (0, 0))[0],
                           service_targets_met_on_time=targets.get(f.id, (0, 0))[1])
            for f in facts}


def input_record(pay_input: PayInput) -> dict:
    """The PayInput as stored with the result (plain JSON), so the result explains itself later."""
    a = pay_input.attendance
    appraisal = pay_input.appraisal
    return {
        "attendance": {"working_days": a.working_days, "days_present": a.days_present,
                       "absent_without_reason": a.absent_without_reason, "late": list(a.late),
                       "early_leave": list(a.early_leave), "leave_days": a.leave_days, "sick_days": a.sick_days,
                       "official_duty_days": a.official_duty_days, "missed_assemblies": a.missed_assemblies},
        "appraisal": None if appraisal is None else {
            "predikat": appraisal.predikat, "work_result": appraisal.work_result, "behaviour": appraisal.behaviour,
            "service_targets": appraisal.service_targets,
            "service_targets_met_on_time": appraisal.service_targets_met_on_time},
        "sanctions": [{"kind": s.kind, "severity": s.severity, "percent": str(s.percent), "months": s.months}
                      for s in pay_input.sanctions],
        "leave": dict(pay_input.leave),
        "employment_status": pay_input.employment_status,
        "rewards": [{"kind": r.kind, "percent": str(r.percent), "months": r.months} for r in pay_input.rewards],
        "service_targets": {"targets": pay_input.service_targets,
                            "met_on_time": pay_input.service_targets_met_on_time},
    }
