"""The recruitment services package keeps its shape: it re-exports nothing and never reaches into the
request's session (the portal's sign-in belongs to the interface). Cycles and imports against the layers
are the whole project's tests (tests/test_layers.py)."""
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


def test_the_package_re_exports_nothing():
    """Callers import the subject modules (cycles between them are caught by tests/test_layers.py)."""
    assert [m for m in _imports(MODULES["__init__"]) if m.startswith(PACKAGE)] == []


def _session_uses(path: pathlib.Path) -> list[int]:
    return [node.lineno for node in ast.walk(ast.parse(path.read_text()))
            if (isinstance(node, ast.Attribute) and node.attr == "session")
            or (isinstance(node, ast.Name) and node.id == "request")
            or (isinstance(node, ast.arg) and node.arg == "request")]


def test_services_leave_the_request_session_alone():
    for name, path in MODULES.items():
        assert _session_uses(path) == [], f"{name} handles the request's session"
