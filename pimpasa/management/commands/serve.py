import contextlib
import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand

GRACE_SECONDS = 15


class Command(BaseCommand):
    help = "Serve the site with runserver and a django-q cluster side by side; Ctrl-C stops both."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000", help="address:port for the web server")

    def handle(self, *args, addr, **options):
        manage = [sys.executable, "manage.py"]
        # Each child leads its own process group, so stopping it also stops what it started
        # (runserver's autoreloader child, the cluster's workers).
        cluster = subprocess.Popen([*manage, "qcluster"], start_new_session=True)
        web = subprocess.Popen([*manage, "runserver", addr], start_new_session=True)
        processes = [cluster, web]
        self.stdout.write(f"Pimpasa at http://{addr}/ (admin: http://{addr}/admin/). Ctrl-C stops.")
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        # Set explicitly: a shell that starts us in the background hands us SIGINT ignored.
        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        # If either process dies, stop the other: a site without its worker silently drops tasks.
        while not stopping and all(p.poll() is None for p in processes):
            time.sleep(0.3)
        self._stop(cluster, web)
        self.stdout.write("Stopped the web server and the task worker.")

    def _stop(self, cluster, web):
        # The cluster's leader stops its own workers gracefully; runserver's reloader does not
        # stop its server child, so the whole web group is told.
        with contextlib.suppress(ProcessLookupError):
            cluster.terminate()
        self._signal_group(web, signal.SIGTERM)
        processes = [cluster, web]
        deadline = time.monotonic() + GRACE_SECONDS
        for process in processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self._signal_group(process, signal.SIGKILL)
                process.wait()
        # Leftovers of a group whose leader has exited (e.g. the reloader's server child).
        for process in processes:
            self._signal_group(process, signal.SIGKILL)

    @staticmethod
    def _signal_group(process, signum):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signum)
