"""kinerja-plugin-api is a distribution a vendor installs alone: its public names are exported, its
version follows the hook API and has a changelog entry, and nothing in it needs Django, Celery or a
database."""
import ast
import inspect
import re
import tomllib
from pathlib import Path

import kinerja_plugin_api
from kinerja_plugin_api import (
    banking,
    config_schema,
    explanations,
    hookspecs,
    tpp,
    types,
)

DISTRIBUTION = Path(__file__).resolve().parents[2] / "plugins" / "kinerja-plugin-api"
PACKAGE = DISTRIBUTION / "kinerja_plugin_api"


def test_all_names_every_public_name_of_the_package_and_each_exists():
    assert [name for name in kinerja_plugin_api.__all__ if not hasattr(kinerja_plugin_api, name)] == []
    assert len(set(kinerja_plugin_api.__all__)) == len(kinerja_plugin_api.__all__)
    imported_modules = {name for name, value in vars(kinerja_plugin_api).items() if inspect.ismodule(value)}
    public = {name for name in vars(kinerja_plugin_api) if not name.startswith("_")}
    assert public - imported_modules == set(kinerja_plugin_api.__all__) - {"explanations", "tpp", "banking",
                                                                                  "__version__"}
    for module in (types, config_schema):
        assert set(module.__all__) <= set(kinerja_plugin_api.__all__) | {"BOOL", "CHOICE", "DECIMAL", "INT",
                                                                         "MAPPING_BY_CLASS", "PERCENT",
                                                                         "POSITION_CLASSES", "SCALAR_TYPES",
                                                                         "TABLE", "TEXT"}


def _defined_at_top(path: Path) -> set[str]:
    names = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                names |= {name.id for name in ast.walk(target) if isinstance(name, ast.Name)}
    return {name for name in names if not name.startswith("_")}


def test_each_module_exports_what_it_defines():
    for module in (types, config_schema, tpp, explanations, banking):
        assert _defined_at_top(Path(module.__file__)) == set(module.__all__), module.__name__


def test_the_version_follows_the_hook_api_and_the_changelog_has_it():
    assert kinerja_plugin_api.__version__ == "2.1.0"
    assert kinerja_plugin_api.__version__.startswith(hookspecs.HOOK_API_VERSION + ".")
    changelog = (DISTRIBUTION / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## {re.escape(kinerja_plugin_api.__version__)}$", changelog, re.MULTILINE)


def test_the_distribution_depends_on_pluggy_alone_and_pytest_only_for_the_test_kit():
    project = tomllib.loads((DISTRIBUTION / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["dependencies"] == ["pluggy>=1.5"]
    assert project["optional-dependencies"] == {"testing": ["pytest>=8"]}


def test_no_module_imports_django_celery_or_a_database_driver_except_the_optional_translation():
    forbidden = ("django", "celery", "psycopg", "kinerja", "tenants", "api")
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            found += [(path.name, name) for name in names if name.split(".")[0] in forbidden]
    # config_schema translates messages once Django's apps are loaded, inside a try/except ImportError
    assert found == [("config_schema.py", "django.apps"), ("config_schema.py", "django.utils.translation")]
    source = inspect.getsource(config_schema._)
    assert "except ImportError" in source


def test_every_first_party_plugin_and_the_template_declare_hook_api_2():
    plugins = DISTRIBUTION.parent
    for pyproject in sorted(plugins.glob("kinerja-*/pyproject.toml")):
        if pyproject.parent == DISTRIBUTION:
            continue
        text = pyproject.read_text(encoding="utf-8")
        assert re.search(r'"kinerja-plugin-api>=2\.\d+,<3"', text), pyproject
    metas = [path for path in plugins.glob("kinerja-*/kinerja_*/__init__.py") if "PLUGIN_META" in path.read_text()]
    assert len(metas) == 11
    for path in metas:
        # 2.0 plugins run unchanged on 2.1; one using a 2.1 addition says so
        assert re.search(r'"hook_api": ">=2\.\d+,<3\.0"', path.read_text(encoding="utf-8")), path
    template = PACKAGE / "templates" / "plugin_scaffold"
    assert '"hook_api": ">=2.0,<3.0"' in (template / "module" / "__init__.py.tmpl").read_text(encoding="utf-8")
    assert '"kinerja-plugin-api>=2.0,<3"' in (template / "pyproject.toml.tmpl").read_text(encoding="utf-8")
