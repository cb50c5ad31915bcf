#!/usr/bin/env python3
"""Kinerja's developer entry point. Needs only Python 3.11+; everything else it installs itself.

    python3 dev.py run [PORT]  install, migrate, load the four demo regions, serve on :8000 with a worker,
                               and restart them when plugin or platform code changes
    python3 dev.py test        install and run the whole test suite (extra arguments go to pytest)
    python3 dev.py stop        stop what `run` started, then the embedded PostgreSQL server

Without DATABASE_URL an embedded PostgreSQL runs from .kinerja/pgdata; without CELERY_BROKER_URL the
Celery broker is a folder under .kinerja/broker. Both are created on first use.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import venv
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("KINERJA_VENV", ROOT / ".venv"))
PYTHON = VENV / "bin" / "python"
STAMP = VENV / ".kinerja-installed"
DATA_DIR = ROOT / os.environ.get("KINERJA_DATA_DIR", ".kinerja")
RUN_RECORD = DATA_DIR / "dev-run.json"  # what `run` started, for `stop`
GRACE_SECONDS = 10.0  # between SIGTERM and SIGKILL
PLUGIN_GROUP = "kinerja.plugins"


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
    # The build backend's warnings about editable installs are noise to a newcomer: pip's output goes to
    # a log that is shown only when the install fails.
    log = VENV / "install.log"
    with log.open("w") as output:
        for command in (["install", "--upgrade", "pip"], ["install", *editable]):
            result = subprocess.run([str(PYTHON), "-m", "pip", "--quiet", *command], stdout=output,
                                    stderr=subprocess.STDOUT)
            if result.returncode:
                sys.stdout.write(log.read_text())
                sys.exit(f"[kinerja] installing failed (pip's output above, kept in {log})")
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


# --- process supervision ------------------------------------------------------------------------
# `run` starts each service in a session (so a process group) of its own and records it in
# RUN_RECORD, so a service's own children (runserver's reloaded child, Celery's pool) are stopped
# with it, and `stop`, another process, can end a run it did not start.

@dataclass(frozen=True)
class ProcessInfo:
    pid: int
    pgid: int
    command: str  # the argument vector joined by spaces
    start: str | None  # clock ticks since boot, where /proc tells it: a reused pid has another
    zombie: bool


def _has_proc() -> bool:
    return Path("/proc/self/stat").exists()


def process_info(pid: int) -> ProcessInfo | None:
    """What the system says about a process; None when no process has that pid."""
    if _has_proc():
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            command = Path(f"/proc/{pid}/cmdline").read_bytes().rstrip(b"\0").replace(b"\0", b" ")
        except OSError:
            return None
        fields = stat[stat.rindex(")") + 2:].split()  # the name in parentheses may hold spaces
        return ProcessInfo(pid, int(fields[2]), command.decode(errors="replace"), fields[19], fields[0] == "Z")
    result = subprocess.run(["ps", "-o", "pgid=,stat=,command=", "-p", str(pid)], capture_output=True, text=True)
    parts = result.stdout.strip().split(None, 2)
    if result.returncode or len(parts) < 2:
        return None
    return ProcessInfo(pid, int(parts[0]), parts[2] if len(parts) > 2 else "", None, parts[1].startswith("Z"))


def group_members(pgid: int) -> list[ProcessInfo]:
    """The live processes of a process group (zombies are dead already, waiting for their parent)."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return []
    except PermissionError:
        pass
    if _has_proc():
        pids = [int(entry.name) for entry in Path("/proc").iterdir() if entry.name.isdigit()]
    else:
        table = subprocess.run(["ps", "-A", "-o", "pid=,pgid="], capture_output=True, text=True).stdout
        pids = [int(pid) for pid, group in (line.split() for line in table.splitlines() if line.strip())
                if int(group) == pgid]
    members = (process_info(pid) for pid in pids)
    return [info for info in members if info is not None and info.pgid == pgid and not info.zombie]


def is_recorded_process(entry: dict) -> bool:
    """Whether the process a record names still runs: same pid, same command line and, where the
    system tells it, the same start (a pid freed by a crash may have gone to another program)."""
    info = process_info(entry["pid"])
    if info is None or info.zombie or info.command != entry["command"]:
        return False
    return entry.get("start") is None or info.start is None or info.start == entry["start"]


