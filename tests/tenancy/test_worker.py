"""A real Celery worker process runs a region's task in that region's schema."""
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django_tenants.utils import schema_context
from kombu import Connection

from kinerja.people.models import Unit
from tenants.models import Region
from tenants.tasks import export_region_data_task

pytestmark = pytest.mark.worker


def _database_url() -> str:
    s = connection.settings_dict
    host = s["HOST"] or "localhost"
    location = quote(host, safe="") if host.startswith("/") else f"{host}:{s['PORT'] or 5432}"
    credentials = s["USER"] + (f":{quote(s['PASSWORD'], safe='')}" if s["PASSWORD"] else "")
    return f"postgresql://{credentials}@{location}/{s['NAME']}"


@pytest.fixture
def worker_env(tmp_path, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        url = _database_url()
    env = {**os.environ, "DATABASE_URL": url, "KINERJA_DATA_DIR": str(tmp_path),
           "KINERJA_BROKER_DIR": str(tmp_path / "broker")}
    env.setdefault("CELERY_BROKER_URL", "filesystem://")
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    return env


def _broker(tmp_path, env) -> Connection:
    """The broker the worker listens on: the machine's when CELERY_BROKER_URL names one, else a folder."""
    if not env["CELERY_BROKER_URL"].startswith("filesystem"):
        return Connection(env["CELERY_BROKER_URL"])
    queue = tmp_path / "broker" / "queue"
    for folder in (queue, tmp_path / "broker" / "processed", tmp_path / "broker" / "control"):
        folder.mkdir(parents=True, exist_ok=True)
    return Connection("filesystem://", transport_options={
        "data_folder_in": str(queue), "data_folder_out": str(queue),
        "processed_folder": str(tmp_path / "broker" / "processed"), "control_folder": str(tmp_path / "broker" / "control")})


def test_worker_runs_task_in_the_schema_named_by_the_message(worker_env, tmp_path, django_db_blocker):
    with django_db_blocker.unblock():
        region = Region.objects.get(schema_name="batanghari")
        with schema_context(region.schema_name):
            unit = Unit.objects.create(code="WRK-TEST", name="Unit seen only by the worker test")
        Region.objects.filter(pk=region.pk).update(archive_file="")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "kinerja", "worker", "--pool", "solo", "--loglevel", "WARNING"],
        env=worker_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        with _broker(tmp_path, worker_env) as broker:
            with schema_context(region.schema_name):
                export_region_data_task.apply_async(connection=broker)
        deadline = time.time() + 30
        path = ""
        while time.time() < deadline and not path:
            time.sleep(0.5)
            with django_db_blocker.unblock():
                path = Region.objects.get(pk=region.pk).archive_file
            assert worker.poll() is None, worker.stdout.read()
        if not path:
            worker.terminate()
            pytest.fail("the worker did not run the export within 30 s:\n" + worker.communicate(timeout=20)[0])
        with zipfile.ZipFile(path) as archive:
            units = archive.read("people.unit.json").decode()
        assert "WRK-TEST" in units, "the export must come from the region named in the message"
        assert Path(path).parent == tmp_path / "exports"
    finally:
        worker.terminate()
        worker.wait(20)
        with django_db_blocker.unblock():
            with schema_context("batanghari"):
                Unit.objects.filter(pk=unit.pk).delete()
            Region.objects.filter(pk=region.pk).update(archive_file="")
