"""Care in the pages: irreversible actions ask first and say what follows, the rating form chooses no
grade for the appraiser, and every input of every template has a label a screen reader announces.

The confirmation is `data-confirm` on the form or on the button pressed (kinerja.js asks with it before
submitting; without script the server's rules still decide), so these checks read the templates."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted([*ROOT.glob("platform/**/templates/**/*.html"), *ROOT.glob("tenants/**/templates/**/*.html")])

# (template, what identifies the action in it)
IRREVERSIBLE = [
    ("platform/kinerja/pay/templates/pay/run_detail.html", "'approve' %}"),
    ("platform/kinerja/pay/templates/pay/run_detail.html", "'lock' %}"),
    ("platform/kinerja/appraisal/templates/appraisal/plan_detail.html", 'name="op" value="approve"'),
    ("platform/kinerja/appraisal/templates/appraisal/bulk_supervisor.html", 'name="op" value="apply"'),
    ("platform/kinerja/recruitment/templates/recruitment/opening_detail.html", 'value="publish"'),
    ("platform/kinerja/recruitment/templates/recruitment/opening_detail.html", 'value="close_registration"'),
    ("platform/kinerja/recruitment/templates/recruitment/opening_detail.html", 'value="advance"'),
    ("platform/kinerja/recruitment/templates/recruitment/stage_detail.html", 'value="publish"'),
    ("tenants/templates/tenants/region_list.html", "operator:region-suspend"),
    ("tenants/templates/tenants/region_list.html", "operator:region-archive"),
]


def _enclosing_form(source: str, marker: str) -> str:
    at = source.index(marker)
    start = source.rindex("<form", 0, at)
    return source[start:source.index("</form>", at)]


@pytest.mark.parametrize("template, marker", IRREVERSIBLE, ids=[f"{Path(t).stem}:{m}" for t, m in IRREVERSIBLE])
def test_irreversible_actions_ask_naming_the_consequence(template, marker):
    form = _enclosing_form((ROOT / template).read_text(encoding="utf-8"), marker)
    button_or_form = re.search(r'data-confirm="([^"]*(?:\{%[^%]*%\}[^"]*)*)"', form)
    assert button_or_form, f"{template}: {marker} submits without asking"
    question = button_or_form.group(1)
    # a question and its consequence: two sentences at least, the first one asking
    assert "?" in question and len(question.split()) >= 8, question


def test_the_script_asks_for_the_button_pressed_as_well_as_the_form():
    script = (ROOT / "platform/kinerja/web/static/kinerja/kinerja.js").read_text()
    assert "event.submitter" in script and "window.confirm(question)" in script and "preventDefault" in script


def test_the_rating_form_chooses_no_grade():
    source = (ROOT / "platform/kinerja/appraisal/templates/appraisal/plan_detail.html").read_text(encoding="utf-8")
    form = source[source.index('data-testid="rating-form"'):]
    form = form[:form.index("</form>")]
    selects = re.findall(r'<select id="rate-[^"]*" name="(?!period)[^"]+"[^>]*>(.*?)</select>', form, re.S)
    assert len(selects) == 3  # work result, each BerAKHLAK value (one loop), behaviour overall
    for options in selects:
        assert options.startswith('<option value="">') and "selected" not in options
    assert form.count(" required>") >= 3


CONTROL = re.compile(r"<(input|select|textarea)\b((?:[^>{]|\{[^}]*\})*)>", re.S)


def unlabelled_controls(source: str) -> list[str]:
    """Inputs with neither a <label for>, an enclosing <label>, nor aria-label/aria-labelledby/title."""
    wrapped = [(m.start(), m.end()) for m in re.finditer(r"<label\b[^>]*>.*?</label>", source, re.S)]
    targets = set(re.findall(r'<label\b[^>]*\bfor="([^"]+)"', source))
    found = []
    for match in CONTROL.finditer(source):
        attributes = match.group(2)
        if re.search(r'type="(hidden|submit|button)"', attributes):
            continue
        if re.search(r"\b(aria-label|aria-labelledby|title)=", attributes):
            continue
        given = re.search(r'\bid="([^"]+)"', attributes)
        if given and given.group(1) in targets:
            continue
        if any(start <= match.start() < end for start, end in wrapped):
            continue
        if re.fullmatch(r"\{\{\s*[\w.]+\s*\}\}", attributes.strip()):  # a Django form field rendered whole
            continue
        found.append(match.group(0)[:100])
    return found


def test_every_input_of_every_template_has_a_label():
    missing = {str(t.relative_to(ROOT)): unlabelled_controls(t.read_text(encoding="utf-8")) for t in TEMPLATES}
    assert {t: m for t, m in missing.items() if m} == {}


def test_the_label_check_sees_an_unlabelled_input():
    assert unlabelled_controls('<form><input name="reason" placeholder="Reason"></form>')
    assert not unlabelled_controls('<label for="r">Reason</label><input id="r" name="reason">')
    assert not unlabelled_controls('<label class="field">Reason <input name="reason"></label>')
