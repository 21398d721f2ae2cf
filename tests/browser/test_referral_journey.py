"""An officer refers a tip to BP3MI; the agency opens the link in another browser (no account),
acknowledges it and reports an outcome; the tip's history and the public status page show it.
At 360 px and 1366 px, every page checked for sideways scrolling and photographed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.browser.test_back_office_journey import WIDTHS, log_in, look
from tests.factories import UserFactory


def _context(browser, screen_name):
    width = WIDTHS[screen_name]
    options = {"viewport": {"width": width, "height": 800 if width < 800 else 900}, "locale": "id-ID"}
    if width < 800:
        options.update(device_scale_factor=2, is_mobile=True, has_touch=True)
    context = browser.new_context(**options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.pimpasa_screen = screen_name
    return context, page


@pytest.fixture(params=list(WIDTHS))
def two_browsers(request, browser):
    """The office's browser and the agency's, each its own context (no shared cookies), same width."""
    office_context, office_page = _context(browser, request.param)
    agency_context, agency_page = _context(browser, request.param)
    yield office_page, agency_page
    office_context.close()
    agency_context.close()


@pytest.fixture
def referral_world(transactional_db, settings, live_server, tmp_path):
    from cms.services.page_tree import ensure_home_page
    from pimpasa.roles import OFFICER, ensure_roles
    from reporting.tips.models import Tip
    from reporting.tips.services import evidence as evidence_service
    from reporting.tips.services.tips import Submission, submit_tip
    from tests.factories import AgencyFactory, AreaFactory, image_bytes

    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.PIMPASA_PUBLIC_URL = live_server.url
    ensure_roles()
    ensure_home_page()
    officer = UserFactory(username="petugas", first_name="Rina", last_name="Wulandari", role=OFFICER)
    area = AreaFactory(name="Kalibaru")
    area.officers.add(officer)
    photo = evidence_service.prepare(SimpleUploadedFile("foto-lpk.jpg", image_bytes("JPEG")))
    tip, code = submit_tip(
        Submission(
            category=Tip.Category.PMI_NON_PROCEDURAL,
            description="LPK di ruko dekat terminal menahan paspor peserta yang ingin mundur dan meminta tebusan.",
            area=area,
            people_involved="LPK “Cahaya Mandiri Sejahtera”",
        ),
        [photo],
    )
    agency = AgencyFactory(
        name="BP3MI DKI Jakarta", contacts=["pengaduan@bp3mi.test"], whatsapp="+6281100000001"
    )
    return {"tip": tip, "code": code, "agency": agency}


def test_refer_acknowledge_outcome_and_the_reporter_sees_it(live_server, two_browsers, referral_world):
    office, agency = two_browsers
    tip = referral_world["tip"]

    # The officer opens the tip and refers it, sharing the summary, the category and the photo.
    log_in(office, live_server, "petugas")
    office.goto(f"{live_server.url}/admin/laporan/{tip.pk}/")
    office.get_by_role("button", name="Rujuk ke instansi").click()
    office.wait_for_url(f"**/admin/rujukan/laporan/{tip.pk}/")
    office.select_option("#id_agency", str(referral_world["agency"].pk))
    # The summary starts empty; the reporter's own words stand beside it, for reference only.
    assert office.input_value("#id_summary") == ""
    words = office.locator("aside.reporter-words")
    assert "Kata-kata pelapor sendiri" in words.inner_text()
    assert "menahan paspor peserta yang ingin mundur" in words.inner_text()
    office.fill(
        "#id_summary", "LPK menahan paspor peserta dan meminta tebusan Rp5 juta. Mohon ditindaklanjuti."
    )
    office.locator("#id_share_area").uncheck()
    office.locator("input[name=evidence]").first.check()
    look(office, "referral-1-refer")
    office.get_by_role("button", name="Rujuk dan kirim tautan").click()
    office.get_by_text("Tautan hanya ditampilkan kali ini").wait_for()
    link = office.input_value("#referral-link")
    assert link.startswith(live_server.url + "/rujukan/")
    assert office.locator('a[href^="https://wa.me/6281100000001?text="]').count() == 1
    assert office.locator('a[href^="mailto:pengaduan@bp3mi.test?subject="]').count() == 1
    # The copy button (our own script) puts the link on the clipboard and says so.
    office.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    office.get_by_role("button", name="Salin tautan").click()
    office.get_by_text("Tersalin.").wait_for()
    assert office.evaluate("navigator.clipboard.readText()") == link
    look(office, "referral-2-link-sent")

    # The agency opens the link in its own browser: Indonesian, only what was shared.
    agency.goto(link)
    agency.get_by_role("heading", name="Laporan yang dirujuk ke BP3MI DKI Jakarta").wait_for()
    page_text = agency.locator("main").inner_text()
    assert "LPK menahan paspor peserta" in page_text
    assert "Pekerja migran nonprosedural" in page_text or "PMI non-prosedural" in page_text
    assert "Kalibaru" not in page_text and "Cahaya Mandiri" not in page_text
    assert agency.locator("a[href*='/bukti/']").count() == 1
    look(agency, "referral-3-agency-page")
    agency.fill("#id_received_by", "Rahmat, petugas pengaduan")
    agency.get_by_role("button", name="Diterima", exact=True).click()
    agency.get_by_text("Diterima oleh Rahmat, petugas pengaduan").wait_for()
    agency.locator("input[name=outcome][value=acted_on]").check()
    agency.fill("#id_text", "Tim kami sudah mendatangi LPK; paspor dikembalikan kepada peserta.")
    agency.get_by_role("button", name="Kirim hasil").click()
    agency.get_by_text("Sudah ditindak").first.wait_for()
    look(agency, "referral-4-agency-done")

    # The tip's history shows each step.
    office.goto(f"{live_server.url}/admin/laporan/{tip.pk}/")
    main = office.locator("main").inner_text()
    for step in ("Dirujuk ke instansi", "Rujukan diterima instansi", "Hasil dari instansi"):
        assert step in main, step
    assert "paspor dikembalikan kepada peserta" in main
    assert "Diterima oleh Rahmat, petugas pengaduan" in main
    look(office, "referral-5-tip-page")

    # The reporter's status page: a plain line, never the agency's words.
    agency.context.clear_cookies()
    agency.goto(live_server.url + "/lapor/status/")
    agency.fill("#id_code", referral_world["code"])
    agency.get_by_role("button", name="Tampilkan status").click()
    line = agency.locator(".tip-referrals li").inner_text()
    assert line.startswith("Diteruskan ke BP3MI DKI Jakarta pada ") and "— diterima " in line
    assert "paspor dikembalikan" not in agency.locator("main").inner_text()
    look(agency, "referral-6-status-page")
