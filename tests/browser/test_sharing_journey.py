"""A supervisor shares one of their office's tips with the Directorate, with a note; the national
monitor finds it under "Shared with the Directorate" and reads it without its reporter; the supervisor
withdraws the share and the tip is not found again. On a phone (360 px) and a desk screen (1366 px),
every page checked for sideways scrolling and photographed (var/screenshots)."""

import pytest

from tests.browser.test_back_office_journey import log_in, look
from tests.browser.test_back_office_journey import screen as screen
from tests.factories import AreaFactory, OfficeFactory, RegionFactory, TipFactory, UserFactory


@pytest.fixture
def shared_world(transactional_db, settings, live_server):
    from cms.services.page_tree import ensure_home_page
    from pimpasa.roles import NATIONAL, SUPERVISOR, ensure_roles

    ensure_roles()
    ensure_home_page()
    settings.PIMPASA_PUBLIC_URL = live_server.url
    soetta = OfficeFactory(name="Kanim Soekarno-Hatta", region=RegionFactory(name="Kantor Wilayah Banten"))
    UserFactory(username="supervisor_soetta", first_name="Agus", role=SUPERVISOR, office=soetta)
    UserFactory(username="nasional", first_name="Dian", role=NATIONAL)
    # A colleague of each withdraws and checks: the same user signing in again within one 30 s step
    # would type the same authenticator code, which the second factor refuses as a replay.
    UserFactory(username="supervisor_soetta_2", first_name="Budi", role=SUPERVISOR, office=soetta)
    UserFactory(username="nasional_2", first_name="Eka", role=NATIONAL)
    benda = AreaFactory(name="Benda", office=soetta, is_desa_binaan=True)
    return TipFactory(
        area=benda,
        description="Calo di Benda memberangkatkan pekerja lewat tiga bandara dengan visa kunjungan.",
        identity=("Siti Aminah", "081234567890"),
    )


def test_a_tip_shared_with_the_directorate_and_withdrawn(live_server, screen, shared_world):
    page, tip = screen, shared_world

    log_in(page, live_server, "supervisor_soetta")
    page.goto(f"{live_server.url}/admin/laporan/{tip.pk}/")
    page.get_by_role("link", name="Bagikan kepada Direktorat").click()
    page.wait_for_url(f"**/admin/laporan/{tip.pk}/bagikan/")
    look(page, "share-01-form")
    page.fill("#id_note", "Pola yang sama terlihat di kantor lain; perlu koordinasi nasional.")
    page.get_by_role("button", name="Bagikan kepada Direktorat").click()
    page.wait_for_url(f"**/admin/laporan/{tip.pk}/")
    assert "Dibagikan kepada Direktorat" in page.content()

    page.context.clear_cookies()
    log_in(page, live_server, "nasional")
    page.goto(f"{live_server.url}/admin/laporan-dibagikan/")
    look(page, "share-02-national-list")
    page.get_by_role("link", name=tip.short_id).click()
    page.wait_for_url(f"**/admin/laporan-dibagikan/{tip.pk}/")
    look(page, "share-03-national-tip")
    text = page.content()
    assert "tiga bandara" in text and "koordinasi nasional" in text
    assert "Siti" not in text and "081234567890" not in text
    assert page.goto(f"{live_server.url}/admin/laporan/{tip.pk}/").status == 404

    page.context.clear_cookies()
    log_in(page, live_server, "supervisor_soetta_2")
    page.goto(f"{live_server.url}/admin/laporan/{tip.pk}/bagikan/")
    look(page, "share-04-withdraw")
    page.get_by_role("button", name="Tarik pembagian").click()
    page.wait_for_url(f"**/admin/laporan/{tip.pk}/")

    page.context.clear_cookies()
    log_in(page, live_server, "nasional_2")
    assert page.goto(f"{live_server.url}/admin/laporan-dibagikan/{tip.pk}/").status == 404
