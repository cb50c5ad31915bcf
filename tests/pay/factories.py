"""What pay tests need beyond people: appraisal ratings, attendance files, the region's pay plugin and
computed runs. People come from tests.factories."""
from __future__ import annotations

import datetime

from kinerja.people.models import Employee


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
    services.start_run(run, actor=hr, enqueue=False, reason="Test data: not every input is complete.")
    run = services.compute_run(run.pk, chunk_size=chunk_size)
    if approve_with is not None:
        run = services.approve_run(run, actor=approve_with)
        if lock:
            run = services.lock_run(run, actor=hr)
    return run


def paid_staff_for_march(hr, unit) -> list[Employee]:
    """Twelve employees of the Bukittinggi pay plugin, eight of them rated in 2024, all with one attended
    day in March 2025: the staff a computed run of March is made of."""
    from kinerja.pay import attendance

    from tests.factories import make_employee

    use_pay_plugin("kinerja-tpp-bukittinggi", hr)
    people = [make_employee(unit, f"Pegawai {n}", position_class=5 + n % 8) for n in range(12)]
    for n, employee in enumerate(people[:8]):
        rate(employee, year=2024, work_result="above" if n % 3 else "below", behaviour="as_expected",
             predicate="baik" if n % 3 else "butuh_perbaikan")
    march = datetime.date(2025, 3, 1)
    for n, employee in enumerate(people):
        batch = attendance.preview_import(content=attendance_csv(employee.nip, march, {
            datetime.date(2025, 3, 3 + n % 4): (f"07:{40 + n}", "16:05", "HADIR")}), filename="a.csv", actor=hr)
        attendance.apply_import(batch, actor=hr)
    return people
