"""dev.py's process supervision, run for real with small stand-in services: each stand-in starts a
child of its own, as runserver and Celery do, and appends "pid child-pid" to a file when it starts."""
from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("dev_script", ROOT / "dev.py")
dev = sys.modules["dev_script"] = importlib.util.module_from_spec(_spec)  # dataclasses look it up there
_spec.loader.exec_module(dev)

pytestmark = pytest.mark.worker

DEADLINE = 90  # seconds; generous, the machine may be busy

STAND_IN = textwrap.dedent("""
    import os, subprocess, sys, time
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(900)", sys.argv[1]])
    with open(sys.argv[1], "a") as starts:
        starts.write(f"{os.getpid()} {child.pid}\\n")
    time.sleep(900)
""")

FAILING = textwrap.dedent("""
    import os, sys
    with open(sys.argv[1], "a") as starts:
        starts.write(f"{os.getpid()} {os.getpid()}\\n")
    sys.exit(3)
""")

SUPERVISOR = textwrap.dedent("""
    import importlib.util, json, sys
    from pathlib import Path
    spec = importlib.util.spec_from_file_location("dev_script", sys.argv[1])
    dev = sys.modules["dev_script"] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dev)
    config = json.loads(sys.argv[2])
    services = [dev.Service(s["name"], s["label"], tuple(s["argv"])) for s in config["services"]]
    watches = [dev.Watch(Path(w["root"]), tuple(w["restarts"]), dev.python_code) for w in config["watches"]]
    late = [dev.Watch(Path(w["root"]), tuple(w["restarts"]), dev.python_code) for w in config.get("late", [])]
    marker = Path(config["record"]).with_name("installed")  # stands for a plugin installed while serving
    dev.serve(dev.Supervisor(Path(config["record"]), grace=5), services,
              lambda: watches + (late if marker.exists() else []), step_ms=config.get("step_ms", 300))
""")


def wait_for(condition, what: str, timeout: float = DEADLINE):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def alive(pid: int) -> bool:
    info = dev.process_info(pid)
    return info is not None and not info.zombie


def starts(path: Path) -> list[tuple[int, int]]:
    if not path.exists():
        return []
    return [tuple(int(pid) for pid in line.split()) for line in path.read_text().splitlines() if line.strip()]


