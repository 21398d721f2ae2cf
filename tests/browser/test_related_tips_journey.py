"""Three residents report the same recruiter through the public form, each in their own words and
spelling of his number; the worker (run inline after each commit in the tests) fingerprints the tips;
the area's officer opens one tip, sees the other two as related (what they share, how strongly), groups
them into a case and finds the case with its three tips."""

import io

import pytest
from PIL import Image, ImageDraw

from tests.browser.conftest import PHONE, pass_second_factor
from tests.factories import DEFAULT_PASSWORD, UserFactory

REPORTS = [
    (
        "Pak Heru dari PT Maju Jaya Abadi menawarkan kerja di pabrik Malaysia, minta uang 5 juta. WA 0812-3456-7890.",
        "05",
    ),
    ("ada calo namanya heru dari pt. maju jaya abadi, nomornya +62 812 3456 7890, janji gaji besar", "07"),
    ("Tetangga mau diberangkatkan ke Taiwan lewat P.T. MAJU JAYA ABADI. Telp 6281234567890.", "09"),
]


def flyer(path):
    picture = Image.new("RGB", (900, 1200), "white")
    draw = ImageDraw.Draw(picture)
    draw.rectangle((40, 40, 860, 300), fill="#c0392b")
    draw.ellipse((200, 400, 700, 900), fill="#2e86c1")
    output = io.BytesIO()
    picture.save(output, "JPEG", quality=85)
    path.write_bytes(output.getvalue())
    return path


@pytest.mark.django_db(transaction=True)
def test_three_residents_report_one_recruiter_and_the_officer_groups_them(
    live_server, browser, desktop, tmp_path, settings
):
    from pimpasa.roles import OFFICER, ensure_roles
    from reporting.tips.models import Tip
    from reporting.tips.related.models import Case
    from tests.factories import AreaFactory

    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    ensure_roles()
    officer = UserFactory(username="petugas-related", role=OFFICER)
    area = AreaFactory(name="Kalibaru", officers=[officer])

    for index, (description, rw) in enumerate(REPORTS):
        context = browser.new_context(**PHONE, locale="id-ID")
        resident = context.new_page()
        resident.goto(f"{live_server.url}/lapor/")
        resident.locator("input[name=category][value=tppo]").check()
        resident.fill("#id_description", description)
        resident.select_option("#id_area", str(area.pk))
        resident.fill("#id_rw", rw)
        if index == 0:
            resident.set_input_files("#id_evidence", str(flyer(tmp_path / "brosur.jpg")))
        resident.get_by_role("button", name="Kirim laporan").click()
        resident.get_by_role("heading", name="Terima kasih, laporan Anda sudah kami terima").wait_for()
        context.close()

    tips = list(Tip.objects.order_by("created_at"))
    assert len(tips) == 3
    first, second, third = tips

    desktop.goto(live_server.url + "/admin/login/")
    desktop.fill("#id_username", "petugas-related")
    desktop.fill("#id_password", DEFAULT_PASSWORD)
    desktop.locator("button[type=submit]").click()
    pass_second_factor(desktop, "petugas-related")
    desktop.wait_for_url(live_server.url + "/admin/")
    desktop.goto(f"{live_server.url}/admin/laporan/{first.pk}/")

    panel = desktop.locator("#related")
    panel.get_by_role("heading", name="Laporan terkait").wait_for()
    for other in (second, third):
        row = panel.locator("tr", has_text=other.short_id)
        assert "Nomor telepon" in row.inner_text() and "kuat" in row.inner_text().lower()
    assert "Perusahaan atau agen" in panel.locator("tr", has_text=second.short_id).inner_text()
    assert "0812" not in panel.inner_text() and "Maju" not in panel.inner_text()
    panel.screenshot(path=str(tmp_path / "related-panel.png"))

    for other in (second, third):
        panel.locator(f"#related-{other.pk}").check()
    panel.get_by_role(
        "button", name="Kelompokkan laporan yang dipilih dengan laporan ini dalam satu kasus"
    ).click()

    case = Case.objects.get()
    desktop.wait_for_url(f"**/admin/kasus/{case.pk}/")
    assert f"Kasus {case.number}" in desktop.locator("main, body").first.inner_text()
    listed = desktop.locator("#case-tips").inner_text()
    assert all(tip.short_id in listed for tip in (first, second, third))
    desktop.screenshot(path=str(tmp_path / "case.png"), full_page=True)

    # On a phone too: the case page fits 360 px.
    small = browser.new_context(**PHONE, locale="id-ID")
    small.add_cookies(desktop.context.cookies())
    page = small.new_page()
    page.goto(f"{live_server.url}/admin/kasus/{case.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator("#case-tips").screenshot(path=str(tmp_path / "case-360.png"))
    page.goto(f"{live_server.url}/admin/laporan/{first.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator("#related").screenshot(path=str(tmp_path / "related-360.png"))
    small.close()
    assert {tip.case_id for tip in Tip.objects.all()} == {case.pk}
