"""Benchmark settings: the base settings (the real proof-of-work cost) on a throwaway SQLite file and
the in-memory cache, with every tip limit lifted: the benchmark measures the cost of a tip, not the
limits (one client from one address would meet them at once)."""

import tempfile
from pathlib import Path

from pimpasa.settings.base import *  # noqa: F403

PIMPASA_ENVIRONMENT = "bench"
DEBUG = False
SECRET_KEY = "bench-only-secret-key"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(Path(tempfile.gettempdir()) / "pimpasa-bench-floods.sqlite3"),
        "TEST": {"NAME": str(Path(tempfile.gettempdir()) / "pimpasa-bench-floods-test.sqlite3")},
    }
}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bench-shared"},
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bench-local"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
PIMPASA_FERNET_KEYS = ["ZGV2LW9ubHktcGltcGFzYS1mZXJuZXQta2V5LTMyYiE="]
UNLIMITED = (10**9, 60 * 60)
PIMPASA_TIP_LIMIT_PER_DEVICE = PIMPASA_TIP_LIMIT_PER_ADDRESS = UNLIMITED
PIMPASA_TIP_UNSOLVED_LIMIT_PER_DEVICE = PIMPASA_TIP_UNSOLVED_LIMIT_PER_ADDRESS = UNLIMITED
PIMPASA_TIP_UNSOLVED_LIMIT_SITEWIDE = UNLIMITED
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
