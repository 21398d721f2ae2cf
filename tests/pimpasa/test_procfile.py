"""`make run`'s last step: honcho starts the Procfile's web and worker; a process that dies comes back by
itself (scripts/keep-running) while the other keeps serving; Ctrl-C stops both."""

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.pimpasa.system_programs import free_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def parent_of(pid):
    """The parent pid of `pid`, or None once the process has gone (it may exit while we look)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def descendants(pid):
    """Every process below `pid`, with its command line (honcho runs each Procfile line through sh)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdecimal() and (parent := parent_of(entry.name)) is not None:
            parents[int(entry.name)] = parent
    found, frontier = {}, [pid]
    while frontier:
        parent = frontier.pop()
        for child, its_parent in parents.items():
            if its_parent == parent and child not in found:
                try:
                    found[child] = (
                        (Path("/proc") / str(child) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                    )
                except OSError:
                    continue
                frontier.append(child)
    return found


def test_procfile_names_the_web_and_worker_processes():
    lines = dict(line.split(":", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line.strip())
    assert set(lines) == {"web", "worker"}
    # exec: the shell honcho (or a supervisor) starts becomes the process, so its signals reach it;
    # keep-running starts the command again when it dies (honcho would otherwise stop everything).
    assert lines["web"].split()[:5] == ["exec", "scripts/keep-running", "web", "gunicorn", "pimpasa.wsgi"]
    assert "--reload" not in lines["web"]  # no polling reloader burning CPU while idle
    assert lines["worker"].split() == [
        "exec",
        "scripts/keep-running",
        "worker",
        "python",
        "manage.py",
        "qcluster",
    ]


def test_honcho_runs_web_and_worker_and_ctrl_c_stops_both(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
        "DJANGO_SETTINGS_MODULE": "pimpasa.settings.dev",
        "PIMPASA_VAR_DIR": str(tmp_path),
        "PATH": f"{BIN}:{os.environ['PATH']}",
        "HOST": "127.0.0.1",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300
    )
    subprocess.run(
        [sys.executable, "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True, timeout=60
    )
    port = free_port()
    honcho = subprocess.Popen(
        [str(BIN / "honcho"), "start", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        status = None
        for _ in range(120):
            try:
                status = urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).status
                break
            except OSError:
                time.sleep(0.5)
        assert status == 200
        # Ctrl-C once the worker is up (as a person would): its stop is graceful, well within honcho's wait.
        seen = []
        for line in honcho.stdout:
            seen.append(line)
            if "running." in line:
                break
        assert any("Q Cluster" in line for line in seen)
        # The running cluster's heartbeat reaches the web process (through the shared database cache).
        worker = None
        for _ in range(20):
            try:
                worker = urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/worker", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        assert worker is not None and worker.status == 200
        # Only honcho's own processes: other checkouts on the machine may run clusters of their own.
        commands = descendants(honcho.pid)
        assert any("gunicorn" in command for command in commands.values())
        assert any("qcluster" in command for command in commands.values())

        os.killpg(honcho.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        rest, _ = honcho.communicate(timeout=60)
        output = "".join(seen) + rest
        assert honcho.returncode in (0, 130)
        assert "web.1" in output and "worker.1" in output
        # The cluster's own processes finish their stop on their own, even if honcho had to kill
        # their leader after its 5 s on a busy machine.
        for _ in range(60):
            survivors = {pid: command for pid, command in commands.items() if Path(f"/proc/{pid}").exists()}
            if not survivors:
                break
            time.sleep(0.5)
        assert not survivors, (survivors, output)
    finally:
        # A failed assertion must not leave the web server and the cluster behind: stop them as
        # Ctrl-C would, and kill whatever is still there after honcho's own wait.
        leftovers = descendants(honcho.pid) if honcho.poll() is None else {}
        if honcho.poll() is None:
            os.killpg(honcho.pid, signal.SIGINT)
            try:
                honcho.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(honcho.pid, signal.SIGKILL)
        for pid in leftovers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def honcho_env(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
        "DJANGO_SETTINGS_MODULE": "pimpasa.settings.dev",
        "PIMPASA_VAR_DIR": str(tmp_path),
        "PATH": f"{BIN}:{os.environ['PATH']}",
        "HOST": "127.0.0.1",
        "PYTHONUNBUFFERED": "1",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300
    )
    subprocess.run(
        [sys.executable, "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True, timeout=60
    )
    return env


def answers(url):
    try:
        return urllib.request.urlopen(url, timeout=2).status
    except OSError:
        return None


def wait_for(condition, seconds, step=0.5):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(step)
    return None


def leader(honcho_pid, marker):
    """The pid of the Procfile command (not its keep-running wrapper) whose command line has `marker`."""
    commands = descendants(honcho_pid)
    parents = {pid: parent_of(pid) for pid in commands}
    for pid, command in commands.items():
        parent = commands.get(parents.get(pid), "")
        if marker in command and "keep-running" in parent:
            return pid
    return None


def test_a_dead_worker_or_web_server_comes_back_by_itself_and_the_site_keeps_answering(tmp_path):
    env = honcho_env(tmp_path)
    port = free_port()
    log = tmp_path / "honcho.log"
    with log.open("w") as output:
        honcho = subprocess.Popen(
            [str(BIN / "honcho"), "start", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    site = f"http://127.0.0.1:{port}/healthz"
    everything = {}
    try:
        assert wait_for(lambda: answers(site) == 200, 60)
        worker = wait_for(lambda: leader(honcho.pid, "qcluster"), 60)
        web = wait_for(lambda: leader(honcho.pid, "gunicorn"), 10)
        assert worker and web
        everything.update(descendants(honcho.pid))

        # The task worker dies (the OOM killer, a crash): the site keeps answering all along, and
        # the worker is back within a minute, logged.
        os.kill(worker, signal.SIGKILL)
        deadline = time.monotonic() + 60
        new_worker, site_down = None, []
        while time.monotonic() < deadline:
            if answers(site) != 200:
                site_down.append(time.monotonic())
            new_worker = leader(honcho.pid, "qcluster")
            if new_worker and new_worker != worker:
                break
            time.sleep(0.5)
        assert new_worker and new_worker != worker, log.read_text()
        assert not site_down, log.read_text()
        assert honcho.poll() is None
        assert wait_for(lambda: "Q Cluster" in log.read_text().split("restarting worker", 1)[-1], 60)
        assert "worker was killed by signal 9 (SIGKILL), restarting in 5 s" in log.read_text()
        everything.update(descendants(honcho.pid))

        # The web server dies too: it is back within a minute, and the worker was never touched.
        os.kill(web, signal.SIGKILL)
        assert wait_for(lambda: (pid := leader(honcho.pid, "gunicorn")) and pid != web, 60)
        assert wait_for(lambda: answers(site) == 200, 60), log.read_text()
        assert leader(honcho.pid, "qcluster") == new_worker
        everything.update(descendants(honcho.pid))

        # Ctrl-C still stops everything promptly, the restarted processes and their leftovers alike.
        os.killpg(honcho.pid, signal.SIGINT)
        honcho.wait(timeout=60)
        assert wait_for(lambda: not any(Path(f"/proc/{pid}").exists() for pid in everything), 30), (
            log.read_text()
        )
    finally:
        leftovers = descendants(honcho.pid) if honcho.poll() is None else {}
        if honcho.poll() is None:
            os.killpg(honcho.pid, signal.SIGINT)
            try:
                honcho.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(honcho.pid, signal.SIGKILL)
        for pid in {**leftovers, **everything}:
            with contextlib.suppress(ProcessLookupError):
                if Path(f"/proc/{pid}").exists():
                    os.kill(pid, signal.SIGKILL)
