"""Discovery through entry points, refusal of plugins that cannot work, and calling hooks."""
import pytest

from kinerja_plugin_api.hookspecs import HOOK_API_VERSION
from kinerja_plugin_api.host import PluginHost, get_host, set_host, version_in_range
from tests.plugins.fake import (bad_defaults, flaky_pay, future_api, good_pay, half_ported, no_meta, old_api,
                                unknown_hook, wrong_argument)


@pytest.fixture
def fake_distribution(tmp_path, monkeypatch):
    """An installed distribution (a dist-info folder on sys.path) declaring plugins in the group."""
    dist = tmp_path / "kinerja_fake_plugins-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: kinerja-fake-plugins\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[kinerja.plugins]\n"
        "good = tests.plugins.fake.good_pay\n"
        "future = tests.plugins.fake.future_api\n"
        "broken = tests.plugins.fake.broken_import\n"
        "misspelt = tests.plugins.fake.unknown_hook\n"
        "missing = tests.plugins.fake.no_such_module\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    return dist


def test_entry_points_are_discovered_and_bad_ones_refused_with_reasons(fake_distribution):
    host = PluginHost()
    host.load_entry_points()
    assert "test-flat-pay" in host
    info = host.get("test-flat-pay")
    assert info.version == "2.1.0" and "kinerja-fake-plugins 1.0" in info.source
    errors = {error.source.split("'")[1]: error.message for error in host.load_errors}
    assert errors["future"] == (f"it needs hook API >=3.0,<4.0 but this platform provides {HOOK_API_VERSION}; "
                                "it is written for a newer platform")
    assert errors["broken"].startswith("import failed: ModuleNotFoundError")
    assert "kinerja_module_that_does_not_exist" in errors["broken"]
    assert "unknown hook(s) kinerja_compute_salary" in errors["misspelt"]
    assert "import failed" in errors["missing"]
    assert not {"test-future", "test-broken-import", "test-unknown-hook"} & {p.name for p in host.plugins()}


def test_installed_first_party_plugins_are_found_through_their_entry_points():
    from importlib.metadata import entry_points

    declared = {ep.value for ep in entry_points(group="kinerja.plugins")}
    if "kinerja_tpp_bukittinggi" not in declared:
        pytest.skip("first-party plugins are not pip-installed here (pip install -e plugins/<name>)")
    host = PluginHost()
    host.load_entry_points()
    assert {"kinerja-tpp-bukittinggi", "kinerja-tpp-kotalama", "kinerja-tpp-tebingtinggi", "kinerja-tpp-batanghari",
            "kinerja-recruitment-national", "kinerja-training-national"} <= {p.name for p in host.plugins()}


@pytest.mark.parametrize("module, message", [
    (future_api, "needs hook API >=3.0,<4.0"),
    (no_meta, "declares no PLUGIN_META"),
    (unknown_hook, "unknown hook(s) kinerja_compute_salary"),
    (wrong_argument, "takes argument(s) salary_table that the hook does not have"),
    (bad_defaults, "defaults of its configuration schema are invalid: rate:"),
])
def test_register_refuses_with_a_clear_message(module, message):
    host = PluginHost()
    assert host.register(module) is None
    assert len(host.load_errors) == 1 and message in host.load_errors[0].message
    assert host.plugins() == []


def test_metadata_is_checked_field_by_field():
    class Plugin:
        PLUGIN_META = {"name": "Bad Name", "version": "1.0", "vendor": "", "hook_api": ">=1.0",
                       "description": "x"}

    host = PluginHost()
    assert host.register(Plugin()) is None
    assert "PLUGIN_META lacks vendor" in host.load_errors[0].message
    Plugin.PLUGIN_META = {**Plugin.PLUGIN_META, "vendor": "Tests"}
    assert host.register(Plugin()) is None
    assert "must be lowercase letters" in host.load_errors[1].message
    Plugin.PLUGIN_META = {**Plugin.PLUGIN_META, "name": "ok-name", "hook_api": "one point oh"}
    assert host.register(Plugin()) is None
    assert "unreadable" in host.load_errors[2].message


