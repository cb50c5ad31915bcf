from kinerja.plugins.hookspecs import hookimpl


@hookimpl
def kinerja_training_catalog():
    return []
