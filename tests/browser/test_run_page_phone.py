"""The Run page on an officer's phone (360 px): a title of a few lines, the count above the fold, and no
control under Wagtail's floating menu button."""

from pathlib import Path

import pytest

from tests.browser.conftest import pass_second_factor
from tests.factories import DEFAULT_PASSWORD, AreaFactory, SessionFactory, UserFactory

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
TITLE = (
    "Ngopi Pimpasa bersama warga RW 17 dan RW 19 Kelurahan Cengkareng Timur tentang bekerja ke luar negeri"
)


def covered_controls(page):
    """The links and buttons of the page's content that another element covers (at their centre)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('main a, main button, main summary')]
            .filter((el) => el.offsetParent !== null)
            .filter((el) => {
                const box = el.getBoundingClientRect();
                const x = box.left + box.width / 2, y = box.top + box.height / 2;
                if (y < 0 || y > window.innerHeight) return false;
                const top = document.elementFromPoint(x, y);
                return top && top !== el && !el.contains(top) && !top.contains(el);
            })
            .map((el) => el.textContent.trim())"""
    )


@pytest.mark.django_db(transaction=True)
def test_the_run_page_fits_a_phone(live_server, phone):
    from cms.services.page_tree import ensure_home_page
    from pimpasa.roles import OFFICER, ensure_roles

    ensure_roles()
    ensure_home_page()
    SHOTS.mkdir(parents=True, exist_ok=True)
    officer = UserFactory(username="petugas-hp", role=OFFICER)
    session = SessionFactory(area=AreaFactory(officers=[officer]), title=TITLE)
    phone.goto(live_server.url + "/admin/login/")
    phone.fill("#id_username", "petugas-hp")
    phone.fill("#id_password", DEFAULT_PASSWORD)
    phone.locator("button[type=submit]").click()
    pass_second_factor(phone, "petugas-hp")
    phone.wait_for_url(live_server.url + "/admin/")
    phone.goto(f"{live_server.url}/admin/events/sessions/{session.pk}/run/")
    phone.screenshot(path=str(SHOTS / "run-page-360.png"))
    phone.screenshot(path=str(SHOTS / "run-page-360-full.png"), full_page=True)

    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    title = phone.locator("h1").first.bounding_box()
    line = float(phone.locator("h1").first.evaluate("(el) => parseFloat(getComputedStyle(el).lineHeight)"))
    assert title["height"] <= 4 * line + 1, title  # a few lines, not one word per line
    count = phone.locator(".run-summary__number").bounding_box()
    assert count["y"] + count["height"] <= 740  # above the fold
    # Scrolled to each control in turn, none lies under the floating menu button.
    for name in ("Batalkan sesi", "Mulai sesi", "Selesaikan sesi"):
        control = phone.get_by_role("link", name=name).or_(phone.get_by_role("button", name=name))
        if control.count():
            control.first.evaluate("(el) => el.scrollIntoView({block: 'center'})")
            phone.screenshot(path=str(SHOTS / f"run-page-360-{name.split()[0].lower()}.png"))
            assert name not in covered_controls(phone), name
    phone.evaluate("window.scrollTo(0, 0)")
    assert covered_controls(phone) == []