def owns_group(entry: dict) -> bool:
    """Whether a recorded process group is still the one recorded: its leader runs, or (the leader
    gone) processes it forked do: same command line, started no earlier."""
    if is_recorded_process(entry):
        return True
    leader = process_info(entry["pid"])
    if leader is not None and not leader.zombie:
        return False  # the pid now runs another program
    return any(member.command == entry["command"]
               and (entry.get("start") is None or member.start is None or int(member.start) >= int(entry["start"]))
               for member in group_members(entry["pgid"]))


def terminate_groups(pgids: list[int], grace: float = GRACE_SECONDS, reap=lambda: None) -> None:
    """End process groups whose leader's pid is the group's id: SIGTERM to the leader first, so one that
    stops its own children (Celery's warm shutdown) may; SIGTERM to the rest of the group once the
    leader is gone (runserver's reloaded child outlives its parent); SIGKILL to what is left after
    `grace` seconds."""
    def signal_group(pgid: int, sig: int, leader_only: bool = False) -> None:
        try:
            os.kill(pgid, sig) if leader_only else os.killpg(pgid, sig)
        except (ProcessLookupError, PermissionError):
            pass

    orphaned: set[int] = set()
    for pgid in pgids:
        leader = process_info(pgid)
        if leader is not None and leader.pgid == pgid and not leader.zombie:
            signal_group(pgid, signal.SIGTERM, leader_only=True)
        else:
            signal_group(pgid, signal.SIGTERM)
            orphaned.add(pgid)
    deadline = time.monotonic() + grace
    while True:
        reap()
        left = {pgid: members for pgid in pgids if (members := group_members(pgid))}
        if not left:
            return
        for pgid, members in left.items():
            if pgid not in orphaned and all(member.pid != pgid for member in members):
                signal_group(pgid, signal.SIGTERM)
                orphaned.add(pgid)
        if time.monotonic() > deadline:
            break
        time.sleep(0.1)
    for pgid in left:
        signal_group(pgid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(group_members(pgid) for pgid in left):
        reap()
        time.sleep(0.1)


@dataclass(frozen=True)
class Service:
    name: str
    label: str  # as it reads in a sentence: "the web server"
    argv: tuple[str, ...]
    cwd: Path = ROOT
    env: dict[str, str] | None = None


class Supervisor:
    """Starts services, each in a process group of its own, and keeps `record` (JSON) naming itself and
    them, so `stop_recorded` can end them from another process."""

    def __init__(self, record: Path, grace: float = GRACE_SECONDS):
        self.record, self.grace = record, grace
        self.services: dict[str, Service] = {}
        self.processes: dict[str, subprocess.Popen] = {}
        self._entries: dict[str, dict] = {}
        me = process_info(os.getpid())
        self._me = {"pid": os.getpid(), "command": me.command if me else " ".join([sys.executable, *sys.argv]),
                    "start": me.start if me else None}
        self._write_record()

    def start(self, service: Service) -> None:
        self.services[service.name] = service
        process = subprocess.Popen(service.argv, cwd=service.cwd, env=service.env, start_new_session=True)
        self.processes[service.name] = process
        forked = process_info(process.pid)  # the start time is the fork's; the command line may not be exec'd yet
        self._entries[service.name] = {"name": service.name, "pid": process.pid, "pgid": process.pid,
                                       "command": " ".join(service.argv), "start": forked.start if forked else None}
        self._write_record()

    def stop(self, *names: str) -> None:
        names = [name for name in names if name in self.processes]
        if not names:
            return
        terminate_groups([self.processes[name].pid for name in names], self.grace, reap=self._reap)
        for name in names:
            self.processes.pop(name).poll()
            self._entries.pop(name, None)
        self._write_record()

    def restart(self, *names: str) -> None:
        self.stop(*names)
        for name in names:
            self.start(self.services[name])

    def exited(self) -> list[tuple[str, int]]:
        """Services that ended on their own since the last call, with their exit codes; whatever they
        left running in their group is ended too."""
        gone = [(name, process.returncode) for name, process in self.processes.items() if process.poll() is not None]
        self.stop(*[name for name, _ in gone])
        return gone

    def close(self) -> None:
        self.stop(*self.processes)
        self.record.unlink(missing_ok=True)

    def _reap(self) -> None:
        for process in self.processes.values():
            process.poll()

    def _write_record(self) -> None:
        self.record.parent.mkdir(parents=True, exist_ok=True)
        partial = self.record.with_name(self.record.name + ".partial")
        partial.write_text(json.dumps({"supervisor": self._me, "processes": list(self._entries.values())}, indent=2))
        os.replace(partial, self.record)


def read_record(record: Path) -> dict:
    try:
        data = json.loads(record.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def running_supervisor(record: Path) -> int | None:
    """The pid of the `dev.py run` the record names, if it still runs."""
    supervisor = read_record(record).get("supervisor")
    return supervisor["pid"] if supervisor and is_recorded_process(supervisor) else None


def stop_recorded(record: Path, grace: float = GRACE_SECONDS) -> list[str]:
    """End the run a record names: its supervisor first (which stops its services), then any recorded
    group still running (what a supervisor that was killed left behind). Entries whose process is gone
    or whose pid now belongs to another program are ignored. Returns what was stopped."""
    data = read_record(record)
    stopped = []
    supervisor = data.get("supervisor")
    if supervisor and is_recorded_process(supervisor):
        os.kill(supervisor["pid"], signal.SIGTERM)
        deadline = time.monotonic() + grace + 5
        while is_recorded_process(supervisor) and time.monotonic() < deadline:
            time.sleep(0.1)
        if is_recorded_process(supervisor):
            os.kill(supervisor["pid"], signal.SIGKILL)
        stopped.append(f"dev.py run (pid {supervisor['pid']})")
    left = [entry for entry in data.get("processes", []) if owns_group(entry)]
    terminate_groups([entry["pgid"] for entry in left], grace)
    stopped += [f"{entry['name']} (process group {entry['pgid']})" for entry in left]
    record.unlink(missing_ok=True)
    return stopped


# --- watching code ------------------------------------------------------------------------------

IGNORED_FOLDERS = {"__pycache__", "tests", "build", "dist", "node_modules"}
INSTALL_FILES = {"pyproject.toml", "setup.py", "setup.cfg"}


def _ignored(relative: Path) -> bool:
    folders, name = relative.parts[:-1], relative.name
    return (any(part in IGNORED_FOLDERS or part.startswith(".") or part.endswith(".egg-info") for part in folders)
            or name.startswith((".", "#")) or name.endswith(("~", ".pyc", ".swp", ".swx", ".tmp")))


def python_code(relative: Path) -> bool:
    return relative.suffix == ".py" and not _ignored(relative)


def plugin_code(relative: Path) -> bool:
    """A plugin distribution's code, package data and install files; not its tests or documents."""
    if _ignored(relative) or relative.suffix in {".md", ".rst"}:
        return False
    return len(relative.parts) > 1 or relative.name in INSTALL_FILES or relative.suffix == ".py"


@dataclass(frozen=True)
class Watch:
    """Files under `root` that `accept` keeps (given their path relative to root); a change restarts
    the services named in `restarts`. `note` is added to the line that says so."""
    root: Path
    restarts: tuple[str, ...]
    accept: Callable[[Path], bool]
    note: str = ""

    def matches(self, path: Path) -> bool:
        return path.is_relative_to(self.root) and self.accept(path.relative_to(self.root))


def lasting(changes: set[tuple]) -> list[Path]:
    """The changed paths, less files that came and went within the burst: an editor's or sed's
    temporary copy."""
    kinds: dict[str, set[str]] = {}
    for change, path in changes:
        kinds.setdefault(path, set()).add(change.name)
    return sorted(Path(path) for path, seen in kinds.items()
                  if not ({"added", "deleted"} <= seen and not Path(path).exists()))


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _labels(supervisor: Supervisor, names: list[str]) -> str:
    labels = [supervisor.services[name].label for name in names if name in supervisor.services]
    return " and ".join([", ".join(labels[:-1]), labels[-1]] if len(labels) > 1 else labels)


def serve(supervisor: Supervisor, services: list[Service], watches: Callable[[], list[Watch]], *,
          before_restart: Callable[[list[Path]], None] = lambda paths: None,
          after_restart: Callable[[list[Path]], None] = lambda paths: None,
          debounce_ms: int = 3000, step_ms: int = 300) -> None:
    """Start the services (once the watcher is up, so no change goes unseen) and restart them when their
    watched files change, until SIGINT, SIGTERM or SIGHUP; then stop them. A burst of changes (an editor's save, a git checkout) is one restart: the
    changes are gathered until none came for `step_ms`. A service that exits on its own (a syntax error
    in the platform) is reported, and the next change starts it again."""
    import watchfiles  # installed into .venv; `run` executes this under the .venv's Python

    stopping = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda signum, frame: stopping.set())
    supervisor.services.update({service.name: service for service in services})
    pending = [service.name for service in services]  # (re)started once the watcher is up, to miss no change
    after_pending: list[Path] = []
    try:
        current = watches()
        while not stopping.is_set():
            roots = sorted({watch.root for watch in current if watch.root.is_dir()})

            def watched(change, path: str, current=current) -> bool:
                return any(watch.matches(Path(path)) for watch in current)

            for changes in watchfiles.watch(*roots, watch_filter=watched, debounce=debounce_ms, step=step_ms,
                                            stop_event=stopping, rust_timeout=1000, yield_on_timeout=True,
                                            raise_interrupt=False):
                if pending:
                    supervisor.restart(*pending)
                    pending = []
                    after_restart(after_pending)
                for name, code in supervisor.exited():
                    say(f"{supervisor.services[name].label} exited with code {code}; "
                        "a change to a watched file starts it again")
                latest = watches()
                if latest != current:
                    added, removed = set(latest) - set(current), set(current) - set(latest)
                    pending = list(dict.fromkeys(name for watch in added | removed for name in watch.restarts))
                    after_pending = [watch.root for watch in added]
                    what = [f"{verb} {', '.join(sorted(_shown(watch.root) for watch in group))}"
                            for verb, group in (("now watching", added), ("no longer watching", removed)) if group]
                    say(f"installed code changed ({'; '.join(what)}): restarting {_labels(supervisor, pending)}")
                    current = latest
                    break  # watch the new set of folders
                paths = lasting(changes)
                hits = [watch for watch in current if any(watch.matches(path) for path in paths)]
                if not hits or stopping.is_set():
                    continue
                names = list(dict.fromkeys(name for watch in hits for name in watch.restarts))
                more = f" and {len(paths) - 1} more file{'s' if len(paths) > 2 else ''}" if len(paths) > 1 else ""
                notes = {watch.note for watch in hits}
                note = f" ({notes.pop()})" if len(notes) == 1 and "" not in notes else ""
                say(f"{_shown(paths[0])}{more} changed: restarting {_labels(supervisor, names)}{note}")
                before_restart(paths)
                supervisor.restart(*names)
                after_restart(paths)
    finally:
        supervisor.close()


# --- the run command ----------------------------------------------------------------------------

def editable_plugin_sources() -> list[Path]:
    """Source folders of the plugin distributions installed in editable mode: those under plugins/ and
    any other a vendor installed with `pip install -e`."""
    from importlib.metadata import distributions
    from urllib.parse import unquote, urlparse

    found = set(plugin_distributions())
    for dist in distributions():
        if not any(entry_point.group == PLUGIN_GROUP for entry_point in dist.entry_points):
            continue
        try:
            direct = json.loads(dist.read_text("direct_url.json") or "{}")
        except ValueError:
            continue
        if direct.get("dir_info", {}).get("editable") and direct.get("url", "").startswith("file://"):
            found.add(Path(unquote(urlparse(direct["url"]).path)))
    return sorted(found)


class CodeWatches:
    """What `run` watches: plugin distributions restart both processes; the platform's packages
    restart the worker (runserver reloads them itself). Installed plugins are looked up again whenever
    site-packages changes, so a plugin installed with `pip install -e` while `run` runs is watched."""

    def __init__(self):
        import site

        self._site = [Path(folder) for folder in site.getsitepackages()]
        self._seen: tuple | None = None
        self._watches: list[Watch] = []

    def __call__(self) -> list[Watch]:
        seen = tuple(folder.stat().st_mtime_ns for folder in self._site if folder.is_dir())
        if seen != self._seen:
            self._seen = seen
            platform = [Watch(ROOT / folder, ("worker",), python_code, "the web server reloads platform code itself")
                        for folder in ("platform", "tenants", "api")]
            self._watches = platform + [Watch(source, ("web", "worker"), plugin_code) for source in editable_plugin_sources()]
        return self._watches


def reinstall_changed(paths: list[Path]) -> None:
    """A changed pyproject.toml (a new entry point, a dependency) takes effect only once reinstalled."""
    for dist in sorted({path.parent for path in paths if path.name in INSTALL_FILES}):
        say(f"reinstalling {_shown(dist)}")
        try:
            if dist.is_relative_to(ROOT):
                ensure_installed()
            else:
                subprocess.run([str(PYTHON), "-m", "pip", "install", "--quiet", "--no-deps", "-e", str(dist)], check=True)
        except subprocess.CalledProcessError as error:
            say(f"reinstalling {_shown(dist)} failed ({error}); the processes restart with what is installed")


def report_refused_plugins(paths: list[Path] | None = None) -> None:
    """The processes load plugins on first use and refuse a broken one without stopping, so their logs
    would tell only later; load them here once (after a change to a plugin's files) to tell at once."""
    if paths is not None and not any(path.is_relative_to(source) for source in editable_plugin_sources()
                                     for path in paths):
        return
    code = ("from kinerja_plugin_api.host import PluginHost\nhost = PluginHost()\nhost.load_entry_points()\n"
            "for error in host.load_errors: print(f'{error.source}: {error.message}')")
    try:
        result = subprocess.run([str(PYTHON), "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return
    if result.returncode:
        lines = result.stderr.strip().splitlines()
        say(f"the plugin host cannot load: {lines[-1] if lines else f'exit code {result.returncode}'}")
    for line in result.stdout.splitlines():
        say(f"plugin refused: {line}")


def port_taken(port: str) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("0.0.0.0", int(port)))
        except OSError:
            return True
    return False


def cmd_run(port: str) -> int:
    ensure_installed()
    if Path(sys.prefix).resolve() != VENV.resolve():
        # The supervisor needs what .venv has (watchfiles, the installed plugins' metadata).
        os.execv(PYTHON, [str(PYTHON), str(ROOT / "dev.py"), "run", port])
    running = running_supervisor(RUN_RECORD)
    if running:
        say(f"dev.py run is already running (pid {running}); `python3 dev.py stop` ends it")
        return 1
    leftovers = stop_recorded(RUN_RECORD)
    if leftovers:
        say(f"stopped what an earlier run left running: {', '.join(leftovers)}")
    if port_taken(port):
        say(f"port {port} is taken; pass another: python3 dev.py run 8123")
        return 1
    supervisor = Supervisor(RUN_RECORD)
    # Only this command runs the platform in development mode: debug pages, cookies over plain http, no
    # HSTS, and mail links pointing at this machine. Everything else (gunicorn, celery) runs as production.
    os.environ.setdefault("KINERJA_DEVELOPMENT", "1")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("KINERJA_SITE_URL", f"http://localhost:{port}")

    def interrupted(signum, frame):
        raise KeyboardInterrupt  # subprocess.run then kills the migration or seeding under way

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, interrupted)
    try:
        manage("migrate", "--verbosity", "0")
        manage("seed_demo", "--port", port)
        worker = Service("worker", "the worker", (
            str(PYTHON), "-m", "celery", "-A", "kinerja", "worker", "--beat", "--loglevel", "INFO",
            "--concurrency", "2", "--schedule", str(DATA_DIR / "celerybeat-schedule")))
        web = Service("web", "the web server", (str(PYTHON), str(ROOT / "manage.py"), "runserver", f"0.0.0.0:{port}"))
        report_refused_plugins()
        say(f"Open http://localhost:{port}/ (platform) or http://bukittinggi.localhost:{port}/ (a region); "
            "plugin and platform code is watched; Ctrl-C or `python3 dev.py stop` ends it all")
        serve(supervisor, [worker, web], CodeWatches(), before_restart=reinstall_changed,
              after_restart=report_refused_plugins)
    except KeyboardInterrupt:
        pass
    finally:
        supervisor.close()
    return 0


def cmd_stop() -> int:
    stopped = stop_recorded(RUN_RECORD)
    say(f"stopped {', '.join(stopped)}" if stopped else "dev.py run: not running")
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
