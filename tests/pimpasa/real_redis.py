"""A redis-server of a test's own, on a free port with its data in the test's folder: the machine's
shared Redis (127.0.0.1:6379) is never stopped or touched by a test."""

import shutil
import signal
import socket
import subprocess
import time

from tests.pimpasa.system_programs import free_port, missing_program

REDIS_SERVER = shutil.which("redis-server")


def require_redis_server():
    """Skip loudly without redis-server on a laptop; under CI (CI=true) its absence fails the run."""
    if REDIS_SERVER is not None:
        return
    message = "redis-server is not installed (scripts/bootstrap test installs it)"
    missing_program(message)


class RedisServer:
    def __init__(self, folder, *options):
        self.port, self.folder, self.options, self.process = free_port(), folder, options, None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.folder),
                *self.options,
            ],
            cwd=self.folder,
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                assert self.process.poll() is None, f"redis-server exited with {self.process.returncode}"
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)

    def crash(self):
        """Killed at once, as by the OOM killer or a power cut of the process: nothing saved on the way out."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
