"""A pay plugin with one bug that every employee meets, and a catalogue and stages that fail too."""
from kinerja_plugin_api.hookspecs import hookimpl
from kinerja_plugin_api.types import EARNING, PayLine

PLUGIN_META = {"name": "test-broken-pay", "version": "1.4.0", "vendor": "Tests", "hook_api": ">=1.0",
               "description": "Divides by the days it should not."}


@hookimpl
def kinerja_compute_pay(employee):
    absent = employee.attendance.absent_without_reason
    return [PayLine("TPP", "TPP", 1_000_000 // (absent - absent), EARNING)]


@hookimpl
def kinerja_training_catalog():
    return {"not": "a list"}


@hookimpl
def kinerja_recruitment_stages(opening_kind):
    raise LookupError("no stage table for this kind")
