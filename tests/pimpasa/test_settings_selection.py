"""Which settings are in force, and what the environment variables select."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from pimpasa.settings.env import database_config, env_bool, env_int

ROOT = Path(__file__).resolve().parents[2]


def run_python(code, **env):
    environment = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "REDIS_URL"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )


SHOW_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.PIMPASA_ENVIRONMENT, s.DATABASES['default']['ENGINE'], s.DEBUG, "
    "s.CACHES['default']['BACKEND'], 'redis' in s.Q_CLUSTER, s.STORAGES['staticfiles']['BACKEND'])"
)


def test_postgres_url_keeps_connections_open():
    config = database_config("postgres://pimpasa:secret@db.internal:5432/pimpasa")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["HOST"] == "db.internal"
    assert config["NAME"] == "pimpasa"
    assert config["CONN_MAX_AGE"] == 600
    assert config["CONN_HEALTH_CHECKS"] is True


def test_postgres_pool_replaces_persistent_connections():
    config = database_config("postgres://pimpasa@db/pimpasa", pool=True)
    assert config["CONN_MAX_AGE"] == 0
    assert config["OPTIONS"]["pool"]["max_size"] >= config["OPTIONS"]["pool"]["min_size"]


@pytest.mark.parametrize("pool", [False, True])
def test_postgres_connections_never_jit_compile(pool):
    # JIT compiling took 1.2 s of each 1.7 s scoped audit log query at 200,000 tips (docs/benchmarks.md).
    config = database_config("postgres://pimpasa@db/pimpasa", pool=pool)
    assert config["OPTIONS"]["options"] == "-c jit=off"


@pytest.mark.django_db
def test_the_test_databases_connection_has_jit_off():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no JIT")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_sqlite_url_is_tuned_for_a_web_process_and_a_worker():
    config = database_config("sqlite:////tmp/pimpasa-test.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


@pytest.mark.parametrize("value,expected", [("1", True), ("true", True), ("off", False), ("0", False)])
def test_env_bool(monkeypatch, value, expected):
    monkeypatch.setenv("PIMPASA_FLAG", value)
    assert env_bool("PIMPASA_FLAG") is expected


def test_env_parsers_reject_nonsense_with_the_variable_name(monkeypatch):
    monkeypatch.setenv("PIMPASA_FLAG", "perhaps")
    monkeypatch.setenv("PIMPASA_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="PIMPASA_FLAG"):
        env_bool("PIMPASA_FLAG")
    with pytest.raises(ImproperlyConfigured, match="PIMPASA_NUMBER"):
        env_int("PIMPASA_NUMBER", 1)


def test_manage_py_defaults_to_the_embedded_sqlite_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SHOW_SETTINGS.split("; ", 2)[2]],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}},
            "PIMPASA_VAR_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    environment, engine, debug, cache, uses_redis, _static = result.stdout.strip().splitlines()[-1].split()
    assert (environment, engine, debug) == ("dev", "django.db.backends.sqlite3", "True")
    assert cache == "django.core.cache.backends.db.DatabaseCache"
    assert uses_redis == "False"


def test_production_refuses_to_start_without_a_secret_key():
    result = run_python(SHOW_SETTINGS, DJANGO_SETTINGS_MODULE="pimpasa.settings.production")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_wsgi_entry_point_defaults_to_production():
    env_without_module = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", "import pimpasa.wsgi"],
        cwd=ROOT,
        env={k: v for k, v in env_without_module.items() if k != "SECRET_KEY"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_reads_postgres_and_redis_from_the_environment():
    result = run_python(
        SHOW_SETTINGS,
        DJANGO_SETTINGS_MODULE="pimpasa.settings.production",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="pimpasa.example.id",
        DATABASE_URL="postgres://pimpasa@127.0.0.1:5432/pimpasa",
        REDIS_URL="redis://127.0.0.1:6379/3",
        PIMPASA_FERNET_KEYS="Q0VvU2dWb2x6cHBZd2JqS0JmQm9WcUd5bEdqYUhyQ3c=",
        PIMPASA_SEARCH_INDEX_KEYS="production-test-search-index-key-0123456789",
    )
    assert result.returncode == 0, result.stderr
    environment, engine, debug, cache, uses_redis, static = result.stdout.split()
    assert (environment, engine, debug) == ("production", "django.db.backends.postgresql", "False")
    assert cache == "django_redis.cache.RedisCache"
    assert uses_redis == "True"
    assert static == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_production_refuses_to_start_without_fernet_keys_for_reporter_identities():
    result = run_python(
        SHOW_SETTINGS,
        DJANGO_SETTINGS_MODULE="pimpasa.settings.production",
        SECRET_KEY="x" * 50,
        PIMPASA_FERNET_KEYS="",
    )
    assert result.returncode != 0
    assert "PIMPASA_FERNET_KEYS must be set" in result.stderr


@pytest.mark.parametrize("keys", ["", "too-short-for-a-key"])
def test_production_refuses_to_start_without_a_search_index_key_of_its_own(keys):
    result = run_python(
        SHOW_SETTINGS,
        DJANGO_SETTINGS_MODULE="pimpasa.settings.production",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="pimpasa.example.id",
        PIMPASA_FERNET_KEYS="Q0VvU2dWb2x6cHBZd2JqS0JmQm9WcUd5bEdqYUhyQ3c=",
        PIMPASA_SEARCH_INDEX_KEYS=keys,
    )
    assert result.returncode != 0
    assert "PIMPASA_SEARCH_INDEX_KEYS must be set" in result.stderr
