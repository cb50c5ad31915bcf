"""Optional TOTP two-factor for HR admins and platform users; a region can make it mandatory for HR."""
import pytest
from django.core.exceptions import PermissionDenied
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from kinerja.logins import services

from tests.helpers import PASSWORD, english_client, make_user

pytestmark = pytest.mark.django_db


def code_for(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def hr_with_password(org):
    org.hr.set_password(PASSWORD)
    org.hr.save()
    return org.hr


def sign_in(org, user):
    client = english_client(org.region)
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_an_hr_admin_with_a_device_must_enter_a_code(org, hr_with_password):
    device = services.start_two_factor(actor=org.hr)
    services.confirm_two_factor(actor=org.hr, device=device, code=code_for(device))
    client = sign_in(org, org.hr)
    held = client.get("/people/employees/")
    assert held.status_code == 302 and held["Location"].endswith("/me/two-factor/verify/")
    assert client.get("/api/v1/employees/").status_code == 403
    wrong = client.post("/me/two-factor/verify/", {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert wrong.status_code == 200 and client.get("/people/employees/").status_code == 302
    device.refresh_from_db()
    # the code used to confirm the device may not be used again (django-otp keeps the last step), and the
    # wrong code above started throttling: as if the next 30-second step had come
    device.throttling_failure_count, device.throttling_failure_timestamp, device.last_t = 0, None, -1
    device.save()
    assert client.post("/me/two-factor/verify/", {"code": code_for(device)}).status_code == 302
    assert client.get("/people/employees/").status_code == 200


def test_a_region_makes_it_mandatory_for_hr(org, hr_with_password):
    services.update_sign_in_policy(actor=org.hr, require_two_factor_for_hr=True, email_links=True)
    client = sign_in(org, org.hr)
    held = client.get("/dashboard/")
    assert held["Location"].endswith("/me/two-factor/setup/")
    setup = client.get("/me/two-factor/setup/")
    assert setup.status_code == 200 and b"two-factor-mandatory" in setup.content
    device = TOTPDevice.objects.get(user=org.hr, confirmed=False)
    assert client.post("/me/two-factor/setup/", {"code": code_for(device)}).status_code == 302
    assert client.get("/dashboard/").status_code == 200


def test_employees_do_not_get_two_factor_and_are_not_held(org):
    with pytest.raises(PermissionDenied):
        services.start_two_factor(actor=org.staff.user)
    services.update_sign_in_policy(actor=org.hr, require_two_factor_for_hr=True, email_links=True)
    org.staff.user.set_password(PASSWORD)
    org.staff.user.save()
    assert sign_in(org, org.staff.user).get("/dashboard/").status_code == 200


def test_a_platform_user_may_turn_it_on(db):
    operator = make_user(None, "operator", username="op-2fa")
    client = english_client(None)
    assert client.post("/accounts/login/", {"username": "op-2fa", "password": PASSWORD}).status_code == 302
    assert client.get("/me/two-factor/setup/").status_code == 200
    device = TOTPDevice.objects.get(user=operator, confirmed=False)
    assert client.post("/me/two-factor/setup/", {"code": code_for(device)}).status_code == 302
    again = english_client(None)
    again.post("/accounts/login/", {"username": "op-2fa", "password": PASSWORD})
    assert again.get("/operator/").status_code == 302
