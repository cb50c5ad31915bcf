"""Every role's pages read in Indonesian: a demo region is seeded (people, SKP, ratings, a locked pay run,
training, an opening on the job portal), then every menu page of every role, the records those pages lead
to and the applicant's portal pages are rendered in Indonesian, and the text a person reads is checked for
what leaks from the code:

- an English sentence of the catalogue (a msgid of three words or more whose translation differs),
  meaning a string was printed without being translated;
- a raw code: an audit action (`pay.run_approved`), a choice's stored value instead of its label
  ("cpns", "misconduct") standing alone in a cell, a model's default name ("Objection object (1)").

It is a pragmatic check, not a proof: text in <code>, <pre> and form values is left out (formulas, tokens
and stored settings are codes on purpose), and a sentence written in English by a region itself would be
data, not a leak."""
from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.utils import translation

from tenants.models import Region
from tests.helpers import client_for, in_region
from tests.recruitment.conftest import APPLICANT_PASSWORD
from tests.web.test_translations import PLACEHOLDER, read_po

pytestmark = pytest.mark.django_db

LOCALE = Path(__file__).resolve().parents[2] / "platform" / "kinerja" / "locale" / "id" / "LC_MESSAGES"
REGION = "kotalama"
REGION_LOGINS = ("hr", "pimpinan", "auditor", "atasan", "pegawai")
PLATFORM_LOGINS = ("operator", "bkn", "vendor")
ACTION_CODE = re.compile(r"\b(?:accounts|appraisal|billing|notifications|pay|people|plugin|recruitment|region|training)"
                         r"\.[a-z]+_[a-z_]+\b|\b(?:accounts|appraisal|people|recruitment)\.[a-z_]+\.[a-z_]+\b")
DEFAULT_REPR = re.compile(r"\b[A-Z]\w+ object \(\d+\)")
SKIPPED_TAGS = {"script", "style", "code", "pre", "textarea", "option"}
SHOWN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")


class VisibleText(HTMLParser):
    """The text of a page a person reads: text nodes outside code-like elements, and the attributes a
    browser shows or reads aloud. Each text node is kept on its own, for the raw-code check."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skipping = 0
        self.nodes: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_TAGS:
            self.skipping += 1
        for name, value in attrs:
            if name in SHOWN_ATTRIBUTES and value:
                self.nodes.append(value)

    def handle_endtag(self, tag):
        if tag in SKIPPED_TAGS and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.nodes.append(" ".join(data.split()))


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.nodes


def english_sentences() -> list[str]:
    """Catalogue sources of three words or more whose Indonesian differs, without placeholders or markup."""
    found = []
    for entry in read_po(LOCALE / "django.po")[1:]:
        source, target = entry["msgid"], entry["msgstr"].get(0, "")
        if (entry["msgid_plural"] is None and len(source.split()) >= 3 and source != target
                and not PLACEHOLDER.search(source) and not re.search(r"[<%{}]", source)):
            found.append(source)
    return found


def raw_choice_codes() -> set[str]:
    """Stored values of the models' choices whose label says something else ("cpns" for "CPNS"
    would pass, "misconduct" for "Pelanggaran disiplin" would not)."""
    codes = set()
    with translation.override("id"):
        for model in apps.get_models():
            for field in model._meta.get_fields():
                for value, label in getattr(field, "flatchoices", None) or ():
                    # an acronym stored as itself ("PNS", "PPPK") reads the same in every language
                    if (isinstance(value, str) and len(value) > 2 and not value.isupper()
                            and value.lower() != str(label).lower()):
                        codes.add(value)
    return codes


def problems_of(path: str, html: str, sentences: list[str], codes: set[str]) -> list[str]:
    nodes = visible_text(html)
    text = " ".join(nodes)
    found = [f"{path}: English {sentence!r}" for sentence in sentences if sentence in text]
    found += [f"{path}: action code {code!r}" for code in set(ACTION_CODE.findall(text))]
    found += [f"{path}: default name {name!r}" for name in set(DEFAULT_REPR.findall(text))]
    found += sorted({f"{path}: raw value {node!r} (after {nodes[index - 1]!r})" for index, node in enumerate(nodes)
                     if node in codes})
    return found


def seed_demo() -> Region:
    with translation.override("id"):  # as a region's HR would: texts the services store are in Indonesian
        call_command("seed_demo", "--employees", "30", "--region", REGION, stdout=io.StringIO())
    connection.set_schema_to_public()
    return Region.objects.get(schema_name=REGION)


def login(region, username):
    from django.contrib.auth import get_user_model

    if region is None:
        return get_user_model().objects.get(username=username)
    with in_region(region):
        return get_user_model().objects.get(username=username)


LINK = re.compile(r'href="(/(?:appraisal|pay|training|people|recruitment|logins|plugins|audit|notifications|reports|'
                  r'billing|operator|bkn|national|jobs)/[^"?#]*\d+/)"')


def pages_of(client, start: list[str], follow: int = 12) -> dict[str, str]:
    """The menu pages, then up to `follow` record pages they link to (one per address shape)."""
    seen: dict[str, str] = {}
    shapes = set()
    queue = list(start)
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        seen[path] = html
        for link in LINK.findall(html):
            shape = re.sub(r"\d+", "N", link)
            if shape not in shapes and len(shapes) < follow and link not in seen:
                shapes.add(shape)
                queue.append(link)
    return seen


def test_every_roles_pages_read_in_indonesian(media):
    region = seed_demo()
    # the demo's "operator" login is named like the role's code: a username is data, not a code
    sentences, codes = english_sentences(), raw_choice_codes() - set(PLATFORM_LOGINS)
    problems, rendered = [], 0
    for username in REGION_LOGINS + PLATFORM_LOGINS:
        site = None if username in PLATFORM_LOGINS else region
        client = client_for(site, login(site, username))
        # the API's docs page is swagger-ui's own, in English
        menu = [item["url"] for item in client.get("/dashboard/").context["nav_items"] if not item["url"].startswith("/api/")]
        for path, html in pages_of(client, menu).items():
            assert '<html lang="id">' in html, path
            rendered += 1
            problems += problems_of(f"{username} {path}", html, sentences, codes)

    applicant = client_for(region)
    applicant.post("/jobs/register/", {"full_name": "Siti Aminah", "email": "siti.bahasa@example.id",
                                       "birth_date": "1998-05-04", "gender": "F", "password": APPLICANT_PASSWORD})
    portal = pages_of(applicant, ["/jobs/", "/jobs/me/"], follow=4)
    with in_region(region):
        from kinerja.recruitment.models import Opening

        codes_open = list(Opening.objects.values_list("code", flat=True)[:2])
    for code in codes_open:
        portal.update(pages_of(applicant, [f"/jobs/{code}/"], follow=2))
    for path, html in portal.items():
        rendered += 1
        problems += problems_of(f"applicant {path}", html, sentences, codes)

    assert rendered >= 40
    assert not problems, "\n".join(sorted(problems))


def test_the_check_finds_what_it_looks_for():
    html = ("<table><tr><td>pay.run_approved</td><td>misconduct</td><td>Objection object (1)</td></tr></table>"
            "<p>Nothing to show yet.</p><code>appraisal.plan.approve</code>")
    found = problems_of("/x/", html, ["Nothing to show yet."], {"misconduct"})
    assert sorted(problem.split(": ")[1].split(" ")[0] for problem in found) == ["English", "action", "default", "raw"]
