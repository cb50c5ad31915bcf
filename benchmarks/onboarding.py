"""Onboarding at national scale: the cost of each new region through the real onboarding service, and a
real migration rolled out over the whole fleet.

    python benchmarks/onboarding.py [--regions 548] [--burst 50] [--spares 2] [--no-rollout]

1. Onboards --regions regions one after another on one (reused) database connection, each cloning the
   template (the spare pool kept empty): prints the first, median and last per-region times and the time
   of the last one (the 548th at the default), and every 50 regions what the connection holds (server
   backend memory, its catalogue caches, this process's peak size).
2. A burst of --burst onboardings beyond a spare pool of --spares: the pool is filled, then the burst
   runs without refilling, so all but the first --spares clone; each on a fresh connection. Prints
   first/median/last/worst.
3. Takes appraisal.0011_peer_input_minimum (and the migrations after it that depend on it) back out of
   every region (their reverse SQL, recorded as unapplied), then times `migrate` putting them back on the
   template and every region, in parallel.

Works on the embedded server, DATABASE_URL, or a Citus coordinator (DATABASE_URL to it). On Citus a
clone is made on the coordinator and placed on a worker by a background task after onboarding; the
benchmark runs that placement before the next onboarding on a connection of its own, as the Celery worker
does, and prints its times apart."""
from __future__ import annotations

import argparse
import io
import os
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

from _setup import fresh_database

ROLLOUT = ("appraisal", "0011_peer_input_minimum")  # a column, a constraint and a data step


def request_for(number: int):
    from tenants.services import OnboardingRequest

    return OnboardingRequest(
        name=f"Kabupaten Uji {number}", slug=f"uji{number}", kind="kabupaten",
        region_code=f"{10 + number // 99:02d}.{number % 99 + 1:02d}", province="Provinsi Uji",
        time_zone="Asia/Jakarta", admin_email=f"admin{number}@uji.go.id", admin_name="Admin",
    )


def connection_memory() -> str:
    """What one connection keeps between clones: the server backend's memory (its catalogue caches above
    all) and this process's peak size. Both stay level with the recipe clone; with django-tenants' PL/pgSQL
    clone the backend's caches grew with every clone."""
    import resource

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(sum(total_bytes), 0), coalesce(sum(total_bytes) FILTER "
                       "(WHERE name = 'CacheMemoryContext'), 0) FROM pg_backend_memory_contexts")
        total, caches = cursor.fetchone()
        cursor.execute("SELECT name, sum(total_bytes), count(*) FROM pg_backend_memory_contexts "
                       "WHERE name NOT IN ('TopMemoryContext', 'CacheMemoryContext') "
                       "GROUP BY name ORDER BY 2 DESC LIMIT 2")
        largest = ", ".join(f"{name} {size / 2**20:.1f} MB in {count}" for name, size, count in cursor.fetchall())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    return (f"server backend {total / 2**20:.0f} MB (catalogue caches {caches / 2**20:.0f} MB; largest others: "
            f"{largest}), this process peak {peak} MB")


def timed_placement(schema: str) -> float:
    from tenants import cluster

    started = time.perf_counter()
    assert cluster.place_schema(schema), schema
    return time.perf_counter() - started


