from kinerja_plugin_api.hookspecs import hookimpl

PLUGIN_META = {"name": "test-wrong-argument", "version": "1.0.0", "vendor": "Tests", "hook_api": ">=2.0,<3.0",
               "description": "Asks for an argument the hook does not pass."}


@hookimpl
def kinerja_compute_pay(employee, salary_table):
    return []
