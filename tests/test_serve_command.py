"""`make run`'s last step: runserver and the task cluster together, both stopped by Ctrl-C."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def group_alive(pgid):
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_serve_runs_web_and_worker_and_ctrl_c_stops_both(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "DJANGO_SETTINGS_MODULE": "pimpasa.settings.dev",
        "PIMPASA_VAR_DIR": str(tmp_path),
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300)
    port = free_port()
    serve = subprocess.Popen(
        [*manage, "serve", "--addr", f"127.0.0.1:{port}"],
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
        # Only serve's own children: other checkouts on the machine may run a cluster of their own.
        children = subprocess.run(
            ["pgrep", "-P", str(serve.pid), "-f", f"manage.py (qcluster|runserver 127.0.0.1:{port})"],
            capture_output=True,
            text=True,
        ).stdout.split()
        child_groups = {os.getpgid(int(pid)) for pid in children}
        assert len(child_groups) == 2  # the cluster and the web server, each in its own group

        os.killpg(serve.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        output, _ = serve.communicate(timeout=60)
        assert serve.returncode == 0
        assert "Stopped the web server and the task worker." in output
        assert not any(group_alive(pgid) for pgid in child_groups)
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGKILL)
