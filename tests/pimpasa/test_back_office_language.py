"""The back office speaks Indonesian (Wagtail's own strings included), is branded Pimpasa, loads no
Gravatar and writes booleans as words."""

import pytest
from django.urls import reverse
from wagtail.models import Page

from tests.factories import AreaFactory, AttendanceFactory, SessionFactory, TipFactory
from tests.pimpasa.i18n_probe import missing_translations


@pytest.fixture
def office(officer, supervisor, editor):
    area = AreaFactory(officers=[officer])
    session = SessionFactory(area=area, is_public=True)
    AttendanceFactory(session=session)
    tip = TipFactory(area=area, session=session)
    return {"area": area, "session": session, "tip": tip}


def pages_by_role(office):
    session, tip = office["session"], office["tip"]
    every_role = ["/admin/", "/admin/account/", "/admin/reports/site-history/"]
    return {
        "officer": every_role
        + [
            "/admin/events/sessions/",
            "/admin/events/sessions/?is_public=true",
            reverse("events_session:run", args=[session.pk]),
            reverse("events_session:edit", args=[session.pk]),
            reverse("events_session:add"),
            reverse("events_session:guests", args=[session.pk]),
            reverse("events_area:index"),
            reverse("laporan:index"),
            reverse("laporan:edit", args=[tip.pk]),
            reverse("reporting_exports:index"),
            reverse("reporting_exports:new") + "?export=attendance",
        ],
        "supervisor": every_role
        + [
            reverse("laporan:index"),
            reverse("laporan:edit", args=[tip.pk]),
            reverse("laporan:history", args=[tip.pk]),
            reverse("reporting_exports:new") + "?export=monthly",
        ],
        "editor": every_role
        + [
            "/admin/pages/",
            f"/admin/pages/{Page.objects.get(depth=2).pk}/",
            f"/admin/pages/{Page.objects.get(depth=2).pk}/edit/",
            "/admin/images/",
            "/admin/documents/",
            "/admin/snippets/cms/topic/",
            "/admin/pages/search/?q=migrasi",
        ],
    }


@pytest.mark.django_db
def test_every_string_on_the_staffs_pages_has_an_indonesian_translation(
    client, office, officer, supervisor, editor
):
    users = {"officer": officer, "supervisor": supervisor, "editor": editor}
    untranslated = {}
    for role, urls in pages_by_role(office).items():
        client.force_login(users[role])
        for url in urls:
            with missing_translations("id") as missing:
                response = client.get(url)
            assert response.status_code == 200, url
            for message in missing:
                untranslated.setdefault(message, url)
    with missing_translations("id") as missing:
        client.logout()
        assert client.get(reverse("wagtailadmin_login")).status_code == 200
    untranslated.update(dict.fromkeys(missing, "login"))
    assert untranslated == {}


@pytest.mark.django_db
def test_the_login_page_is_pimpasas_and_fully_indonesian(client, site_setup, assert_page):
    page = assert_page(client.get(reverse("wagtailadmin_login")))
    assert "<title>Masuk - Pimpasa</title>" in page
    assert "Masuk ke Pimpasa" in page
    assert "Wagtail" not in page.split("<body", 1)[1].split("<noscript", 1)[0]
    assert "img/favicon.svg" in page
    for english in (">Password", "Forgotten password?", "Remember me", "Sign in to Wagtail"):
        assert english not in page
    assert "Kata sandi" in page and "Ingat saya" in page and "Lupa kata sandi?" in page


@pytest.mark.django_db
def test_admin_pages_are_titled_and_marked_pimpasa(client, officer, assert_page):
    client.force_login(officer)
    page = assert_page(client.get("/admin/"))
    assert "- Pimpasa</title>" in page
    assert "wagtailadmin/images/favicon.ico" not in page
    assert 'class="pimpasa-logo"' in page


def test_the_menu_sends_staff_to_no_wagtail_guide(client, officer, supervisor, assert_page):
    for user in (officer, supervisor):
        client.force_login(user)
        page = assert_page(client.get("/admin/"))
        assert "guide.wagtail.org" not in page
        assert "Sesi" in page  # the menu itself is still there


