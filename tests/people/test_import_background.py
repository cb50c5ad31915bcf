"""Large imports run on a worker (here Celery in eager mode, sent once the upload's transaction commits):
the page follows the progress, the outcome is the same as within the request, and a batch whose worker
stopped can be discarded without anything of it being saved."""
import datetime

import pytest
from django.utils import timezone, translation
from kinerja.audit.models import AuditEntry
from kinerja.celery import app
from kinerja.people import imports
from kinerja.people.models import Employee, ImportBatch, ImportStatus

from tests.helpers import client_for, in_region, make_user
from tests.people.conftest import csv_file

pytestmark = pytest.mark.django_db

HEADER = "NIP,NAMA,JENIS_PEGAWAI,JENIS_KELAMIN,TANGGAL_LAHIR,GOLONGAN,KODE_UNIT,KODE_JABATAN"


def staff_rows(count: int) -> list[str]:
    # born 1985-01-01, CPNS January 2010, male, sequence 001..count
    return [HEADER] + [f"198501012010011{n:03d},Pegawai {n},PNS,L,1985-01-01,III/b,DINKES,PENGADM"
                       for n in range(1, count + 1)]


@pytest.fixture
def background(monkeypatch):
    """Every file goes to the worker; Celery runs the task in this process."""
    monkeypatch.setattr(imports, "BACKGROUND_FROM_BYTES", 1)
    monkeypatch.setattr(imports, "BACKGROUND_FROM_ROWS", 1)
    monkeypatch.setattr(imports, "PROGRESS_EVERY", 50)
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_large_file_is_previewed_and_applied_by_the_worker(org, background, django_capture_on_commit_callbacks):
    rows = staff_rows(120)
    assert len({row.split(",")[0] for row in rows}) == 121
    with in_region(org.region):
        with django_capture_on_commit_callbacks(execute=True):
            batch = imports.preview_import(kind="employees", uploaded_file=csv_file(rows), actor=org.hr)
            assert batch.status == ImportStatus.READING  # the request answers before the file is read
        batch.refresh_from_db()
        assert batch.status == ImportStatus.PREVIEWED, batch.errors
        assert (batch.to_create, batch.error_count, batch.total_rows) == (120, 0, 120)
        assert batch.progress_done == 100  # reported every 50 rows, in the worker
        assert not Employee.objects.filter(full_name__startswith="Pegawai ").exists()
        with django_capture_on_commit_callbacks(execute=True):
            batch = imports.apply_import(batch, actor=org.hr)
            assert batch.status == ImportStatus.APPLYING
        batch.refresh_from_db()
        assert batch.status == ImportStatus.APPLIED and batch.applied_by == org.hr
        assert Employee.objects.filter(full_name__startswith="Pegawai ").count() == 120
        assert AuditEntry.objects.filter(action="people.import.apply", target_id=str(batch.pk)).exists()


