"""Personal API tokens: made, named, shown once, stored as a hash, revoked (by the owner, or by HR for
anyone in the region), and refused at once when revoked, expired or their login is ended."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from kinerja.accounts.models import ApiToken
from kinerja.accounts.tokens import digest_of
from kinerja.logins import services
from kinerja.people import services as people_services
from kinerja.people.models import EmployeeStatus
from kinerja.region import facts

from tests.accounts.conftest import with_valid_nip
from tests.helpers import english_client

pytestmark = pytest.mark.django_db


def in_days(days: int) -> datetime.date:
    return facts.today() + datetime.timedelta(days=days)


def call(org, token: str, path: str = "/api/v1/employees/"):
    return english_client(org.region).get(path, HTTP_AUTHORIZATION=f"Token {token}")


def test_a_token_is_shown_once_and_only_its_hash_is_kept(org):
    created = services.create_token(actor=org.staff.user, name="Laporan harian", expires_on=in_days(30))
    row = ApiToken.objects.get(pk=created.token.pk)
    assert created.value.startswith(f"knj_{row.prefix}_")
    assert row.digest == digest_of(created.value)
    assert created.value not in str(ApiToken.objects.filter(pk=row.pk).values().get())
    assert call(org, created.value).status_code == 200
    row.refresh_from_db()
    assert row.last_used_at is not None
    listing = english_client(org.region, org.staff.user).get("/api/v1/tokens/").json()
    assert listing["results"][0]["name"] == "Laporan harian" and "token" not in listing["results"][0]


def test_a_token_needs_a_name_and_an_expiry_within_the_limit(org, settings):
    settings.KINERJA_API_TOKEN_MAX_DAYS = 90
    with pytest.raises(ValidationError) as refused:
        services.create_token(actor=org.staff.user, name="", expires_on=in_days(91))
    assert set(refused.value.message_dict) == {"name", "expires_on"}
    with pytest.raises(ValidationError, match="past"):
        services.create_token(actor=org.staff.user, name="x", expires_on=in_days(-1))
    response = english_client(org.region, org.staff.user).post("/api/v1/tokens/", {"name": "ok", "expires_on": "2001-01-01"},
                                                           content_type="application/json")
    assert response.status_code == 400 and "expires_on" in response.json()


def test_a_revoked_token_is_refused_at_once(org):
    created = services.create_token(actor=org.staff.user, name="skrip", expires_on=in_days(10))
    assert call(org, created.value).status_code == 200
    services.revoke_token(actor=org.staff.user, token=created.token)
    assert call(org, created.value).status_code == 401


def test_an_expired_token_is_refused(org):
    created = services.create_token(actor=org.staff.user, name="lama", expires_on=in_days(1))
    ApiToken.objects.filter(pk=created.token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert call(org, created.value).status_code == 401


def test_a_departed_employees_tokens_end_with_the_login(org):
    created = services.create_token(actor=org.staff.user, name="integrasi", expires_on=in_days(10))
    people_services.update_employee(with_valid_nip(org.staff), actor=org.hr, status=EmployeeStatus.TERMINATED)
    assert call(org, created.value).status_code == 401
    assert ApiToken.objects.get(pk=created.token.pk).revoked_at is not None


def test_hr_revokes_anyone_but_an_employee_only_their_own(org):
    mine = services.create_token(actor=org.staff.user, name="mine", expires_on=in_days(10))
    theirs = services.create_token(actor=org.staff2.user, name="theirs", expires_on=in_days(10))
    with pytest.raises(PermissionDenied):
        services.revoke_token(actor=org.staff.user, token=theirs.token)
    other = english_client(org.region, org.staff.user)
    assert other.post(f"/api/v1/tokens/{theirs.token.pk}/revoke/").status_code == 404  # not even visible
    assert other.post(f"/me/tokens/{theirs.token.pk}/revoke/").status_code == 404
    assert call(org, theirs.value).status_code == 200
    hr = english_client(org.region, org.hr)
    assert hr.post(f"/api/v1/tokens/{theirs.token.pk}/revoke/").status_code == 200
    assert hr.post(f"/logins/tokens/{mine.token.pk}/revoke/").status_code == 302
    assert call(org, theirs.value).status_code == 401 and call(org, mine.value).status_code == 401


def test_the_tokens_page_shows_the_new_token_once(org):
    page = english_client(org.region, org.staff.user)
    response = page.post("/me/tokens/", {"name": "Excel", "expires_on": in_days(5).isoformat()})
    token = ApiToken.objects.get(user=org.staff.user)
    value = response.context["created"].value
    assert value.encode() in response.content and call(org, value).status_code == 200
    again = page.get("/me/tokens/")
    assert value.encode() not in again.content and f"knj_{token.prefix}_".encode() in again.content


def test_the_api_docs_say_how_to_get_a_token(org):
    schema = english_client(org.region, org.hr).get("/api/v1/schema/?format=json").json()
    assert "/me/tokens/" in schema["info"]["description"]
