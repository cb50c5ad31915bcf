"""The vendor kit: a plugin made from the template passes the conformance check and its own generated
tests (run in a separate process, as a vendor would), and the check catches a broken plugin."""
import importlib
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from kinerja_plugin_api.hookspecs import HOOK_API_VERSION
from kinerja_plugin_api.scaffold import names_for
from tests.plugins.fake import flaky_pay


def test_names_are_normalised_and_bad_ones_refused():
    assert names_for("tpp-example") == ("kinerja-tpp-example", "kinerja_tpp_example", "tpp-example")
    assert names_for("kinerja-tpp-example")[0] == "kinerja-tpp-example"
    with pytest.raises(ValueError):
        names_for("TPP Example!")


def test_new_plugin_from_the_template_passes_conformance_and_its_own_tests(tmp_path, monkeypatch, capsys):
    call_command("kinerja_plugin", "new", "tpp-contoh", "--directory", str(tmp_path))
    folder = tmp_path / "kinerja-tpp-contoh"
    assert (folder / "pyproject.toml").read_text().count('tpp-contoh = "kinerja_tpp_contoh"') == 1
    assert (folder / "kinerja_tpp_contoh" / "__init__.py").exists()
    assert (folder / "tests" / "test_plugin.py").exists()

    monkeypatch.syspath_prepend(str(folder))
    importlib.invalidate_caches()
    call_command("kinerja_plugin", "check", "kinerja_tpp_contoh")
    assert f"kinerja-tpp-contoh conforms to hook API {HOOK_API_VERSION}" in capsys.readouterr().out

    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    completed = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:django", "-p", "no:cacheprovider"],
                               cwd=folder, env=env, capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "4 passed" in completed.stdout

    with pytest.raises(CommandError, match="already exists"):
        call_command("kinerja_plugin", "new", "tpp-contoh", "--directory", str(tmp_path))


def test_check_reports_the_problems_of_a_broken_plugin(capsys):
    with pytest.raises(CommandError, match="problem"):
        call_command("kinerja_plugin", "check", flaky_pay.__name__)
    out = capsys.readouterr().out
    assert "FAIL  kinerja_compute_pay with sample-Baik" not in out  # good employees pass
    assert "FAIL  kinerja_region_created raised RuntimeError" in out


def test_check_of_an_unknown_name_fails_clearly():
    with pytest.raises(CommandError, match="No installed plugin or importable module"):
        call_command("kinerja_plugin", "check", "kinerja-nowhere")
