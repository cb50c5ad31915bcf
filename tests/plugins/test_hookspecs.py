"""The hook API is documented: every hook and argument in its docstring, every hook in the vendor docs."""
import inspect
import re
from pathlib import Path

import pytest

from kinerja_plugin_api import hookspecs
from kinerja_plugin_api.conformance import documented_arguments
from kinerja_plugin_api.host import hook_names

README = Path(__file__).resolve().parents[2] / "plugins" / "README.md"


def test_the_api_has_the_hooks_of_version_1():
    assert hookspecs.HOOK_API_VERSION == "1.1"
    assert set(hook_names()) == {
        "kinerja_pay_config_schema", "kinerja_pay_inputs", "kinerja_compute_pay", "kinerja_recruitment_stages",
        "kinerja_training_catalog", "kinerja_indicator_templates", "kinerja_region_created",
        "kinerja_plugin_enabled"}


@pytest.mark.parametrize("name", hook_names())
def test_every_hook_and_every_argument_is_documented(name):
    doc = inspect.getdoc(getattr(hookspecs, name))
    assert doc and len(doc.splitlines()[0]) > 20, f"{name} has no docstring"
    undocumented = [arg for arg, ok in documented_arguments(name).items() if not ok]
    assert undocumented == [], f"{name}: arguments without documentation: {undocumented}"


def test_documentation_check_catches_a_missing_argument(monkeypatch):
    @hookspecs.hookspec
    def kinerja_compute_pay(employee, month, config, currency):
        """Compute pay.

        Arguments:
            employee: the employee.
            month: the month.
            config: settings.
        """

    monkeypatch.setattr(hookspecs, "kinerja_compute_pay", kinerja_compute_pay)
    assert documented_arguments("kinerja_compute_pay") == {"employee": True, "month": True, "config": True,
                                                           "currency": False}


@pytest.mark.parametrize("name", hook_names())
def test_every_hook_is_in_the_vendor_docs(name):
    text = README.read_text(encoding="utf-8")
    heading = re.search(rf"^### {name}\(([^)]*)\)", text, re.MULTILINE)
    assert heading, f"plugins/README.md has no '### {name}(...)' section"
    documented_args = [a.strip() for a in heading.group(1).split(",") if a.strip()]
    assert documented_args == list(inspect.signature(getattr(hookspecs, name)).parameters)
