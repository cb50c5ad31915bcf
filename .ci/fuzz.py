"""Bounded fuzz pass over the API: schemathesis generates requests from the OpenAPI schema of a region's
host and of the platform's host (every operation, every method) and fails on any 5xx answer.

    .venv/bin/python .ci/fuzz.py [--port 8107] [--seed 20261202] [--max-time 150] [--max-examples 12]

A throw-away database is created (and dropped at exit) on the project's server: the platform, a region
with a small organisation, and spare regions that the destructive platform operations (suspend,
archive, delete) may hit. A gunicorn server on --port serves it with Celery in eager mode, so background
work runs inside the request. The region's HR admin and the platform operator are signed in with API
tokens. The region host is fuzzed first, then the platform host, each within --max-time seconds; the seed
is fixed, so a failure is reproduced by running the script again. The number of requests answered is
counted from the server's access log and printed.
"""
from __future__ import annotations

import argparse
import datetime
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from _setup import fresh_database  # noqa: E402

BASE_DOMAIN = "fuzz.localhost"


def personal_token(user) -> str:
    """A personal API token of `user` in the active schema (only its hash is stored), valid for a day."""
    from django.utils import timezone
    from kinerja.accounts.models import ApiToken
    from kinerja.accounts.tokens import digest_of, new_token_value

    prefix, value = new_token_value()
    ApiToken.objects.create(user=user, name="fuzz", prefix=prefix, digest=digest_of(value),
                            expires_at=timezone.now() + datetime.timedelta(days=1))
    return value


def prepare() -> dict[str, str]:
    """Regions, people and tokens in the throw-away database; returns the tokens."""
    from django.core.management import call_command
    from django_tenants.utils import schema_context
    from kinerja.accounts.models import Role

    from tenants.models import Region
    from tenants.services import OnboardingRequest, onboard_region

    call_command("migrate", verbosity=0)
    requests = [OnboardingRequest(name=f"Kota Uji {slug.title()}", slug=slug, kind="kota", region_code=f"13.{90 + n}",
                                  province="Sumatera Barat", time_zone="Asia/Jakarta",
                                  admin_email=f"admin@{slug}.go.id", admin_name=f"Admin {slug}")
                for n, slug in enumerate(["fuzz", "spare1", "spare2", "spare3"])]
    for request in requests:
        onboard_region(request)
    from django.contrib.auth import get_user_model

    User = get_user_model()
    with schema_context("public"):
        operator, _created = User.objects.get_or_create(username="fuzz-operator", defaults={
            "role": Role.OPERATOR, "full_name": "Operator"})
        operator_token = personal_token(operator)
        Region.objects.filter(schema_name="fuzz")  # the region the region host serves
    with schema_context("fuzz"):
        hr = User.objects.filter(role=Role.HR_ADMIN).first()
        hr_token = personal_token(hr)
        seed_people(hr)
    return {"region": hr_token, "platform": operator_token}


def seed_people(hr) -> None:
    """A few records so that ids in paths find something now and then."""
    from kinerja.people import services
    from kinerja.people.models import PositionKind, UnitType

    unit = services.create_unit(actor=hr, code="DINKES", name="Dinas Kesehatan", unit_type=UnitType.DINAS)
    position = services.create_position(actor=hr, code="PENGADM", title="Pengadministrasi Umum",
                                        kind=PositionKind.EXECUTIVE, position_class=5)
    services.create_employee(actor=hr, nip="198503152010011001", employee_type="PNS", full_name="Joko Susilo",
                             gender="M", birth_date=datetime.date(1985, 3, 15), rank="III/b", unit=unit,
                             position=position)


def wait_for(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 1).close()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"[fuzz] the server did not start on port {port}")


def fetch_schema(port: int, host: str, token: str, into: Path) -> Path:
    """The host's OpenAPI schema, fetched once with a generous timeout (building it takes seconds on a busy
    machine, longer than schemathesis waits for it)."""
    import urllib.request

    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/schema/?format=json",
                                     headers={"Host": host, "Authorization": f"Token {token}"})
    with urllib.request.urlopen(request, timeout=120) as response:
        into.write_bytes(response.read())
    return into


def fuzz(port: int, host: str, token: str, args, report: Path) -> int:
    schema = fetch_schema(port, host, token, report.with_suffix(".schema.json"))
    command = [str(Path(sys.executable).parent / "st"), "run", str(schema),
               "--url", f"http://127.0.0.1:{port}/api/v1", "-H", f"Host: {host}", "-H", f"Authorization: Token {token}",
               "--checks", "not_a_server_error", "--seed", str(args.seed), "--max-time", str(args.max_time),
               "--max-examples", str(args.max_examples), "--workers", "1", "--no-shrink",
               "--request-timeout", "30", "--suppress-health-check", "all",
               "--generation-database", "none", "--report", "junit", "--report-junit-path", str(report)]
    print(f"[fuzz] {host}: every operation of {schema.name} (seed {args.seed}, at most {args.max_time} s)", flush=True)
    return subprocess.call(command)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=int(os.environ.get("KINERJA_FUZZ_PORT", "8107")))
    parser.add_argument("--seed", type=int, default=20261202)
    parser.add_argument("--max-time", type=int, default=150, help="seconds per host")
    parser.add_argument("--max-examples", type=int, default=12, help="generated requests per operation at most")
    args = parser.parse_args()

    os.environ["KINERJA_BASE_DOMAIN"] = BASE_DOMAIN
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"
    os.environ["KINERJA_SPARE_SCHEMAS"] = "0"
    # Generated requests carry wrong tokens by design; with the production lockout the client address is
    # locked within seconds and every later operation answers 429 untested. Lockout has its own tests.
    os.environ["KINERJA_SIGNIN_FAILURE_LIMIT"] = "1000000"
    work = ROOT / ".kinerja" / "fuzz"
    work.mkdir(parents=True, exist_ok=True)
    os.environ["KINERJA_DATA_DIR"] = str(work)
    fresh_database(f"kinerja_fuzz_{args.port}")
    tokens = prepare()
    from django.db import connections

    connections.close_all()
    access_log = work / "access.log"
    access_log.unlink(missing_ok=True)
    env = dict(os.environ)
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "kinerja.wsgi", "-b",
                               f"127.0.0.1:{args.port}", "--workers", "2", "--timeout", "60",
                               "--access-logfile", str(access_log), "--error-logfile", str(work / "error.log")],
                              cwd=ROOT, env=env)
    status = 0
    try:
        wait_for(args.port)
        status |= fuzz(args.port, f"fuzz.{BASE_DOMAIN}", tokens["region"], args, work / "region.xml")
        status |= fuzz(args.port, BASE_DOMAIN, tokens["platform"], args, work / "platform.xml")
    finally:
        server.terminate()
        server.wait(30)
    lines = access_log.read_text().splitlines() if access_log.exists() else []
    errors = [line for line in lines if '" 5' in line]
    print(f"[fuzz] {len(lines)} requests answered, {len(errors)} with 5xx", flush=True)
    for line in errors[:20]:
        print(f"[fuzz]   {line}")
    if errors:
        print(f"[fuzz] server errors are in {work / 'error.log'}")
    return 1 if status or errors else 0


if __name__ == "__main__":
    sys.exit(main())
