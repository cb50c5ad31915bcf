"""Requests reach the right schema by host, and a region's users stay in their region."""
import pytest
from django_tenants.utils import schema_context
from kinerja.accounts.models import Role
from kinerja.people.models import Unit

from tests.helpers import PASSWORD, client_for, host_of, in_region, make_user

pytestmark = pytest.mark.django_db


def test_bare_host_serves_public_site_and_region_host_serves_region(region_a):
    public = client_for(None).get("/accounts/login/")
    regional = client_for(region_a).get("/accounts/login/")
    assert public.status_code == 200 and regional.status_code == 200
    assert "Kota Bukittinggi" in regional.content.decode()
    assert "Kota Bukittinggi" not in public.content.decode()


def test_unknown_subdomain_is_not_found(db, client):
    response = client.get("/accounts/login/", HTTP_HOST="nowhere.localhost")
    assert response.status_code == 404


def test_data_written_in_one_region_is_invisible_in_another(region_a, region_b):
    with in_region(region_a):
        Unit.objects.create(code="DINKES", name="Dinas Kesehatan")
    with in_region(region_b):
        assert not Unit.objects.filter(code="DINKES").exists()
    with schema_context("public"):
        from django.db import connection
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('public.people_unit')")
            assert cursor.fetchone()[0] is None, "people data must never have a table in public"


def test_user_of_one_region_cannot_log_in_to_another(region_a, region_b):
    make_user(region_a, Role.HR_ADMIN, username="siti")
    assert client_for(region_a).post("/accounts/login/", {"username": "siti", "password": PASSWORD}).status_code == 302
    response = client_for(region_b).post("/accounts/login/", {"username": "siti", "password": PASSWORD})
    assert response.status_code == 200 and response.context["form"].errors
    assert not response.wsgi_request.user.is_authenticated


def test_session_of_one_region_is_not_accepted_by_another(region_a, region_b):
    user = make_user(region_a, Role.HR_ADMIN)
    client = client_for(region_a, user)
    assert client.get("/people/units/").status_code == 200
    client.defaults["HTTP_HOST"] = host_of(region_b)
    response = client.get("/people/units/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_api_token_of_one_region_is_refused_by_another(region_a, region_b):
    from tests.factories import make_api_token

    user = make_user(region_a, Role.HR_ADMIN)
    with in_region(region_a):
        token = make_api_token(user)
    ok = client_for(region_a).get("/api/v1/units/", HTTP_AUTHORIZATION=f"Token {token}")
    crossed = client_for(region_b).get("/api/v1/units/", HTTP_AUTHORIZATION=f"Token {token}")
    assert ok.status_code == 200
    assert crossed.status_code == 401
