"""A plugin that declares hook API 2.x but kept the 1.x signature of kinerja_plugin_enabled."""
from kinerja_plugin_api.hookspecs import hookimpl

PLUGIN_META = {"name": "test-half-ported", "version": "2.0.0", "vendor": "Tests", "hook_api": ">=2.0,<3.0",
               "description": "Ported to hook API 2.0 except for one hook."}


@hookimpl
def kinerja_plugin_enabled(region_slug, plugin_name, config):
    return config
