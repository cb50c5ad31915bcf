"""A vendor needs nothing but kinerja-plugin-api: in a fresh virtual environment holding only the API
distribution (with pytest), a plugin made from the template installs, passes its own tests and the
conformance check, and Django is nowhere to be imported.

It builds a real environment (pip may fetch pluggy, pytest and setuptools from the package index), so it
takes about a minute; `-m "not bare_venv"` leaves it out."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.bare_venv

API_DISTRIBUTION = Path(__file__).resolve().parents[2] / "plugins" / "kinerja-plugin-api"


def _run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=900, **kwargs)


@pytest.fixture(scope="session")
def bare_venv(tmp_path_factory) -> tuple[Path, dict]:
    """A virtual environment without system site-packages holding kinerja-plugin-api[testing] alone, built
    once per session from a copy of the source (so no build files land in the checkout)."""
    root = tmp_path_factory.mktemp("bare-venv")
    source = root / "kinerja-plugin-api"
    shutil.copytree(API_DISTRIBUTION, source,
                    ignore=shutil.ignore_patterns("*.egg-info", "__pycache__", "build", "dist"))
    venv = root / "venv"
    # nothing of the platform's environment may leak in: no PYTHONPATH, settings module or active venv
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "DJANGO_SETTINGS_MODULE", "VIRTUAL_ENV", "PYTHONHOME"}}
    created = _run([sys.executable, "-m", "venv", str(venv)], env=env)
    assert created.returncode == 0, created.stderr
    assert "include-system-site-packages = false" in (venv / "pyvenv.cfg").read_text()
    python = str(venv / "bin" / "python")
    installed = _run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                      f"{source}[testing]"], env=env)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return venv, env


def test_a_plugin_from_the_template_passes_its_tests_with_only_the_plugin_api_installed(bare_venv):
    venv, env = bare_venv
    python = str(venv / "bin" / "python")
    work = venv.parent

    created = _run([python, "-m", "kinerja_plugin_api", "new", "tpp-example", "--directory", str(work)], env=env)
    assert created.returncode == 0, created.stderr
    plugin = work / "kinerja-tpp-example"
    installed = _run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(plugin)],
                     env=env)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    tests = _run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=plugin, env=env)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "4 passed" in tests.stdout

    checked = _run([python, "-m", "kinerja_plugin_api", "check", "kinerja_tpp_example"], cwd=work, env=env)
    assert checked.returncode == 0 and checked.stdout.strip().endswith("conforms"), checked.stdout + checked.stderr

    django = _run([python, "-c", "import django"], env=env)
    assert django.returncode != 0 and "ModuleNotFoundError: No module named 'django'" in django.stderr
    listed = _run([python, "-m", "pip", "list", "--format=freeze", "--disable-pip-version-check"], env=env)
    names = {line.split("==")[0].lower() for line in listed.stdout.split()}
    assert {"kinerja-plugin-api", "kinerja-tpp-example", "pluggy", "pytest"} <= names
    assert not names & {"django", "celery", "psycopg", "kinerja", "pytest-django"}