def test_a_second_plugin_with_the_same_name_is_refused():
    host = PluginHost()
    assert host.register(good_pay) is not None
    assert host.register(good_pay, source="copy") is None
    assert "already loaded" in host.load_errors[0].message


def test_hooks_are_called_with_only_the_arguments_an_implementation_accepts():
    host = PluginHost()
    host.register(good_pay)
    from kinerja_plugin_api.samples import build_pay_input

    lines = host.call("test-flat-pay", "kinerja_compute_pay", employee=build_pay_input(position_class=3),
                      month=None, config={"per_class": 1000})
    assert [(line.code, line.amount) for line in lines] == [("FLAT", 3000)]


def test_one_plugin_failing_in_a_broadcast_does_not_stop_the_others():
    host = PluginHost()
    host.register(good_pay)
    host.register(flaky_pay)
    good_pay.calls.clear()
    outcomes = dict(host.call_each("kinerja_region_created", region_slug="kotalama"))
    assert isinstance(outcomes["test-flaky-pay"], RuntimeError)
    assert "test-flat-pay" not in outcomes  # it does not implement the hook
    outcomes = dict(host.call_each("kinerja_plugin_enabled", region_slug="kotalama", plugin_name="x"))
    assert outcomes == {"test-flat-pay": None} and good_pay.calls == [("kotalama", "x")]


def test_version_ranges():
    assert version_in_range("1.0", ">=1.0,<2.0")
    assert version_in_range("1.4", ">=1.0,<2.0")
    assert not version_in_range("2.0", ">=1.0,<2.0")
    assert not version_in_range("1.0", ">1.0")
    assert version_in_range("1.0", "==1")
    with pytest.raises(ValueError):
        version_in_range("1.0", "~1")
    assert version_in_range(HOOK_API_VERSION, ">=2.0,<3.0")
    assert not version_in_range(HOOK_API_VERSION, ">=1.0,<2.0")


def test_a_plugin_written_for_hook_api_1_is_told_what_changed_in_2_and_where_to_read_more():
    host = PluginHost()
    assert host.register(old_api) is None
    message = host.load_errors[0].message
    assert message.startswith(f"it needs hook API >=1.0,<2.0 but this platform provides {HOOK_API_VERSION}. "
                              "It is written for hook API 1.x, and hook API 2.0 changed: (1) ")
    assert "pass_rule and ranking_rule are words for applicants only" in message
    assert "PayLine.explanation carries the sentences the payslip shows" in message
    assert "kinerja_enabled_for_region(region_slug, config)" in message
    assert 'declare "hook_api": ">=2.0,<3.0"' in message and "CHANGELOG.md of kinerja-plugin-api" in message


def test_the_changelog_states_every_breaking_change_the_host_names():
    from pathlib import Path

    from kinerja_plugin_api.hookspecs import BREAKING_CHANGES

    changelog = (Path(__file__).resolve().parents[2] / "plugins" / "kinerja-plugin-api" / "CHANGELOG.md").read_text()
    section = changelog.split("## 2.0.0", 1)[1].split("\n## ", 1)[0]
    assert "Breaking" in section
    for needle in ("pass_rule", "ranking_rule", "PayLine.explanation", "kinerja_plugin_enabled",
                   "kinerja_enabled_for_region"):
        assert needle in section
    assert set(BREAKING_CHANGES) == {"2.0"}


def test_a_plugin_keeping_the_1x_signature_of_plugin_enabled_is_told_where_config_went():
    host = PluginHost()
    assert host.register(half_ported) is None
    message = host.load_errors[0].message
    assert "hook kinerja_plugin_enabled takes argument(s) config that the hook does not have" in message
    assert "receives its own settings in kinerja_enabled_for_region(region_slug, config)" in message


def test_process_host_can_be_replaced_for_tests():
    mine = PluginHost()
    previous = set_host(mine)
    try:
        assert get_host() is mine
    finally:
        set_host(previous)
