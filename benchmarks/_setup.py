"""Shared start-up for benchmark scripts: a fresh, throw-away database on the same server the project
uses (DATABASE_URL or the embedded PostgreSQL), dropped again at exit. On a Citus coordinator its twin
database on every worker is dropped too (migrate creates it there)."""
from __future__ import annotations

import atexit
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def fresh_database(name: str) -> None:
    sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinerja.settings")
    import dj_database_url
    import psycopg

    from kinerja.database import embedded_database_url

    base_url = os.environ.get("DATABASE_URL") or embedded_database_url(ROOT)
    config = dj_database_url.parse(base_url)
    host = config["HOST"] or config.get("OPTIONS", {}).get("host", "")
    admin = psycopg.connect(host=host, port=config["PORT"] or None, user=config["USER"], password=config["PASSWORD"] or None,
                            dbname="postgres", autocommit=True)
    workers = []
    if admin.execute("SELECT 1 FROM pg_extension WHERE extname = 'citus'").fetchone():
        workers = admin.execute("SELECT nodename, nodeport FROM pg_dist_node WHERE groupid <> 0").fetchall()

    def drop_everywhere() -> None:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        for worker_host, worker_port in workers:
            with psycopg.connect(host=worker_host, port=worker_port, user=config["USER"],
                                 password=config["PASSWORD"] or None, dbname="postgres", autocommit=True) as worker:
                worker.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    drop_everywhere()
    admin.execute(f'CREATE DATABASE "{name}"')
    location = host.replace("/", "%2F") if host.startswith("/") else f"{host}:{config['PORT'] or 5432}"
    password = f":{config['PASSWORD']}" if config["PASSWORD"] else ""
    os.environ["DATABASE_URL"] = f"postgresql://{config['USER']}{password}@{location}/{name}"

    def drop() -> None:
        from django.db import connections

        connections.close_all()
        drop_everywhere()

    atexit.register(drop)
    import django

    django.setup()
