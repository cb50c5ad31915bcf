"""HR makes logins for employees (one, a unit, a spreadsheet), the person sets a password through a
one-time link, and signs in with their NIP, username or e-mail."""
import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from kinerja.accounts.models import Role
from kinerja.audit.models import AuditEntry
from kinerja.logins import services
from kinerja.people import services as people_services
from kinerja.people.models import Employee, EmployeeStatus

from tests.accounts.conftest import SITE, with_valid_nip
from tests.factories import make_api_token, make_employee
from tests.helpers import PASSWORD, english_client

pytestmark = pytest.mark.django_db


def set_password(client, link: str, password: str = PASSWORD):
    path = link.split("localhost", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)  # Django swaps the token for a session key, then redirects
    response = client.post(response.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})
    assert response.status_code == 302, response.content[:500]


def test_one_login_with_the_nip_as_username_and_a_link_for_hr_when_no_email(org):
    staff = Employee.objects.get(pk=org.staff.pk)
    staff.user.delete()
    staff.refresh_from_db()
    delivery = services.create_login(actor=org.hr, employee=staff, site_url=SITE)
    staff.refresh_from_db()
    assert staff.user.username == staff.nip and staff.user.role == Role.EMPLOYEE
    assert not staff.user.has_usable_password()
    assert delivery.shown_to_hr and delivery.link.startswith(SITE + "accounts/reset/")
    assert AuditEntry.objects.filter(action="accounts.login.create", target_id=str(staff.user.pk)).exists()
    with pytest.raises(ValidationError, match="already has login"):
        services.create_login(actor=org.hr, employee=staff, site_url=SITE)


def test_the_link_is_mailed_when_the_employee_has_an_address(org, eager_tasks, django_capture_on_commit_callbacks):
    person = make_employee(org.health, "Siti Mail", org.chief, with_user=False)
    Employee.objects.filter(pk=person.pk).update(email="siti@example.go.id")
    person.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        delivery = services.create_login(actor=org.hr, employee=person, site_url=SITE)
    assert delivery.emailed_to == "siti@example.go.id"
    message = mail.outbox[-1]
    assert message.to == ["siti@example.go.id"]
    assert person.nip in message.body and delivery.link in message.body


def test_no_mail_when_the_region_sends_none(org, eager_tasks, django_capture_on_commit_callbacks):
    services.update_sign_in_policy(actor=org.hr, require_two_factor_for_hr=False, email_links=False)
    person = make_employee(org.health, "Tanpa Surel", org.chief, with_user=False)
    Employee.objects.filter(pk=person.pk).update(email="tanpa@example.go.id")
    with django_capture_on_commit_callbacks(execute=True):
        delivery = services.create_login(actor=org.hr, employee=person, site_url=SITE)
    assert delivery.shown_to_hr and not mail.outbox


def test_a_unit_at_once_skips_who_has_a_login_or_left(org):
    fresh = [make_employee(org.education, f"Guru {n}", org.edu_head, with_user=False) for n in range(3)]
    gone = make_employee(org.education, "Pensiunan", org.edu_head, with_user=False, status=EmployeeStatus.RETIRED)
    result = services.create_logins(actor=org.hr, employees=Employee.objects.filter(unit=org.education),
                                    site_url=SITE)
    assert sorted(d.user.username for d in result.created) == sorted(e.nip for e in fresh)
    skipped = {employee.pk: reason for employee, reason in result.skipped}
    assert "left" in skipped[gone.pk] and "already has login" in skipped[org.teacher.pk]


def test_a_spreadsheet_with_an_unknown_nip_creates_nothing(org):
    one = make_employee(org.health, "Satu", org.chief, with_user=False)
    content = f"NIP\n{one.nip}\n199901012020011999\nnot-a-nip\n".encode()
    with pytest.raises(ValidationError) as refused:
        services.create_logins_from_spreadsheet(actor=org.hr, uploaded_file=SimpleUploadedFile("nip.csv", content),
                                                site_url=SITE)
    messages = refused.value.message_dict["file"]
    assert any("row 3" in m and "199901012020011999" in m for m in messages)
    assert any("row 4" in m for m in messages)
    assert not get_user_model().objects.filter(username=one.nip).exists()


def test_a_spreadsheet_of_nips_in_xlsx(org):
    from openpyxl import Workbook

    people = [make_employee(org.health, f"Xlsx {n}", org.chief, with_user=False) for n in range(2)]
    book = Workbook()
    book.active.append(["Nama", "NIP"])
    for person in people:
        book.active.append([person.full_name, person.nip])
    buffer = io.BytesIO()
    book.save(buffer)
    result = services.create_logins_from_spreadsheet(
        actor=org.hr, uploaded_file=SimpleUploadedFile("nip.xlsx", buffer.getvalue()), site_url=SITE)
    assert sorted(d.user.username for d in result.created) == sorted(p.nip for p in people)


