"""Cross-region reports at national scale: 548 regions (every regional government) of 1,000 employees.

    python benchmarks/crossregion.py [--regions 548] [--employees 1000] [--workers 2] [--skip-celery]

Setup (timed separately): migrate, onboard every region through the onboarding service (its schema cloned
from the template), fill one source region with staff and a rated appraisal year through the ORM, copy
those rows into every other region with INSERT ... SELECT and vary the predicates per region.
Then it prints:
- a full refresh in this process (one region after another, the same services the tasks call);
- a full refresh through Celery: one task per region, sent from the region's schema, run by a real worker
  with `--workers` processes on a private folder broker;
- the national overview: the selector alone, and the whole /bkn/ page through the test client."""
from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _setup import ROOT, fresh_database

PROVINCES = [
    "Aceh", "Sumatera Utara", "Sumatera Barat", "Riau", "Jambi", "Sumatera Selatan", "Bengkulu", "Lampung",
    "Kepulauan Bangka Belitung", "Kepulauan Riau", "DKI Jakarta", "Jawa Barat", "Jawa Tengah", "DI Yogyakarta",
    "Jawa Timur", "Banten", "Bali", "Nusa Tenggara Barat", "Nusa Tenggara Timur", "Kalimantan Barat",
    "Kalimantan Tengah", "Kalimantan Selatan", "Kalimantan Timur", "Kalimantan Utara", "Sulawesi Utara",
    "Sulawesi Tengah", "Sulawesi Selatan", "Sulawesi Tenggara", "Gorontalo", "Sulawesi Barat", "Maluku",
    "Maluku Utara", "Papua", "Papua Barat", "Papua Selatan", "Papua Tengah", "Papua Pegunungan", "Papua Barat Daya",
]
# Tables copied from the source region, parents first.
COPIED_TABLES = ["people_unit", "people_position", "people_employee", "appraisal_appraisalyear",
                 "appraisal_appraisalperiod", "appraisal_skpplan", "appraisal_rating", "appraisal_unitrating"]


def populate_source(employees: int) -> None:
    """Staff and a rated 2025 (quarterly) in the current schema, through the ORM."""
    import datetime

    from django.contrib.auth import get_user_model

    from kinerja.appraisal import services as appraisal
    from kinerja.appraisal.models import Rating, SkpPlan, UnitRating
    from kinerja.people.models import PNS_RANKS, PPPK_GRADES, Employee, Position, PositionKind, Unit, UnitType

    rng = random.Random(7)
    unit_types = [t for t in UnitType.values]
    units = []
    for number in range(25):
        unit = Unit.objects.create(code=f"U{number:02d}", name=f"Unit {number:02d}", unit_type=unit_types[number % len(unit_types)],
                                   parent=units[number % 5] if number >= 5 else None)
        unit.path = f"{unit.parent.path if unit.parent else '/'}{unit.pk}/"
        unit.save(update_fields=["path"])
        units.append(unit)
    positions = [Position.objects.create(code=f"P{kind}{cls}", title=f"{kind} {cls}", kind=kind, position_class=cls)
                 for kind in PositionKind.values for cls in range(1, 18)]
    staff = []
    for number in range(employees):
        pppk = rng.random() < 0.15
        staff.append(Employee(
            nip=f"1980{number % 12 + 1:02d}{number % 28 + 1:02d}2005011{number:03d}"[:14] + f"{number % 2 + 1}{number % 1000:03d}",
            employee_type="PPPK" if pppk else "PNS", full_name=f"Pegawai {number}", gender="F" if number % 2 else "M",
            birth_date=datetime.date(1980, 1, 1), rank=rng.choice(PPPK_GRADES if pppk else PNS_RANKS),
            unit=rng.choice(units), position=rng.choice(positions),
            status="active" if rng.random() < 0.95 else rng.choice(["on_leave", "retired"])))
    staff = Employee.objects.bulk_create(staff)
    hr = get_user_model().objects.create(username="bench-hr", role="hr_admin")
    year = appraisal.create_appraisal_year(actor=hr, year=2025, cadence="quarterly")
    type(year).objects.filter(pk=year.pk).update(created_by=None)  # users are not copied to other regions
    plans = SkpPlan.objects.bulk_create([SkpPlan(employee=e, appraisal_year=year, appraiser=staff[0], unit=e.unit,
                                                 status="approved") for e in staff])
    predicates = ["sangat_baik"] * 2 + ["baik"] * 6 + ["butuh_perbaikan", "kurang"]
    periods = list(year.periods.all())
    Rating.objects.bulk_create([Rating(plan=p, period=period, work_result="as_expected", behaviour="as_expected",
                                       predicate=rng.choice(predicates))
                                for p in plans for period in [None, *periods]])
    UnitRating.objects.bulk_create([UnitRating(unit=u, appraisal_year=year, rating=rng.choice(["baik", "istimewa"]))
                                    for u in units[:10]])


