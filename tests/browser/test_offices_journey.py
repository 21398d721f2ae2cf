"""Two offices and the national monitors in the back office, on a phone (360 px) and a desk screen
(1366 px): each office's officer sees only their office's session and tip, the other office's tip is
not found, one office hands its tip to the other; the national monitor sees the table of offices and
opens no tip. Every page is checked for sideways scrolling and photographed (var/screenshots)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.test_back_office_journey import log_in, look
from tests.browser.test_back_office_journey import screen as screen
from tests.factories import AreaFactory, OfficeFactory, RegionFactory, SessionFactory, TipFactory, UserFactory


@pytest.fixture
def two_offices(transactional_db, settings, live_server):
    from cms.services.page_tree import ensure_home_page
    from pimpasa.roles import NATIONAL, OFFICER, ensure_roles

    ensure_roles()
    ensure_home_page()
    settings.PIMPASA_PUBLIC_URL = live_server.url
    banten = RegionFactory(name="Kantor Wilayah Banten")
    jakarta = RegionFactory(name="Kantor Wilayah DKI Jakarta")
    soetta = OfficeFactory(name="Kanim Soekarno-Hatta", region=banten)
    jakbar = OfficeFactory(name="Kanim Jakarta Barat", region=jakarta)
    petugas_a = UserFactory(username="petugas_soetta", first_name="Rina", role=OFFICER, office=soetta)
    petugas_b = UserFactory(username="petugas_jakbar", first_name="Maya", role=OFFICER, office=jakbar)
    UserFactory(username="nasional", first_name="Dian", role=NATIONAL)
    benda = AreaFactory(name="Benda", office=soetta, officers=[petugas_a], is_desa_binaan=True)
    kapuk = AreaFactory(name="Kapuk", office=jakbar, officers=[petugas_b], is_desa_binaan=True)
    starts = timezone.now() + timedelta(days=1)
    SessionFactory(
        area=benda, title="Ngopi Pimpasa Benda", starts_at=starts, ends_at=starts + timedelta(hours=2)
    )
    SessionFactory(
        area=kapuk, title="Ngopi Pimpasa Kapuk", starts_at=starts, ends_at=starts + timedelta(hours=2)
    )
    tip_a = TipFactory(area=benda, description="Calo di Benda menawarkan kerja ke Malaysia tanpa visa kerja.")
    tip_b = TipFactory(area=kapuk, description="Penampungan calon pekerja di Kapuk tanpa izin.")
    return {"soetta": soetta, "jakbar": jakbar, "tip_a": tip_a, "tip_b": tip_b}


def test_each_office_sees_its_own_and_hands_a_tip_over(live_server, screen, two_offices):
    page = screen
    tip_a, tip_b = two_offices["tip_a"], two_offices["tip_b"]

    log_in(page, live_server, "petugas_soetta")
    look(page, "offices-01-soetta-home")
    assert "Ngopi Pimpasa Benda" in page.content() and "Ngopi Pimpasa Kapuk" not in page.content()
    page.goto(f"{live_server.url}/admin/laporan/")
    look(page, "offices-02-soetta-tips")
    assert tip_a.short_id in page.content() and tip_b.short_id not in page.content()
    # The other office's tip is not found, as if it did not exist.
    response = page.goto(f"{live_server.url}/admin/laporan/{tip_b.pk}/")
    assert response.status == 404
    assert "Kapuk" not in page.content()

    # Hand the office's tip to Jakarta Barat: the route runs through its area.
    page.goto(f"{live_server.url}/admin/laporan/{tip_a.pk}/")
    page.get_by_role("link", name="Serahkan ke kantor lain").click()
    page.wait_for_url(f"**/admin/laporan/{tip_a.pk}/serahkan/")
    look(page, "offices-03-handoff-form")
    page.select_option("#id_to_office", str(two_offices["jakbar"].pk))
    page.fill("#id_reason", "Penampungannya ada di wilayah Jakarta Barat.")
    page.get_by_role("button", name="Serahkan").click()
    page.wait_for_url("**/admin/laporan/")
    look(page, "offices-04-after-handoff")
    assert (
        tip_a.short_id not in page.locator("main table").inner_text()
        if page.locator("main table").count()
        else True
    )

    # The other office's officer: their own session; the handed-over tip is their office's now
    # (assigned by its supervisors), the Soekarno-Hatta one out of sight.
    page.context.clear_cookies()
    log_in(page, live_server, "petugas_jakbar")
    assert "Ngopi Pimpasa Kapuk" in page.content() and "Ngopi Pimpasa Benda" not in page.content()
    page.goto(f"{live_server.url}/admin/laporan/")
    look(page, "offices-05-jakbar-tips")
    assert tip_b.short_id in page.content()


def test_the_national_monitor_sees_every_office_and_no_tip(live_server, screen, two_offices):
    page = screen
    log_in(page, live_server, "nasional")
    look(page, "offices-06-national-home")
    page.get_by_role("heading", name="Kantor bulan ini").wait_for()
    table = page.locator("main table", has_text="Kantor Wilayah").first.inner_text()
    assert "Kanim Soekarno-Hatta" in table and "Kanim Jakarta Barat" in table
    assert "Calo di Benda" not in page.content()
    response = page.goto(f"{live_server.url}/admin/laporan/{two_offices['tip_a'].pk}/")
    assert response.status == 404
    assert "Calo di Benda" not in page.content()
