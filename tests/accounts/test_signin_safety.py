"""Throttling and temporary lockout (django-axes) on staff sign-in, the job portal and API tokens: the
11th wrong attempt within the window is refused even with the right password, and let through after
the cool-off. No test sleeps: the recorded attempts are moved back in time."""
import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import make_password
from kinerja.recruitment.models import Applicant

from tests.helpers import PASSWORD, english_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 10
    import datetime

    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)


def sign_in(org, username, password, address="10.0.0.1"):
    return english_client(org.region).post("/accounts/login/", {"username": username, "password": password},
                                           REMOTE_ADDR=address)


def age_attempts(minutes: int) -> None:
    import datetime

    from django.utils import timezone

    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=minutes))


@pytest.fixture
def staff_user(org):
    user = org.staff.user
    user.set_password(PASSWORD)
    user.save()
    return user


def test_the_eleventh_attempt_is_refused_even_with_the_right_password(org, staff_user):
    for _ in range(9):
        assert sign_in(org, staff_user.username, "salah-sandi").status_code == 200
    assert sign_in(org, staff_user.username, "salah-sandi").status_code == 429  # the 10th failure locks
    refused = sign_in(org, staff_user.username, PASSWORD)
    assert refused.status_code == 429 and b"Too many failed sign-ins" in refused.content
    # by the NIP, the same account: the same counter
    assert sign_in(org, org.staff.nip, PASSWORD).status_code == 429
    age_attempts(16)  # the cool-off has passed
    assert sign_in(org, staff_user.username, PASSWORD).status_code == 302


def test_nine_failures_then_the_right_password_passes_and_resets(org, staff_user):
    for _ in range(9):
        sign_in(org, staff_user.username, "salah-sandi")
    assert sign_in(org, staff_user.username, PASSWORD).status_code == 302
    assert sign_in(org, staff_user.username, "salah-sandi").status_code == 200  # the count started again


def test_one_address_guessing_many_accounts_is_locked_out(org, staff_user):
    for n in range(10):
        sign_in(org, f"tebakan-{n}", "salah-sandi", address="10.9.9.9")  # ten accounts, one failure each
    assert sign_in(org, staff_user.username, PASSWORD, address="10.9.9.9").status_code == 429
    assert sign_in(org, staff_user.username, PASSWORD, address="10.1.1.1").status_code == 302


def test_the_applicant_portal_locks_out_too(org):
    Applicant.objects.create(email="pelamar@example.com", full_name="Pelamar", birth_date="1999-01-01", gender="F",
                             password=make_password(PASSWORD))
    portal = english_client(org.region)

    def attempt(password):
        return portal.post("/jobs/login/", {"email": "pelamar@example.com", "password": password},
                           REMOTE_ADDR="10.2.2.2")

    for _ in range(9):
        assert attempt("salah").status_code == 200
    assert attempt("salah").status_code == 429  # the 10th failure locks
    refused = attempt(PASSWORD)
    assert refused.status_code == 429 and b"Too many failed sign-ins" in refused.content
    age_attempts(16)
    assert attempt(PASSWORD).status_code == 302


def test_guessing_api_tokens_is_locked_out(org):
    from kinerja.logins import services
    from kinerja.region import facts

    created = services.create_token(actor=org.hr, name="ok", expires_on=facts.today())
    client = english_client(org.region)
    for n in range(9):
        response = client.get("/api/v1/employees/", HTTP_AUTHORIZATION=f"Token knj_abc{n}_guess",
                              REMOTE_ADDR="10.3.3.3")
        assert response.status_code == 401
    tenth = client.get("/api/v1/employees/", HTTP_AUTHORIZATION="Token knj_abc9_guess", REMOTE_ADDR="10.3.3.3")
    assert tenth.status_code == 429
    locked = client.get("/api/v1/employees/", HTTP_AUTHORIZATION=f"Token {created.value}", REMOTE_ADDR="10.3.3.3")
    assert locked.status_code == 429
    other = client.get("/api/v1/employees/", HTTP_AUTHORIZATION=f"Token {created.value}", REMOTE_ADDR="10.4.4.4")
    assert other.status_code == 200