class Run:
    """A supervisor process (dev.serve) over stand-in services, in a temporary folder."""

    def __init__(self, tmp_path: Path):
        self.tmp = tmp_path
        self.record = tmp_path / "data" / "dev-run.json"
        self.src = tmp_path / "src"
        self.src.mkdir()
        self.late = tmp_path / "late"
        self.late.mkdir()
        self.log = tmp_path / "supervisor.log"
        self.process: subprocess.Popen | None = None

    def starts_file(self, name: str) -> Path:
        return self.tmp / f"{name}.starts"

    def start(self, services: dict[str, str], watched: list[str], step_ms: int = 300,
              late: list[str] = ()) -> None:
        config = {
            "record": str(self.record), "step_ms": step_ms,
            "services": [{"name": name, "label": f"the {name} service",
                          "argv": [sys.executable, "-c", code, str(self.starts_file(name))]}
                         for name, code in services.items()],
            "watches": [{"root": str(self.src), "restarts": watched}],
            "late": [{"root": str(self.late), "restarts": late}] if late else [],
        }
        before = {name: len(starts(self.starts_file(name))) for name in services}
        script = self.tmp / "supervise.py"
        script.write_text(SUPERVISOR)
        with self.log.open("w") as log:
            self.process = subprocess.Popen([sys.executable, str(script), str(ROOT / "dev.py"), json.dumps(config)],
                                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        for name in services:
            wait_for(lambda: len(starts(self.starts_file(name))) > before[name], f"{name} to start")
        wait_for(lambda: len(dev.read_record(self.record).get("processes", [])) == len(services), "the record")

    def said(self, text: str) -> bool:
        return text in self.log.read_text()

    def pids(self) -> list[int]:
        return [pid for path in self.tmp.glob("*.starts") for pair in starts(path) for pid in pair]

    def cleanup(self) -> None:
        # Whatever a failed test left: only processes started here (their command line names this folder).
        for pid in self.pids() + ([self.process.pid] if self.process else []):
            info = dev.process_info(pid)
            if info and str(self.tmp) in info.command:
                try:
                    os.killpg(pid, signal.SIGKILL) if info.pgid == pid else os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
        if self.process:
            self.process.wait(10)


@pytest.fixture
def run(tmp_path):
    supervised = Run(tmp_path)
    yield supervised
    supervised.cleanup()


def test_sigterm_to_the_supervisor_ends_its_services_and_their_children(run):
    run.start({"web": STAND_IN, "worker": STAND_IN}, watched=["web"])
    record = dev.read_record(run.record)
    assert record["supervisor"]["pid"] == run.process.pid
    assert {entry["name"] for entry in record["processes"]} == {"web", "worker"}
    assert all(entry["pgid"] == entry["pid"] for entry in record["processes"])  # a group of its own each
    pids = run.pids()
    assert len(pids) == 4 and all(alive(pid) for pid in pids)

    run.process.send_signal(signal.SIGTERM)

    assert run.process.wait(DEADLINE) == 0
    wait_for(lambda: not any(alive(pid) for pid in pids), "every service and child to end")
    assert not run.record.exists()


def test_stop_ends_a_run_and_what_a_killed_run_left_behind(run, tmp_path):
    env = {**os.environ, "KINERJA_DATA_DIR": str(tmp_path / "data")}
    stop = [sys.executable, str(ROOT / "dev.py"), "stop"]

    run.start({"web": STAND_IN, "worker": STAND_IN}, watched=["web"])
    pids = run.pids()
    result = subprocess.run(stop, env=env, capture_output=True, text=True, timeout=DEADLINE)
    assert f"stopped dev.py run (pid {run.process.pid})" in result.stdout, result.stdout + result.stderr
    assert run.process.wait(DEADLINE) == 0
    wait_for(lambda: not any(alive(pid) for pid in pids), "every service and child to end")

    # A supervisor killed outright cannot stop its services: stop ends their groups from the record.
    run.start({"web": STAND_IN, "worker": STAND_IN}, watched=["web"])
    pids = [pid for pid in run.pids() if alive(pid)]
    assert len(pids) == 4
    run.process.kill()
    run.process.wait(DEADLINE)
    assert all(alive(pid) for pid in pids)
    result = subprocess.run(stop, env=env, capture_output=True, text=True, timeout=DEADLINE)
    assert "process group" in result.stdout, result.stdout + result.stderr
    wait_for(lambda: not any(alive(pid) for pid in pids), "the left-behind groups to end")
    assert not run.record.exists()

    result = subprocess.run(stop, env=env, capture_output=True, text=True, timeout=DEADLINE)
    assert "dev.py run: not running" in result.stdout


def test_a_change_to_a_watched_file_restarts_the_services_watching_it(run):
    run.start({"web": STAND_IN, "worker": STAND_IN}, watched=["web"])
    [(web, web_child)] = starts(run.starts_file("web"))
    [(worker, worker_child)] = starts(run.starts_file("worker"))

    (run.src / "module.py").write_text("VALUE = 2\n")

    wait_for(lambda: len(starts(run.starts_file("web"))) == 2, "the web service to start again")
    wait_for(lambda: not alive(web) and not alive(web_child), "the old web service and its child to end")
    assert run.said("module.py changed: restarting the web service")
    assert starts(run.starts_file("worker")) == [(worker, worker_child)]
    assert alive(worker) and alive(worker_child)
    new_web = starts(run.starts_file("web"))[1][0]
    wait_for(lambda: [e["pid"] for e in dev.read_record(run.record)["processes"] if e["name"] == "web"] == [new_web],
             "the record to name the new web service")


def test_a_service_that_exits_does_not_stop_the_supervisor_and_the_next_change_starts_it(run):
    run.start({"worker": FAILING, "web": STAND_IN}, watched=["worker"])

    wait_for(lambda: run.said("the worker service exited with code 3"), "the exit to be reported")
    assert run.process.poll() is None
    assert all(alive(pid) for pid in starts(run.starts_file("web"))[0])

    (run.src / "tasks.py").write_text("broken = (\n")
    wait_for(lambda: len(starts(run.starts_file("worker"))) == 2, "the worker service to start again")
    assert run.process.poll() is None


def test_a_burst_of_changes_restarts_once_or_nearly(run):
    run.start({"web": STAND_IN}, watched=["web"], step_ms=2000)

    for number in range(10):
        (run.src / f"module_{number}.py").write_text(f"VALUE = {number}\n")

    wait_for(lambda: run.said("more files changed"), "the burst to be reported")
    wait_for(lambda: len(starts(run.starts_file("web"))) >= 2, "the restart")
    assert len(starts(run.starts_file("web"))) <= 3  # ten changes, one restart (two if the machine stalled)


def test_a_folder_watched_while_serving_restarts_its_services_and_is_then_watched(run):
    run.start({"web": STAND_IN, "worker": STAND_IN}, watched=["worker"], late=["web"])
    (run.late / "plugin.py").write_text("VALUE = 1\n")  # not watched yet

    (run.record.with_name("installed")).touch()

    wait_for(lambda: run.said(f"now watching {run.late}"), "the new folder to be reported")
    wait_for(lambda: len(starts(run.starts_file("web"))) == 2, "the web service to start again")
    (run.late / "plugin.py").write_text("VALUE = 2\n")
    wait_for(lambda: len(starts(run.starts_file("web"))) == 3, "the web service to start once more")
    assert run.said("plugin.py changed: restarting the web service")
    assert len(starts(run.starts_file("worker"))) == 1


def test_stale_record_entries_are_ignored(tmp_path):
    bystander = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(900)"], start_new_session=True)
    try:
        info = wait_for(lambda: (lambda i: i if i and "sleep" in i.command else None)(dev.process_info(bystander.pid)),
                        "the bystander to start")
        record = tmp_path / "dev-run.json"
        gone = 4_194_304 + 12_345  # above Linux's largest pid
        record.write_text(json.dumps({
            "supervisor": {"pid": bystander.pid, "command": "python3 dev.py run", "start": None},
            "processes": [
                {"name": "web", "pid": bystander.pid, "pgid": bystander.pid, "command": "manage.py runserver",
                 "start": None},
                {"name": "worker", "pid": bystander.pid, "pgid": bystander.pid, "command": info.command,
                 "start": "1" if info.start != "1" else "2"},  # same program, started at another time
                {"name": "beat", "pid": gone, "pgid": gone, "command": "celery beat", "start": None},
            ],
        }))

        assert dev.stop_recorded(record, grace=1) == []
        assert bystander.poll() is None
        assert not record.exists()
    finally:
        bystander.kill()
        bystander.wait()


@pytest.mark.parametrize(("path", "kept"), [
    ("kinerja_tpp_example/__init__.py", True),
    ("kinerja_tpp_example/rules/late.py", True),
    ("kinerja_tpp_example/data/grades.json", True),
    ("pyproject.toml", True),
    ("kinerja_tpp_example/__pycache__/rules.cpython-311.pyc", False),
    ("tests/test_plugin.py", False),
    ("README.md", False),
    ("kinerja_tpp_example.egg-info/PKG-INFO", False),
    ("kinerja_tpp_example/.rules.py.swp", False),
    ("kinerja_tpp_example/rules.py~", False),
])
def test_plugin_code_is_what_a_plugin_runs_and_installs(path, kept):
    assert dev.plugin_code(Path(path)) is kept


def test_a_file_that_came_and_went_within_a_burst_is_no_change(tmp_path):
    from watchfiles import Change

    kept, deleted, edited = tmp_path / "rules.py", tmp_path / "old_rules.py", tmp_path / "sed1a2b3c"
    kept.write_text("")
    changes = {(Change.added, str(edited)), (Change.modified, str(edited)), (Change.deleted, str(edited)),
               (Change.modified, str(kept)), (Change.deleted, str(deleted))}
    assert dev.lasting(changes) == [deleted, kept]
