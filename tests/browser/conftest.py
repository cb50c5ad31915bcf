"""A live server and a headless Chromium for the browser tests.

The server runs in a thread of this process against the test database; its data is committed (the
browser's requests come from other threads, outside any test transaction) and deleted afterwards.
Chromium is Debian's package, found through KINERJA_CHROMIUM or on PATH; without it the tests skip."""
from __future__ import annotations

import datetime
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from kinerja.accounts.models import Role
from tests.helpers import PASSWORD
from tests.web.expectations import SUPERVISOR

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
REGION = "bukittinggi"
PREFIX = "browser-"
NIPS = ["197703142002121004", "198806202014022001", "199102112019031003"]

REGION_LOGINS = {
    Role.EMPLOYEE: "Andi Saputra",
    SUPERVISOR: "Rina Marlina",
    Role.HR_ADMIN: "Siti Rahmawati",
    Role.LEADERSHIP: "Erman Safar",
    Role.AUDITOR: "Yusuf Hakim",
}
PLATFORM_LOGINS = {
    Role.OPERATOR: "Operator Kinerja",
    Role.BKN_ANALYST: "Analis BKN",
    Role.PLUGIN_VENDOR: "Vendor Plugin",
}


def username(role: str) -> str:
    return f"{PREFIX}{role}".replace("_", "-")


def chromium_executable() -> str | None:
    return os.environ.get("KINERJA_CHROMIUM") or shutil.which("chromium")


@dataclass(frozen=True)
class LiveSite:
    port: int

    def region_url(self, path: str = "/") -> str:
        return f"http://{REGION}.localhost:{self.port}{path}"

    def public_url(self, path: str = "/") -> str:
        return f"http://localhost:{self.port}{path}"


def _remove_data():
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django_tenants.utils import schema_context

    from kinerja.people.models import Employee, Position, Unit

    User = get_user_model()
    with schema_context(REGION):
        Employee.objects.filter(nip__in=NIPS).delete()
        Position.objects.filter(code__startswith="BROWSER-").delete()
        Unit.objects.filter(code__startswith="BROWSER-").delete()
        User.objects.filter(username__startswith=PREFIX).delete()
    with schema_context("public"), connection.cursor() as cursor:
        # Raw, because the ORM's cascade would look for region-only tables (people) in the public schema.
        cursor.execute(f"DELETE FROM {User._meta.db_table} WHERE username LIKE %s", [PREFIX + "%"])


def _make_user(role: str, full_name: str):
    from django.contrib.auth import get_user_model

    user = get_user_model()(username=username(role), full_name=full_name,
                            role=Role.EMPLOYEE if role == SUPERVISOR else role)
    user.set_password(PASSWORD)
    user.save()
    return user


def _create_data():
    from django_tenants.utils import schema_context

    from kinerja.people.models import Employee, Position, PositionKind, Unit

    with schema_context(REGION):
        users = {role: _make_user(role, name) for role, name in REGION_LOGINS.items()}
        unit = Unit.objects.create(code="BROWSER-DINKES", name="Dinas Kesehatan Kota Bukittinggi")
        unit.path = f"/{unit.pk}/"
        unit.save(update_fields=["path"])
        head = Position.objects.create(code="BROWSER-KABID", title="Kepala Bidang Pelayanan Kesehatan",
                                       kind=PositionKind.STRUCTURAL, position_class=11)
        nurse = Position.objects.create(code="BROWSER-PERAWAT", title="Perawat Ahli Pertama",
                                        kind=PositionKind.FUNCTIONAL, position_class=8)
        supervisor = Employee.objects.create(
            nip=NIPS[0], employee_type="PNS", full_name="Rina Marlina", gender="F",
            birth_date=datetime.date(1977, 3, 14), rank="III/d", unit=unit, position=head, user=users[SUPERVISOR])
        Employee.objects.create(
            nip=NIPS[1], employee_type="PNS", full_name="Andi Saputra", gender="M",
            birth_date=datetime.date(1988, 6, 20), rank="III/a", unit=unit, position=nurse, supervisor=supervisor,
            user=users[Role.EMPLOYEE])
        Employee.objects.create(
            nip=NIPS[2], employee_type="PPPK", full_name="Dewi Lestari", gender="F",
            birth_date=datetime.date(1991, 2, 11), rank="IX", unit=unit, position=nurse, supervisor=supervisor)
    with schema_context("public"):
        for role, name in PLATFORM_LOGINS.items():
            _make_user(role, name)


def _require_test_database():
    from django.conf import settings
    from django.db import connection

    expected = settings.DATABASES["default"]["TEST"]["NAME"]
    if connection.settings_dict["NAME"] != expected:
        raise RuntimeError(f"refusing to write browser test data outside the test database {expected!r}")


@pytest.fixture(scope="module")
def live_site(django_db_setup, django_db_blocker):
    """A live server of our own: pytest-django's flushes the database after each test, which would
    delete the session's regions."""
    if chromium_executable() is None:
        pytest.skip("Chromium not found: install Debian's chromium package to run browser tests")
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread

    # The server's threads use the database while tests run, so access stays open for the module.
    with django_db_blocker.unblock():
        _require_test_database()
        _remove_data()  # left over from an interrupted run
        _create_data()
        server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        try:
            if server.error:
                raise server.error
            from django.test.utils import override_settings

            # links handed to people (set-password, reset) point at the configured site, as in production
            with override_settings(KINERJA_SITE_URL=f"http://localhost:{server.port}"):
                yield LiveSite(server.port)
        finally:
            server.terminate()
            _remove_data()


@pytest.fixture(scope="module")
def browser_context(live_site):
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="kinerja-chromium-")
    # Playwright's sync API keeps an event loop on this thread, and Django then refuses the (empty)
    # per-test transaction that the django_db mark opens here; the app itself runs in the server's threads.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=chromium_executable(),
            headless=True,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            locale="id-ID",
            viewport={"width": 1280, "height": 860},
        )
        context.set_default_timeout(15_000)
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)
            if previous is None:
                os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
            else:
                os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def confirmations() -> list[str]:
    """The questions the pages asked before an irreversible action (each accepted, as a person who
    read it would)."""
    return []


@pytest.fixture
def page(browser_context, confirmations):
    browser_context.clear_cookies()
    page = browser_context.new_page()

    def answer(dialog):
        confirmations.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    yield page
    page.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
