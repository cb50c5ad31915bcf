from kinerja_plugin_api.hookspecs import hookimpl

PLUGIN_META = {"name": "test-future", "version": "1.0.0", "vendor": "Tests", "hook_api": ">=3.0,<4.0",
               "description": "Written for a hook API this platform does not have yet."}


@hookimpl
def kinerja_training_catalog():
    return []
