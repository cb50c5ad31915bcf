"""Dispatch through pluggy: a call reaches the chosen plugin alone through a subset hook caller, is timed
at DEBUG, and a failure (an exception or a broken contract) reaches the host's failure listener with the
plugin, hook, exception and the plugin's code lines, never the call's arguments. No database here."""
from __future__ import annotations

import dataclasses
import logging
import types

import pytest

from kinerja_plugin_api.hookspecs import hookimpl
from kinerja_plugin_api.host import PluginContractError, PluginHost, set_host, setup_process_host
from kinerja_plugin_api.pay import PayCalculator
from kinerja_plugin_api.samples import SAMPLE_MONTH, build_pay_input
from kinerja_plugin_api.testing import PluginRunner
from kinerja_plugin_api.types import EARNING, PayLine, PluginFailure
from tests.plugins.fake import broken_pay, flaky_pay, good_pay


def _pay_plugin(name: str, amount: int, calls: list):
    module = types.ModuleType(name.replace("-", "_"))
    module.PLUGIN_META = {"name": name, "version": "1.0.0", "vendor": "Tests", "hook_api": ">=1.0",
                          "description": "Records its calls."}

    @hookimpl
    def kinerja_compute_pay(employee):
        calls.append(name)
        return [PayLine("TPP", "TPP", amount, EARNING)]

    module.kinerja_compute_pay = kinerja_compute_pay
    return module


def listening_host(*plugins) -> tuple[PluginHost, list]:
    host = PluginHost()
    for plugin in plugins:
        assert host.register(plugin) is not None, host.load_errors
    failures = []
    host.failure_listener = failures.append
    return host, failures


def test_a_call_reaches_the_chosen_plugin_only():
    calls = []
    host, _failures = listening_host(_pay_plugin("test-pay-a", 100, calls), _pay_plugin("test-pay-b", 200, calls))
    lines = host.call("test-pay-b", "kinerja_compute_pay", employee=build_pay_input(), month=SAMPLE_MONTH, config={})
    assert [line.amount for line in lines] == [200] and calls == ["test-pay-b"]
    caller = host.hook_caller("kinerja_compute_pay", ["test-pay-a"])
    assert [impl.plugin_name for impl in caller.get_hookimpls()] == ["test-pay-a"]


def test_a_plugin_registered_later_does_not_join_an_earlier_callers_subset():
    calls = []
    host, _failures = listening_host(_pay_plugin("test-pay-a", 100, calls))
    host.call("test-pay-a", "kinerja_compute_pay", employee=build_pay_input(), month=SAMPLE_MONTH, config={})
    host.register(_pay_plugin("test-pay-b", 200, calls))
    assert host.call("test-pay-a", "kinerja_compute_pay", employee=build_pay_input(), month=SAMPLE_MONTH,
                     config={})[0].amount == 100
    assert calls == ["test-pay-a", "test-pay-a"]


def test_a_pay_calculator_keeps_one_hook_caller_for_its_run():
    host, _failures = listening_host(good_pay, flaky_pay)
    calculator = PayCalculator(host, "test-flat-pay", "2.1.0", None, {"per_class": 1000})
    for position_class in (1, 2, 3):
        assert calculator.compute(build_pay_input(position_class=position_class), SAMPLE_MONTH).ok
    assert calculator._hook is calculator._hook
    assert [impl.plugin_name for impl in calculator._hook.get_hookimpls()] == ["test-flat-pay"]


def test_each_call_is_timed_at_debug_with_plugin_and_hook(caplog):
    host, _failures = listening_host(good_pay, flaky_pay)
    with caplog.at_level(logging.DEBUG, logger="kinerja_plugin_api.host"):
        host.call("test-flat-pay", "kinerja_compute_pay", employee=build_pay_input(), month=SAMPLE_MONTH,
                  config={"per_class": 1})
    [record] = [r for r in caplog.records if r.levelno == logging.DEBUG]
    assert "plugin test-flat-pay hook kinerja_compute_pay took" in record.getMessage()
    assert record.getMessage().endswith(" ms")


