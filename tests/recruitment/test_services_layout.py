"""The recruitment services package keeps its shape: its modules import each other one way only, never
reach into the request's session (the portal's sign-in belongs to the interface), and never import the
tenancy or billing layers that sit above the domain apps."""
from __future__ import annotations

import ast
import pathlib

import kinerja.recruitment.services as package

PACKAGE = "kinerja.recruitment.services"
MODULES = {path.stem: path for path in pathlib.Path(package.__file__).parent.glob("*.py")}


def _imports(path: pathlib.Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.append(node.module)
            found.extend(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
    return found


def _siblings(path: pathlib.Path) -> set[str]:
    return {name[len(PACKAGE) + 1:].split(".")[0] for name in _imports(path) if name.startswith(PACKAGE + ".")}


def test_modules_import_each_other_without_a_cycle():
    graph = {name: _siblings(path) - {name} for name, path in MODULES.items()}
    done: set[str] = set()

    def visit(name: str, trail: tuple[str, ...]) -> None:
        assert name not in trail, "import cycle: " + " -> ".join(trail + (name,))
        if name in done:
            return
        for other in sorted(graph[name]):
            visit(other, trail + (name,))
        done.add(name)

    for name in sorted(graph):
        visit(name, ())
    assert graph["__init__"] == set(), "the package re-exports nothing; callers import the subject modules"


def _session_uses(path: pathlib.Path) -> list[int]:
    return [node.lineno for node in ast.walk(ast.parse(path.read_text()))
            if (isinstance(node, ast.Attribute) and node.attr == "session")
            or (isinstance(node, ast.Name) and node.id == "request")
            or (isinstance(node, ast.arg) and node.arg == "request")]


def test_services_leave_sessions_and_upper_layers_alone():
    for name, path in MODULES.items():
        assert _session_uses(path) == [], f"{name} handles the request's session"
        assert [m for m in _imports(path) if m.split(".")[0] in ("tenants", "api")] == [], name
