"""The conversation with an anonymous reporter, both sides at 360 px: the officer asks with a common
question; the reporter opens the status page by code in another browser, reads it (marked new),
answers with a photo; the officer sees the answer, its new mark and the answer clock, and the
dashboard's unread count; once retention has run, the conversation is gone on both sides."""

import datetime

from django.utils import timezone

from tests.browser import test_back_office_journey as back_office
from tests.browser.conftest import PHONE
from tests.browser.test_back_office_journey import log_in, look
from tests.factories import image_bytes

office = back_office.office  # the back office's people, area and session (a fixture)

ANSWER = "Mobilnya Avanza hitam, datang tiap Selasa malam ke rumah Pak RT."


def phone_page(browser):
    context = browser.new_context(**PHONE, locale="id-ID")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.pimpasa_screen = "phone"
    return context, page


def test_officer_asks_reporter_answers_with_a_photo_and_retention_removes_it(
    live_server, browser, office, tmp_path, settings
):
    from reporting.models import Message
    from reporting.tips.models import Tip
    from reporting.tips.services import retention
    from reporting.tips.services import tips as tip_service
    from reporting.tips.services.tips import Submission, submit_tip

    tip, code = submit_tip(
        Submission(category=Tip.Category.TPPO, description="Ada calo di RW 17.", area=office["area"])
    )
    Tip.objects.filter(pk=tip.pk).update(assigned_to=office["officer"])

    # The officer asks, starting from a common question.
    officer_context, officer = phone_page(browser)
    log_in(officer, live_server, "petugas")
    officer.goto(f"{live_server.url}/admin/laporan/{tip.pk}/")
    officer.select_option("#id_triage-question", "photo")
    officer.get_by_role("button", name="Masukkan pertanyaan ke pesan").click()
    assert "Apakah Anda bisa mengirim foto" in officer.input_value("#id_triage-message")
    assert "Can you send a photo" in officer.input_value("#id_triage-message")
    officer.get_by_role("button", name="Simpan", exact=True).click()
    officer.get_by_text("Tersimpan.").wait_for()
    officer.get_by_text("Menunggu pelapor").first.wait_for()
    look(officer, "conversation-1-officer-asked")

    # The reporter, in another browser, opens the status page by code.
    reporter_context, reporter = phone_page(browser)
    reporter.goto(live_server.url + "/lapor/status/")
    reporter.fill("#id_code", code)
    reporter.get_by_role("button", name="Tampilkan status").click()
    reporter.get_by_text("1 pesan baru dari petugas").wait_for()
    main = reporter.locator("main").inner_text()
    assert "Apakah Anda bisa mengirim foto" in main and "Rina" not in main and "Wulandari" not in main
    assert code not in reporter.url and code not in reporter.content()
    look(reporter, "conversation-2-reporter-reads")
    photo = tmp_path / "mobil.jpg"
    photo.write_bytes(image_bytes("JPEG", size=(640, 480)))
    reporter.fill("#id_body", ANSWER)
    reporter.set_input_files("#id_evidence", str(photo))
    reporter.get_by_role("button", name="Kirim jawaban").click()
    reporter.get_by_text("Jawaban Anda sudah terkirim").wait_for()
    assert ANSWER in reporter.locator("main").inner_text()
    look(reporter, "conversation-3-reporter-answered")

    # The officer's dashboard counts the unread answer; the tip shows it new, with its clock.
    officer.goto(f"{live_server.url}/admin/")
    officer.get_by_text("Jawaban pelapor yang belum dibaca").first.wait_for()
    assert "Rina Wulandari (Anda)" in officer.locator("main").inner_text()
    officer.goto(f"{live_server.url}/admin/laporan/{tip.pk}/")
    conversation = officer.locator("#conversation")
    text = conversation.inner_text().lower()  # the admin's status labels are written in capitals
    assert (
        ANSWER.lower() in text
        and "baru" in text
        and "pelapor menjawab" in text
        and "menjawab pelapor" in text
    )
    assert conversation.get_by_role("link", name="mobil.jpg").is_visible()
    look(officer, "conversation-4-officer-reads-the-answer")

    # Retention: the tip closed a year ago loses its conversation and the late photo.
    tip_service.change_status(Tip.objects.get(pk=tip.pk), office["officer"], Tip.Status.CLOSED)
    long_ago = timezone.now() - datetime.timedelta(days=settings.PIMPASA_TIP_RETENTION_DAYS + 1)
    Tip.objects.filter(pk=tip.pk).update(closed_at=long_ago)
    assert retention.purge_expired() == 1
    assert not Message.objects.filter(tip=tip).exists()
    officer.goto(f"{live_server.url}/admin/laporan/{tip.pk}/")
    assert ANSWER not in officer.locator("main").inner_text()
    reporter.goto(live_server.url + "/lapor/status/")
    reporter.fill("#id_code", code)
    reporter.get_by_role("button", name="Tampilkan status").click()
    reporter.get_by_text("Laporan ini sudah ditutup").first.wait_for()
    assert ANSWER not in reporter.locator("main").inner_text()
    assert reporter.locator("#id_body").count() == 0
    look(reporter, "conversation-5-after-retention")
    officer_context.close()
    reporter_context.close()