def test_an_exception_reaches_the_listener_without_the_calls_arguments():
    host, failures = listening_host(broken_pay, good_pay)
    employee = build_pay_input(position_class=9)
    calculator = PayCalculator(host, "test-broken-pay", "1.4.0", 3, {})
    outcome = calculator.compute(employee, SAMPLE_MONTH)
    assert isinstance(outcome, PluginFailure) and outcome.error.startswith("ZeroDivisionError")
    [failure] = failures
    assert (failure.plugin, failure.plugin_version, failure.vendor, failure.hook, failure.error_type) == (
        "test-broken-pay", "1.4.0", "Tests", "kinerja_compute_pay", "ZeroDivisionError")
    assert "broken_pay.py" in failure.traceback and "1_000_000 // (absent - absent)" in failure.traceback
    assert "pluggy" not in failure.traceback and "host.py" not in failure.traceback
    stored = " ".join(str(value) for value in failure.as_dict().values())
    assert employee.employee_id not in stored and "PayInput" not in stored


def test_the_same_bug_has_one_signature_and_another_bug_another():
    host, failures = listening_host(flaky_pay)
    calculator = PayCalculator(host, "test-flaky-pay", "0.3.0", None, {})
    base = build_pay_input()
    for employee_id in ("raises", "raises", "fraction", "no-label", "ok"):
        calculator.compute(dataclasses.replace(base, employee_id=employee_id), SAMPLE_MONTH)
    raised, again, fraction, no_label = failures
    assert raised.signature == again.signature
    assert len({raised.signature, fraction.signature, no_label.signature}) == 3
    assert fraction.error_type == "kinerja_plugin_api.host.PluginContractError" and fraction.traceback == ""
    assert "is not whole rupiah" in fraction.message


def test_contract_failures_differing_only_in_amounts_share_a_signature():
    host, failures = listening_host(flaky_pay)
    for amount in ("12.5", "99.25"):
        host.report_failure("test-flaky-pay", "kinerja_compute_pay",
                            PluginContractError(f"line 1 ('TPP') amount {amount} is not whole rupiah (int)"))
    assert failures[0].signature == failures[1].signature and failures[0].message != failures[1].message


def test_in_a_broadcast_a_failure_is_blamed_on_its_plugin_and_the_others_still_run():
    host, failures = listening_host(good_pay, flaky_pay)
    good_pay.calls.clear()
    outcomes = dict(host.call_each("kinerja_region_created", region_slug="kotalama"))
    assert isinstance(outcomes["test-flaky-pay"], RuntimeError)
    assert [(f.plugin, f.hook) for f in failures] == [("test-flaky-pay", "kinerja_region_created")]
    outcomes = dict(host.call_each("kinerja_plugin_enabled", region_slug="kotalama", plugin_name="x", config={}))
    assert outcomes == {"test-flat-pay": None} and good_pay.calls == [("kotalama", "x")]


def test_one_caller_over_several_plugins_blames_the_one_whose_code_raised():
    calls = []
    host, failures = listening_host(_pay_plugin("test-pay-a", 100, calls), broken_pay)
    with pytest.raises(ZeroDivisionError):
        host.hook_caller("kinerja_compute_pay")(employee=build_pay_input(), month=SAMPLE_MONTH, config={})
    assert [f.plugin for f in failures] == ["test-broken-pay"]


def test_a_failing_listener_never_breaks_the_call():
    host, _failures = listening_host(broken_pay)

    def refuse(failure):
        raise RuntimeError("log unavailable")

    host.failure_listener = refuse
    outcome = PayCalculator(host, "test-broken-pay", "1.4.0", None, {}).compute(build_pay_input(), SAMPLE_MONTH)
    assert isinstance(outcome, PluginFailure)


def test_only_the_process_host_is_set_up_never_a_test_kit_host():
    seen = []

    def setup(host):
        seen.append(host)

    mine, other = PluginHost(), PluginHost()
    previous = set_host(mine)
    stop = setup_process_host(setup)
    try:
        runner = PluginRunner(good_pay)
        set_host(other)
        assert seen == [mine, other] and runner.host not in seen
    finally:
        stop()
        set_host(previous)


def test_an_exception_that_cannot_be_printed_is_still_reported():
    class Unprintable(Exception):
        def __str__(self):
            raise ValueError("no")

    module = types.ModuleType("test_unprintable")
    module.PLUGIN_META = {"name": "test-unprintable", "version": "1.0.0", "vendor": "Tests", "hook_api": ">=1.0",
                          "description": "Raises an exception whose message cannot be read."}

    @hookimpl
    def kinerja_region_created(region_slug):
        raise Unprintable()

    module.kinerja_region_created = kinerja_region_created
    host, failures = listening_host(module)
    [(name, outcome)] = host.call_each("kinerja_region_created", region_slug="kotalama")
    assert isinstance(outcome, Unprintable)
    assert failures[0].plugin == "test-unprintable" and "could not be read" in failures[0].message