def summary(label: str, times: list[float]) -> None:
    print(f"{label}: first {times[0] * 1000:.0f} ms, median {statistics.median(times) * 1000:.0f} ms, "
          f"last {times[-1] * 1000:.0f} ms, worst {max(times) * 1000:.0f} ms over {len(times)} regions")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--regions", type=int, default=548)
    parser.add_argument("--burst", type=int, default=50)
    parser.add_argument("--spares", type=int, default=2)
    parser.add_argument("--parallel", type=int, default=2, help="processes for the fleet migration")
    parser.add_argument("--no-rollout", action="store_true", help="stop after the onboardings (part 3 not run)")
    args = parser.parse_args()
    os.environ["KINERJA_SPARE_SCHEMAS"] = "0"  # the benchmark fills the pool itself
    fresh_database(os.environ.get("KINERJA_BENCH_DATABASE", "kinerja_bench_onboarding"))

    from django.core.management import call_command
    from django.db import connection

    from tenants import cluster
    from tenants.schemas import fill_spare_pool
    from tenants.services import onboard_region

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"initial migrate (public + template): {time.perf_counter() - started:.2f} s"
          f"{' on a Citus coordinator' if cluster.is_citus() else ''}")

    on_citus = cluster.is_citus()
    # The placement task queued by onboarding runs in a Celery worker on that worker's own connection; one
    # long-lived thread stands in for it, so the onboarding connection holds only what onboarding loads.
    placement_worker = ThreadPoolExecutor(max_workers=1)
    reused, placed = [], []
    for number in range(args.regions):
        started = time.perf_counter()
        result = onboard_region(request_for(number))
        reused.append(time.perf_counter() - started)
        assert result.schema_created_by == "clone", result.schema_created_by
        if on_citus:  # placed before the next onboarding, timed apart from it
            placed.append(placement_worker.submit(timed_placement, result.region.schema_name).result())
        if number % 50 == 49 or number == args.regions - 1:
            placing = f", its placement {placed[-1]:.1f} s" if placed else ""
            print(f"  {number + 1} regions, last {reused[-1] * 1000:.0f} ms{placing}; {connection_memory()}", flush=True)
    summary(f"onboarding by cloning, one reused connection, {args.regions} regions", reused)
    if placed:
        summary("  then placed on a worker by the placement task (in the background, after onboarding)", placed)
    print(f"region number {args.regions}: {reused[-1] * 1000:.0f} ms")

    fill_spare_pool(args.spares)
    fresh = []
    how = []
    for number in range(args.regions, args.regions + args.burst):
        connection.close()
        started = time.perf_counter()
        result = onboard_region(request_for(number))
        fresh.append(time.perf_counter() - started)
        how.append(result.schema_created_by)
    summary(f"burst of {args.burst} beyond a pool of {args.spares} spares, fresh connection each "
            f"({how.count('spare')} spare, {how.count('clone')} clone)", fresh)
    clones = [seconds for seconds, kind in zip(fresh, how) if kind == "clone"]
    if clones:
        summary("  of which clones of the template, fresh connection each", clones)
    if on_citus:  # the burst's placement tasks, run one after another as one worker would
        started = time.perf_counter()
        placed = placement_worker.submit(cluster.place_unplaced_regions).result()
        print(f"  the burst's {len(placed)} clones placed on workers afterwards, one at a time: "
              f"{time.perf_counter() - started:.1f} s")
        for node in cluster.nodes():
            print(f"  {node.name}: {node.regions} regions")

    if args.no_rollout:
        return
    from django.db.migrations.loader import MigrationLoader

    app, name = ROLLOUT
    # The migration and any that came after it and depend on it, latest first.
    taken_out = MigrationLoader(None, ignore_no_migrations=True).graph.backwards_plan(ROLLOUT)
    statements = []
    connection.set_schema("region_template")  # the router gives region apps' SQL only in a region schema
    for step in taken_out:
        backwards = io.StringIO()
        call_command("sqlmigrate", *step, backwards=True, stdout=backwards)
        statements += [line.strip().rstrip(";") for line in backwards.getvalue().splitlines()
                       if line.strip() and not line.startswith("--") and line.strip() not in {"BEGIN;", "COMMIT;"}]
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute("SELECT schema_name FROM tenants_region WHERE schema_name <> 'public'")
        schemas = [row[0] for row in cursor.fetchall()] + ["region_template"]
        for schema in schemas:
            cursor.execute(f'SET search_path = "{schema}"')
            for statement in statements:
                cursor.execute(statement)
            for step_app, step_name in taken_out:
                cursor.execute("DELETE FROM django_migrations WHERE app = %s AND name = %s", [step_app, step_name])
        cursor.execute("SET search_path = public")
    connection.close()
    started = time.perf_counter()
    call_command("migrate", verbosity=0, parallel=args.parallel)
    print(f"rolling out {app}.{name} ({len(statements)} statements back) over the template and "
          f"{len(schemas) - 1} regions, {args.parallel} in parallel: {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"no-op fleet migrate over {len(schemas) - 1} regions: {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