def test_only_hr_makes_logins(org):
    person = make_employee(org.health, "Baru", org.chief, with_user=False)
    for actor in (org.staff.user, org.head.user, org.leadership, org.auditor):
        with pytest.raises(PermissionDenied):
            services.create_login(actor=actor, employee=person, site_url=SITE)
    response = english_client(org.region, org.chief.user).post(f"/logins/create/{person.pk}/")
    assert response.status_code == 403
    api = english_client(org.region, org.chief.user).post("/api/v1/logins/", {"nip": person.nip},
                                                       content_type="application/json")
    assert api.status_code == 403
    person.refresh_from_db()
    assert person.user_id is None


def test_through_pages_the_person_sets_a_password_and_signs_in_with_nip_username_or_email(org):
    person = make_employee(org.health, "Lewat Halaman", org.chief, with_user=False)
    Employee.objects.filter(pk=person.pk).update(email="halaman@example.go.id")
    hr = english_client(org.region, org.hr)
    response = hr.post(f"/logins/create/{person.pk}/")
    assert response.status_code == 200
    person.refresh_from_db()
    link = services.set_password_url(person.user, SITE)  # what the e-mail holds
    visitor = english_client(org.region)
    set_password(visitor, link)
    for identifier in (person.nip, person.user.username, "HALAMAN@example.go.id"):
        fresh = english_client(org.region)
        response = fresh.post("/accounts/login/", {"username": identifier, "password": PASSWORD})
        assert response.status_code == 302 and response["Location"].endswith("/dashboard/"), identifier


def test_the_api_makes_a_unit_of_logins(org):
    people = [make_employee(org.education, f"Api {n}", org.edu_head, with_user=False) for n in range(2)]
    api = english_client(org.region, org.hr)
    response = api.post("/api/v1/logins/bulk/", {"unit": org.education.code}, content_type="application/json")
    assert response.status_code == 201, response.content
    created = {row["username"] for row in response.json()["created"]}
    assert created == {p.nip for p in people}
    assert all(row["set_password_url"] for row in response.json()["created"])  # no e-mail: HR hands them on
    bad = api.post("/api/v1/logins/bulk/", {"unit": "NOPE"}, content_type="application/json")
    assert bad.status_code == 400 and "unit" in bad.json()


def test_a_departed_employee_is_refused_at_once_and_keeps_their_history(org):
    user = org.staff.user
    user.set_password(PASSWORD)
    user.save()
    client = english_client(org.region)
    assert client.post("/accounts/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    assert client.get("/dashboard/").status_code == 200
    people_services.update_employee(with_valid_nip(org.staff), actor=org.hr, status=EmployeeStatus.RETIRED,
                                    reason="BUP")
    user.refresh_from_db()
    assert not user.is_active
    assert client.get("/dashboard/").status_code == 302  # the open session ended
    again = english_client(org.region).post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert again.status_code == 200 and b'data-testid="login-error"' in again.content
    assert Employee.objects.get(pk=org.staff.pk).user_id == user.pk  # the record still names the login
    closed = AuditEntry.objects.get(action="accounts.login.closed", target_id=str(user.pk))
    assert closed.after["is_active"] is False


@pytest.mark.parametrize("status", [EmployeeStatus.TERMINATED, EmployeeStatus.TRANSFERRED])
def test_dismissed_or_moved_away_lose_the_login_too(org, status):
    people_services.update_employee(with_valid_nip(org.staff2), actor=org.hr, status=status)
    org.staff2.user.refresh_from_db()
    assert not org.staff2.user.is_active
    with pytest.raises(ValidationError, match="left"):
        services.reactivate_login(actor=org.hr, user=org.staff2.user, reason="mistake")


def test_hr_of_one_region_is_unknown_in_another(org, region_b):
    other = english_client(region_b, None)
    other.force_login(org.hr)  # a session made in region A names a user id region B does not know as HR
    response = other.get("/logins/")
    assert response.status_code in (302, 403)
    token_client = english_client(region_b)
    token = make_api_token(org.hr)
    assert token_client.get("/api/v1/logins/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401
    assert english_client(org.region).get("/api/v1/logins/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200


@pytest.mark.parametrize("forged", [{"HTTP_HOST": "{host}:6666"}, {"HTTP_X_FORWARDED_HOST": "attacker.example"}])
def test_a_login_made_from_a_forged_host_hands_out_a_link_to_the_real_site(org, settings, forged):
    """Attack: HR's request (or one replayed through a proxy) names another host or port, hoping the
    set-password link HR hands on points there with its token. Pages and API build it from the configured
    site address and the region's own domain."""
    settings.KINERJA_SITE_URL = "https://kinerja.example.go.id"
    host = org.region.get_primary_domain().domain
    headers = {name: value.format(host=host) for name, value in forged.items()}
    person = make_employee(org.health, "Tautan Asli", org.chief, with_user=False)
    page = english_client(org.region, org.hr).post(f"/logins/create/{person.pk}/", **headers)
    other = make_employee(org.health, "Tautan Api", org.chief, with_user=False)
    api = english_client(org.region, org.hr).post("/api/v1/logins/", {"nip": other.nip},
                                                   content_type="application/json", **headers)
    assert page.status_code == 200 and api.status_code == 201, api.content
    for text in (page.content.decode(), api.json()["set_password_url"]):
        assert f"https://{host}/accounts/reset/" in text
        assert "6666" not in text and "attacker" not in text
