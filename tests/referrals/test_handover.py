"""The referral handover: the link shown once in a read-only field with a copy button (a small
self-hosted script), a WhatsApp button where the agency has a number, an e-mail button; the summary
starts empty, the reporter's own words beside it for reference."""

import html
import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from tests.referrals.test_admin import client_for, refer_url

pytestmark = pytest.mark.django_db


def test_the_summary_starts_empty_with_the_reporters_words_beside_it(tip_to_refer, assert_page):
    page = assert_page(client_for(tip_to_refer.officer).get(refer_url(tip_to_refer.tip)))
    summary = re.search(r'<textarea name="summary"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert summary.strip() == ""
    start = page.index('<aside class="reporter-words"')
    aside = page[start : page.index("</aside>", start)]
    assert "Kata-kata pelapor sendiri (untuk rujukan Anda, tidak dikirim)" in aside
    assert "Calo di pangkalan ojek menawarkan kerja ke Malaysia." in aside
    assert "Bang Jek, motor hitam" in aside
    assert "<textarea" not in aside and "<input" not in aside  # for reading, not part of the form


def send(tip_to_refer, agency):
    client = client_for(tip_to_refer.officer)
    response = client.post(
        refer_url(tip_to_refer.tip),
        {"agency": agency.pk, "summary": "Calo menawarkan kerja ke Malaysia.", "share_category": "on"},
    )
    assert response.status_code == 200
    return response.context["link"], response.content.decode()


def test_the_link_page_offers_copy_whatsapp_and_email(tip_to_refer):
    agency = tip_to_refer.bp3mi
    agency.whatsapp = "0812-3456-7890"
    agency.save()
    link, page = send(tip_to_refer, agency)
    field = re.search(r'<textarea id="referral-link"[^>]*>([^<]*)</textarea>', page)
    assert "readonly" in field.group(0) and html.unescape(field.group(1)) == link
    # The copy button works only with the script, so it starts hidden; the script is our own file.
    assert re.search(r'<button type="button" class="button" data-copy="referral-link" hidden', page)
    assert re.search(r'<script src="/static/js/copy-link\.js[^"]*" defer>', page)
    assert "Salin tautan" in page
    whatsapp = html.unescape(re.search(r'href="(https://wa\.me/[^"]+)"', page).group(1))
    parts = urlsplit(whatsapp)
    assert parts.path == "/6281234567890"
    assert link in parse_qs(parts.query)["text"][0]
    assert "Kirim juga lewat WhatsApp" in page
    mailto = html.unescape(re.search(r'href="(mailto:[^"]+)"', page).group(1))
    recipients, query = mailto[len("mailto:") :].split("?", 1)
    assert unquote(recipients).split(",") == ["pengaduan@bp3mi.test", "kepala@bp3mi.test"]
    fields = parse_qs(query)
    assert tip_to_refer.tip.short_id in fields["subject"][0] and "Rujukan" in fields["subject"][0]
    assert link in fields["body"][0]
    assert "Kirim lewat e-mail" in page


def test_without_a_whatsapp_number_the_page_says_where_to_add_one(tip_to_refer):
    _link, page = send(tip_to_refer, tip_to_refer.bp3mi)
    assert "wa.me" not in page
    assert "Instansi ini tidak punya nomor WhatsApp" in page
    assert "mailto:" in page
