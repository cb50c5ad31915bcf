"""Everything a pay run reads about its employees, gathered in bulk: one query per kind of input for a
whole chunk of employees, never one per employee.

Attendance is judged here, in the region's local time (records hold local wall-clock times):
- a working day is a weekday with working hours that is not a holiday;
- lateness (TL) is check-in after the day's start, early leave (PSW) check-out before its end, in whole
  minutes (seconds are dropped), in brackets 1-30, 31-60, 61-90 and more than 90 minutes;
- a present day without a check-in counts as TL4 and one without a check-out as PSW4 (nothing shows
  when the employee came or went);
- a working day with no record, or recorded as absent, is an absence without reason.

Appraisal results come from the appraisal app's models: the latest rating whose period ended by the end
of the month paid (an annual rating counts as ending on 31 December). Sanctions come from the appraisal
app's `sanctions_in_force` selector when it exists."""
from __future__ import annotations

import calendar as calendar_module
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DateField, F, Func, Value
from django.db.models.functions import Coalesce

from kinerja.pay.models import AttendanceRecord, AttendanceStatus, Holiday, WorkingDay
from kinerja.plugins.types import AppraisalResult, AttendanceSummary, PayInput, Sanction

BRACKET_LIMITS = (30, 60, 90)  # upper minutes of brackets 1..3; bracket 4 is anything longer
PREDIKAT_NAMES = {"sangat_baik": "Sangat Baik", "baik": "Baik", "butuh_perbaikan": "Butuh Perbaikan",
                  "kurang": "Kurang", "sangat_kurang": "Sangat Kurang"}
LEVEL_NAMES = {"above": "Di Atas Ekspektasi", "as_expected": "Sesuai Ekspektasi", "below": "Di Bawah Ekspektasi"}


def month_start(value: datetime.date) -> datetime.date:
    return value.replace(day=1)


def month_end(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar_module.monthrange(month.year, month.month)[1])


def next_month(month: datetime.date) -> datetime.date:
    return (month_end(month) + datetime.timedelta(days=1))


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
class WorkCalendar:
    """The region's working days and hours in one month."""

    month: datetime.date
    hours: dict[int, tuple[datetime.time, datetime.time]]  # weekday -> (start, end)
    holidays: dict[datetime.date, str]

    @property
    def working_dates(self) -> list[datetime.date]:
        days = []
        day = self.month
        while day.month == self.month.month:
            if day.weekday() in self.hours and day not in self.holidays:
                days.append(day)
            day += datetime.timedelta(days=1)
        return days


def work_calendar(month: datetime.date) -> WorkCalendar:
    month = month_start(month)
    hours = {row.weekday: (row.starts_at, row.ends_at) for row in WorkingDay.objects.filter(is_working=True)}
    holidays = dict(Holiday.objects.filter(date__gte=month, date__lte=month_end(month)).values_list("date", "name"))
    return WorkCalendar(month, hours, holidays)


@dataclass(frozen=True)
class DayFinding:
    """What one working day counts for: kind is one of present, absent, leave, sick, official_duty,
    late, early_leave, missed_assembly; bracket and minutes for late and early_leave."""

    date: datetime.date
    kind: str
    bracket: int = 0
    minutes: int | None = None


def judge_day(day: datetime.date, hours: tuple[datetime.time, datetime.time], status: str | None,
              check_in: datetime.time | None, check_out: datetime.time | None,
              attended_assembly: bool | None) -> list[DayFinding]:
    """The findings of one working day; `status` None means there is no record of the day."""
    if status is None or status == AttendanceStatus.ABSENT:
        return [DayFinding(day, "absent")]
    if status != AttendanceStatus.PRESENT:
        return [DayFinding(day, status)]
    found = [DayFinding(day, "present")]
    start, end = hours
    if check_in is None:
        found.append(DayFinding(day, "late", 4))
    else:
        late = (_seconds(check_in) - _seconds(start)) // 60
        if bracket(late):
            found.append(DayFinding(day, "late", bracket(late), late))
    if check_out is None:
        found.append(DayFinding(day, "early_leave", 4))
    else:
        early = (_seconds(end) - _seconds(check_out)) // 60
        if bracket(early):
            found.append(DayFinding(day, "early_leave", bracket(early), early))
    if attended_assembly is False:
        found.append(DayFinding(day, "missed_assembly"))
    return found


