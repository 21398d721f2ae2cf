"""The test suite: SQLite by default, PostgreSQL when DATABASE_URL names one."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES
from .env import env_list, env_str

PIMPASA_ENVIRONMENT = "test"
DEBUG = False
SECRET_KEY = "test-only-secret-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; tests only
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pimpasa-shared"},
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pimpasa-local"},
    # The embedded default's counters' store is a database table (base.EMBEDDED_LIMITS_CACHE); the
    # tests that need its real behaviour switch to it, the others count in memory.
    "limits": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pimpasa-limits"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Run tasks inline so tests see their effect; django-q reads this once at import.
Q_CLUSTER = {**Q_CLUSTER, "sync": True}  # noqa: F405
# Tasks run inline here, so rendering every published picture ahead would slow every test that
# publishes; the tests of cms.renditions turn it on.
PIMPASA_RENDITIONS_AHEAD = False
# Several checkouts may test against one PostgreSQL server at once: let each name its database.
DATABASES["default"].setdefault("TEST", {})["NAME"] = env_str("PIMPASA_TEST_DB_NAME")
if (
    DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    and not DATABASES["default"]["TEST"]["NAME"]
):
    # A file in WAL mode, as `make run` uses, not Django's shared-cache in-memory default: there a
    # second connection writing at once (the live server beside a browser's two senders) fails at
    # once with "database table is locked" (shared-cache locks wait for no busy timeout), a failure
    # production never has. One file per test process, deleted by Django when the run ends.
    DATABASES["default"]["TEST"]["NAME"] = str(
        Path(tempfile.gettempdir()) / f"pimpasa-test-{os.getpid()}.sqlite3"
    )
DATABASES["default"]["CONN_MAX_AGE"] = 0
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Fixed keys for tips (encryption, search index), for this machine's throwaway data only.
PIMPASA_FERNET_KEYS = env_list("PIMPASA_FERNET_KEYS") or ["ZGV2LW9ubHktcGltcGFzYS1mZXJuZXQta2V5LTMyYiE="]
PIMPASA_SEARCH_INDEX_KEYS = env_list("PIMPASA_SEARCH_INDEX_KEYS") or [
    "dev-only-pimpasa-search-index-key-never-in-production"
]

# The tip form's proof of work, made trivial: tests solve challenges in Python by the hundred. The
# cost of the real setting is measured by bench/floods and tests/browser/test_floods_journey.py.
PIMPASA_POW_COST = 10
PIMPASA_POW_MAX_COUNTER = 20
