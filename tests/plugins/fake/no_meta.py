from kinerja_plugin_api.hookspecs import hookimpl


@hookimpl
def kinerja_training_catalog():
    return []
