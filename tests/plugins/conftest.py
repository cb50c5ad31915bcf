"""Fixtures for plugin tests: a host with the first-party plugins (registered directly, so the tests do
not depend on what the environment happens to have installed) and plugins written for the tests."""
from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from kinerja_plugin_api.host import PluginHost, set_host

PLUGINS_DIR = Path(__file__).resolve().parents[2] / "plugins"
FIRST_PARTY = {
    "kinerja_tpp_bukittinggi": "kinerja-tpp-bukittinggi",
    "kinerja_tpp_kotalama": "kinerja-tpp-kotalama",
    "kinerja_tpp_tebingtinggi": "kinerja-tpp-tebingtinggi",
    "kinerja_tpp_batanghari": "kinerja-tpp-batanghari",
    "kinerja_recruitment_national": "kinerja-recruitment-national",
    "kinerja_recruitment_tebingtinggi": "kinerja-recruitment-tebingtinggi",
    "kinerja_training_national": "kinerja-training-national",
    "kinerja_training_batanghari": "kinerja-training-regional",
    "kinerja_training_bukittinggi": "kinerja-training-regional",
    "kinerja_formula_plugin": "kinerja-formula",
}


def first_party_module(module_name: str):
    """Import a first-party plugin from its source folder when it is not pip-installed."""
    folder = str(PLUGINS_DIR / FIRST_PARTY[module_name])
    if folder not in sys.path:
        try:
            return importlib.import_module(module_name)
        except ImportError:
            sys.path.append(folder)
    return importlib.import_module(module_name)


@pytest.fixture
def plugin_host():
    """A host holding every first-party plugin, installed as the process's host for the test."""
    host = PluginHost()
    for module_name in FIRST_PARTY:
        assert host.register(first_party_module(module_name)) is not None, host.load_errors
    previous = set_host(host)
    yield host
    set_host(previous)


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in their English source text, whatever the default language."""
    from django.utils import translation

    with translation.override("en"):
        yield
