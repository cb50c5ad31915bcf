"""A person signs in with a real browser and sees their own dashboard and menu, in Indonesian first."""
import pytest

from kinerja.accounts.models import Role
from tests.browser.conftest import PLATFORM_LOGINS, REGION_LOGINS, username
from tests.helpers import PASSWORD
from tests.web.expectations import HEADINGS, PLATFORM_MENUS, REGION_MENUS, SUPERVISOR

# django_db makes pytest-django set up the test database; the data itself is committed by live_site.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def log_in(page, url: str, role: str, password: str = PASSWORD):
    page.goto(url)
    page.fill("#id_username", username(role))
    page.fill("#id_password", password)
    page.click("button[type=submit].primary")
    page.wait_for_load_state()


def menu_keys(page) -> list[str]:
    return page.locator("[data-testid=main-nav] a").evaluate_all("links => links.map(a => a.dataset.nav)")


def check_dashboard(page, role, menus, artifacts):
    _english, indonesian = HEADINGS[role]
    assert page.url.endswith("/dashboard/")
    assert page.get_by_test_id("dashboard-title").inner_text() == indonesian
    offered, forbidden = menus[role]
    keys = menu_keys(page)
    assert [key for key in keys if key in offered] == offered, keys
    assert not set(keys) & set(forbidden), keys
    page.screenshot(path=str(artifacts / f"dashboard-{role}.png"), full_page=True)


@pytest.mark.parametrize("role", list(REGION_LOGINS))
def test_region_staff_sign_in_to_their_dashboard(page, live_site, artifacts, role):
    log_in(page, live_site.region_url("/"), role)
    check_dashboard(page, role, REGION_MENUS, artifacts)
    assert page.get_by_test_id("region-name").inner_text() == "Kota Bukittinggi"
    assert REGION_LOGINS[role] in page.get_by_test_id("who").inner_text()


@pytest.mark.parametrize("role", list(PLATFORM_LOGINS))
def test_platform_users_sign_in_to_their_dashboard(page, live_site, artifacts, role):
    log_in(page, live_site.public_url("/"), role)
    check_dashboard(page, role, PLATFORM_MENUS, artifacts)
    assert page.get_by_test_id("region-name").count() == 0


def test_supervisor_sees_the_team(page, live_site):
    log_in(page, live_site.region_url("/"), SUPERVISOR)
    team = page.get_by_test_id("team")
    assert "Andi Saputra" in team.inner_text() and "Dewi Lestari" in team.inner_text()
    assert page.get_by_test_id("team-size").inner_text() == "2"


def test_employee_sees_own_record_not_the_team(page, live_site):
    log_in(page, live_site.region_url("/"), Role.EMPLOYEE)
    profile = page.get_by_test_id("my-profile").inner_text()
    assert "198806202014022001" in profile and "Rina Marlina" in profile
    assert page.get_by_test_id("team").count() == 0
    page.goto(live_site.region_url("/people/imports/"))
    assert page.get_by_test_id("forbidden").is_visible()


def test_switch_to_english_and_back(page, live_site, artifacts):
    """Also: no page visited breaks the Content-Security-Policy (the language menu's script is a static
    file now; an inline one would be refused and reported on the console)."""
    refused = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text else None)
    log_in(page, live_site.region_url("/"), Role.HR_ADMIN)
    assert page.get_by_test_id("dashboard-title").inner_text() == "Administrasi kepegawaian"
    assert page.locator("html").get_attribute("lang") == "id"

    # by keyboard: Tab reaches the switch, Enter on "English" changes the language
    page.get_by_test_id("language-en").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/dashboard/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_test_id("dashboard-title").inner_text() == "HR administration"
    assert page.locator("[data-nav=audit]").inner_text() == "Audit trail"
    page.screenshot(path=str(artifacts / "dashboard-hr_admin-en.png"), full_page=True)

    assert page.get_by_test_id("language-en").is_disabled()  # the language in use is not a button to press
    with page.expect_navigation():
        page.get_by_test_id("language-id").click()
    assert page.get_by_test_id("dashboard-title").inner_text() == "Administrasi kepegawaian"
    assert page.locator("[data-nav=audit]").inner_text() == "Jejak audit"
    for path in ("/people/units/", "/pay/calendar/", "/api/v1/docs/"):
        page.goto(live_site.region_url(path))
        page.wait_for_load_state("networkidle")
    assert page.locator(".swagger-ui").count() == 1, "the API docs page ran its scripts"
    assert refused == []


def test_wrong_password_shows_the_error(page, live_site, artifacts):
    log_in(page, live_site.region_url("/accounts/login/"), Role.HR_ADMIN, password="bukan-sandinya")
    error = page.get_by_test_id("login-error")
    assert error.is_visible()
    assert "tidak cocok" in error.inner_text()
    assert page.url.endswith("/accounts/login/")
    page.screenshot(path=str(artifacts / "login-wrong-password.png"), full_page=True)


def test_a_region_login_does_not_open_the_public_site(page, live_site):
    log_in(page, live_site.public_url("/accounts/login/"), Role.HR_ADMIN)
    assert page.get_by_test_id("login-error").is_visible()


def test_log_out_returns_to_the_login_page(page, live_site):
    log_in(page, live_site.region_url("/"), Role.AUDITOR)
    page.get_by_test_id("logout").click()
    page.wait_for_load_state()
    assert page.url.endswith("/accounts/login/")
    page.goto(live_site.region_url("/dashboard/"))
    assert "/accounts/login/" in page.url
