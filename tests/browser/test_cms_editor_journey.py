"""The editor writes a new material in Indonesian, translates it to English in the admin, and the
public language switch lands on the English material (issue 23 point 1); a resident searches in plain
words from the home page on a phone (point 4)."""

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import pass_second_factor
from tests.factories import DEFAULT_PASSWORD, UserFactory

SCREENSHOTS = Path("var/screenshots/cms-editor")


def log_in(page, base, username):
    page.goto(base + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEFAULT_PASSWORD)
    page.locator("button[type=submit]").click()
    pass_second_factor(page, username)
    page.wait_for_url(base + "/admin/")


def publish(page):
    """The editor's footer: open the action menu and press Publish (Terbitkan)."""
    page.locator("footer .w-dropdown-button button[aria-label], footer .w-dropdown__toggle").first.click()
    with page.expect_navigation():
        page.locator('button[name="action-publish"]').click()


@pytest.fixture
def site(transactional_db, settings, live_server, tmp_path):
    from demo import site_content
    from pimpasa.roles import EDITOR, ensure_roles

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PIMPASA_PUBLIC_URL = live_server.url
    settings.PIMPASA_RENDITIONS_AHEAD = True  # as under `make run`: no visitor waits for a picture
    ensure_roles()
    site_content.load(io.StringIO())
    return {"editor": UserFactory(username="redaksi", role=EDITOR)}


@pytest.mark.django_db(transaction=True)
def test_an_editor_translates_a_new_material_and_the_switch_lands_on_it(site, live_server, desktop, phone):
    from cms.models import MaterialIndexPage

    base = live_server.url
    page = desktop
    log_in(page, base, "redaksi")
    index = MaterialIndexPage.objects.get(locale__language_code="id")

    # A new material in Indonesian, written and published in the admin.
    page.goto(f"{base}/admin/pages/add/cms/materialpage/{index.pk}/")
    page.fill("#id_title", "Waspada Lowongan Kerja di Media Sosial")
    page.fill("#id_intro", "Lowongan kerja ke luar negeri di media sosial sering palsu. Cek dulu.")
    page.locator("[data-streamfield-stream-container] button, .c-sf-add-button").first.click()
    page.get_by_role("option", name=re.compile("^Paragraf")).first.click()
    text = "Jangan bayar biaya apa pun sebelum mengecek perusahaan penempatan."
    editor = page.locator("[data-streamfield-child] .public-DraftEditor-content").first
    editor.wait_for()
    editor.click()
    page.keyboard.type(text)
    expect(editor).to_contain_text(text)
    # Draftail writes the text into the form's hidden field a moment later: publish only then.
    expect(page.locator('input[name="body-0-value"]')).to_have_value(re.compile("Jangan bayar"))
    publish(page)
    page.screenshot(path=str(_shot("published-indonesian")), full_page=True)
    from cms.models import MaterialPage

    material = MaterialPage.objects.filter(title="Waspada Lowongan Kerja di Media Sosial").first()
    assert material is not None, (
        page.url,
        page.locator(".error-message, .w-field__errors").all_inner_texts(),
    )
    assert material.live

    # Translate, from the page's own menu: English, then rewrite the draft copy and publish it.
    page.goto(f"{base}/admin/pages/{material.pk}/edit/")
    translate = page.locator(f'a[href*="/admin/translation/submit/page/{material.pk}/"]').first
    if not translate.is_visible():
        page.locator("header [data-w-dropdown-target='toggle'], header .w-dropdown__toggle").last.click()
    translate.click()
    page.wait_for_url(f"**/admin/translation/submit/page/{material.pk}/")
    page.screenshot(path=str(_shot("translate-form")), full_page=True)
    page.get_by_label("English").check()
    page.locator("main form [type=submit].button").click()
    page.wait_for_url(re.compile(r".*/admin/pages/\d+/edit/$"))
    english_id = int(re.search(r"/admin/pages/(\d+)/edit/", page.url).group(1))
    page.fill("#id_title", "Beware of Job Offers on Social Media")
    page.fill("#id_intro", "Job offers abroad on social media are often fake. Check first.")
    publish(page)
    english = MaterialPage.objects.get(pk=english_id)
    assert english.live and english.locale.language_code == "en"
    assert english.translation_key == material.translation_key

    # A resident on the Indonesian page: the switch lands on the English material, not /en/.
    phone.goto(base + material.url)
    alternates = {
        link.get_attribute("hreflang"): link.get_attribute("href")
        for link in phone.locator('link[rel="alternate"][hreflang]').all()
    }
    assert alternates["id"].endswith(material.url) and alternates["en"].endswith(english.url), alternates
    phone.get_by_role("link", name="English").click()
    phone.wait_for_url(base + english.url)
    assert english.url != "/en/"
    assert phone.get_by_role("heading", level=1).inner_text() == "Beware of Job Offers on Social Media"
    phone.screenshot(path=str(_shot("english-material-360")), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_a_resident_searches_in_plain_words_from_the_home_page(site, live_server, phone):
    base = live_server.url
    phone.goto(base + "/")
    phone.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Cari").click()
    phone.wait_for_url(base + "/cari/")
    phone.get_by_label("Apa yang Anda cari?").fill("kerja di malaysia")
    phone.get_by_role("button", name="Cari").click()
    phone.wait_for_url(re.compile(r".*/cari/\?q=kerja\+di\+malaysia"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=str(_shot("search-kerja-di-malaysia-360")), full_page=True)
    first = phone.locator(".material-card__title a").first
    assert first.inner_text() == "Syarat dan Langkah Bekerja ke Luar Negeri secara Resmi"
    first.click()
    phone.wait_for_url(base + "/materi/syarat-dan-langkah-pmi-prosedural/")
    assert phone.get_by_role("heading", level=1).inner_text() == (
        "Syarat dan Langkah Bekerja ke Luar Negeri secara Resmi"
    )


def _shot(name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"
