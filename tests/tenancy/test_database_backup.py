"""infra/database-backup.sh: the whole database dumped with pg_dump and restored into an empty scratch
database holds the same rows (the regions and a region's logins and audit trail), and a restore refuses a
database that already has tables."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tenants import cluster

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "infra" / "database-backup.sh"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pg_dump") is None or shutil.which("pg_restore") is None
                       or shutil.which("psql") is None, reason="pg_dump, pg_restore or psql is not installed"),
]

COUNTED = ["public.tenants_region", "public.tenants_domain", "bukittinggi.accounts_user",
           "bukittinggi.audit_auditentry", "bukittinggi.django_migrations"]


def url_of(name: str) -> str:
    settings = connection.settings_dict
    host = settings["HOST"] or "/tmp"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    location = host.replace("/", "%2F") if host.startswith("/") else f"{host}:{settings['PORT'] or 5432}"
    return f"postgresql://{settings['USER']}{password}@{location}/{name}"


def counts(url: str) -> dict[str, int]:
    """Committed rows only: a connection of its own, outside the test's transaction."""
    with psycopg.connect(url, autocommit=True) as own:
        return {table: own.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in COUNTED}


def run(action: str, file: Path, url: str, media: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "KINERJA_MEDIA_ROOT": str(media)}
    return subprocess.run(["sh", str(SCRIPT), action, str(file)], env=env, capture_output=True, text=True,
                          timeout=600)


@pytest.fixture
def scratch_database():
    name = f"{connection.settings_dict['NAME']}_restore"
    admin_url = url_of("postgres")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield url_of(name)
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_whole_database_is_dumped_and_restored_into_an_empty_one(region_a, scratch_database, tmp_path):
    if cluster.is_citus():
        pytest.skip("Citus: the script refuses a cluster (tested below)")
    source = url_of(connection.settings_dict["NAME"])
    uploads = tmp_path / "media"
    (uploads / "bukittinggi").mkdir(parents=True)
    (uploads / "bukittinggi" / "logo.png").write_bytes(b"logo")
    dump = tmp_path / "kinerja.dump"

    backup = run("backup", dump, source, uploads)
    assert backup.returncode == 0, backup.stderr
    assert dump.stat().st_size > 0 and Path(f"{dump}.media.tar.gz").exists()
    assert run("backup", dump, source, uploads).returncode == 1  # never overwrites a backup

    restored_uploads = tmp_path / "restored-media"
    restore = run("restore", dump, scratch_database, restored_uploads)
    assert restore.returncode == 0, restore.stderr
    before = counts(source)
    assert before["public.tenants_region"] >= 2 and before["bukittinggi.accounts_user"] >= 1
    assert counts(scratch_database) == before
    assert (restored_uploads / "bukittinggi" / "logo.png").read_bytes() == b"logo"

    again = run("restore", dump, scratch_database, restored_uploads)
    assert again.returncode == 1 and "empty database" in again.stderr


def test_a_citus_cluster_is_refused_rather_than_half_backed_up(db, tmp_path):
    if not cluster.is_citus():
        pytest.skip("plain PostgreSQL: the Citus pass of CI runs this")
    refused = run("backup", tmp_path / "cluster.dump", url_of(connection.settings_dict["NAME"]), tmp_path / "m")
    assert refused.returncode == 3 and "Citus cluster" in refused.stderr
    assert not (tmp_path / "cluster.dump").exists()
