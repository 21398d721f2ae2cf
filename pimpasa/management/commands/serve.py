import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the site with runserver and a django-q cluster side by side; Ctrl-C stops both."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000", help="address:port for the web server")

    def handle(self, *args, addr, **options):
        manage = [sys.executable, "manage.py"]
        processes = [
            subprocess.Popen([*manage, "qcluster"]),
            subprocess.Popen([*manage, "runserver", addr]),
        ]
        self.stdout.write(f"Pimpasa at http://{addr}/ (admin: http://{addr}/admin/). Ctrl-C stops.")
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        try:
            # If either process dies, stop the other: a site without its worker silently drops tasks.
            while not stopping and all(p.poll() is None for p in processes):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        self.stdout.write("Stopped the web server and the task worker.")