@pytest.mark.django_db
def test_no_gravatar_is_loaded_for_staff(client, officer, assert_page):
    officer.email = "petugas@imigrasi.example"
    officer.save()
    client.force_login(officer)
    for url in ("/admin/", "/admin/account/", reverse("events_session:index")):
        # Each page shows its user's avatar, drawn here, where Wagtail would fetch a gravatar.
        assert "gravatar" not in assert_page(client.get(url), "avatar")


@pytest.mark.django_db
def test_booleans_read_as_words_in_listings_and_filter_pills(client, office, officer, assert_page):
    client.force_login(officer)
    page = squeeze(assert_page(client.get(reverse("events_session:index") + "?is_public=true")))
    assert '<spanclass="w-text-14">Publik:</span><bclass="w-ml-1">Ya</b>' in page  # the filter's pill
    assert "True" not in page and "False" not in page
    assert '">Ya</td>' in page and "data-label=" in page  # the column, labelled for the phone's cards
    areas = squeeze(client.get(reverse("events_area:index")).content.decode())
    assert '">Tidak</td>' in areas


def squeeze(html):
    return "".join(html.split())


@pytest.mark.django_db
def test_wagtails_javascript_strings_are_indonesian(client, officer):
    """Wagtail's admin scripts (sidebar, comments, StreamField, autosave, errors) take their words from
    the JavaScript catalogue at /admin/jsi18n/: every string Wagtail ships for it has its Indonesian."""
    import json
    import re
    from pathlib import Path

    import polib
    import wagtail

    source = Path(wagtail.__file__).parent / "admin/locale/en/LC_MESSAGES/djangojs.po"
    client.force_login(officer)
    response = client.get(reverse("wagtailadmin_javascript_catalog"))
    assert response.status_code == 200
    script = response.content.decode()
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\n  \});", script, re.S).group(1))
    same_in_both = {"%(time_zone_option)s: %(localized_time_zone_label)s"}
    untranslated = []
    for entry in polib.pofile(str(source)):
        translation = catalog.get(entry.msgid)
        if isinstance(translation, list):
            translation = translation[0]
        if not translation or (translation == entry.msgid and entry.msgid not in same_in_both):
            untranslated.append(entry.msgid)
    assert untranslated == []
    assert catalog["Toggle sidebar"] == "Buka/tutup bilah samping"
    assert catalog["%(num)s error"] == ["%(num)s kesalahan"]


@pytest.mark.django_db
def test_known_english_leftovers_are_gone(client, office, officer, supervisor, editor, assert_page):
    """What residents of the back office found in English: the editor's recent-edits column, the
    audit label of an export job, English topics in the session form's picker, unlabelled tip cards."""
    # The column of the editor's recent edits and locked pages panels (Wagtail's, untranslated there).
    from django.utils import translation
    from wagtail.models import Locale

    from reporting.exports.models import ExportJob
    from tests.factories import TopicFactory

    with translation.override("id"):
        assert translation.gettext("Privacy and access") == "Privasi dan akses"

    # An export job in the audit trail names its export, in Indonesian.
    job = ExportJob.objects.create(exporter="tips", requested_by=supervisor, status=ExportJob.Status.DONE)
    assert str(job) == "Laporan (Selesai)" and "tips" not in str(job)

    # The session form's topic picker offers the Indonesian topics in the Indonesian admin.
    english = Locale.objects.get_or_create(language_code="en")[0]
    indonesian = Locale.objects.get(language_code="id")
    TopicFactory(name="Migrasi aman", slug="migrasi-aman", locale=indonesian)
    TopicFactory(name="Safe migration", slug="safe-migration", locale=english)
    client.force_login(officer)
    form = assert_page(client.get(reverse("events_session:add")), "Migrasi aman")
    assert "Safe migration" not in form

    # The tips list's cards (on a phone) read each value with its label.
    tips = client.get(reverse("laporan:index")).content.decode()
    assert 'data-label="Status"' in tips and 'data-label="Wilayah"' in tips


def test_an_editors_refused_page_says_why_in_indonesian(client, site_setup, editor):
    """Wagtail's own catalogue lacks the page editor's validation message; ours carries it."""
    home = site_setup["home"]
    client.force_login(editor)
    add = reverse("wagtailadmin_pages:add", args=["cms", "materialindexpage", home.pk])
    response = client.post(add, {"title": "", "slug": "", "action-publish": "1"}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Halaman tidak dapat dibuat karena ada isian yang perlu diperbaiki." in page
    assert "could not be created" not in page
