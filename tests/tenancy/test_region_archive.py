"""The region archive: no password hashes, sessions or tokens; the uploaded files; built once in the
background however often it is asked for; readable by the platform's user alone; handed to the operator
through a signed link that expires."""
from __future__ import annotations

import datetime
import os
import stat
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django_tenants.utils import schema_context
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from kinerja import jobs
from kinerja.accounts.models import Role
from kinerja.recruitment.services.applicants import register_applicant
from tenants import services
from tenants.models import Region
from tenants.tasks import export_region_data_task
from tests.factories import make_api_token
from tests.helpers import client_for, in_region, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator():
    return make_user(None, Role.OPERATOR, username="archive-operator")


@pytest.fixture
def sent(monkeypatch):
    calls = []
    monkeypatch.setattr(jobs, "enqueue", lambda name, *args, **kwargs: calls.append((name, connection.schema_name)))
    return calls


@pytest.fixture
def built(region_b, operator, media, settings, tmp_path, django_capture_on_commit_callbacks, sent):
    settings.DATA_DIR = tmp_path
    hr = make_user(region_b, Role.HR_ADMIN, username="arsip-hr")
    with in_region(region_b):
        Token.objects.create(user=hr)
        personal_token = make_api_token(hr)
        TOTPDevice.objects.create(user=hr, name="telepon", key="3132333435363738393031323334353637383930")
        register_applicant(email="pelamar@example.id", password="Rahasia-Pelamar-123", full_name="Pelamar Arsip",
                           birth_date=datetime.date(1995, 1, 1), gender="F")
        default_storage.save("evidence/laporan.pdf", ContentFile(b"%PDF-1.4 laporan kinerja"))
    client_for(region_b, hr)  # a signed-in session in the region
    with django_capture_on_commit_callbacks(execute=True):
        services.archive_region(region_b, actor=operator, reason="Merged")
    region_b.personal_token = personal_token
    with schema_context(region_b.schema_name):
        export_region_data_task.apply()
    region_b.refresh_from_db()
    return region_b, hr


def test_the_archive_holds_data_and_files_but_no_secrets(built):
    region, hr = built
    with zipfile.ZipFile(region.archive_file) as archive:
        names = archive.namelist()
        text = "".join(archive.read(name).decode("utf-8", "replace") for name in names if name.endswith(".json"))
        assert archive.read("files/evidence/laporan.pdf") == b"%PDF-1.4 laporan kinerja"
    assert "accounts.user.json" in names and "arsip-hr" in text and "Pelamar Arsip" in text
    assert "sessions.session.json" not in names and "authtoken.token.json" not in names
    assert '"password"' not in text and "pbkdf2" not in text and "argon2" not in text
    with in_region(region):
        assert Token.objects.get(user=hr).key not in text
    assert "accounts.apitoken.json" not in names and region.personal_token.split("_")[1] not in text
    assert "otp_totp.totpdevice.json" not in names and "3132333435363738393031323334353637383930" not in text


def test_the_archive_file_is_readable_by_the_platform_user_alone(built):
    region, _hr = built
    mode = stat.S_IMODE(os.stat(region.archive_file).st_mode)
    assert mode == 0o600
    assert stat.S_IMODE(os.stat(os.path.dirname(region.archive_file)).st_mode) == 0o700


def test_asking_twice_builds_it_once(region_a, operator, sent, django_capture_on_commit_callbacks):
    client = client_for(None, operator)
    Region.objects.filter(pk=region_a.pk).update(status="suspended")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/operator/regions/{region_a.pk}/archive/export/")
        client.post(f"/operator/regions/{region_a.pk}/archive/export/")
    assert sent == [(services.EXPORT_TASK, region_a.schema_name)]
    assert Region.objects.get(pk=region_a.pk).archive_status == "queued"


def test_only_the_operator_downloads_it_and_only_through_a_fresh_signed_link(built, operator, settings):
    region, hr = built
    link = services.archive_link(region)
    operator_client = client_for(None, operator)
    response = operator_client.get(link)
    assert response.status_code == 200 and b"".join(response.streaming_content)[:2] == b"PK"
    bkn = client_for(None, make_user(None, Role.BKN_ANALYST, username="archive-bkn"))
    assert bkn.get(link).status_code == 403
    assert client_for(None).get(link).status_code == 302  # to sign-in
    forged = link.rstrip("/").rsplit("/", 1)[0] + "/eyJyZWdpb24iOjF9:forged:signature/"
    assert operator_client.get(forged).status_code == 404
    settings.KINERJA_ARCHIVE_LINK_SECONDS = -1  # every link has expired
    assert operator_client.get(link).status_code == 404
    page = operator_client.get("/operator/regions/").content.decode()
    assert 'data-testid="archive-link"' in page and region.archive_file not in page
