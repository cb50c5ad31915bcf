"""A pay plugin with bugs that show only for some employees."""
from kinerja_plugin_api.hookspecs import hookimpl
from kinerja_plugin_api.types import EARNING, PayLine

PLUGIN_META = {"name": "test-flaky-pay", "version": "0.3.0", "vendor": "Tests", "hook_api": ">=1.0",
               "description": "Raises or returns malformed lines for chosen employees."}


@hookimpl
def kinerja_compute_pay(employee):
    if employee.employee_id == "raises":
        raise ZeroDivisionError("division by zero in the attendance ratio")
    if employee.employee_id == "fraction":
        return [PayLine("TPP", "TPP", 1500.5, EARNING)]
    if employee.employee_id == "no-label":
        return [PayLine("TPP", "", 1500, EARNING)]
    if employee.employee_id == "dict":
        return [{"code": "TPP", "amount": 1500}]
    return [PayLine("TPP", "TPP", 1_500_000, EARNING)]


@hookimpl
def kinerja_region_created(region_slug):
    raise RuntimeError(f"cannot prepare {region_slug}")
