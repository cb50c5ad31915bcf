"""The month-end peak over a fleet: every region's pay run at once through Celery, then the report refresh,
on one PostgreSQL server and on a Citus cluster at the same number of regions and worker processes.

    python benchmarks/fleet.py [--regions 8] [--workers 2] [--employees 300]
        [--single-url postgresql://postgres@127.0.0.1:5432/postgres] [--citus-url postgresql://...:9800/postgres]

For each database (a throw-away one created beside `postgres` on that server): migrate, onboard --regions
regions (on Citus they spread over the workers), give each --employees employees with a month of attendance
and ratings (benchmarks/payrun.py's region), start a Celery worker with --workers processes, start every
region's pay run at once (each run one task, sent as HR's start sends it), wait for all, then refresh the
cross-region reports (one task per region). Prints per-region pay-run times (from start to computed),
the total, the refresh time, regions per node, and the peak of database connections (coordinator and
each worker). Then both side by side and the ratio. Omit --citus-url (or pass --only single) to run only
one of them.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATABASE = "kinerja_bench_fleet"


def _peak_connections(urls: dict[str, str], stop: threading.Event, peaks: dict[str, int]) -> None:
    import psycopg

    conns = {name: psycopg.connect(url, autocommit=True) for name, url in urls.items()}
    try:
        while not stop.is_set():
            for name, conn in conns.items():
                count = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                                     [DATABASE]).fetchone()[0]
                peaks[name] = max(peaks.get(name, 0), count)
            stop.wait(0.25)
    finally:
        for conn in conns.values():
            conn.close()


def _workers(base_url: str) -> list[tuple[str, int]]:
    """A Citus coordinator's workers (from its `postgres` database); none on plain PostgreSQL."""
    import psycopg

    with psycopg.connect(base_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'citus'").fetchone():
            return []
        return conn.execute("SELECT nodename, nodeport FROM pg_dist_node WHERE groupid <> 0").fetchall()


def measure(args) -> dict:
    """One database: everything above; returns the figures."""
    sys.path.insert(0, str(HERE))
    base_url = os.environ["DATABASE_URL"]
    workers = _workers(base_url)
    data = Path(tempfile.mkdtemp(prefix="kinerja-fleet-"))
    os.environ["KINERJA_DATA_DIR"] = str(data)  # the worker's folder broker and files, for this run only
    os.environ["KINERJA_SPARE_SCHEMAS"] = "0"
    from _setup import fresh_database

    fresh_database(DATABASE)
    from django.core.management import call_command
    from django.db import connection
    from django_tenants.utils import schema_context
    from kinerja.pay import services as pay
    from kinerja.pay.models import PayRun
    from kinerja.reports import services as reports
    from payrun import MONTH, fill_region

    from tenants import cluster
    from tenants.services import OnboardingRequest, onboard_region

    figures: dict = {"citus": False}
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    figures["citus"] = cluster.is_citus()
    figures["migrate_s"] = time.perf_counter() - started
    started = time.perf_counter()
    admins = {}
    for number in range(args.regions):
        slug = f"armada{number}"
        onboard_region(OnboardingRequest(
            name=f"Kabupaten Armada {number}", slug=slug, kind="kabupaten", region_code=f"98.{number + 1:02d}",
            province="Provinsi Uji", time_zone="Asia/Jakarta", admin_email=f"hr@{slug}.go.id", admin_name="HR"),
            send_email=False)
        admins[slug], _records = fill_region(slug, args.employees)
    figures["setup_s"] = time.perf_counter() - started
    if figures["citus"]:
        figures["nodes"] = {node.name: node.regions for node in cluster.nodes()}
    else:
        figures["nodes"] = {"single server": args.regions}

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE.parent / "platform"), str(HERE.parent)])}
    worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "kinerja", "worker", "-c", str(args.workers),
                               "--pool", "prefork", "--loglevel", "WARNING", "--without-heartbeat",
                               "--without-gossip", "--without-mingle"],
                              env=env, cwd=HERE.parent, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    params = connection.get_connection_params()
    urls = {"coordinator" if figures["citus"] else "server":
            f"postgresql://{params.get('user') or 'postgres'}@{params.get('host') or '127.0.0.1'}:{params.get('port') or 5432}/postgres"}
    for host, port in workers:
        urls[f"{host}:{port}"] = f"postgresql://postgres@{host}:{port}/postgres"
    peaks: dict[str, int] = {}
    stop = threading.Event()
    watcher = threading.Thread(target=_peak_connections, args=(urls, stop, peaks), daemon=True)
    try:
        time.sleep(3)  # the worker's processes start
        watcher.start()
        runs, sent = {}, {}
        started = time.perf_counter()
        for slug, hr in admins.items():
            with schema_context(slug):
                run = pay.create_run(month=MONTH, actor=hr)
                sent[slug] = time.perf_counter()
                runs[slug] = pay.start_run(run, actor=hr, reason="benchmark: no bank accounts").pk
        finished: dict[str, float] = {}
        deadline = time.time() + args.timeout
        while len(finished) < len(runs) and time.time() < deadline:
            for slug, run_id in runs.items():
                if slug not in finished:
                    with schema_context(slug):
                        status = PayRun.objects.values_list("status", flat=True).get(pk=run_id)
                    if status != "computing":
                        finished[slug] = time.perf_counter()
                        assert status == "computed", f"{slug}: pay run {status}"
            time.sleep(0.2)
        assert len(finished) == len(runs), f"pay runs not done within {args.timeout} s"
        figures["payrun_total_s"] = max(finished.values()) - started
        figures["payrun_s"] = {slug: finished[slug] - sent[slug] for slug in runs}
        started = time.perf_counter()
        refresh = reports.start_refresh()
        while time.time() < deadline:
            refresh.refresh_from_db()
            if refresh.finished_at:
                break
            time.sleep(0.2)
        assert refresh.finished_at, f"report refresh not done within {args.timeout} s"
        figures["refresh_s"] = time.perf_counter() - started
        figures["refresh_status"] = refresh.status
    finally:
        stop.set()
        worker.terminate()
        worker.wait(30)
        watcher.join(5)
    figures["peak_connections"] = peaks
    figures["employees"] = args.regions * args.employees
    return figures


