"""A plugin written for hook API 1.x: it still reads every enabled plugin's settings."""
from kinerja_plugin_api.hookspecs import hookimpl

PLUGIN_META = {"name": "test-old-api", "version": "1.4.0", "vendor": "Tests", "hook_api": ">=1.0,<2.0",
               "description": "Written for hook API 1.x."}


@hookimpl
def kinerja_plugin_enabled(region_slug, plugin_name, config):
    return config
