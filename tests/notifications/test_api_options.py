"""OPTIONS on the caller's own notification preferences describes the endpoint instead of failing."""
from kinerja.accounts.models import Role

from tests.helpers import client_for, make_user


def test_options_on_preferences_answers(region_a):
    client = client_for(region_a, make_user(region_a, Role.EMPLOYEE))
    response = client.options("/api/v1/notifications/preferences/")
    assert response.status_code == 200 and response.json()["name"]
