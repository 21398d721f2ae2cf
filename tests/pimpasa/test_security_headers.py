"""Browser policies on every response: a strict Content-Security-Policy (inline script and style only
in Wagtail's admin, and not in field mode), Permissions-Policy with the camera only where tickets are
scanned, Referrer-Policy; and no template of ours carries inline script, style or event handlers."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import AreaFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def assert_strict(response):
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/", "/sesi/", "/lapor/", "/lapor/status/", "/en/", "/tidak-ada/"])
def test_public_pages_are_strict(client, site_setup, path):
    response = client.get(path)
    assert_strict(response)
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_the_check_in_form_is_strict(client):
    from events.services import tokens

    session = SessionFactory()
    response = client.get(f"/sesi/{session.pk}/hadir/?t={tokens.poster_token(session)}")
    assert response.status_code == 200
    assert_strict(response)


@pytest.fixture
def officer_session(officer):
    return SessionFactory(area=AreaFactory(officers=[officer]))


def test_wagtail_admin_pages_get_the_admin_relaxation_only(client, officer, officer_session):
    client.force_login(officer)
    response = client.get("/admin/")
    policy = directives(response)
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    # Everything else as strict as the public site.
    assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert policy["connect-src"] == ["'self'"] and policy["form-action"] == ["'self'"]


def test_field_mode_is_ours_and_strict(client, officer, officer_session):
    client.force_login(officer)
    response = client.get(f"/admin/field/{officer_session.pk}/")
    assert response.status_code == 200
    assert_strict(response)


def test_the_camera_only_where_tickets_are_scanned(client, officer, officer_session):
    client.force_login(officer)
    scan = client.get(f"/admin/events/sessions/{officer_session.pk}/scan/")
    field = client.get(f"/admin/field/{officer_session.pk}/")
    run = client.get(f"/admin/events/sessions/{officer_session.pk}/run/")
    assert "camera=(self)" in scan["Permissions-Policy"]
    assert "camera=(self)" in field["Permissions-Policy"]
    assert "camera=()" in run["Permissions-Policy"]
    assert "microphone=()" in scan["Permissions-Policy"]


def test_evidence_keeps_its_own_sandbox_policy(client, site_setup):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reporting.tips.models import Tip
    from reporting.tips.services import evidence as evidence_service
    from reporting.tips.services.tips import Submission, submit_tip
    from tests.factories import image_bytes

    tip, _code = submit_tip(
        Submission(category=Tip.Category.TPPO, description="Calo."),
        [evidence_service.prepare(SimpleUploadedFile("foto.jpg", image_bytes("JPEG")))],
    )
    client.force_login(UserFactory(role="Supervisor"))
    response = client.get(f"/admin/laporan/evidence/{tip.evidence.get().pk}/")
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style= attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_no_template_of_ours_has_inline_script_style_or_handlers():
    found = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                found.append(f"{template.relative_to(TEMPLATES)}: {what}: {match.group(0)!r}")
    assert found == []
