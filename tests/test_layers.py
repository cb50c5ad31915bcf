"""The layers run one way and no module imports itself in a circle. The contract lives in pyproject.toml
([tool.importlinter]); these tests run it, show that it catches a forbidden import, and look for cycles
that a layer contract cannot see (between modules of one package, such as services and tasks)."""
from __future__ import annotations

import subprocess
import sys
import tomllib
from contextlib import contextmanager
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def _layers() -> list[grimp.Layer]:
    (contract,) = [c for c in CONFIG["contracts"] if c["id"] == "layers"]
    return [grimp.Layer(*[part.strip() for part in layer.split("|")], independent=True)
            for layer in contract["layers"]]


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*CONFIG["root_packages"], exclude_type_checking_imports=True, cache_dir=None)


@contextmanager
def extra_import(graph: grimp.ImportGraph, importer: str, imported: str):
    """The graph with one more import, as if a module had gained it (grimp graphs cannot be copied)."""
    graph.add_import(importer=importer, imported=imported)
    try:
        yield
    finally:
        graph.remove_import(importer=importer, imported=imported)


def test_the_import_linter_contract_is_kept():
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(linter), "--config", str(ROOT / "pyproject.toml"), "--no-cache"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_no_import_runs_against_the_layers(graph):
    assert graph.find_illegal_dependencies_for_layers(_layers()) == set()


@pytest.mark.parametrize("importer, imported", [
    ("kinerja.pay.services", "tenants.models"),               # an app reaching up into tenancy
    ("kinerja.recruitment.models", "tenants.billing.services"),  # ... or into billing
    ("tenants.services", "kinerja.demo.builder"),             # tenancy reaching up into the demo
    ("kinerja.people.services", "kinerja.appraisal.models"),  # a lower app reaching up
    ("kinerja.pay.services", "kinerja.recruitment.models"),   # siblings of one layer
    ("kinerja.region.facts", "kinerja.people.models"),        # region facts are the bottom
    ("kinerja_plugin_api.types", "kinerja.pay.models"),       # the plugin API needs no platform
])
def test_a_forbidden_import_is_caught(graph, importer, imported):
    with extra_import(graph, importer, imported):
        broken = graph.find_illegal_dependencies_for_layers(_layers())
    assert broken, f"{importer} -> {imported} should break the layers"


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected groups of modules (Tarjan), each a circle of imports."""
    imports = {module: graph.find_modules_directly_imported_by(module) for module in graph.modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in imports[module]:
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                group.append(other)
                if other == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for module in sorted(imports):
        if module not in index:
            visit(module)
    return found


def test_no_module_imports_itself_in_a_circle(graph):
    assert _cycles(graph) == []


def test_a_circle_between_services_and_tasks_is_caught(graph):
    with extra_import(graph, "kinerja.pay.services", "kinerja.pay.tasks"):
        assert ["kinerja.pay.services", "kinerja.pay.tasks"] in _cycles(graph)
