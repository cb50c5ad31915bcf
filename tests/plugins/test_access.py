"""Who may see and change a region's plugins, through the pages and the API: only the region's HR admin
changes; auditors read; employees and leadership are refused; another region's HR never gets in.
Query limits include the schema switch django-tenants issues before each query."""
import pytest
from kinerja.accounts.models import Role
from kinerja.plugins import services
from kinerja.plugins.models import PluginActivation, PluginConfigVersion

from tests.factories import make_api_token
from tests.helpers import assert_queries, client_for, in_region, make_user

pytestmark = pytest.mark.django_db
BKT = "kinerja-tpp-bukittinggi"


@pytest.fixture
def hr(region_a):
    return make_user(region_a, Role.HR_ADMIN, username="hr-a")


def settings_post(config: dict, **extra) -> dict:
    """The settings form's fields for a stored configuration."""
    data = {}
    for key, value in config.items():
        if isinstance(value, dict):
            data.update({f"{key}__class_{k}": v for k, v in value.items()})
        else:
            data[key] = value
    data.update(extra)
    return data


def test_hr_admin_lists_plugins_in_bounded_queries(plugin_host, region_a, hr):
    with in_region(region_a):
        services.set_plugin_enabled(BKT, True, actor=hr)
        services.set_plugin_enabled("kinerja-training-national", True, actor=hr)
    client = client_for(region_a, hr)
    with assert_queries(6):
        response = client.get("/plugins/")
    assert response.status_code == 200
    html = response.content.decode()
    for info in plugin_host.plugins():
        assert f'data-plugin="{info.name}"' in html


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.LEADERSHIP])
def test_employee_and_leadership_cannot_open_or_change_plugins(plugin_host, region_a, role):
    client = client_for(region_a, make_user(region_a, role))
    assert client.get("/plugins/").status_code == 403
    assert client.get(f"/plugins/{BKT}/").status_code == 403
    assert client.post(f"/plugins/{BKT}/enabled/", {"enabled": "1"}).status_code == 403
    assert client.get("/api/v1/plugins/").status_code == 403
    assert client.put(f"/api/v1/plugins/{BKT}/activation/", {"enabled": True},
                      content_type="application/json").status_code == 403
    with in_region(region_a):
        assert not PluginActivation.objects.exists()


def test_auditor_reads_but_cannot_change(plugin_host, region_a):
    client = client_for(region_a, make_user(region_a, Role.AUDITOR))
    assert client.get("/plugins/").status_code == 200
    assert client.get(f"/plugins/{BKT}/").status_code == 200
    assert client.get("/api/v1/plugins/").status_code == 200
    assert client.post(f"/plugins/{BKT}/enabled/", {"enabled": "1"}).status_code == 403
    assert client.post(f"/plugins/{BKT}/", {"performance_percent": "50"}).status_code == 403
    assert client.put(f"/api/v1/plugins/{BKT}/config/", {"config": {}},
                      content_type="application/json").status_code == 403
    with in_region(region_a):
        assert not PluginActivation.objects.exists() and not PluginConfigVersion.objects.exists()


def test_another_regions_hr_cannot_reach_this_region(plugin_host, region_a, region_b):
    other_hr = make_user(region_b, Role.HR_ADMIN, username="hr-b")
    client = client_for(region_b, other_hr)
    client.defaults["HTTP_HOST"] = client_for(region_a).defaults["HTTP_HOST"]
    response = client.post(f"/plugins/{BKT}/enabled/", {"enabled": "1"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    with in_region(region_b):
        token = make_api_token(other_hr)
    crossed = client_for(region_a).put(f"/api/v1/plugins/{BKT}/activation/", {"enabled": True},
                                       content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}")
    assert crossed.status_code == 401
    with in_region(region_a):
        assert not PluginActivation.objects.exists()


def test_hr_enables_and_configures_through_the_pages(plugin_host, region_a, hr):
    client = client_for(region_a, hr)
    assert client.post(f"/plugins/{BKT}/enabled/", {"enabled": "1"}).status_code == 302
    with in_region(region_a):
        defaults = PluginConfigVersion.objects.get(plugin_name=BKT).config
    form = client.get(f"/plugins/{BKT}/").content.decode()
    assert 'name="base_by_class__class_17"' in form and 'name="performance_percent"' in form

    bad = settings_post(defaults, performance_percent="150", base_by_class__class_7="-1", reason="")
    response = client.post(f"/plugins/{BKT}/", bad)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "performance_percent" in errors and "base_by_class__class_7" in errors
    assert 'class="errorlist' in response.content.decode()

    good = settings_post(defaults, performance_percent="65", reason="Perwako 12/2025")
    response = client.post(f"/plugins/{BKT}/", good)
    assert response.status_code == 302
    with in_region(region_a):
        latest = PluginConfigVersion.objects.filter(plugin_name=BKT).order_by("-number").first()
    assert latest.number == 2 and latest.config["performance_percent"] == "65" and latest.reason == "Perwako 12/2025"
    page = client.get(f"/plugins/{BKT}/").content.decode()
    assert "<strong>Bagian kinerja</strong>: 60 → 65" in page and hr.display_name in page


def test_api_lists_enables_and_validates_settings(plugin_host, region_a, hr):
    client = client_for(region_a, hr)
    response = client.put(f"/api/v1/plugins/{BKT}/activation/", {"enabled": True, "reason": "mulai"},
                          content_type="application/json")
    assert response.status_code == 200 and response.json()["enabled"] is True
    assert response.json()["config_version"]["number"] == 1
    with assert_queries(5):
        listing = client.get("/api/v1/plugins/")
    assert listing.status_code == 200
    assert {row["name"] for row in listing.json()} == {info.name for info in plugin_host.plugins()}

    detail = client.get(f"/api/v1/plugins/{BKT}/").json()
    assert {f["name"] for f in detail["config_schema"]} >= {"base_by_class", "performance_percent"}

    current = client.get(f"/api/v1/plugins/{BKT}/config/").json()["current"]["config"]
    invalid = client.put(f"/api/v1/plugins/{BKT}/config/", {"config": dict(current, factor_kurang="-3", oops=1)},
                         content_type="application/json")
    assert invalid.status_code == 400 and set(invalid.json()) == {"factor_kurang", "oops"}
    valid = client.put(f"/api/v1/plugins/{BKT}/config/",
                       {"config": dict(current, factor_kurang="40"), "reason": "revisi"},
                       content_type="application/json")
    assert valid.status_code == 200
    body = valid.json()
    assert body["current"]["number"] == 2 and body["current"]["config"]["factor_kurang"] == "40"
    assert [v["number"] for v in body["history"]] == [2, 1]
    assert client.get("/api/v1/plugins/kinerja-nowhere/").status_code == 404
