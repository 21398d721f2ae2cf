"""RWs as people write them are one RW, in the Where page's rows and in the lists' RW filters."""

import pytest

from events.services.rws import NO_RW, rw_key, rw_keys
from tests.factories import AreaFactory, SessionFactory, TipFactory


def test_one_rw_however_it_is_written():
    assert {rw_key(value) for value in ("3", "03", "RW 3", "rw.03", " 003 ")} == {"03"}
    assert rw_key("") == NO_RW
    assert rw_keys("RW 17 dan 19") == rw_keys("17, 19") == ["17", "19"]
    assert rw_keys("") == [NO_RW]


@pytest.mark.django_db
def test_the_tips_and_sessions_lists_filter_by_rw(client, supervisor, assert_page):
    area = AreaFactory()
    for rw in ("3", "03", "RW 3", "13", "30", ""):
        TipFactory(area=area, rw=rw, description=f"Laporan RW [{rw}] tentang calo")
    SessionFactory(area=area, title="Sesi untuk RW 3 dan 17", target_rws="3, 17")
    SessionFactory(area=area, title="Sesi untuk RW 13", target_rws="13")
    client.force_login(supervisor)
    page = assert_page(client.get("/admin/laporan/?state=all&rw=03"))
    assert page.count("tentang calo") == 3
    assert "[13]" not in page and "[30]" not in page
    page = assert_page(client.get(f"/admin/laporan/?state=all&rw={NO_RW}"))
    assert page.count("tentang calo") == 1 and "[]" in page
    page = assert_page(client.get("/admin/events/sessions/?rw=03"), "Sesi untuk RW 3 dan 17")
    assert "Sesi untuk RW 13" not in page
