"""The audit trail reads as sentences: every action the code records has its own phrase (an action
without one would show as a generic "recorded a change"), in Indonesian as in English."""
from __future__ import annotations

import re
from pathlib import Path

from django.utils import translation

from kinerja.audit.describe import ACTIONS

ROOT = Path(__file__).resolve().parents[2]
RECORDED = re.compile(r'action="([a-z_]+\.[a-z_.]+)"')


def recorded_actions() -> set[str]:
    found = set()
    for folder in ("platform", "tenants", "api"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" not in path.parts:
                found |= set(RECORDED.findall(path.read_text()))
    return found


def test_every_recorded_action_has_its_own_phrase():
    actions = recorded_actions()
    assert len(actions) > 100 and "appraisal.year.close" in actions  # the scan sees what it looks for
    assert sorted(actions - set(ACTIONS)) == []


def test_every_phrase_is_translated():
    with translation.override("en"):
        english = {code: str(phrase) for code, phrase in ACTIONS.items()}
    with translation.override("id"):
        untranslated = [code for code, phrase in ACTIONS.items() if str(phrase) == english[code]]
    assert untranslated == []
