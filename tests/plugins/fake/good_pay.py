"""A minimal, well-behaved pay plugin: a flat amount per class, one setting."""
from decimal import Decimal

from kinerja_plugin_api.config_schema import ConfigField, ConfigSchema
from kinerja_plugin_api.hookspecs import hookimpl
from kinerja_plugin_api.types import EARNING, PayLine

PLUGIN_META = {"name": "test-flat-pay", "version": "2.1.0", "vendor": "Tests", "hook_api": ">=2.0,<3.0",
               "description": "Flat TPP per class for tests."}

calls = []


@hookimpl
def kinerja_pay_config_schema():
    return ConfigSchema((
        ConfigField("per_class", "int", "Rupiah per class", 100_000, min=0, max=1_000_000),
        ConfigField("bonus_percent", "percent", "Bonus", Decimal("0")),
        ConfigField("mode", "choice", "Mode", "flat", choices=("flat", "scaled")),
    ))


@hookimpl
def kinerja_compute_pay(employee, config):
    return [PayLine("FLAT", "TPP Tetap", employee.position_class * config["per_class"], EARNING,
                    {"class": employee.position_class})]


@hookimpl
def kinerja_plugin_enabled(region_slug, plugin_name):
    calls.append((region_slug, plugin_name))
