"""A resident on a phone: the home page, a material in Indonesian, the same in English, then search."""

import io

import pytest


@pytest.mark.django_db(transaction=True)
def test_read_material_in_indonesian_switch_to_english_and_find_it_by_search(
    live_server, phone, settings, tmp_path
):
    from demo import site_content

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PIMPASA_RENDITIONS_AHEAD = True  # as `make run` does: the demo's pictures are made ahead
    site_content.load(io.StringIO())

    phone.goto(live_server.url + "/")
    assert phone.locator("html").get_attribute("lang") == "id"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
    hotline = phone.locator(".home-hotline a[href='tel:08001000']")
    assert hotline.is_visible()
    # The footer fits one phone screen: the hotlines in sight, the offices folded (a tap opens them,
    # no script), and the WhatsApp line opens a chat without any script.
    footer_height = phone.locator("footer").bounding_box()["height"]
    assert footer_height <= 544, footer_height  # under a 640 px phone screen; it used to take two
    phone.locator("footer").screenshot(path=str(tmp_path / "footer-360.png"))
    print("footer height at 360 px:", footer_height, "px; screenshot", tmp_path / "footer-360.png")
    assert phone.locator("footer a[href='https://wa.me/628118080141']").is_visible()
    assert phone.locator("footer .office").count() == 3
    assert not phone.locator("footer .office").first.is_visible()
    phone.locator("footer details.footer-contact__offices summary").click()
    assert phone.locator("footer .office").first.is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    phone.get_by_role("link", name="Kenali Tanda-Tanda Perdagangan Orang").first.click()
    phone.wait_for_url(live_server.url + "/materi/tanda-tanda-perdagangan-orang/")
    assert phone.get_by_role("heading", level=1).inner_text() == "Kenali Tanda-Tanda Perdagangan Orang"
    assert phone.locator(".checklist li").count() >= 5
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    phone.get_by_role("link", name="English").click()
    phone.wait_for_url(live_server.url + "/en/material/signs-of-trafficking/")
    assert phone.locator("html").get_attribute("lang") == "en"
    assert phone.get_by_role("heading", level=1).inner_text() == "Recognise the Signs of Trafficking"

    phone.get_by_role("navigation", name="Main menu").get_by_role("link", name="Search").click()
    phone.wait_for_url(live_server.url + "/en/search/")
    phone.get_by_label("What are you looking for?").fill("passport agent")
    phone.get_by_role("button", name="Search").click()
    result = phone.locator(".material-card__title a", has_text="Recognise the Signs of Trafficking")
    assert result.count() == 1
    result.click()
    phone.wait_for_url(live_server.url + "/en/material/signs-of-trafficking/")

    # The FAQ opens without any script: <details> is the browser's own.
    phone.goto(live_server.url + "/en/material/questions-and-answers/")
    question = phone.locator("details.faq").first
    assert question.get_attribute("open") is None
    question.locator("summary").click()
    assert question.get_attribute("open") is not None