@dataclass
class _Tally:
    present: int = 0
    absent: int = 0
    leave: int = 0
    sick: int = 0
    official_duty: int = 0
    assemblies: int = 0
    late: list[int] = field(default_factory=lambda: [0, 0, 0, 0])
    early: list[int] = field(default_factory=lambda: [0, 0, 0, 0])

    def add(self, finding: DayFinding) -> None:
        kind = finding.kind
        if kind == "late":
            self.late[finding.bracket - 1] += 1
        elif kind == "early_leave":
            self.early[finding.bracket - 1] += 1
        elif kind == "missed_assembly":
            self.assemblies += 1
        else:
            setattr(self, kind, getattr(self, kind) + 1)

    def summary(self, working_days: int) -> AttendanceSummary:
        return AttendanceSummary(working_days=working_days, days_present=self.present,
                                 absent_without_reason=self.absent, late=tuple(self.late),
                                 early_leave=tuple(self.early), leave_days=self.leave, sick_days=self.sick,
                                 official_duty_days=self.official_duty, missed_assemblies=self.assemblies)


def _records(employee_ids, cal: WorkCalendar):
    return AttendanceRecord.objects.filter(
        employee_id__in=list(employee_ids), date__gte=cal.month, date__lte=month_end(cal.month),
    ).values_list("employee_id", "date", "status", "check_in", "check_out", "attended_assembly")


def attendance_summaries(employee_ids, cal: WorkCalendar) -> dict[int, AttendanceSummary]:
    """Every employee's summary of the month, from one query."""
    working = cal.working_dates
    working_set = set(working)
    by_employee: dict[int, dict] = defaultdict(dict)
    for employee_id, day, status, check_in, check_out, assembly in _records(employee_ids, cal):
        if day in working_set:
            by_employee[employee_id][day] = (status, check_in, check_out, assembly)
    hours = cal.hours
    summaries = {}
    for employee_id in employee_ids:
        days = by_employee.get(employee_id, {})
        tally = _Tally()
        for day in working:
            record = days.get(day)
            for finding in (judge_day(day, hours[day.weekday()], *record) if record
                            else judge_day(day, hours[day.weekday()], None, None, None, None)):
                tally.add(finding)
        summaries[employee_id] = tally.summary(len(working))
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


def appraisal_results(employee_ids, month: datetime.date) -> dict[int, AppraisalResult]:
    """The rating in force for each employee who has one, from one query."""
    from kinerja.appraisal.models import Rating

    last_day = month_end(month_start(month))
    effective_end = Coalesce("period__ends_on", Func(F("plan__appraisal_year__year"), Value(12), Value(31),
                                                     function="make_date", output_field=DateField()))
    rows = (Rating.objects.filter(plan__employee_id__in=list(employee_ids))
            .annotate(effective_end=effective_end).filter(effective_end__lte=last_day)
            .order_by("plan__employee_id", "-effective_end", "period_id")
            .distinct("plan__employee_id")
            .values_list("plan__employee_id", "predicate", "work_result", "behaviour"))
    return {employee_id: AppraisalResult(predikat=PREDIKAT_NAMES[predicate], work_result=LEVEL_NAMES[work_result],
                                         behaviour=LEVEL_NAMES[behaviour])
            for employee_id, predicate, work_result, behaviour in rows}


def _as_sanction(item) -> Sanction:
    if isinstance(item, Sanction):
        return item
    return Sanction(kind=str(item.kind), severity=str(item.severity), percent=Decimal(str(item.percent)),
                    months=int(item.months))


def sanctions_in_force(employee_ids, month: datetime.date) -> dict[int, tuple[Sanction, ...]]:
    """Sanctions in force during the month, per employee id, through the appraisal app's selector."""
    from kinerja.appraisal import selectors

    selector = getattr(selectors, "sanctions_in_force", None)
    if selector is None:
        return {}
    found = selector(list(employee_ids), month_start(month))
    return {employee_id: tuple(_as_sanction(s) for s in items) for employee_id, items in dict(found).items() if items}


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


EMPLOYEE_FIELDS = ("id", "nip", "full_name", "employee_type", "rank", "position__position_class",
                   "position__title", "unit__name")


def employee_facts(employee_ids) -> list[EmployeeFacts]:
    from kinerja.people.models import Employee

    return [EmployeeFacts(*row) for row in
            Employee.objects.filter(pk__in=list(employee_ids)).order_by("pk").values_list(*EMPLOYEE_FIELDS)]


def pay_inputs(facts: list[EmployeeFacts], cal: WorkCalendar, region_config: dict) -> dict[int, PayInput]:
    """The PayInput of every employee in `facts`: three queries whatever their number."""
    ids = [f.id for f in facts]
    attendance = attendance_summaries(ids, cal)
    appraisals = appraisal_results(ids, cal.month)
    sanctions = sanctions_in_force(ids, cal.month)
    return {f.id: PayInput(employee_id=f.nip, position_class=f.position_class, employee_type=f.employee_type,
                           rank=f.rank, attendance=attendance[f.id], appraisal=appraisals.get(f.id),
                           sanctions=sanctions.get(f.id, ()), region_config=region_config)
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
    }
