"""Enabling and configuring plugins per region: validation, versions, audit, and the pay calculator."""
import datetime
import types
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from kinerja.accounts.models import Role
from kinerja.audit.models import AuditEntry
from kinerja.plugins import services
from kinerja.plugins.models import PluginActivation, PluginConfigVersion
from kinerja_plugin_api.config_schema import ConfigField, ConfigSchema
from kinerja_plugin_api.hookspecs import hookimpl
from kinerja_plugin_api.samples import build_pay_input

from tests.helpers import english_client as region_client
from tests.helpers import in_region, make_user
from tests.plugins.fake import flaky_pay, good_pay

pytestmark = pytest.mark.django_db
BKT = "kinerja-tpp-bukittinggi"
MARCH = datetime.date(2025, 3, 1)


@pytest.fixture
def hr(region_a):
    return make_user(region_a, Role.HR_ADMIN, username="hr-plugins", full_name="Rina HR")


def test_enabling_saves_the_defaults_as_version_1_and_audits_it(plugin_host, region_a, hr):
    with in_region(region_a):
        services.set_plugin_enabled(BKT, True, actor=hr, reason="Perwako 2025")
        version = PluginConfigVersion.objects.get(plugin_name=BKT)
        assert version.number == 1 and version.plugin_version == "1.1.0" and version.created_by == hr
        assert version.config["performance_percent"] == "60" and version.config["base_by_class"]["9"] == 3_400_000
        enabled = AuditEntry.objects.get(action="plugin.enabled")
        assert enabled.before == {"plugin_name": BKT, "enabled": False}
        assert enabled.after == {"plugin_name": BKT, "enabled": True} and enabled.reason == "Perwako 2025"
        assert AuditEntry.objects.filter(action="plugin.config_changed", before__isnull=True).count() == 1


def test_every_change_is_a_new_version_with_before_and_after_in_the_audit(plugin_host, region_a, hr):
    with in_region(region_a):
        services.set_plugin_enabled(BKT, True, actor=hr)
        first = PluginConfigVersion.objects.get(plugin_name=BKT)
        config = dict(first.config, performance_percent="70", base_by_class={**first.config["base_by_class"], "9": 3_500_000})
        second = services.save_plugin_config(BKT, config, actor=hr, reason="Kenaikan TPP kelas 9")
        assert second.number == 2
        first.refresh_from_db()
        assert first.config["performance_percent"] == "60"  # the old version is untouched
        entry = AuditEntry.objects.filter(action="plugin.config_changed").order_by("-id").first()
        assert entry.before["performance_percent"] == "60" and entry.after["performance_percent"] == "70"
        assert entry.before["base_by_class"]["9"] == 3_400_000 and entry.after["base_by_class"]["9"] == 3_500_000
        assert entry.reason == "Kenaikan TPP kelas 9" and entry.actor_name == "Rina HR"
        with pytest.raises(ValidationError) as unchanged:
            services.save_plugin_config(BKT, config, actor=hr)
        assert "Nothing changed" in str(unchanged.value.message_dict["config"])


def test_invalid_settings_are_refused_field_by_field_and_nothing_is_saved(plugin_host, region_a, hr):
    with in_region(region_a):
        services.set_plugin_enabled(BKT, True, actor=hr)
        defaults = PluginConfigVersion.objects.get(plugin_name=BKT).config
        bad = dict(defaults, performance_percent="120", factor_baik="abc", surprise=1,
                   base_by_class={**defaults["base_by_class"], "7": -5, "18": 1})
        del bad["base_by_class"]["3"]
        audit_before = AuditEntry.objects.count()
        with pytest.raises(ValidationError) as error:
            services.save_plugin_config(BKT, bad, actor=hr)
        errors = error.value.message_dict
        # class 3 left out keeps the amount in force (a partial save), so only the wrong values are named
        assert set(errors) == {"performance_percent", "factor_baik", "surprise", "base_by_class.7",
                               "base_by_class.18"}
        assert PluginConfigVersion.objects.filter(plugin_name=BKT).count() == 1
        assert AuditEntry.objects.count() == audit_before


