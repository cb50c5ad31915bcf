"""Production is the default: without the development command, settings come up with DEBUG off, secure
cookies, HSTS and a signing key nobody else knows; and no template carries what the Content-Security-Policy
would block (inline styles, inline scripts, event-handler attributes), so every page passes it."""
from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

from kinerja.database import installation_secret_key

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_PROBE = ("import json; from django.conf import settings as s; print(json.dumps([s.DEBUG, "
                  "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECRET_KEY]))")


def settings_in_a_fresh_process(tmp_path, **environment) -> list:
    env = {name: value for name, value in os.environ.items()
           if name not in {"KINERJA_DEVELOPMENT", "DJANGO_DEBUG", "DJANGO_SECRET_KEY", "KINERJA_SECURE_COOKIES",
                           "KINERJA_HSTS_SECONDS"}}
    env.update(DJANGO_SETTINGS_MODULE="kinerja.settings", KINERJA_DATA_DIR=str(tmp_path), **environment)
    code = "import django; django.setup(); " + SETTINGS_PROBE
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=ROOT,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_outside_the_development_command_debug_is_off_and_transport_is_secure(tmp_path):
    debug, session_secure, csrf_secure, hsts, key = settings_in_a_fresh_process(tmp_path)
    assert (debug, session_secure, csrf_secure) == (False, True, True)
    assert hsts >= 31536000
    assert len(key) >= 50 and "change-me" not in key


def test_the_signing_key_is_made_once_per_installation_and_kept_owner_only(tmp_path):
    first = installation_secret_key(tmp_path)
    assert installation_secret_key(tmp_path) == first
    assert installation_secret_key(tmp_path / ".." / tmp_path.name) == first
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    other = tmp_path / "other"
    other.mkdir()
    assert installation_secret_key(other) != first  # another installation cannot forge this one's links


def test_a_configured_key_wins(tmp_path):
    *_, key = settings_in_a_fresh_process(tmp_path, DJANGO_SECRET_KEY="k" * 60)
    assert key == "k" * 60 and not (tmp_path / "secret_key").exists()


BLOCKED_BY_CSP = re.compile(r"""\sstyle\s*=\s*["']|<script(?![^>]*\ssrc=)[^>]*>|\son[a-z]+\s*=\s*["']""", re.I)


def test_no_template_carries_what_the_content_security_policy_blocks():
    templates = [path for folder in ("platform", "tenants", "api") for path in (ROOT / folder).rglob("templates/**/*.html")]
    assert len(templates) > 100
    offending = {str(path.relative_to(ROOT)): found.group(0) for path in templates
                 if (found := BLOCKED_BY_CSP.search(path.read_text()))}
    assert offending == {}
    assert BLOCKED_BY_CSP.search('<form method="post" style="display:inline">')  # the rule sees what it looks for
