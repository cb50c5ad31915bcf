"""Departures HR must prepare ahead of time: retirement at the age limit of the position (BUP) and the end
of a PPPK contract.

The age limit is the position's (`Position.retirement_age`: 58 for administrators and most functional
positions, 60 for senior leaders (JPT) and some functional ones, 65 for some senior functional ones);
a position that does not say takes 60 when it is a structural post of class 14 or more (the JPT posts
of a region) and 58 otherwise. Those are defaults for HR to correct per position, not rules. Retirement
takes effect on the first day of the month after the month the age is reached (the pension's TMT).

A daily task (fanned out to every region) tells the region's HR about each employee whose retirement
falls within `RETIREMENT_NOTICE_DAYS` or whose contract ends within `CONTRACT_NOTICE_DAYS`, once per
person and date (the notification's event key), and the HR dashboard lists them in its next steps.
Employees still active after the date are listed too: their record was not updated."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q

from kinerja.notifications.services import notify_each, page, users_holding
from kinerja.people.models import Employee, EmployeeStatus, EmployeeType, Position, PositionKind
from kinerja.region import facts

DEFAULT_RETIREMENT_AGE = 58
LOWEST_RETIREMENT_AGE, HIGHEST_RETIREMENT_AGE = 50, 70  # what a position may say (services._validate_position)
SENIOR_LEADER_RETIREMENT_AGE = 60
SENIOR_LEADER_CLASS = 14
RETIREMENT_NOTICE_DAYS = 365  # a pension is proposed about a year ahead
CONTRACT_NOTICE_DAYS = 90  # time to renew or end a PPPK contract

RETIREMENT, CONTRACT_END = "retirement", "contract_end"


def retirement_age(position: Position) -> int:
    if position.retirement_age:
        return position.retirement_age
    if position.kind == PositionKind.STRUCTURAL and position.position_class >= SENIOR_LEADER_CLASS:
        return SENIOR_LEADER_RETIREMENT_AGE
    return DEFAULT_RETIREMENT_AGE


def retirement_date(birth_date: datetime.date, age: int) -> datetime.date:
    """The first day of the month after the month in which `age` is reached."""
    year, month = birth_date.year + age, birth_date.month
    return datetime.date(year + month // 12, month % 12 + 1, 1)


@dataclass(frozen=True)
class Departure:
    employee: Employee
    kind: str  # RETIREMENT or CONTRACT_END
    on: datetime.date
    age: int | None = None

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.employee.pk}:{self.on.isoformat()}"


def upcoming_departures(today: datetime.date | None = None) -> list[Departure]:
    """Active employees retiring within the notice or whose PPPK contract ends within it (or whose date
    passed while they are still active), soonest first. One query."""
    today = today or facts.today()
    horizon = today + datetime.timedelta(days=RETIREMENT_NOTICE_DAYS)

    def born_before(age: int) -> datetime.date:
        # retirement (first of the month after the birthday) falls by the horizon exactly when born before this
        return datetime.date(horizon.year - age, horizon.month, 1)

    retiring = Q(position__retirement_age__isnull=True, birth_date__lt=born_before(DEFAULT_RETIREMENT_AGE))
    for age in range(LOWEST_RETIREMENT_AGE, HIGHEST_RETIREMENT_AGE + 1):
        retiring |= Q(position__retirement_age=age, birth_date__lt=born_before(age))
    contract_by = today + datetime.timedelta(days=CONTRACT_NOTICE_DAYS)
    employees = (Employee.objects.filter(status=EmployeeStatus.ACTIVE)
                 .filter(retiring | Q(employee_type=EmployeeType.PPPK, contract_ends_on__lte=contract_by))
                 .select_related("unit", "position").order_by("pk"))
    found = []
    for employee in employees:
        age = retirement_age(employee.position)
        retires_on = retirement_date(employee.birth_date, age)
        if retires_on <= horizon:
            found.append(Departure(employee, RETIREMENT, retires_on, age))
        if (employee.employee_type == EmployeeType.PPPK and employee.contract_ends_on
                and employee.contract_ends_on <= contract_by and employee.contract_ends_on < retires_on):
            found.append(Departure(employee, CONTRACT_END, employee.contract_ends_on))
    return sorted(found, key=lambda departure: (departure.on, departure.employee.full_name))


def notify_upcoming_departures(today: datetime.date | None = None) -> int:
    """Tell the region's HR (people.manage) about each upcoming departure, once per person and date.
    Returns the notifications written."""
    departures = upcoming_departures(today)
    if not departures:
        return 0
    recipients = list(users_holding("people.manage"))
    written = 0
    for departure in departures:
        written += len(notify_each("people.departure", [
            (user, {"employee": departure.employee.full_name, "nip": departure.employee.nip,
                    "event": departure.kind, "date": departure.on.isoformat()},
             page("people:employee-detail", departure.employee.pk)) for user in recipients],
            event_key=departure.key))
    return written