def test_unknown_plugin_cannot_be_enabled_or_configured(plugin_host, region_a, hr):
    with in_region(region_a):
        with pytest.raises(ValidationError, match="No plugin named"):
            services.set_plugin_enabled("kinerja-nowhere", True, actor=hr)
        with pytest.raises(ValidationError, match="No plugin named"):
            services.save_plugin_config("kinerja-nowhere", {}, actor=hr)
        assert not PluginActivation.objects.exists()


def test_a_region_has_one_pay_plugin_at_a_time(plugin_host, region_a, hr):
    with in_region(region_a):
        services.set_plugin_enabled(BKT, True, actor=hr)
        with pytest.raises(ValidationError, match="kinerja-tpp-bukittinggi is the region's pay plugin"):
            services.set_plugin_enabled("kinerja-tpp-kotalama", True, actor=hr)
        services.set_plugin_enabled("kinerja-training-national", True, actor=hr)  # not a pay plugin
        services.set_plugin_enabled(BKT, False, actor=hr)
        services.set_plugin_enabled("kinerja-tpp-kotalama", True, actor=hr)
        assert set(services.enabled_plugin_names()) == {"kinerja-tpp-kotalama", "kinerja-training-national"}


def test_settings_are_per_region(plugin_host, region_a, region_b, hr):
    with in_region(region_a):
        services.set_plugin_enabled(BKT, True, actor=hr)
    with in_region(region_b):
        assert not PluginActivation.objects.exists() and not PluginConfigVersion.objects.exists()


def test_enabling_notifies_plugins(plugin_host, region_a, hr):
    plugin_host.register(good_pay)
    good_pay.calls.clear()
    with in_region(region_a):
        services.set_plugin_enabled("kinerja-training-national", True, actor=hr)
    assert good_pay.calls == [("bukittinggi", "kinerja-training-national")]


def _listener(name: str):
    """A plugin with a secret setting that records what it hears when plugins are enabled."""
    module = types.ModuleType(name.replace("-", "_"))
    module.PLUGIN_META = {"name": name, "version": "1.0.0", "vendor": "Tests", "hook_api": ">=2.0,<3.0",
                          "description": "Listens to plugins being enabled."}
    module.heard = []

    @hookimpl
    def kinerja_pay_config_schema():
        return ConfigSchema((ConfigField("api_key", "text", "API key", f"secret-of-{name}"),
                             ConfigField("share", "percent", "Share", Decimal("12.5"))))

    @hookimpl
    def kinerja_plugin_enabled(region_slug, plugin_name):
        module.heard.append(("plugin_enabled", region_slug, plugin_name))

    @hookimpl
    def kinerja_enabled_for_region(region_slug, config):
        module.heard.append(("enabled_for_region", region_slug, config))

    module.kinerja_pay_config_schema = kinerja_pay_config_schema
    module.kinerja_plugin_enabled = kinerja_plugin_enabled
    module.kinerja_enabled_for_region = kinerja_enabled_for_region
    return module


def test_only_the_enabled_plugin_receives_its_settings_the_others_learn_its_name(plugin_host, region_a, hr):
    first, second = _listener("test-listener-a"), _listener("test-listener-b")
    assert plugin_host.register(first) and plugin_host.register(second)
    with in_region(region_a):
        services.save_plugin_config("test-listener-a", {"api_key": "region-a-token", "share": "7.5"}, actor=hr)
        services.set_plugin_enabled("test-listener-a", True, actor=hr)
    assert first.heard == [("plugin_enabled", "bukittinggi", "test-listener-a"),
                           ("enabled_for_region", "bukittinggi", {"api_key": "region-a-token", "share": Decimal("7.5")})]
    assert second.heard == [("plugin_enabled", "bukittinggi", "test-listener-a")]
    assert "region-a-token" not in repr(second.heard)


def test_region_created_notification_contains_failures(plugin_host):
    plugin_host.register(flaky_pay)
    assert services.notify_region_created("kotalama") == [("test-flaky-pay", "cannot prepare kotalama")]


