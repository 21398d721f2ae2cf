"""Production settings: explicit host names or no start; `check --deploy` silent."""

import os
import subprocess
import sys

from django.conf import settings

from tests.pimpasa.test_settings_selection import ROOT, SHOW_SETTINGS, run_python

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "pimpasa.settings.production",
    "SECRET_KEY": "k" * 20 + "Zq8#x!pL0vR7$wT2^mN5&bY4*hJ6(cF3)dG9-sK1+eA",
    "PIMPASA_FERNET_KEYS": "Q0VvU2dWb2x6cHBZd2JqS0JmQm9WcUd5bEdqYUhyQ3c=",
    "PIMPASA_SEARCH_INDEX_KEYS": "production-test-search-index-key-0123456789",
    "DATABASE_URL": "postgres://pimpasa@127.0.0.1:5432/pimpasa",
}


def test_production_refuses_to_start_without_explicit_host_names(monkeypatch):
    monkeypatch.delenv("ALLOWED_HOSTS", raising=False)  # not set at all (run_python passes it on)
    result = run_python(SHOW_SETTINGS, **PRODUCTION)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must name the site's host names" in result.stderr


def test_production_refuses_an_empty_or_wildcard_host_list():
    for hosts in ("", " , ", "*", "pimpasa.example.go.id,*"):
        result = run_python(SHOW_SETTINGS, **PRODUCTION, ALLOWED_HOSTS=hosts)
        assert result.returncode != 0, hosts
        assert "ALLOWED_HOSTS must name the site's host names" in result.stderr


def test_production_starts_with_named_hosts():
    show = "import django; django.setup(); from django.conf import settings as s; print(s.ALLOWED_HOSTS)"
    result = run_python(show, **PRODUCTION, ALLOWED_HOSTS="pimpasa.example.go.id, www.pimpasa.example.go.id")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['pimpasa.example.go.id', 'www.pimpasa.example.go.id']"


def test_check_deploy_under_production_settings_prints_no_warning():
    environment = {
        key: value
        for key, value in os.environ.items()
        # DJANGO_ALLOW_ASYNC_UNSAFE: set by the browser journeys' conftest, never in a deployment.
        if key
        not in {"DATABASE_URL", "SECRET_KEY", "REDIS_URL", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(PRODUCTION, ALLOWED_HOSTS="pimpasa.example.go.id")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_compresses_as_the_page_weight_journey_measures():
    """tests/browser/test_page_weight.py serves with the test settings' middleware and WhiteNoise's
    compressed storage: production must use exactly those."""
    show = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.STORAGES['staticfiles']['BACKEND']); print(','.join(s.MIDDLEWARE))"
    )
    result = run_python(show, **PRODUCTION, ALLOWED_HOSTS="pimpasa.example.go.id")
    assert result.returncode == 0, result.stderr
    storage, middleware = result.stdout.strip().splitlines()
    assert storage == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert middleware.split(",") == list(settings.MIDDLEWARE)
    assert "pimpasa.compression.TextCompressionMiddleware" in middleware.split(",")
