"""The Indonesian catalogue is complete, agrees with its compiled form, and keeps every placeholder."""
from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "platform" / "kinerja" / "locale" / "id" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdrif]|%[sdrif]|\{(\w*)\}")


def read_po(path: Path) -> list[dict]:
    """Entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (list), flags. Obsolete ones are left out."""
    entries, current, field = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#~"):
            continue
        if not line.strip():
            if current is not None:
                entries.append(current)
            current, field = None, None
            continue
        if current is None:
            current = {"msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": {}, "flags": set()}
        if line.startswith("#,"):
            current["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(field, int):
                current["msgstr"][field] += value
            else:
                current[field] += value
        else:
            keyword, _, rest = line.partition(" ")
            value = ast.literal_eval(rest)
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if match:
                field = int(match.group(1))
                current["msgstr"][field] = value
            elif keyword == "msgstr":
                field = 0
                current["msgstr"][0] = value
            else:
                field = keyword
                current[keyword] = value
    return entries


@pytest.fixture(scope="module")
def entries() -> list[dict]:
    found = read_po(LOCALE / "django.po")
    assert found and found[0]["msgid"] == "", "the catalogue starts with its header"
    return found[1:]


def describe(entry) -> str:
    return repr(entry["msgid"])


def test_catalogue_covers_the_interface(entries):
    msgids = {entry["msgid"] for entry in entries}
    for source in ("Log in", "Dashboard", "Audit trail", "Your username and password didn't match. Please try again.",
                   "Choose your password", "HR administration", "My team"):
        assert source in msgids


def test_no_entry_is_untranslated(entries):
    untranslated = [describe(e) for e in entries if not e["msgstr"] or not all(e["msgstr"].values())]
    assert untranslated == []


def test_no_entry_is_fuzzy(entries):
    assert [describe(e) for e in entries if "fuzzy" in e["flags"]] == []


def test_placeholders_survive_translation(entries):
    wrong = []
    for entry in entries:
        expected = sorted(PLACEHOLDER.findall(entry["msgid"]))
        for text in entry["msgstr"].values():
            if sorted(PLACEHOLDER.findall(text)) != expected:
                wrong.append(describe(entry))
    assert wrong == []


def test_compiled_catalogue_matches_the_source(entries):
    with (LOCALE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in entries:
        msgid = entry["msgid"] if entry["msgctxt"] is None else f"{entry['msgctxt']}\x04{entry['msgid']}"
        if entry["msgid_plural"] is None:
            if compiled._catalog.get(msgid) != entry["msgstr"][0]:
                stale.append(describe(entry))
        elif compiled._catalog.get((msgid, 0)) != entry["msgstr"][0]:
            stale.append(describe(entry))
    assert stale == [], "run `python manage.py compilemessages` and commit the .mo"


def test_page_is_served_in_indonesian(db, region_a):
    from tests.helpers import client_for

    html = client_for(region_a).get("/accounts/login/").content.decode()
    assert "Masuk" in html and "Nama pengguna" in html and "Langsung ke isi" in html
