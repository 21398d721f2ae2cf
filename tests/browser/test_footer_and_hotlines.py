"""Issue 13 point 10 on a 360 px phone: English pages label the hotlines in English, and the footer
(office, hotlines, folded offices, links) fits in well under one phone screen in both languages."""

import io
from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PHONE_SCREEN = 640  # the height of a 360 × 640 phone's screen, in CSS pixels

ENGLISH_LABELS = [
    "KP2MI (Halo PMI, 24 hours)",
    "KP2MI from abroad",
    "KP2MI (WhatsApp service)",
    "Kemnaker (Ministry of Manpower)",
    "Police (emergency)",
]
INDONESIAN_LABELS = [
    "KP2MI (Halo PMI, 24 jam)",
    "KP2MI dari luar negeri",
    "KP2MI (layanan WhatsApp)",
    "Kemnaker",
    "Polri (darurat)",
]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "path, labels", [("/en/", ENGLISH_LABELS), ("/", INDONESIAN_LABELS)], ids=["english", "indonesian"]
)
def test_hotline_labels_in_the_pages_language_and_a_footer_shorter_than_a_screen(
    live_server, phone, settings, tmp_path, path, labels
):
    from demo import site_content

    settings.MEDIA_ROOT = tmp_path / "media"
    site_content.load(io.StringIO())
    phone.goto(live_server.url + path)
    assert phone.viewport_size["width"] == 360

    for where in (".home-hotline", "footer"):
        assert phone.locator(f"{where} .hotline__org").all_inner_texts() == labels
    assert phone.locator("footer .hotline__org").first.is_visible()

    footer = phone.locator("footer")
    height = footer.bounding_box()["height"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / f"footer-360-{'en' if path == '/en/' else 'id'}.png"
    footer.screenshot(path=str(shot))
    print(
        f"footer height at 360 px on {path}: {height:.0f} px ({height / PHONE_SCREEN:.0%} of a 640 px screen)"
    )
    assert height <= 0.85 * PHONE_SCREEN, height  # 695 px (two screens' worth of scrolling) before
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
    # Every number is still a tap target of its own.
    for link in footer.locator(".hotline__number[href^='tel:']").all():
        assert link.bounding_box()["height"] >= 24