def test_pay_calculator_names_plugin_and_settings_version(plugin_host, region_a, hr):
    with in_region(region_a):
        with pytest.raises(ValidationError, match="no pay plugin enabled"):
            services.pay_calculator_for_region()
        services.set_plugin_enabled(BKT, True, actor=hr)
        config = PluginConfigVersion.objects.get(plugin_name=BKT).config
        version = services.save_plugin_config(BKT, dict(config, bonus_sangat_baik_percent="20"), actor=hr)
        calculator = services.pay_calculator_for_region()
    assert (calculator.plugin_name, calculator.plugin_version, calculator.config_version_id) == (BKT, "1.1.0", version.pk)
    result = calculator.compute(build_pay_input(position_class=9, appraisal={"predikat": "Sangat Baik"}), MARCH)
    assert result.ok and result.config_version_id == version.pk and result.plugin_version == "1.1.0"
    assert {line.code: line.amount for line in result.lines}["BONUS_SANGAT_BAIK"] == 680_000  # 20% of 3,400,000


def test_a_failing_plugin_fails_only_the_employee_it_fails_for(plugin_host, region_a, hr):
    plugin_host.register(flaky_pay)
    with in_region(region_a):
        services.set_plugin_enabled("test-flaky-pay", True, actor=hr)
        calculator = services.pay_calculator_for_region()
    results = {employee_id: calculator.compute(build_pay_input(employee_id=employee_id), MARCH)
               for employee_id in ("ok-1", "raises", "fraction", "no-label", "dict", "ok-2")}
    assert results["ok-1"].ok and results["ok-2"].ok and results["ok-2"].net == 1_500_000
    failures = {k: v for k, v in results.items() if not v.ok}
    assert set(failures) == {"raises", "fraction", "no-label", "dict"}
    assert all(f.plugin_name == "test-flaky-pay" and f.plugin_version == "0.3.0" for f in failures.values())
    assert failures["raises"].error == "ZeroDivisionError: division by zero in the attendance ratio"
    assert "amount 1500.5 is not whole rupiah (int)" in failures["fraction"].error
    assert "has no label" in failures["no-label"].error
    assert "is a dict, not a PayLine" in failures["dict"].error


def test_settings_that_no_longer_fit_the_plugin_are_reported(plugin_host, region_a, hr):
    with in_region(region_a):
        services.set_plugin_enabled(BKT, True, actor=hr)
        # As if an upgrade removed a setting the saved version still has.
        PluginConfigVersion.objects.filter(plugin_name=BKT).update(config={"retired_setting": 1})
        with pytest.raises(ValidationError, match="do not fit kinerja-tpp-bukittinggi 1.1.0 any more"):
            services.pay_calculator_for_region()


def test_a_partial_save_keeps_the_other_settings(plugin_host, region_a, hr):
    """Saving one setting (or some classes of a mapping) keeps every other value in force, through the
    service and through the API; before, the settings left out went back to their defaults."""
    with in_region(region_a):
        services.set_plugin_enabled(BKT, True, actor=hr)
        first = PluginConfigVersion.objects.get(plugin_name=BKT)
        changed = services.save_plugin_config(BKT, dict(first.config, performance_percent="70",
                                                        absence_percent="4"), actor=hr)
        partial = services.save_plugin_config(BKT, {"base_by_class": {"9": 3_600_000}}, actor=hr, reason="kelas 9")
    assert partial.number == changed.number + 1
    assert partial.config["performance_percent"] == "70" and partial.config["absence_percent"] == "4"
    assert partial.config["base_by_class"]["9"] == 3_600_000
    assert partial.config["base_by_class"]["8"] == first.config["base_by_class"]["8"]
    response = region_client(region_a, hr).put(f"/api/v1/plugins/{BKT}/config/",
                                               {"config": {"absence_percent": "5"}, "reason": "Perwako baru"},
                                               content_type="application/json")
    assert response.status_code == 200, response.content
    current = response.json()["current"]["config"]
    assert current["absence_percent"] == "5" and current["performance_percent"] == "70"
    assert current["base_by_class"]["9"] == 3_600_000
