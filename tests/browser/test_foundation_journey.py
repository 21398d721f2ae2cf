"""A newcomer's first minutes: the home page on a phone, English, the health check, the admin."""

import pytest

from tests.browser.conftest import pass_second_factor
from tests.factories import DEFAULT_PASSWORD, UserFactory


@pytest.mark.django_db(transaction=True)
def test_home_on_a_phone_switch_to_english_and_log_in_as_an_officer(live_server, phone):
    from cms.services.page_tree import ensure_home_page
    from pimpasa.roles import OFFICER, ensure_roles

    ensure_roles()
    ensure_home_page()
    UserFactory(username="petugas-uji", role=OFFICER)

    phone.goto(live_server.url + "/")
    assert phone.locator("html").get_attribute("lang") == "id"
    assert phone.get_by_role("link", name="Lewati ke konten utama").count() == 1
    # Mobile first: nothing wider than the phone's screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    phone.get_by_role("link", name="English").click()
    phone.wait_for_url(live_server.url + "/en/")
    assert phone.locator("html").get_attribute("lang") == "en"
    assert phone.get_by_role("link", name="Skip to main content").count() == 1

    phone.goto(live_server.url + "/admin/login/")
    phone.fill("#id_username", "petugas-uji")
    phone.fill("#id_password", DEFAULT_PASSWORD)
    phone.locator("button[type=submit]").click()
    pass_second_factor(phone, "petugas-uji")
    phone.wait_for_url(live_server.url + "/admin/")
    assert phone.locator("body").inner_text()
