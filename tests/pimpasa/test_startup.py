"""A web process puts what it loaded at start out of the garbage collector's sight (pimpasa.startup)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Imported as gunicorn imports it, in a process of its own: freezing the test run's own objects would
# change every later test's collections.
LOAD_AS_A_WEB_PROCESS = """
import gc, sys
import pimpasa.wsgi
print(gc.get_freeze_count(), len(gc.get_objects()), "reporting.tips.viewsets" in sys.modules)
"""


def test_the_wsgi_entry_point_freezes_what_django_and_the_apps_loaded():
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "pimpasa.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", LOAD_AS_A_WEB_PROCESS],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    frozen, still_tracked, views_loaded = result.stdout.split()
    # The views were imported before the freeze (not by the first request), and what a full
    # collection still walks is a small remainder of what was loaded.
    assert views_loaded == "True"
    assert int(frozen) > 100_000
    assert int(still_tracked) < int(frozen) // 100
