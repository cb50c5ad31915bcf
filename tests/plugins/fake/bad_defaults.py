from kinerja_plugin_api.config_schema import ConfigField, ConfigSchema
from kinerja_plugin_api.hookspecs import hookimpl

PLUGIN_META = {"name": "test-bad-defaults", "version": "1.0.0", "vendor": "Tests", "hook_api": ">=2.0,<3.0",
               "description": "Declares a default outside its own bounds."}


@hookimpl
def kinerja_pay_config_schema():
    return ConfigSchema((ConfigField("rate", "int", "Rate", 500, min=0, max=100),))
