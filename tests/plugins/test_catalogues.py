"""Plugins carry their own translations: each first-party plugin's texts (description, settings' labels and
help, choices) are in its own catalogue, complete, without fuzzy or empty entries, and reach the pages."""
import re
from pathlib import Path

import pytest
from django.utils import translation
from kinerja_plugin_api.host import get_host

from kinerja.plugins.catalogues import plugin_text, translated_schema
from tests.helpers import client_for, make_user
from tests.web.test_translations import PLACEHOLDER, read_po

PLUGINS = Path(__file__).resolve().parents[2] / "plugins"
CATALOGUES = sorted(PLUGINS.glob("*/*/locale/id/LC_MESSAGES/plugin.po"))


def _texts(fields):
    for field in fields:
        yield field.label
        if field.help:
            yield field.help
        yield from field.choices
        yield from _texts(field.columns)


def test_every_plugin_ships_a_compiled_catalogue():
    assert len(CATALOGUES) >= 11
    for po in CATALOGUES:
        assert po.with_suffix(".mo").exists(), po
        assert po.with_suffix(".mo").stat().st_mtime >= po.stat().st_mtime - 1, f"compile {po}"


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.parts[-5])
def test_plugin_catalogues_have_no_fuzzy_empty_or_broken_entries(po):
    entries = read_po(po)[1:]
    assert entries
    assert [e["msgid"] for e in entries if "fuzzy" in e["flags"]] == []
    assert [e["msgid"] for e in entries if not all(e["msgstr"].values())] == []
    assert [e["msgid"] for e in entries
            if sorted(PLACEHOLDER.findall(e["msgid"])) != sorted(PLACEHOLDER.findall(e["msgstr"][0]))] == []


def test_every_text_of_every_installed_plugin_is_translated_into_indonesian():
    host = get_host()
    missing = []
    for info in host.plugins():
        for text in (info.description, *_texts(host.config_schema(info.name).fields)):
            if plugin_text(info.module, text, "id") == text:
                missing.append((info.name, text))
    assert missing == []


def test_english_readers_get_the_plugins_own_words():
    host = get_host()
    info = host.get("kinerja-tpp-tebingtinggi")
    schema = translated_schema(info.module, host.config_schema(info.name), "en")
    assert schema.field_named("reward_sangat_baik").label == "Reward for Sangat Baik"
    with translation.override("id"):
        schema = translated_schema(info.module, host.config_schema(info.name))
    assert schema.field_named("reward_sangat_baik").label == "Penghargaan untuk Sangat Baik"
    # shared TPP settings come from the plugin API's catalogue
    assert schema.field_named("base_by_class").label == "TPP dasar per kelas jabatan"
    assert schema.field_named("sanction_source").choices == ("severity", "decision")  # stored values unchanged


@pytest.mark.django_db
def test_the_settings_page_shows_the_plugin_in_indonesian_with_a_label_on_every_input(region_a):
    from kinerja.accounts.models import Role

    html = client_for(region_a, make_user(region_a, Role.HR_ADMIN)).get(
        "/plugins/kinerja-tpp-tebingtinggi/").content.decode()
    assert "Penghargaan untuk Sangat Baik" in html and "TPP Kota Tebingtinggi: faktor predikat" in html
    assert '<option value="decision">keputusan</option>' in html
    assert "(int)" not in html and "(mapping-by-class)" not in html and "(bilangan bulat)" in html
    inputs = re.findall(r'<(?:input|select|textarea)\b[^>]*\bid="([^"]+)"', html)
    labelled = set(re.findall(r'<label for="([^"]+)"', html))
    unlabelled = [i for i in inputs if i not in labelled]
    assert inputs and unlabelled == []
