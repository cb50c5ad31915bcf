"""Indonesian first, English on request; the choice sticks across pages."""
import pytest
from django.conf import settings

from kinerja.accounts.models import Role
from tests.helpers import client_for, make_user

pytestmark = pytest.mark.django_db


def test_indonesian_is_the_default(region_a):
    assert settings.LANGUAGE_CODE == "id"
    html = client_for(region_a).get("/accounts/login/").content.decode()
    assert '<html lang="id">' in html
    assert ">Masuk</h1>" in html and "Kata sandi" in html and "Lupa kata sandi?" in html
    assert "Log in" not in html


def test_wrong_password_message_is_indonesian(region_a):
    make_user(region_a, Role.EMPLOYEE, username="dewi")
    html = client_for(region_a).post("/accounts/login/", {"username": "dewi", "password": "salah"}).content.decode()
    assert "Nama pengguna dan kata sandi Anda tidak cocok" in html


def test_switch_to_english_and_back(region_a):
    client = client_for(region_a, make_user(region_a, Role.HR_ADMIN))
    assert "Administrasi kepegawaian" in client.get("/dashboard/").content.decode()

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/dashboard/"})
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get("/dashboard/").content.decode()
    assert '<html lang="en">' in html and "HR administration" in html and "Audit trail" in html
    assert "Administrasi kepegawaian" not in html

    client.post("/i18n/setlang/", {"language": "id", "next": "/dashboard/"})
    html = client.get("/dashboard/").content.decode()
    assert '<html lang="id">' in html and "Administrasi kepegawaian" in html and "Jejak audit" in html


def test_language_switch_offers_both_languages_by_their_own_names(region_a):
    html = client_for(region_a).get("/accounts/login/").content.decode()
    # a button per language (a select that submits on change would switch while a keyboard user browses it)
    assert ('<button type="submit" name="language" value="id" lang="id" class="link" data-testid="language-id" '
            'aria-current="true" disabled>Bahasa Indonesia</button>') in html
    assert ('<button type="submit" name="language" value="en" lang="en" class="link" data-testid="language-en">'
            'English</button>') in html
    assert 'action="/i18n/setlang/"' in html


def test_english_browsers_may_ask_for_english(region_a):
    html = client_for(region_a).get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">Log in</h1>" in html


def test_role_names_are_translated_in_the_header(region_a):
    client = client_for(region_a, make_user(region_a, Role.LEADERSHIP, full_name="Pak Wali"))
    assert "Pak Wali · Pimpinan (lihat saja)" in client.get("/dashboard/").content.decode()
