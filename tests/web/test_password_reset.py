"""Password pages: the one-time "set your password" link that onboarding sends, and "forgot my
password", both answered by the region whose host the request reached."""
import os
import re

import pytest

from kinerja.accounts.models import Role
from tenants.services import set_password_url
from tests.helpers import client_for, host_of, in_region, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Padang-Panjang-77"


def new_admin_without_password(region):
    user = make_user(region, Role.HR_ADMIN, username="new-admin", email="kepala@bkpsdm.example.id")
    with in_region(region):
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def set_password_through(client, link_path: str):
    """Open the link, then post the new password to the page it leads to."""
    opened = client.get(link_path, follow=True)
    assert opened.context["validlink"] is True
    form_path = opened.redirect_chain[-1][0]
    return client.post(form_path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})


def test_onboarding_link_sets_the_password_once_and_then_stops_working(region_a):
    admin = new_admin_without_password(region_a)
    link = set_password_url(admin, host_of(region_a))
    assert link.startswith(f"https://{host_of(region_a)}/accounts/reset/")  # the configured scheme

    client = client_for(region_a)
    done = set_password_through(client, path_of(link))
    assert done.status_code == 302 and done["Location"] == "/accounts/reset/done/"
    assert client_for(region_a).post(
        "/accounts/login/", {"username": "new-admin", "password": NEW_PASSWORD}).status_code == 302

    again = client_for(region_a).get(path_of(link), follow=True)
    assert again.status_code == 200
    assert again.context["validlink"] is False
    assert "new_password1" not in again.content.decode()


def test_onboarding_link_of_one_region_does_not_work_on_another(region_a, region_b):
    admin = new_admin_without_password(region_a)
    make_user(region_b, Role.HR_ADMIN, username="someone-else")  # a user with the same id may exist there
    response = client_for(region_b).get(path_of(set_password_url(admin, host_of(region_a))), follow=True)
    assert response.context["validlink"] is False


def test_new_password_must_pass_the_rules(region_a):
    admin = new_admin_without_password(region_a)
    client = client_for(region_a)
    opened = client.get(path_of(set_password_url(admin, host_of(region_a))), follow=True)
    response = client.post(opened.redirect_chain[-1][0], {"new_password1": "pendek", "new_password2": "pendek"})
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    with in_region(region_a):
        admin.refresh_from_db()
        assert not admin.has_usable_password()


def test_forgot_password_mails_a_link_to_the_regions_own_host(region_a, region_b, mailoutbox):
    make_user(region_a, Role.EMPLOYEE, username="andi", email="andi@bukittinggi.example.id")
    make_user(region_b, Role.EMPLOYEE, username="andi-b", email="andi@bukittinggi.example.id")
    response = client_for(region_a).post("/accounts/password_reset/", {"email": "andi@bukittinggi.example.id"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password_reset/done/"
    assert len(mailoutbox) == 1, "only the region whose site was used may send"
    message = mailoutbox[0]
    assert message.to == ["andi@bukittinggi.example.id"]
    link = re.search(r"https?://\S+/accounts/reset/\S+/", message.body).group(0)
    assert link.startswith(f"https://{host_of(region_a)}/")  # the configured site address is https

    client = client_for(region_a)
    assert set_password_through(client, path_of(link)).status_code == 302
    assert client_for(region_a).post(
        "/accounts/login/", {"username": "andi", "password": NEW_PASSWORD}).status_code == 302


def test_forgot_password_for_an_unknown_address_sends_nothing_and_says_the_same(region_a, mailoutbox):
    response = client_for(region_a).post("/accounts/password_reset/", {"email": "nobody@example.id"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password_reset/done/"
    assert mailoutbox == []


def test_console_is_the_default_mail_backend():
    # The test runner swaps in its own backend, so read what the settings module itself chose.
    if "DJANGO_EMAIL_BACKEND" in os.environ:
        pytest.skip("DJANGO_EMAIL_BACKEND is set on this machine")
    from kinerja import settings as project_settings

    assert project_settings.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"


def test_logout_ends_the_session(region_a):
    client = client_for(region_a, make_user(region_a, Role.EMPLOYEE))
    assert client.get("/dashboard/").status_code == 200
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert client.get("/dashboard/").status_code == 302


def test_password_pages_use_the_kinerja_layout(region_a, mailoutbox):
    client = client_for(region_a)
    client.cookies["django_language"] = "en"
    for path in ("/accounts/password_reset/", "/accounts/password_reset/done/", "/accounts/reset/done/",
                 "/accounts/reset/MQ/wrong-token/"):
        html = client.get(path, follow=True).content.decode()
        assert 'data-testid="page-title"' in html and 'data-testid="region-name"' in html, path
    make_user(region_a, Role.EMPLOYEE, username="rudi", email="rudi@example.id")
    client.post("/accounts/password_reset/", {"email": "rudi@example.id"})
    assert mailoutbox[0].subject.startswith("Choose your Kinerja password")


@pytest.mark.parametrize("forged", [{"HTTP_HOST": "{host}:6666"}, {"HTTP_X_FORWARDED_HOST": "attacker.example"},
                                    {"HTTP_X_FORWARDED_HOST": "attacker.example", "HTTP_X_FORWARDED_PORT": "6666"}])
def test_a_reset_requested_with_a_forged_host_mails_a_link_to_the_real_site(region_a, mailoutbox, settings, forged):
    """Attack: the request names another host or port, hoping the victim's mail links there and hands
    over the token. The link is built from the configured site address and the region's own domain."""
    settings.KINERJA_SITE_URL = "https://kinerja.example.go.id"
    make_user(region_a, Role.EMPLOYEE, username="korban", email="korban@bukittinggi.example.id")
    headers = {name: value.format(host=host_of(region_a)) for name, value in forged.items()}
    response = client_for(region_a).post("/accounts/password_reset/", {"email": "korban@bukittinggi.example.id"},
                                         **headers)
    assert response.status_code == 302
    link = re.search(r"https?://\S+/accounts/reset/\S+/", mailoutbox[0].body).group(0)
    assert link.startswith(f"https://{host_of(region_a)}/accounts/reset/")
    assert "6666" not in mailoutbox[0].body and "attacker" not in mailoutbox[0].body
