"""Another vendor's plugin whose catalogue fails: its failures are that vendor's, never the Tests vendor's."""
from kinerja_plugin_api.hookspecs import hookimpl

PLUGIN_META = {"name": "test-other-vendor", "version": "3.0.0", "vendor": "Another Vendor Ltd", "hook_api": ">=1.0",
               "description": "A catalogue behind a server that is down."}


@hookimpl
def kinerja_training_catalog():
    raise ConnectionError("catalogue server unreachable")
