import kinerja_module_that_does_not_exist  # noqa: F401

PLUGIN_META = {"name": "test-broken-import", "version": "1.0.0", "vendor": "Tests", "hook_api": ">=1.0",
               "description": "Fails to import."}
