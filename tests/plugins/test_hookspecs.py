"""The hook API is documented: every hook and argument in its docstring, every hook, every field of the
values a pay plugin reads and returns, and every helper in the vendor docs."""
import dataclasses
import inspect
import re
import types as pytypes
from pathlib import Path

import pytest

from kinerja_plugin_api import config_schema, explanations, hookspecs, tpp, types
from kinerja_plugin_api.conformance import documented_arguments
from kinerja_plugin_api.host import hook_names

README = Path(__file__).resolve().parents[2] / "plugins" / "README.md"


def test_the_api_has_the_hooks_of_version_2():
    assert hookspecs.HOOK_API_VERSION == "2.1"
    assert set(hook_names()) == {
        "kinerja_pay_config_schema", "kinerja_pay_inputs", "kinerja_compute_pay", "kinerja_recruitment_stages",
        "kinerja_training_catalog", "kinerja_indicator_templates", "kinerja_region_created",
        "kinerja_plugin_enabled", "kinerja_enabled_for_region", "kinerja_bank_file_formats"}
    assert list(inspect.signature(hookspecs.kinerja_plugin_enabled).parameters) == ["region_slug", "plugin_name"]


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


# -- the values and helpers are documented too -------------------------------------------------------
API_README = README.parent / "kinerja-plugin-api" / "README.md"
DOCUMENTED_VALUES = (types.PayInput, types.AttendanceSummary, types.AppraisalResult, types.Sanction, types.Reward,
                     types.PayLine,
                     types.Explanation, config_schema.ConfigField)


def section(text: str, heading: str) -> str:
    """The text under a Markdown heading, up to the next heading of the same or a higher level."""
    match = re.search(rf"^(#+) {re.escape(heading)}\s*$", text, re.MULTILINE)
    assert match, f"no '{heading}' section"
    level = len(match.group(1))
    rest = text[match.end():]
    end = re.search(rf"^#{{1,{level}}} ", rest, re.MULTILINE)
    return rest[:end.start()] if end else rest


def undocumented_fields(text: str, value_type) -> list[str]:
    """Fields of a value type without a row of their own (| `name` | meaning |) in its section."""
    heading = "Settings" if value_type is config_schema.ConfigField else f"`{value_type.__name__}`"
    rows = section(text, heading)
    return [f.name for f in dataclasses.fields(value_type)
            if not re.search(rf"^\| [^|]*`{f.name}`[^|]*\| \S", rows, re.MULTILINE)]


def undocumented_helpers(text: str, module) -> list[str]:
    helpers = section(text, "6. Helpers")
    return [name for name in module.__all__ if f"`{name}" not in helpers]


@pytest.mark.parametrize("value_type", DOCUMENTED_VALUES, ids=lambda t: t.__name__)
def test_every_field_of_the_values_is_in_the_vendor_docs(value_type):
    assert undocumented_fields(README.read_text(encoding="utf-8"), value_type) == []


@pytest.mark.parametrize("module", (tpp, explanations), ids=lambda m: m.__name__)
def test_every_helper_is_in_the_vendor_docs(module):
    assert undocumented_helpers(README.read_text(encoding="utf-8"), module) == []


def test_the_docs_check_catches_a_missing_field_and_a_missing_helper():
    text = README.read_text(encoding="utf-8")
    assert undocumented_fields(text.replace("| `missed_assemblies` |", "| missed |"),
                               types.AttendanceSummary) == ["missed_assemblies"]
    assert undocumented_fields(text.replace("| `explanation` |", "| |"), types.PayLine) == ["explanation"]
    assert undocumented_helpers(text.replace("`bpjs_lines(", "bpjs lines("), tpp) == ["bpjs_lines"]


def test_the_cross_field_check_of_a_schema_is_documented():
    settings = section(README.read_text(encoding="utf-8"), "Settings")
    assert "ConfigSchema(fields, check=None)" in settings and "`check`" in settings
    assert [f.name for f in dataclasses.fields(config_schema.ConfigSchema)] == ["fields", "check"]


@pytest.mark.parametrize("path", (README, API_README), ids=("plugins/README.md", "kinerja-plugin-api/README.md"))
def test_the_docs_install_a_plugin_before_checking_it_and_say_to_restart(path):
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    checks = [n for n, line in enumerate(lines) if re.match(r"(\S*python )?(-m kinerja_plugin_api|\S*manage\.py "
                                                             r"kinerja_plugin) check ", line)]
    assert len(checks) >= 2, "the docs show the check with the API alone and on the platform"
    for n in checks:
        assert any(line.startswith(("pip install", ".venv/bin/pip install")) for line in lines[max(0, n - 3):n]), \
            f"no install command just before {lines[n]!r}"
    restart = next(n for n, line in enumerate(lines) if line.startswith("python3 dev.py run"))
    assert any("manage.py kinerja_plugin check" in line for line in lines[restart - 3:restart])
    assert "restart" in " ".join(lines)


def test_the_example_in_the_vendor_docs_is_a_working_plugin(kinerja_plugin, make_pay_input):
    source = re.search(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL).group(1)
    module = pytypes.ModuleType("kinerja_tpp_example_from_docs")
    exec(compile(source, "plugins/README.md", "exec"), module.__dict__)
    runner = kinerja_plugin(module)
    assert runner.conformance().problems == []
    result = runner.compute(make_pay_input(position_class=3, attendance={"days_present": 19,
                                                                         "absent_without_reason": 2}))
    # 2,000,000 less 2 x 3% = 120,000; BPJS on 1,880,000: 18,800 withheld, 75,200 by the region
    assert {line.code: line.amount for line in result.lines} == {
        "TPP": 2_000_000, "POT_ALPA": 120_000, "BPJS_1": 18_800, "BPJS_4": 75_200}
    assert all(line.explanation for line in result.lines)
    with pytest.raises(config_schema.ConfigError, match="cannot exceed the region's"):
        runner.config(bpjs_withheld_percent="5")