def copy_source(cursor, source: str, target: str) -> None:
    for table in COPIED_TABLES:
        cursor.execute(f'INSERT INTO "{target}".{table} SELECT * FROM "{source}".{table}')
    # Each region its own distribution, so medians and comparisons have something to tell apart.
    cursor.execute(f"""UPDATE "{target}".appraisal_rating SET predicate = (ARRAY['sangat_baik','baik','baik',
        'butuh_perbaikan','kurang'])[1 + floor(random() * 5)::int] WHERE random() < %s""", [random.random() * 0.3])


def setup(regions: int, employees: int) -> list:
    from django.db import connection
    from django_tenants.utils import schema_context

    from tenants.services import OnboardingRequest, onboard_region

    created = []
    for number in range(regions):
        request = OnboardingRequest(
            name=f"{'Kota' if number % 5 == 0 else 'Kabupaten'} Uji {number}", slug=f"uji{number}",
            kind="kota" if number % 5 == 0 else "kabupaten",
            region_code=f"{11 + number % 38:02d}.{number // 38 + 1:02d}", province=PROVINCES[number % 38],
            time_zone="Asia/Jakarta", admin_email=f"admin{number}@uji.go.id", admin_name="Admin")
        region = onboard_region(request).region
        created.append(region)
        if number == 0:
            with schema_context(region.schema_name):
                populate_source(employees)
        else:
            with connection.cursor() as cursor:
                copy_source(cursor, created[0].schema_name, region.schema_name)
        if (number + 1) % 50 == 0:
            print(f"  ... {number + 1} regions ready", flush=True)
    return created


def celery_refresh(workers: int) -> tuple[float, object]:
    from kinerja.celery import app
    from kinerja.reports import services
    from kinerja.reports.models import RefreshRun

    folder = Path(tempfile.mkdtemp(prefix="kinerja-bench-broker-"))
    for name in ("queue", "processed", "control"):
        (folder / "broker" / name).mkdir(parents=True)
    options = {"data_folder_in": str(folder / "broker" / "queue"), "data_folder_out": str(folder / "broker" / "queue"),
               "processed_folder": str(folder / "broker" / "processed"), "store_processed": False,
               "control_folder": str(folder / "broker" / "control")}
    app.conf.broker_transport_options = options  # a private broker: no other worker sees these tasks
    env = {**os.environ, "KINERJA_DATA_DIR": str(folder), "CELERY_BROKER_URL": "filesystem://",
           "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}"}
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "kinerja", "worker", "--concurrency",
                               str(workers), "--loglevel", "WARNING", "--without-gossip", "--without-mingle"],
                              env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(8)  # let the worker start before the clock does
        started = time.perf_counter()
        run = services.start_refresh(trigger="manual")  # sends on commit (autocommit: at once)
        while True:
            time.sleep(0.5)
            run = RefreshRun.objects.get(pk=run.pk)
            if run.finished_at is not None:
                return time.perf_counter() - started, run
            if worker.poll() is not None:
                raise RuntimeError("the worker stopped:\n" + worker.stderr.read())
    finally:
        worker.terminate()
        worker.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--regions", type=int, default=548)
    parser.add_argument("--employees", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-celery", action="store_true")
    args = parser.parse_args()
    os.environ["KINERJA_SPARE_SCHEMAS"] = "0"  # onboard by cloning; no background refill of a spare pool
    fresh_database("kinerja_bench_crossregion")

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kinerja.accounts.models import Role
    from kinerja.reports import selectors, services

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    regions = setup(args.regions, args.employees)
    print(f"setup: {len(regions)} regions of {args.employees} employees in {time.perf_counter() - started:.0f} s")

    started = time.perf_counter()
    run = services.refresh_in_process()
    elapsed = time.perf_counter() - started
    durations = [p.duration_ms for p in run.regions.all() if p.duration_ms is not None]
    print(f"full refresh in process: {elapsed:.1f} s for {len(durations)} regions "
          f"(status {run.status}; per region median {statistics.median(durations)} ms, worst {max(durations)} ms)")

    if not args.skip_celery:
        elapsed, run = celery_refresh(args.workers)
        parts = run.regions.all()
        print(f"full refresh through Celery ({args.workers} worker processes): {elapsed:.1f} s, "
              f"status {run.status}, {sum(p.status == 'done' for p in parts)} done, "
              f"{sum(p.status == 'failed' for p in parts)} failed")

    timings = []
    for _ in range(7):
        started = time.perf_counter()
        data = selectors.overview()
        rows = selectors.region_rows()
        timings.append(time.perf_counter() - started)
    print(f"national overview selectors (sums, medians, {len(rows)} region rows): median "
          f"{statistics.median(timings) * 1000:.0f} ms, worst {max(timings) * 1000:.0f} ms; "
          f"national headcount {data['sums'][('headcount', 'total', 'employees')].value:,.0f}")

    from kinerja.accounts.models import User

    analyst = User.objects.create(username="bench-bkn", role=Role.BKN_ANALYST)
    client = Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(analyst)
    client.get("/bkn/")
    timings = []
    for _ in range(7):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get("/bkn/")
            timings.append(time.perf_counter() - started)
        assert response.status_code == 200
    print(f"national overview page /bkn/ (whole request, {len(queries)} queries incl. search-path settings): "
          f"median {statistics.median(timings) * 1000:.0f} ms, worst {max(timings) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
