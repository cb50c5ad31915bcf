"""Building what pay tests need inside a region: employees with positions, logins, appraisal ratings,
attendance files and the region's pay plugin."""
from __future__ import annotations

import datetime
import itertools

from kinerja.accounts.models import Role
from kinerja.people.models import Employee, Position, PositionKind, Unit, UnitType

_sequence = itertools.count(1)


def make_user(role: str, username: str | None = None, full_name: str = ""):
    """A user in the current schema without a password (tests log in with force_login)."""
    from django.contrib.auth import get_user_model

    number = next(_sequence)
    user = get_user_model()(username=username or f"{role}-{number}", role=role, full_name=full_name or f"{role} {number}")
    user.set_unusable_password()
    user.save()
    return user


def make_unit(code: str, name: str, parent: Unit | None = None) -> Unit:
    unit = Unit.objects.create(code=code, name=name, unit_type=UnitType.DINAS, parent=parent)
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.save(update_fields=["path"])
    return unit


def make_employee(unit: Unit, name: str, *, position_class: int = 7, employee_type: str = "PNS",
                  rank: str = "III/a", supervisor: Employee | None = None, with_user: bool = True,
                  status: str = "active") -> Employee:
    number = next(_sequence)
    position = Position.objects.create(code=f"PAY-P{number}", title=f"Analis {number}", kind=PositionKind.EXECUTIVE,
                                       position_class=position_class)
    user = make_user(Role.EMPLOYEE, username=f"pay-emp{number}", full_name=name) if with_user else None
    return Employee.objects.create(
        nip=f"1980010120050{number:05d}"[:18], employee_type=employee_type, full_name=name, gender="M",
        birth_date="1980-01-01", rank=rank, unit=unit, position=position, supervisor=supervisor, user=user,
        status=status)


def rate(employee: Employee, *, year: int, work_result: str, behaviour: str, predicate: str,
         delivered: bool = True, period=None):
    """A rating of `year`: annual (in force from 31 December of that year) unless a `period` is given;
    delivered to the employee unless `delivered` is False."""
    from django.utils import timezone

    from kinerja.appraisal.models import AppraisalYear, Rating, SkpPlan

    appraisal_year, _created = AppraisalYear.objects.get_or_create(year=year, defaults={"cadence": "quarterly"})
    plan = SkpPlan.objects.filter(employee=employee, appraisal_year=appraisal_year).first() or SkpPlan.objects.create(
        employee=employee, appraisal_year=appraisal_year, appraiser=employee.supervisor or employee,
        unit=employee.unit, status="approved")
    return Rating.objects.create(plan=plan, period=period, work_result=work_result, behaviour=behaviour,
                                 predicate=predicate, delivered_at=timezone.now() if delivered else None)


def quarter(year: int, number: int):
    """Quarter `number` of `year` as an appraisal period."""
    from kinerja.appraisal.models import AppraisalPeriod, AppraisalYear

    appraisal_year, _created = AppraisalYear.objects.get_or_create(year=year, defaults={"cadence": "quarterly"})
    starts = datetime.date(year, 3 * number - 2, 1)
    ends = (datetime.date(year, 3 * number, 28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
    return AppraisalPeriod.objects.get_or_create(appraisal_year=appraisal_year, number=number, defaults={
        "starts_on": starts, "ends_on": ends, "opens_on": starts, "closes_on": ends + datetime.timedelta(days=10)})[0]


def use_pay_plugin(name: str, actor) -> None:
    """Make `name` the region's only enabled pay plugin, with its default settings."""
    from kinerja.plugins import services
    from kinerja_plugin_api.host import get_host

    host = get_host()
    for enabled in services.enabled_plugin_names():
        if enabled != name and host.implements(enabled, "kinerja_compute_pay"):
            services.set_plugin_enabled(enabled, False, actor=actor)
    if name not in services.enabled_plugin_names():
        services.set_plugin_enabled(name, True, actor=actor)


def working_dates(month: datetime.date, skip: set[datetime.date] = frozenset()) -> list[datetime.date]:
    days, day = [], month
    while day.month == month.month:
        if day.weekday() < 5 and day not in skip:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def attendance_csv(nip: str, month: datetime.date, special: dict[datetime.date, tuple], *,
                   skip: set[datetime.date] = frozenset()) -> bytes:
    """A machine export with a row per working day: on time unless `special` gives (in, out, status[, apel])
    for that day; a special value of None leaves the day out of the file."""
    lines = ["NIP;TANGGAL;JAM_MASUK;JAM_PULANG;STATUS;APEL"]
    for day in working_dates(month, skip):
        if day in special and special[day] is None:
            continue
        check_in, check_out, status, *assembly = special.get(
            day, ("07:25", "16:35" if day.weekday() == 4 else "16:05", "HADIR"))
        lines.append(f"{nip};{day:%d-%m-%Y};{check_in};{check_out};{status};{assembly[0] if assembly else 'Y'}")
    return ("\n".join(lines) + "\n").encode()


def computed_run(month, hr, *, approve_with=None, lock: bool = False, chunk_size: int | None = None):
    """A run of `month` computed in-process (and approved / locked when asked)."""
    from kinerja.pay import services

    run = services.create_run(month=month, actor=hr)
    services.start_run(run, actor=hr, enqueue=False)
    run = services.compute_run(run.pk, chunk_size=chunk_size)
    if approve_with is not None:
        run = services.approve_run(run, actor=approve_with)
        if lock:
            run = services.lock_run(run, actor=hr)
    return run
