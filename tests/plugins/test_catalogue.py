"""The public plugin catalogue: installed plugins with versions, hooks and the regions using them, as a
page and as JSON; refused plugins are shown to the platform operator only."""
import pytest

from kinerja.accounts.models import Role
from kinerja.plugins import services
from kinerja_plugin_api.hookspecs import HOOK_API_VERSION
from tests.helpers import assert_queries, client_for, in_region, make_user
from tests.plugins.fake import future_api

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue_host(plugin_host, region_a, region_b):
    plugin_host.register(future_api)  # refused: it needs hook API 3
    with in_region(region_a):
        services.set_plugin_enabled("kinerja-tpp-bukittinggi", True, actor=make_user(region_a, Role.HR_ADMIN))
        services.set_plugin_enabled("kinerja-training-national", True, actor=make_user(region_a, Role.HR_ADMIN))
    with in_region(region_b):
        services.set_plugin_enabled("kinerja-training-national", True, actor=make_user(region_b, Role.HR_ADMIN))
    return plugin_host


def test_catalogue_json_lists_plugins_versions_hooks_and_regions(catalogue_host):
    with assert_queries(4):
        response = client_for(None).get("/plugins/catalogue.json")
    assert response.status_code == 200
    data = response.json()
    assert data["hook_api_version"] == HOOK_API_VERSION
    plugins = {p["name"]: p for p in data["plugins"]}
    assert plugins["kinerja-tpp-bukittinggi"]["version"] == "1.1.0"
    assert "kinerja_compute_pay" in plugins["kinerja-tpp-bukittinggi"]["hooks"]
    assert [r["slug"] for r in plugins["kinerja-tpp-bukittinggi"]["regions"]] == ["bukittinggi"]
    assert [r["slug"] for r in plugins["kinerja-training-national"]["regions"]] == ["batanghari", "bukittinggi"]
    assert plugins["kinerja-tpp-kotalama"]["regions"] == []
    assert "load_errors" not in data


def test_operator_sees_load_errors(catalogue_host):
    operator = make_user(None, Role.OPERATOR, username="operator-plugins")
    data = client_for(None, operator).get("/plugins/catalogue.json").json()
    assert [e["source"] for e in data["load_errors"]] == ["tests.plugins.fake.future_api"]
    page = client_for(None, operator).get("/plugins/").content.decode()
    assert 'data-testid="load-errors"' in page and "needs hook API &gt;=3.0,&lt;4.0" in page


def test_catalogue_page_for_the_public_hides_load_errors(catalogue_host):
    page = client_for(None).get("/plugins/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-plugin="kinerja-tpp-bukittinggi"' in html and "Kota Bukittinggi" in html
    assert 'data-testid="load-errors"' not in html and "future_api" not in html
