"""Pay run throughput: a region of 10,000 employees with a month of attendance (about one day in twenty
absent, one in eight late, one in twelve leaving early), annual ratings and some sanctions, on the
Bukittinggi plugin. Times the run end to end (the checks before computing, inputs gathered, computed,
stored) as HR's start and the background task do it, and prints employees per second.

    python benchmarks/payrun.py [--employees 10000] [--chunk 1000] [--repeat 3]

The run is computed --repeat times (reset to draft in between); the best and the median are printed, as
the machine may be busy with other work.
"""
from __future__ import annotations

import argparse
import datetime
import statistics
import time

from _setup import fresh_database

MONTH = datetime.date(2025, 3, 1)


def build_region(employees: int):
    from tenants.services import OnboardingRequest, onboard_region

    onboard_region(OnboardingRequest(name="Kota Uji Bukittinggi", slug="bench", kind="kota", region_code="13.99",
                                     province="Sumatera Barat", time_zone="Asia/Jakarta",
                                     admin_email="admin@bench.go.id", admin_name="Admin"))
    return fill_region("bench", employees)


def fill_region(schema: str, employees: int):
    """A region's people, ratings, sanctions and a month of attendance, on the Bukittinggi plugin; returns
    its HR admin and the number of attendance records."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone
    from django_tenants.utils import schema_context
    from kinerja.appraisal.models import AppraisalYear, Rating, RewardSanction, SkpPlan
    from kinerja.pay.models import AttendanceRecord
    from kinerja.people.models import Employee, Position, PositionKind, Unit

    with schema_context(schema):
        User = get_user_model()
        hr = User.objects.create(username="bench-hr", role="hr_admin", full_name="HR")
        from kinerja.plugins.services import enabled_plugin_names, set_plugin_enabled
        from kinerja_plugin_api.host import get_host

        for name in enabled_plugin_names():
            if get_host().implements(name, "kinerja_compute_pay") and name != "kinerja-tpp-bukittinggi":
                set_plugin_enabled(name, False, actor=hr)
        if "kinerja-tpp-bukittinggi" not in enabled_plugin_names():
            set_plugin_enabled("kinerja-tpp-bukittinggi", True, actor=hr)
        units = [Unit.objects.create(code=f"OPD{n}", name=f"Dinas {n}") for n in range(20)]
        positions = [Position.objects.create(code=f"J{c}", title=f"Jabatan kelas {c}", kind=PositionKind.EXECUTIVE,
                                             position_class=c) for c in range(1, 18)]
        people = Employee.objects.bulk_create([
            Employee(nip=f"19850101201001{n:04d}"[:14] + f"{n:04d}", employee_type="PNS", full_name=f"Pegawai {n}",
                     gender="M" if n % 2 else "F", birth_date="1985-01-01", rank="III/a", unit=units[n % 20],
                     position=positions[n % 17]) for n in range(employees)], batch_size=5000)
        year = AppraisalYear.objects.create(year=2024, cadence="quarterly")
        plans = SkpPlan.objects.bulk_create([
            SkpPlan(employee=e, appraisal_year=year, appraiser=e, unit=e.unit, status="approved") for e in people],
            batch_size=5000)
        predicates = [("above", "above", "sangat_baik"), ("as_expected", "as_expected", "baik"),
                      ("below", "as_expected", "butuh_perbaikan"), ("above", "below", "kurang")]
        delivered = timezone.now()  # pay reads delivered ratings only
        Rating.objects.bulk_create([Rating(plan=p, work_result=predicates[n % 4][0], behaviour=predicates[n % 4][1],
                                           predicate=predicates[n % 4][2], delivered_at=delivered)
                                    for n, p in enumerate(plans)], batch_size=5000)
        RewardSanction.objects.bulk_create([
            RewardSanction(employee=e, kind="sanction", category="verbal_warning", severity="light",
                           starts_on=MONTH, duration_months=1, ends_on=datetime.date(2025, 3, 31), percent=10)
            for e in people[::50]])
        records = []
        for n, employee in enumerate(people):
            day = MONTH
            while day.month == MONTH.month:
                if day.weekday() < 5 and (n + day.day) % 20:  # about one working day in twenty absent
                    spread = (n * 7 + day.day * 3) % 97
                    # about one day in eight late (1 to 119 minutes), one in twelve leaving early
                    late = 31 + spread if spread % 8 == 0 else 10 + spread % 20
                    records.append(AttendanceRecord(
                        employee=employee, date=day, check_in=datetime.time(7 + late // 60, late % 60),
                        check_out=datetime.time(15, 20) if (n + day.day) % 12 == 0 else datetime.time(16, 40)))
                day += datetime.timedelta(days=1)
        AttendanceRecord.objects.bulk_create(records, batch_size=10000)
        with connection.cursor() as cursor:  # planner statistics, as autovacuum keeps them in a live region
            cursor.execute("ANALYZE")
        return hr, len(records)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--chunk", type=int, default=None, help="employees per committed chunk (default: the region setting)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the same month, one after another")
    args = parser.parse_args()
    fresh_database("kinerja_bench_payrun")

    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django_tenants.utils import schema_context

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    hr, records = build_region(args.employees)
    print(f"setup: {args.employees} employees, {records} attendance records in {time.perf_counter() - started:.1f} s")

    from kinerja.pay import inputs, services
    from kinerja.pay.models import PayLine

    with schema_context("bench"):
        run = services.create_run(month=MONTH, actor=hr)
        rates = []
        for attempt in range(args.repeat):
            if attempt:
                run = services.reset_run(run, actor=hr, reason="benchmark: the same month again")
            started = time.perf_counter()
            services.start_run(run, actor=hr, enqueue=False, reason="benchmark: no bank accounts")
            run = services.compute_run(run.pk, chunk_size=args.chunk)
            elapsed = time.perf_counter() - started
            rates.append(run.processed / elapsed)
            lines = PayLine.objects.filter(result__run=run).count()
            print(f"pay run end to end: {run.processed} employees, {lines} lines, total take-home "
                  f"Rp{run.total_net:,} in {elapsed:.2f} s = {rates[-1]:,.0f} employees per second "
                  f"(chunks of {args.chunk or services.pay_settings().chunk_size}, status {run.status})")
        if len(rates) > 1:
            print(f"best {max(rates):,.0f}, median {statistics.median(rates):,.0f} employees per second "
                  f"over {len(rates)} runs")

        # where the time goes, for one chunk-sized slice of the same work
        ids = run.employee_ids[:args.chunk or services.pay_settings().chunk_size]
        cal = inputs.work_calendar(MONTH)
        connection.force_debug_cursor = True
        reset_queries()
        t0 = time.perf_counter()
        facts = inputs.employee_facts(ids)
        found = inputs.pay_inputs(facts, cal, {})
        t1 = time.perf_counter()
        calculator = services._calculator_for(run)
        for fact in facts:
            calculator.compute(found[fact.id], MONTH)
        t2 = time.perf_counter()
        queries = len(connection.queries)
        connection.force_debug_cursor = False
        print(f"per {len(ids)} employees: inputs {1000 * (t1 - t0):.0f} ms in {queries} queries, "
              f"plugin {1000 * (t2 - t1):.0f} ms")
        # the checks before computing (part of every run above, as start_run makes them), on their own
        from kinerja.pay import checks

        t0 = time.perf_counter()
        findings = checks.before_run(MONTH, run.plugin_name)
        print(f"checks before computing, whole region: {1000 * (time.perf_counter() - t0):.0f} ms "
              f"({', '.join(f'{f.code} {f.count}' for f in findings) or 'no gaps'})")


if __name__ == "__main__":
    main()
