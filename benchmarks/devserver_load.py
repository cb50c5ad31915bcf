"""Load on the development server: N users log in to a demo region and walk its pages at once, while the
database's connections are counted. Run `python3 dev.py run 8106` first, then
`.venv/bin/python benchmarks/devserver_load.py --port 8106 --users 20 --seconds 60`.

Prints requests, errors (a 5xx answer or no answer), the most connections the database held at once and
how many are still open after;
exits 1 when any request failed."""
from __future__ import annotations

import argparse
import os
import re
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["/dashboard/", "/appraisal/skp/", "/pay/", "/training/", "/reports/", "/api/v1/"]


def database_url() -> str:
    sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
    from kinerja.database import embedded_database_url

    return os.environ.get("DATABASE_URL") or embedded_database_url(ROOT)


def user(base: str, host: str, username: str, password: str, until: float, tally: Counter, lock: threading.Lock):
    session = requests.Session()
    session.headers["Host"] = host

    def count(key: str) -> None:
        with lock:
            tally[key] += 1

    try:
        page = session.get(f"{base}/accounts/login/", timeout=60)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        answer = session.post(f"{base}/accounts/login/", timeout=60, data={
            "csrfmiddlewaretoken": token, "username": username, "password": password},
            headers={"Referer": f"http://{host}/accounts/login/"})
        count("error" if answer.status_code >= 500 else "ok")
    except (requests.RequestException, AttributeError):
        count("error")
        return
    number = 0
    while time.monotonic() < until:
        path = PAGES[number % len(PAGES)]
        number += 1
        try:
            answer = session.get(f"{base}{path}", timeout=60)
            count("error" if answer.status_code >= 500 else "ok")
            if answer.status_code >= 500:
                print(f"{answer.status_code} {path}", file=sys.stderr)
        except requests.RequestException as error:
            count("error")
            print(f"no answer {path}: {error}", file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", default="8000")
    parser.add_argument("--region", default="bukittinggi")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--username", default="hr")
    parser.add_argument("--password", default="kinerja-demo")
    options = parser.parse_args()
    base = f"http://127.0.0.1:{options.port}"
    host = f"{options.region}.localhost:{options.port}"
    tally: Counter = Counter()
    lock = threading.Lock()
    until = time.monotonic() + options.seconds
    users = [threading.Thread(target=user, args=(base, host, options.username, options.password, until, tally, lock))
             for _ in range(options.users)]
    peak, limit = 0, None
    with psycopg.connect(database_url(), autocommit=True) as conn:
        limit = int(conn.execute("SHOW max_connections").fetchone()[0])
        for thread in users:
            thread.start()
        while any(thread.is_alive() for thread in users):
            held = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'").fetchone()[0]
            peak = max(peak, held)
            time.sleep(0.2)
        time.sleep(2)
        left = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' "
                            "AND pid <> pg_backend_pid()").fetchone()[0]
    total = tally["ok"] + tally["error"]
    print(f"{options.users} users for {options.seconds:.0f} s: {total} requests ({total / options.seconds:.1f}/s), "
          f"{tally['error']} errors; database connections at most {peak} of {limit}, {left} still open 2 s after")
    return 1 if tally["error"] else 0


if __name__ == "__main__":
    sys.exit(main())
