"""The plugin failure log, in the public schema: what broke in which plugin, for the operator and the
plugin's vendor. A Django app of its own because the rest of `kinerja.plugins` lives in each region's
schema while this log is one for the whole platform."""
