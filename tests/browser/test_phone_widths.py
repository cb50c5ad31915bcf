"""Every role's main pages at desktop width and at a phone's 390 px, on a demo region with real content
(SKP, ratings, a paid month, training, an opening on the job portal).

At 390 px the pages an employee, a supervisor and an applicant use must not scroll sideways (a wide table
scrolls inside its own box) and their primary actions must lie within the screen. Every page of every
role is photographed at both widths into test-artifacts/screens/ (CI keeps the folder as an artefact, see
the README), so a reviewer can look without running anything. axe-core (the script shipped inside the
axe-playwright-python package) checks each role's main page and the applicant's portal for serious and
critical accessibility violations."""
from __future__ import annotations

import re

import pytest

from tests.browser.conftest import ARTIFACTS, chromium_executable

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

DEMO_REGION = "kotalama"
PASSWORD = "kinerja-demo"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 860}
SCREENS = ARTIFACTS / "screens"
# role -> demo login; the first three must fit a phone
CHECKED_ROLES = ("employee", "supervisor", "applicant")
REGION_LOGINS = {"employee": "pegawai", "supervisor": "atasan", "hr-admin": "hr", "leadership": "pimpinan",
                 "auditor": "auditor"}
PLATFORM_LOGINS = {"operator": "operator", "bkn-analyst": "bkn", "plugin-vendor": "vendor"}
DETAIL = re.compile(r"^/(?:appraisal/skp/\d+/(?:result/|period/\d+/)?|pay/results/\d+/|training/(?:enrolments|sessions|"
                    r"courses)/[\w-]+/|jobs/applications/\d+/|jobs/[\w-]+/)$")
MAX_DETAILS = 5

OVERFLOW = """() => {
  const width = window.innerWidth;
  const page = document.documentElement.scrollWidth;
  const outside = [];
  for (const el of document.querySelectorAll('button.primary, a.button, button[type=submit], .actions button')) {
    if (el.closest('.table-scroll') || el.offsetParent === null) continue;
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 || box.left < -1) outside.push((el.innerText || el.value || '').trim().slice(0, 60));
  }
  return {page, width, outside};
}"""


def _drop_demo_region():
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django_tenants.utils import schema_context

    from tenants.models import Region

    with schema_context("public"):
        for region in Region.objects.filter(schema_name=DEMO_REGION):
            region.delete(force_drop=True)
        User = get_user_model()
        from kinerja.plugins.failures.models import VendorAccount

        usernames = list(PLATFORM_LOGINS.values())
        # the seed's vendor login speaks for a vendor; its account row goes first (raw SQL: the user
        # collector would look for region tables from the public schema)
        VendorAccount.objects.filter(user__username__in=usernames).delete()
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {User._meta.db_table} WHERE username = ANY(%s)", [usernames])


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker):
    """A demo region seeded and committed, served by a live server of this module's own."""
    if chromium_executable() is None:
        pytest.skip("Chromium not found: install Debian's chromium package to run browser tests")
    import io

    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.management import call_command
    from django.db import connection
    from django.test.testcases import LiveServerThread
    from django.utils import translation

    from tests.browser.conftest import _require_test_database

    with django_db_blocker.unblock():
        _require_test_database()
        _drop_demo_region()
        with translation.override("id"):
            call_command("seed_demo", "--employees", "30", "--region", DEMO_REGION, stdout=io.StringIO())
        connection.set_schema_to_public()
        server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        try:
            if server.error:
                raise server.error
            yield server.port
        finally:
            server.terminate()
            _drop_demo_region()


def region_url(port: int, path: str = "/") -> str:
    return f"http://{DEMO_REGION}.localhost:{port}{path}"


def public_url(port: int, path: str = "/") -> str:
    return f"http://localhost:{port}{path}"


def sign_in(page, base: str, username: str):
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    assert page.url.endswith("/dashboard/"), page.url


