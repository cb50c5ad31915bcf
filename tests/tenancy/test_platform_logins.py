"""The platform's own logins: the first operator comes from `create_operator`; after that operators make,
close and reopen operator, BKN analyst and vendor logins on their page and through the API, and nobody
else can. A new login sets its own password through a one-time link."""
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.test import Client

from kinerja.accounts.models import ApiToken, Role
from kinerja.audit.models import AuditEntry
from kinerja.logins.platform_logins import close_platform_login, create_platform_login
from kinerja.plugins.failures.models import VendorAccount
from kinerja.celery import app
from tests.helpers import PASSWORD, client_for, english_client, in_region, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager_tasks():
    """Tasks sent by name run at once, in this process (mail lands in mail.outbox)."""
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def operator():
    return make_user(None, Role.OPERATOR, username="first-operator")


NEW_PASSWORD = "a-new-long-passphrase-9"


def set_password_through(link: str, password: str = NEW_PASSWORD) -> None:
    path = re.sub(r"^https?://[^/]+", "", link)
    browser = client_for(None)
    form = browser.get(path, follow=True)
    assert form.status_code == 200
    done = browser.post(form.redirect_chain[-1][0] if form.redirect_chain else path,
                        {"new_password1": password, "new_password2": password})
    assert done.status_code == 302


def signs_in(username: str, password: str = NEW_PASSWORD) -> Client | None:
    browser = client_for(None)
    answer = browser.post("/accounts/login/", {"username": username, "password": password})
    return browser if answer.status_code == 302 else None


def test_a_new_deployment_gets_its_first_operator_from_the_command_who_sets_a_password_and_signs_in(capsys):
    call_command("create_operator", "budi", "--full-name", "Budi Santoso", "--site-url", "http://localhost:8000")
    printed = capsys.readouterr().out
    link = re.search(r"(http://localhost:8000/accounts/reset/\S+)", printed).group(1)
    budi = get_user_model().objects.get(username="budi")
    assert (budi.role, budi.is_staff, budi.has_usable_password()) == (Role.OPERATOR, True, False)
    set_password_through(link)
    browser = signs_in("budi")
    assert browser is not None and browser.get("/operator/logins/").status_code == 200


def test_the_command_refuses_a_taken_username_and_a_bad_address_with_the_reason(operator):
    with pytest.raises(CommandError, match="username: .*FIRST-operator"):
        call_command("create_operator", "FIRST-operator", "--full-name", "Someone")
    with pytest.raises(CommandError, match="email: .*not-an-address"):
        call_command("create_operator", "someone", "--full-name", "Someone", "--email", "not-an-address")
    assert not get_user_model().objects.filter(username="someone").exists()


def test_an_operator_makes_a_bkn_analyst_on_the_page_and_hands_over_the_link(operator):
    page = english_client(None, operator)
    made = page.post("/operator/logins/", {"username": "analis.bkn", "full_name": "Sari Analis", "email": "",
                                           "role": Role.BKN_ANALYST, "vendor": ""})
    assert made.status_code == 200 and b'data-testid="platform-login-created"' in made.content
    link = re.search(rb'data-testid="set-password-link">([^<]+)<', made.content).group(1).decode()
    assert "/accounts/reset/" in link
    analyst = get_user_model().objects.get(username="analis.bkn")
    assert (analyst.role, analyst.is_staff) == (Role.BKN_ANALYST, False)
    assert AuditEntry.objects.filter(action="accounts.login.create", target_id=str(analyst.pk),
                                     actor_name=operator.display_name).exists()
    set_password_through(link)
    assert signs_in("analis.bkn") is not None


def test_a_vendor_login_speaks_for_its_vendor_and_the_link_is_mailed(operator, eager_tasks,
                                                                    django_capture_on_commit_callbacks):
    api = english_client(None, operator)
    with django_capture_on_commit_callbacks(execute=True):
            made = api.post("/api/v1/platform-logins/", {"username": "vendor.nusantara", "full_name": "PT Nusantara",
                                                     "email": "dev@nusantara.example", "role": Role.PLUGIN_VENDOR,
                                                     "vendor": "PT Nusantara Digital"}, content_type="application/json")
    assert made.status_code == 201, made.content
    assert made.json()["emailed_to"] == "dev@nusantara.example" and made.json()["set_password_url"] is None
    vendor = get_user_model().objects.get(username="vendor.nusantara")
    assert VendorAccount.objects.get(user=vendor).vendor == "PT Nusantara Digital"
    assert any("/accounts/reset/" in message.body and message.to == ["dev@nusantara.example"]
               for message in mail.outbox)
    listed = api.get("/api/v1/platform-logins/").json()["results"]
    assert {(row["username"], row["vendor"]) for row in listed} >= {("vendor.nusantara", "PT Nusantara Digital")}


