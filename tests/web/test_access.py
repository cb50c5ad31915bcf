"""Pages a role may not open answer 403 with a readable page, never a server error; roles do not carry
over from one kind of site to the other."""
import pytest

from kinerja.accounts.models import Role
from tests.helpers import client_for, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("role", "path"), [
    (Role.EMPLOYEE, "/people/units/"),
    (Role.EMPLOYEE, "/people/imports/"),
    (Role.EMPLOYEE, "/audit/"),
    (Role.LEADERSHIP, "/people/imports/"),
    (Role.LEADERSHIP, "/audit/"),
    (Role.AUDITOR, "/people/imports/"),
])
def test_forbidden_region_page_is_403_with_our_page(region_a, role, path):
    client = client_for(region_a, make_user(region_a, role))
    client.cookies["django_language"] = "en"
    response = client.get(path)
    assert response.status_code == 403
    assert "403.html" in [t.name for t in response.templates]
    assert 'data-testid="forbidden"' in response.content.decode()


@pytest.mark.parametrize(("role", "path"), [
    (Role.BKN_ANALYST, "/operator/regions/"),
    (Role.PLUGIN_VENDOR, "/operator/regions/"),
    (Role.BKN_ANALYST, "/audit/"),
])
def test_forbidden_platform_page_is_403(db, role, path):
    response = client_for(None, make_user(None, role)).get(path)
    assert response.status_code == 403
    assert 'data-testid="forbidden"' in response.content.decode()


def test_platform_role_inside_a_region_gets_no_dashboard(region_a):
    stray = make_user(region_a, Role.OPERATOR, username="stray-operator")
    response = client_for(region_a, stray).get("/dashboard/")
    assert response.status_code == 403
    assert response.context["nav_items"] == []


def test_region_role_on_the_public_site_gets_no_dashboard(db):
    stray = make_user(None, Role.HR_ADMIN, username="stray-hr")
    assert client_for(None, stray).get("/dashboard/").status_code == 403


def test_anonymous_visitor_is_sent_to_log_in(region_a):
    response = client_for(region_a).get("/dashboard/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client_for(region_a).get("/").status_code == 302


def test_unknown_page_is_our_404(region_a):
    response = client_for(region_a, make_user(region_a, Role.EMPLOYEE)).get("/no-such-page/")
    assert response.status_code == 404
    assert 'data-testid="not-found"' in response.content.decode()
