"""The vendor test kit: a pytest plugin (entry point `pytest11`, loaded whenever kinerja-plugin-api is
installed) with fixtures to call a plugin's hooks on sample inputs, without a database or a Django
project.

    def test_pays_class_7(kinerja_plugin, make_pay_input):
        runner = kinerja_plugin(my_plugin)
        result = runner.compute(make_pay_input(position_class=7))
        assert result.net == 2_500_000

    def test_conformance(kinerja_plugin):
        assert kinerja_plugin(my_plugin).conformance().problems == []
"""
from __future__ import annotations

import datetime
from typing import Any

import pytest

from kinerja_plugin_api import samples
from kinerja_plugin_api.conformance import ConformanceReport, check_plugin
from kinerja_plugin_api.host import PluginHost
from kinerja_plugin_api.pay import PayCalculator
from kinerja_plugin_api.types import PayInput, PayResult


class PluginRunner:
    """One plugin registered on its own host, refused loudly if the host refuses it."""

    def __init__(self, plugin: Any):
        self.plugin = plugin
        self.host = PluginHost()
        info = self.host.register(plugin)
        if info is None:
            raise AssertionError("the host refused the plugin: "
                                 + "; ".join(error.message for error in self.host.load_errors))
        self.info = info
        self.name = info.name

    def config(self, **overrides) -> dict:
        """The typed settings: the schema's defaults with `overrides` (validated as HR's would be)."""
        schema = self.host.config_schema(self.name)
        return schema.clean({**schema.defaults(), **overrides})

    def compute(self, pay_input: PayInput, month: datetime.date = samples.SAMPLE_MONTH, **config) -> PayResult:
        """The plugin's pay result, through the same containment the platform uses; a PluginFailure
        fails the test with the plugin's error."""
        calculator = PayCalculator(self.host, self.name, self.info.version, None, self.config(**config))
        result = calculator.compute(pay_input, month)
        if not result.ok:
            raise AssertionError(f"{self.name} failed for {pay_input.employee_id}: {result.error}")
        return result

    def call(self, hook_name: str, **kwargs) -> Any:
        return self.host.call(self.name, hook_name, **kwargs)

    def conformance(self) -> ConformanceReport:
        return check_plugin(self.plugin)


@pytest.fixture
def kinerja_plugin():
    """Factory: kinerja_plugin(module) -> PluginRunner."""
    return PluginRunner


@pytest.fixture
def make_pay_input():
    """Factory: make_pay_input(position_class=9, attendance={"late": (2, 0, 0, 0)}, appraisal={"predikat": "Sangat Baik"})."""
    return samples.build_pay_input


@pytest.fixture
def sample_pay_inputs() -> list[PayInput]:
    """Inputs covering the corners a pay formula meets (every predikat, absences, sanctions, PPPK...)."""
    return samples.sample_pay_inputs()


@pytest.fixture
def sample_month() -> datetime.date:
    return samples.SAMPLE_MONTH
