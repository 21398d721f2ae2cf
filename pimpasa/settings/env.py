"""Reading configuration from environment variables.

Every secret, host and service address comes from the environment; these helpers keep the parsing
(and its error messages) in one place so that settings modules read as plain declarations.
"""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name, default=None, *, required=False):
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            raise ImproperlyConfigured(f"The environment variable {name} must be set.")
        return default
    return value


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}.")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name, default=()):
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def database_config(url, *, pool=False, conn_max_age=600):
    """Turn a DATABASE_URL into a Django DATABASES entry.

    PostgreSQL keeps its connections open, either persistently per worker or through psycopg's pool:
    opening a connection per request costs more than the request itself. SQLite is tuned so that the
    web server and the django-q worker can write to one file side by side.
    """
    config = dj_database_url.parse(url)
    engine = config["ENGINE"]
    if engine == "django.db.backends.postgresql":
        # No JIT compilation: the scoped audit log's queries are estimated costly enough to be compiled,
        # which took 1.2 s of each 1.7 s query at 200,000 tips; none of ours runs long enough to gain.
        config.setdefault("OPTIONS", {})["options"] = "-c jit=off"
        if pool:
            config["CONN_MAX_AGE"] = 0  # the pool manages lifetimes; Django refuses both at once
            config.setdefault("OPTIONS", {})["pool"] = {"min_size": 2, "max_size": 8, "timeout": 10}
        else:
            config["CONN_MAX_AGE"] = conn_max_age
            config["CONN_HEALTH_CHECKS"] = True
    elif engine == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            # WAL lets readers proceed while one process writes; IMMEDIATE takes the write lock at
            # BEGIN so two writers queue (busy_timeout) instead of failing with "database is locked".
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
            "transaction_mode": "IMMEDIATE",
        }
    return config
