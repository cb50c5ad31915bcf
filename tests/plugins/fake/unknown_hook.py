from kinerja_plugin_api.hookspecs import hookimpl

PLUGIN_META = {"name": "test-unknown-hook", "version": "1.0.0", "vendor": "Tests", "hook_api": ">=2.0,<3.0",
               "description": "Misspells a hook."}


@hookimpl
def kinerja_compute_salary(employee):
    return []