def test_the_page_shows_the_progress_until_the_worker_is_done(org, background):
    with in_region(org.region):
        batch = imports.preview_import(kind="employees", uploaded_file=csv_file(staff_rows(10)), actor=org.hr)
        ImportBatch.objects.filter(pk=batch.pk).update(progress_done=4, progress_total=10)
    client = client_for(org.region, org.hr)
    page = client.get(f"/people/imports/{batch.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'hx-get="/people/imports/{batch.pk}/progress/"' in page and 'value="4"' in page
    assert 'data-testid="discard-form"' not in page  # the worker reported just now
    fragment = client.get(f"/people/imports/{batch.pk}/progress/", HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "HX-Refresh" not in fragment
    with in_region(org.region):
        imports.run_preview(batch.pk)
    done = client.get(f"/people/imports/{batch.pk}/progress/", HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"


def test_a_stuck_batch_is_discarded_and_the_worker_that_wakes_up_writes_nothing(org, background):
    with in_region(org.region):
        batch = imports.preview_import(kind="employees", uploaded_file=csv_file(staff_rows(5)), actor=org.hr)
        with pytest.raises(imports.ImportRefused, match="less than 5 minutes ago"):
            imports.discard_import(batch, actor=org.hr)
        ImportBatch.objects.filter(pk=batch.pk).update(progress_at=timezone.now() - datetime.timedelta(minutes=6))
        batch.refresh_from_db()
        assert imports.is_stuck(batch)
    client = client_for(org.region, org.hr)
    page = client.get(f"/people/imports/{batch.pk}/").content.decode()
    assert 'data-testid="import-stuck"' in page and 'data-testid="discard-form"' in page
    assert client.post(f"/people/imports/{batch.pk}/discard/").status_code == 302
    with in_region(org.region):
        batch.refresh_from_db()
        assert batch.status == ImportStatus.DISCARDED
        assert imports.run_preview(batch.pk) is None
        batch.refresh_from_db()
        assert batch.status == ImportStatus.DISCARDED and batch.plan == []
        assert AuditEntry.objects.filter(action="people.import.discard", target_id=str(batch.pk)).exists()
        with translation.override("en"), pytest.raises(imports.ImportRefused, match="discarded"):
            imports.apply_import(batch, actor=org.hr)


def test_an_applying_batch_whose_worker_died_is_discarded_and_nothing_is_written(org, background):
    with in_region(org.region):
        batch = imports.preview_import(kind="employees", uploaded_file=csv_file(staff_rows(3)), actor=org.hr)
        imports.run_preview(batch.pk)
        batch = imports.apply_import(ImportBatch.objects.get(pk=batch.pk), actor=org.hr)
        assert batch.status == ImportStatus.APPLYING
        ImportBatch.objects.filter(pk=batch.pk).update(progress_at=timezone.now() - datetime.timedelta(minutes=6))
        imports.discard_import(batch, actor=org.hr)
        assert imports.run_apply(batch.pk) is None
        assert not Employee.objects.filter(full_name__startswith="Pegawai ").exists()


def test_an_applied_batch_cannot_be_discarded_and_only_hr_discards(org):
    with in_region(org.region):
        batch = imports.preview_import(kind="employees", uploaded_file=csv_file(staff_rows(2)), actor=org.hr)
        other = make_user(org.region, "employee", username="not-hr")
    assert client_for(org.region, other).post(f"/people/imports/{batch.pk}/discard/").status_code == 403
    with in_region(org.region):
        imports.apply_import(batch, actor=org.hr)
        with translation.override("en"), pytest.raises(imports.ImportRefused, match="cannot be discarded"):
            imports.discard_import(batch, actor=org.hr)


def test_the_preview_page_shows_the_plan_a_hundred_rows_at_a_time(org):
    with in_region(org.region):
        batch = imports.preview_import(kind="employees", uploaded_file=csv_file(staff_rows(150)), actor=org.hr)
    assert batch.to_create == 150
    client = client_for(org.region, org.hr)
    first = client.get(f"/people/imports/{batch.pk}/").content.decode()
    second = client.get(f"/people/imports/{batch.pk}/?page=2").content.decode()
    assert "Pegawai 100<" in first and "Pegawai 101<" not in first
    assert "Pegawai 101<" in second and "Pegawai 150<" in second and "Pegawai 99<" not in second


def test_the_api_answers_202_while_a_worker_applies_and_discards_on_request(org, background):
    with in_region(org.region):
        batch = imports.preview_import(kind="employees", uploaded_file=csv_file(staff_rows(3)), actor=org.hr)
        imports.run_preview(batch.pk)
    client = client_for(org.region, org.hr)
    applied = client.post(f"/api/v1/imports/{batch.pk}/apply/")
    assert applied.status_code == 202 and applied.json()["status"] == "applying"
    assert client.post(f"/api/v1/imports/{batch.pk}/discard/").status_code == 409  # the worker is on it
    with in_region(org.region):
        ImportBatch.objects.filter(pk=batch.pk).update(progress_at=timezone.now() - datetime.timedelta(minutes=6))
    discarded = client.post(f"/api/v1/imports/{batch.pk}/discard/")
    assert discarded.status_code == 200 and discarded.json()["status"] == "discarded"