@pytest.mark.parametrize("body, field", [
    ({"username": "x y", "full_name": "A", "role": "operator"}, "username"),
    ({"username": "first-operator", "full_name": "A", "role": "operator"}, "username"),
    ({"username": "ok.name", "full_name": "A", "role": "hr_admin"}, "role"),
    ({"username": "ok.name", "full_name": "A", "role": "plugin_vendor"}, "vendor"),
    ({"username": "ok.name", "full_name": "A", "role": "operator", "vendor": "Someone"}, "vendor"),
    ({"username": "ok.name", "full_name": "A", "role": "operator", "email": "nope"}, "email"),
    ({"username": "ok.name", "full_name": "A", "role": "operator", "email": "a" * 250 + "@x.id"}, "email"),
    ({"username": "ok.name", "full_name": "A" * 201, "role": "operator"}, "full_name"),
])
def test_bad_input_names_the_field_and_makes_nothing(operator, body, field):
    refused = english_client(None, operator).post("/api/v1/platform-logins/", body, content_type="application/json")
    assert refused.status_code == 400 and field in refused.json(), refused.content
    assert not get_user_model().objects.filter(username="ok.name").exists()


def test_closing_a_login_ends_its_sessions_and_tokens_at_once_and_reopening_needs_a_reason(operator):
    analyst = make_user(None, Role.BKN_ANALYST, username="analyst-to-close")
    analyst_browser = client_for(None, analyst)
    assert analyst_browser.get("/bkn/").status_code == 200
    ApiToken.objects.create(user=analyst, name="report script", prefix="knj_test", digest="0" * 64,
                            expires_at="2099-01-01T00:00:00Z")
    page = english_client(None, operator)
    assert page.post(f"/operator/logins/{analyst.pk}/close/", {"reason": ""}).status_code == 302
    analyst.refresh_from_db()
    assert analyst.is_active, "no reason, nothing closed"
    page.post(f"/operator/logins/{analyst.pk}/close/", {"reason": "moved to another directorate"})
    analyst.refresh_from_db()
    assert not analyst.is_active
    assert analyst_browser.get("/bkn/").status_code == 302  # back to sign-in
    assert not ApiToken.objects.filter(user=analyst, revoked_at__isnull=True).exists()
    assert signs_in("analyst-to-close", PASSWORD) is None
    page.post(f"/operator/logins/{analyst.pk}/reopen/", {"reason": "back in the team"})
    analyst.refresh_from_db()
    assert analyst.is_active
    assert list(AuditEntry.objects.filter(target_id=str(analyst.pk), target_type="accounts.user")
                .order_by("at").values_list("action", "reason")) == [
        ("accounts.login.closed", "moved to another directorate"), ("accounts.login.reopened", "back in the team")]


def test_an_operator_cannot_close_their_own_login(operator):
    refused = english_client(None, operator).post(f"/operator/logins/{operator.pk}/close/", {"reason": "oops"},
                                                  follow=True)
    assert b"your own login" in refused.content
    operator.refresh_from_db()
    assert operator.is_active


def test_the_platform_never_loses_its_last_active_operator(operator):
    other = make_user(None, Role.OPERATOR, username="only-other")
    get_user_model().objects.filter(pk=operator.pk).update(is_active=False)
    operator.refresh_from_db()
    with pytest.raises(ValidationError, match="last operator"):
        close_platform_login(actor=operator, user=other, reason="r")


@pytest.mark.parametrize("role", [Role.BKN_ANALYST, Role.PLUGIN_VENDOR])
def test_other_platform_roles_cannot_see_or_make_platform_logins(operator, role):
    other = client_for(None, make_user(None, role))
    assert other.get("/operator/logins/").status_code == 403
    assert other.get(f"/operator/logins/{operator.pk}/").status_code == 403
    assert other.post("/operator/logins/", {"username": "sneaky", "full_name": "S", "role": "operator"}).status_code == 403
    assert other.get("/api/v1/platform-logins/").status_code == 403
    assert other.post("/api/v1/platform-logins/", {"username": "sneaky", "full_name": "S", "role": "operator"},
                      content_type="application/json").status_code == 403
    assert not get_user_model().objects.filter(username="sneaky").exists()


def test_a_regions_hr_admin_cannot_reach_platform_logins_from_its_region(region_a, operator):
    hr = make_user(region_a, Role.HR_ADMIN)
    region_browser = client_for(region_a, hr)
    assert region_browser.get("/operator/logins/").status_code == 404
    assert region_browser.get("/api/v1/platform-logins/").status_code == 404
    with in_region(region_a), pytest.raises(PermissionDenied):
        create_platform_login(actor=hr, username="x-op", full_name="X", role=Role.OPERATOR,
                              site_url="http://localhost")
