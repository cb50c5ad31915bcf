"""A list endpoint of the API against a bare Django view returning the same rows, side by side under
gunicorn: GET /api/v1/employees/ (REST framework: token authentication, capability permission, the
people selector, the serializer, pagination with its count) and GET /bare/employees/ (a plain view: the
same 50 rows and count as JSON, no authentication). Each is called by --clients threads for --seconds;
prints requests per second, the server's CPU per request (its worker's user+system time) and the ratio.

    .venv/bin/python benchmarks/api.py [--port 8301] [--employees 500] [--seconds 15] [--clients 2]

Runs on a throw-away database of its own (dropped at exit), one gunicorn sync worker, so CPU per request
is the figure to compare on a shared machine; requests per second depend on what else runs.

Measured (2 shared cores and a busy machine, one worker, 500 employees, 50 a page):
    before: API 16.0 requests/s, 15.4 ms CPU/request; bare view 27.6, 7.8 ms (0.58 of the throughput, 0.51 by CPU)
    after:  API 13.5 requests/s, 19.4 ms CPU/request; bare view 21.4, 10.8 ms (0.63 of the throughput, 0.56 by CPU)
`--profile` prints the queries of one request and where 200 requests spend their time.
"""
from __future__ import annotations

import argparse
import datetime
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from _setup import fresh_database

ROOT = Path(__file__).resolve().parent.parent
BASE_DOMAIN = "bench.localhost"


def prepare(count: int) -> str:
    """A region with `count` employees in 20 units and its HR admin's API token."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone
    from django_tenants.utils import schema_context
    from kinerja.accounts.models import ApiToken
    from kinerja.accounts.tokens import digest_of, new_token_value
    from kinerja.people.models import Employee, Position, Unit

    from tenants.services import OnboardingRequest, onboard_region

    call_command("migrate", verbosity=0)
    onboard_region(OnboardingRequest(name="Kota Uji API", slug="benchapi", kind="kota", region_code="13.97",
                                     province="Sumatera Barat", time_zone="Asia/Jakarta",
                                     admin_email="admin@api.go.id", admin_name="Admin"))
    with schema_context("benchapi"):
        hr = get_user_model().objects.create(username="bench-hr", role="hr_admin", full_name="HR")
        units = [Unit.objects.create(code=f"OPD{n}", name=f"Dinas {n}", path=f"/{n}/") for n in range(20)]
        positions = [Position.objects.create(code=f"JAB{n}", title=f"Jabatan {n}", kind="pelaksana",
                                             position_class=1 + n) for n in range(10)]
        Employee.objects.bulk_create(
            Employee(nip=f"19800101200{n:07d}"[:18], employee_type="PNS", full_name=f"Pegawai {n:05d}",
                     gender="M", birth_date=datetime.date(1980, 1, 1), rank="III/b", unit=units[n % 20],
                     position=positions[n % 10], status="active") for n in range(count))
        prefix, value = new_token_value()
        ApiToken.objects.create(user=hr, name="bench", prefix=prefix, digest=digest_of(value),
                                expires_at=timezone.now() + datetime.timedelta(days=1))
    return value


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def load(port: int, path: str, headers: dict, seconds: float, clients: int, master: int) -> tuple[float, float]:
    import requests

    done, failures, lock = [0], [0], threading.Lock()
    for _warm in range(20):
        requests.get(f"http://127.0.0.1:{port}{path}", headers=headers, timeout=60).raise_for_status()
    pids = worker_pids(master)
    cpu_before = cpu_seconds(pids)
    until = time.monotonic() + seconds

    def client():
        session = requests.Session()
        while time.monotonic() < until:
            answer = session.get(f"http://127.0.0.1:{port}{path}", headers=headers, timeout=60)
            with lock:
                done[0] += 1
                failures[0] += answer.status_code != 200

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    cpu = cpu_seconds(pids) - cpu_before
    if failures[0]:
        raise SystemExit(f"{failures[0]} requests to {path} failed")
    return done[0] / elapsed, cpu * 1000 / max(done[0], 1)


def profile(token: str) -> int:
    """Where the API's time goes: 200 requests through Django's test client, the 25 costliest functions."""
    import cProfile
    import pstats

    from django.conf import settings
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    client = Client(HTTP_HOST=f"benchapi.{BASE_DOMAIN}", HTTP_AUTHORIZATION=f"Token {token}")
    for _warm in range(20):
        assert client.get("/api/v1/employees/").status_code == 200
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get("/api/v1/employees/")
    print(f"{len(queries)} queries per request:")
    for query in queries:
        print(f"  {query['time']}s {query['sql'][:300]}")
    profiler = cProfile.Profile()
    profiler.enable()
    for _request in range(200):
        client.get("/api/v1/employees/")
    profiler.disable()
    pstats.Stats(profiler).sort_stats(os.environ.get("KINERJA_PROFILE_SORT", "cumulative")).print_stats(45)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8301)
    parser.add_argument("--employees", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--profile", action="store_true", help="profile 200 API requests in-process instead")
    args = parser.parse_args()
    os.environ["KINERJA_BASE_DOMAIN"] = BASE_DOMAIN
    os.environ["KINERJA_SPARE_SCHEMAS"] = "0"
    fresh_database("kinerja_bench_api")
    token = prepare(args.employees)
    if args.profile:
        return profile(token)
    from django.db import connections

    connections.close_all()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "_api_settings", "DJANGO_DEBUG": "0"}
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "kinerja.wsgi", "-b",
                               f"127.0.0.1:{args.port}", "--workers", "1", "--pythonpath", str(ROOT / "benchmarks"),
                               "--log-level", "warning"], cwd=ROOT, env=env)
    try:
        host = {"Host": f"benchapi.{BASE_DOMAIN}"}
        for _attempt in range(200):
            try:
                import requests

                requests.get(f"http://127.0.0.1:{args.port}/bare/employees/", headers=host, timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.3)
        figures = {}
        for label, path, headers in [("bare Django view", "/bare/employees/", host),
                                     ("API list endpoint", "/api/v1/employees/",
                                      {**host, "Authorization": f"Token {token}"})]:
            figures[label] = load(args.port, path, headers, args.seconds, args.clients, server.pid)
            rate, cpu = figures[label]
            print(f"{label:<20} {path:<22} {rate:8.1f} requests/s  {cpu:6.2f} ms CPU/request", flush=True)
        bare, api = figures["bare Django view"], figures["API list endpoint"]
        print(f"API / bare: {api[0] / bare[0]:.2f} of the throughput, {bare[1] / api[1]:.2f} by CPU per request")
    finally:
        server.terminate()
        server.wait(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