def menu_paths(page) -> list[str]:
    hrefs = page.locator("[data-testid=main-nav] a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    return [h for h in hrefs if h and h.startswith("/") and not h.startswith("/api/")]


def detail_paths(page, seen: set[str]) -> list[str]:
    hrefs = page.locator("main a[href^='/']").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    return [h for h in dict.fromkeys(hrefs) if DETAIL.match(h.split("?")[0]) and h not in seen]


def slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"


SERIOUS = ("serious", "critical")
AXE_CHECKED: list[str] = []


def accessibility_problems(page, where: str) -> list[str]:
    """axe-core's serious and critical violations on the page as it stands (the script ships inside the
    axe-playwright-python package; nothing is downloaded)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"resultTypes": ["violations"]})
    assert "violations" in results.response, results.response
    AXE_CHECKED.append(where)
    found = []
    for violation in results.response["violations"]:
        if violation.get("impact") in SERIOUS:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
            found.append(f"{where}: axe {violation['id']} ({violation['impact']}) at {targets}")
    return found


def walk(page, base: str, role: str, start: list[str], axe_paths: tuple[str, ...] = ()) -> list[str]:
    """Opens the start pages and up to MAX_DETAILS records they link to, at both widths, photographing
    each; returns the problems found at phone width, and axe-core's findings on `axe_paths`."""
    problems, seen, details = [], set(), []
    folder = SCREENS / role
    folder.mkdir(parents=True, exist_ok=True)
    queue = list(start)
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        page.set_viewport_size(DESKTOP)
        response = page.goto(base + path)
        if response is None or response.status != 200 or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        page.screenshot(path=str(folder / f"{slug(path)}-desktop.png"), full_page=True)
        if path in axe_paths:
            problems += accessibility_problems(page, f"{role} {path}")
        if len(details) < MAX_DETAILS:
            for link in detail_paths(page, seen | set(queue)):
                if len(details) < MAX_DETAILS:
                    details.append(link)
                    queue.append(link)
        page.set_viewport_size(PHONE)
        page.wait_for_timeout(50)
        page.screenshot(path=str(folder / f"{slug(path)}-phone.png"), full_page=True)
        measured = page.evaluate(OVERFLOW)
        if measured["page"] > measured["width"] + 1:
            problems.append(f"{role} {path}: the page is {measured['page']} px wide at {measured['width']} px")
        if measured["outside"]:
            problems.append(f"{role} {path}: actions off the screen: {measured['outside']}")
    return problems


def test_pages_fit_a_phone_and_are_photographed_at_both_widths(demo_site, browser_context):
    page = browser_context.new_page()
    problems, photographed = {}, 0
    try:
        for role, username in REGION_LOGINS.items():
            browser_context.clear_cookies()
            page.set_viewport_size(DESKTOP)
            sign_in(page, region_url(demo_site).rstrip("/"), username)
            problems[role] = walk(page, region_url(demo_site).rstrip("/"), role, ["/dashboard/", *menu_paths(page)],
                                  axe_paths=("/dashboard/",))
        for role, username in PLATFORM_LOGINS.items():
            browser_context.clear_cookies()
            page.set_viewport_size(DESKTOP)
            sign_in(page, public_url(demo_site).rstrip("/"), username)
            problems[role] = walk(page, public_url(demo_site).rstrip("/"), role, ["/dashboard/", *menu_paths(page)],
                                  axe_paths=("/dashboard/",))

        browser_context.clear_cookies()
        base = region_url(demo_site).rstrip("/")
        page.set_viewport_size(PHONE)
        page.goto(base + "/jobs/register/")
        page.fill("input[name=full_name]", "Siti Aminah")
        page.fill("input[name=email]", "siti.layar@example.id")
        page.fill("input[name=birth_date]", "1998-05-04")
        page.locator("select[name=gender]").select_option("F")
        page.fill("input[name=password]", "sandi-pelamar-yang-panjang")
        page.locator("main button[type=submit]").first.click()
        page.wait_for_load_state()
        problems["applicant"] = walk(page, base, "applicant", ["/jobs/", "/jobs/me/"], axe_paths=("/jobs/", "/jobs/me/"))
        photographed = len(list(SCREENS.rglob("*.png")))
    finally:
        page.close()

    report = "\n".join(f"{line}" for role in problems for line in problems[role])
    (SCREENS / "overflow.txt").write_text(report + "\n" if report else "no overflow found\n", encoding="utf-8")
    assert photographed >= 40
    assert len(AXE_CHECKED) >= len(REGION_LOGINS) + len(PLATFORM_LOGINS) + 2, AXE_CHECKED
    assert [line for role in CHECKED_ROLES for line in problems.get(role, []) if ": axe " not in line] == []
    assert [line for lines in problems.values() for line in lines if ": axe " in line] == []
