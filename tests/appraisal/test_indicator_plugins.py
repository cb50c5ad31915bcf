"""Indicator templates supplied by the region's enabled plugins join the built-in ones."""
import types

import pytest
from django.core.exceptions import ValidationError

from kinerja.appraisal import services
from kinerja.appraisal.indicators import indicator_templates
from kinerja_plugin_api.host import PluginHost, set_host
from kinerja_plugin_api.hookspecs import HOOK_API_VERSION, hookimpl
from kinerja.plugins.models import PluginActivation
from kinerja_plugin_api.types import IndicatorTemplate
from tests.appraisal.factories import open_year

pytestmark = pytest.mark.django_db


def _plugin():
    module = types.ModuleType("kinerja_test_indicators")
    module.PLUGIN_META = {"name": "test-indicators", "version": "1.0.0", "vendor": "Test",
                          "hook_api": f">={HOOK_API_VERSION}", "description": "Indicators for tests"}

    @hookimpl
    def kinerja_indicator_templates(agency_type):
        if agency_type != "health":
            return []
        return [IndicatorTemplate("immunised", "health", "Penerima Layanan", "Children protected",
                                  "Children fully immunised", "quantity", "anak"),
                IndicatorTemplate("broken", "health", "", "", "No aspect", "speed", "x")]

    module.kinerja_indicator_templates = kinerja_indicator_templates
    return module


@pytest.fixture
def host():
    host = PluginHost()
    assert host.register(_plugin()) is not None, host.load_errors
    previous = set_host(host)
    yield host
    set_host(previous)


def test_plugin_templates_appear_only_when_the_region_enables_the_plugin(org, host):
    assert all(t.source == "builtin" for t in indicator_templates("health"))
    PluginActivation.objects.create(plugin_name="test-indicators", enabled=True)
    codes = [t.code for t in indicator_templates("health")]
    assert "test-indicators:immunised" in codes and "test-indicators:broken" not in codes
    assert not any(t.source == "test-indicators" for t in indicator_templates("education"))

    plan = services.create_plan(actor=org.staff.user, employee=org.staff, appraisal_year=open_year(org))
    rhk = services.add_rhk(actor=org.staff.user, plan=plan, kind="utama", text="Immunisation coverage")
    iki = services.add_iki(actor=org.staff.user, rhk=rhk, template_code="test-indicators:immunised", target_value="250")
    assert (iki.text, iki.aspect, iki.target_unit) == ("Children fully immunised", "quantity", "anak")
    PluginActivation.objects.filter(plugin_name="test-indicators").update(enabled=False)
    with pytest.raises(ValidationError, match="Unknown indicator template"):
        services.add_iki(actor=org.staff.user, rhk=rhk, template_code="test-indicators:immunised", target_value="1")
