#!/usr/bin/env python3
"""Kinerja's developer entry point. Needs only Python 3.11+; everything else it installs itself.

    python3 dev.py run     install, migrate, load the four demo regions, serve on :8000 with a worker
    python3 dev.py test    install and run the whole test suite (extra arguments go to pytest)
    python3 dev.py stop    stop the embedded PostgreSQL server

Without DATABASE_URL an embedded PostgreSQL runs from .kinerja/pgdata; without CELERY_BROKER_URL the
Celery broker is a folder under .kinerja/broker. Both are created on first use.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("KINERJA_VENV", ROOT / ".venv"))
PYTHON = VENV / "bin" / "python"
STAMP = VENV / ".kinerja-installed"


def say(message: str) -> None:
    print(f"[kinerja] {message}", flush=True)


def plugin_distributions() -> list[Path]:
    return sorted(p.parent for p in (ROOT / "plugins").glob("*/pyproject.toml") if not p.parent.name.startswith("_"))


def install_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in [ROOT / "pyproject.toml", *[d / "pyproject.toml" for d in plugin_distributions()]]:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_installed() -> None:
    if sys.version_info < (3, 11):
        sys.exit("Kinerja needs Python 3.11 or newer.")
    if not PYTHON.exists():
        say(f"creating a virtual environment in {VENV}")
        venv.EnvBuilder(with_pip=True).create(VENV)
    fingerprint = install_fingerprint()
    if STAMP.exists() and STAMP.read_text() == fingerprint:
        return
    say("installing the platform and its plugins (first run takes a minute)")
    editable = ["-e", f"{ROOT}[dev]"]
    for dist in plugin_distributions():
        editable += ["-e", str(dist)]
    subprocess.run([str(PYTHON), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([str(PYTHON), "-m", "pip", "install", "--quiet", *editable], check=True)
    STAMP.write_text(fingerprint)


def manage(*args: str) -> None:
    subprocess.run([str(PYTHON), str(ROOT / "manage.py"), *args], check=True, cwd=ROOT)


def chromium_path() -> str | None:
    return os.environ.get("KINERJA_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def cmd_test(pytest_args: list[str]) -> int:
    ensure_installed()
    if chromium_path():
        say(f"browser tests will drive {chromium_path()}")
    else:
        say("Chromium not found: browser tests will be skipped (install Debian's chromium package to run them)")
    if not any(arg == "-n" or arg.startswith("-n") or arg.startswith("--numprocesses") for arg in pytest_args):
        pytest_args = ["-n", os.environ.get("KINERJA_TEST_PROCESSES", "2"), *pytest_args]  # the suite is long
    return subprocess.run([str(PYTHON), "-m", "pytest", *pytest_args], cwd=ROOT).returncode


def cmd_run(port: str) -> int:
    ensure_installed()
    manage("migrate", "--verbosity", "0")
    manage("seed_demo")
    env = dict(os.environ)
    worker = subprocess.Popen(
        [str(PYTHON), "-m", "celery", "-A", "kinerja", "worker", "--beat", "--loglevel", "INFO", "--concurrency", "2",
         "--schedule", str(ROOT / ".kinerja" / "celerybeat-schedule")],
        cwd=ROOT, env=env,
    )
    say(f"Celery worker started (pid {worker.pid})")
    say(f"Open http://localhost:{port}/ (platform) or http://bukittinggi.localhost:{port}/ (a region)")
    server = subprocess.Popen([str(PYTHON), str(ROOT / "manage.py"), "runserver", f"0.0.0.0:{port}"], cwd=ROOT, env=env)
    try:
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for process in (server, worker):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.time() + 10
        for process in (server, worker):
            try:
                process.wait(max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                process.kill()


def cmd_stop() -> int:
    if not PYTHON.exists():
        return 0
    code = "from pathlib import Path; from kinerja.database import stop_embedded; " \
           f"print('stopped' if stop_embedded(Path({str(ROOT)!r})) else 'not running')"
    result = subprocess.run([str(PYTHON), "-c", code], cwd=ROOT, capture_output=True, text=True)
    say(f"embedded PostgreSQL: {(result.stdout or result.stderr).strip().splitlines()[-1] if (result.stdout or result.stderr) else 'unknown'}")
    return result.returncode


def main(argv: list[str]) -> int:
    command, rest = (argv[0], argv[1:]) if argv else ("help", [])
    if command == "test":
        return cmd_test(rest)
    if command == "run":
        return cmd_run(rest[0] if rest else os.environ.get("PORT", "8000"))
    if command == "stop":
        return cmd_stop()
    print(__doc__)
    return 0 if command in {"help", "-h", "--help"} else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