def print_one(label: str, figures: dict) -> None:
    times = sorted(figures["payrun_s"].values())
    print(f"\n== {label} ==")
    print(f"migrate {figures['migrate_s']:.1f} s, {len(times)} regions set up in {figures['setup_s']:.1f} s")
    print("regions per node: " + ", ".join(f"{node} {count}" for node, count in figures["nodes"].items()))
    print("pay run per region (start to computed): " + ", ".join(
        f"{slug} {seconds:.1f} s" for slug, seconds in sorted(figures["payrun_s"].items())))
    print(f"  fastest {times[0]:.1f} s, median {statistics.median(times):.1f} s, slowest {times[-1]:.1f} s")
    print(f"all pay runs: {figures['payrun_total_s']:.1f} s for {figures['employees']} employees "
          f"({figures['employees'] / figures['payrun_total_s']:.0f} employees per second)")
    print(f"report refresh of every region: {figures['refresh_s']:.1f} s ({figures['refresh_status']})")
    print("peak database connections: " + ", ".join(f"{node} {count}" for node, count in figures["peak_connections"].items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--regions", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="Celery worker processes")
    parser.add_argument("--employees", type=int, default=300, help="employees per region")
    parser.add_argument("--single-url", default=os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--citus-url", default=os.environ.get("KINERJA_CITUS_URL", ""))
    parser.add_argument("--only", choices=["single", "citus"], default="")
    parser.add_argument("--timeout", type=int, default=900)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)  # one database, JSON out
    args = parser.parse_args()
    if args.measure:
        print("FIGURES " + json.dumps(measure(args)))
        return
    results = {}
    for label, url in (("single", args.single_url), ("citus", args.citus_url)):
        if not url or (args.only and args.only != label):
            continue
        command = [sys.executable, __file__, "--measure", "--regions", str(args.regions), "--workers",
                   str(args.workers), "--employees", str(args.employees), "--timeout", str(args.timeout)]
        print(f"[{label}] {url} ...", flush=True)
        output = subprocess.run(command, env={**os.environ, "DATABASE_URL": url}, capture_output=True, text=True)
        line = next((line for line in output.stdout.splitlines() if line.startswith("FIGURES ")), None)
        if line is None:
            print(output.stdout[-3000:], output.stderr[-3000:])
            raise SystemExit(f"{label}: the measurement failed")
        results[label] = json.loads(line.removeprefix("FIGURES "))
        print_one(f"{'Citus cluster' if results[label]['citus'] else 'one PostgreSQL server'}, "
                  f"{args.regions} regions x {args.employees} employees, {args.workers} Celery processes", results[label])
    if len(results) == 2:
        single, citus = results["single"], results["citus"]
        print("\n== side by side (single / cluster) ==")
        for key, label in (("payrun_total_s", "all pay runs"), ("refresh_s", "report refresh")):
            print(f"{label}: {single[key]:.1f} s / {citus[key]:.1f} s, ratio {single[key] / citus[key]:.2f}")
        median = (statistics.median(single["payrun_s"].values()), statistics.median(citus["payrun_s"].values()))
        print(f"median pay run per region: {median[0]:.1f} s / {median[1]:.1f} s, ratio {median[0] / median[1]:.2f}")


if __name__ == "__main__":
    main()
