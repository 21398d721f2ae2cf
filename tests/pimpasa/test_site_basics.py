"""Health check, error pages, the language switch and the base template's accessibility."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_answers_200_while_the_database_answers(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "redis": "not used",
        "worker_last_heartbeat": None,
        "proxy": {"status": "not used", "count": 0},
    }
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_is_unreachable():
    # A real unreachable database: PostgreSQL on a port where nothing listens.
    code = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz'); print(r.status_code, r.json()['database'])"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pimpasa.settings.test",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none",
    }
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["503", "unreachable"]


@pytest.mark.django_db
def test_home_page_is_indonesian_by_default_with_a_link_to_english(site_setup):
    response = Client().get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="id">' in html
    assert "Lewati ke konten utama" in html
    assert re.search(r'<a href="/en/"[^>]*hreflang="en"', html)


@pytest.mark.django_db
def test_english_prefix_switches_the_interface_language(site_setup):
    response = Client().get("/en/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert "Skip to main content" in html
    assert re.search(r'<a href="/"[^>]*hreflang="id"', html)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path,lang,heading",
    [("/tidak-ada/", "id", "Halaman tidak ditemukan"), ("/en/nothing-here/", "en", "Page not found")],
)
def test_404_page_speaks_the_visitors_language(site_setup, path, lang, heading):
    response = Client().get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert heading in html


@pytest.mark.django_db
@pytest.mark.urls("tests.pimpasa.urls_failing")
@pytest.mark.parametrize(
    "path,lang,heading",
    [("/rusak/", "id", "Terjadi kesalahan"), ("/en/rusak/", "en", "Something went wrong")],
)
def test_500_page_speaks_the_visitors_language_without_a_stack_trace(site_setup, path, lang, heading):
    client = Client(raise_request_exception=False)
    response = client.get(path)
    assert response.status_code == 500
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert heading in html
    assert "Traceback" not in html and "deliberate failure" not in html


@pytest.mark.django_db
def test_base_template_landmarks_and_no_external_resources(site_setup):
    html = Client().get("/").content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert "<header" in html and "<footer" in html
    assert re.search(r'<nav class="main-nav" aria-label="[^"]+"', html)
    assert 'name="viewport"' in html
    # Offline-ish users: no CDN, no web font, no script from anywhere else. Canonical and alternate
    # links name the page's public address for crawlers and share previews; browsers load nothing there.
    loaded = re.sub(r'<link rel="(canonical|alternate)"[^>]*>', "", html)
    assert not re.search(r'(src|href)="(https?:)?//', loaded)
