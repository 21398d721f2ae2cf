"""Issue 25 point 4: the footer and the contact block show the office of the page's context (a session's,
a tip's, the chooser's), else the site's contact with a chooser of offices (a plain GET form), else the
national contact; the page cache and the footer's fragment cache never show one office's contact in
another context."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from cms import page_cache
from cms.models import ContactSettings
from offices.models import Office
from tests.factories import AreaFactory, MaterialPageFactory, OfficeFactory, SessionFactory

pytestmark = pytest.mark.django_db

HOTLINE_A, HOTLINE_B = "tel:+622155501111", "tel:+622745552222"


def footer(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").find("footer")


def hotlines(part):
    return {link["href"] for link in part.select("a.office-contact__hotline")}


@pytest.fixture
def material(material_index, two_offices):
    return MaterialPageFactory(
        parent=material_index,
        title="Tanda bahaya",
        body=[{"type": "contact", "value": {"title": "Hubungi kantor", "text": ""}}],
    )


def test_a_page_with_an_office_chosen_shows_that_offices_contact(public_site, two_offices):
    part = footer(Client().get(f"/?kantor={two_offices.b.pk}"))
    assert part.find(id="footer-office").text == two_offices.b.name
    assert hotlines(part) == {HOTLINE_B}
    assert part.find("a", href="https://wa.me/6281322220000").text == "+6281322220000"
    assert part.find("address").get_text("|") == "Jalan Selatan 2|Kabupaten Uji Selatan"
    assert part.find("a", href="mailto:pengaduan@selatan.imigrasi.example") is not None
    assert two_offices.a.name not in part.text


def test_a_page_without_an_office_shows_the_national_contact_and_the_chooser(public_site, two_offices):
    part = footer(Client().get("/"))
    assert part.find(id="footer-office").text == (
        "Direktorat Intelijen Keimigrasian, Direktorat Jenderal Imigrasi"
    )
    assert "Dalam keadaan darurat, hubungi polisi di 110." in part.text
    chooser = part.find("form", class_="office-chooser")
    assert chooser["method"] == "get" and chooser.find("button", type="submit")
    assert part.find("label", attrs={"for": "footer-office-chooser"}).text == "Kantor imigrasi Anda"
    options = {option.text: option["value"] for option in chooser.find_all("option")}
    assert options[two_offices.b.name] == str(two_offices.b.pk)
    assert options[two_offices.a.name] == str(two_offices.a.pk)
    assert not hotlines(part) - {""}  # no office's hotline where no office is known
    assert not part.select("script") and not BeautifulSoup(Client().get("/").content, "html.parser").select(
        "footer [onchange]"
    )


def test_the_national_hotline_is_a_setting(public_site, two_offices, settings):
    settings.PIMPASA_NATIONAL_HOTLINE = "021-5794-4444"
    part = footer(Client().get("/"))
    assert hotlines(part) == {"tel:+622157944444"}
    assert "hubungi polisi di 110" not in part.text


def test_the_site_settings_are_the_national_contact_when_an_editor_filled_them(public_site, two_offices):
    contact = ContactSettings.for_site(Site.objects.get(is_default_site=True))
    contact.office_name = "Direktorat Jenderal Imigrasi"
    contact.office_phone = "021-522-5028"
    contact.save()
    part = footer(Client().get("/"))
    assert part.find(id="footer-office").text == "Direktorat Jenderal Imigrasi"
    assert hotlines(part) == {"tel:+62215225028"}
    assert part.find("form", class_="office-chooser") is not None
    # A chosen office replaces it.
    assert footer(Client().get(f"/?kantor={two_offices.a.pk}")).find(id="footer-office").text == (
        two_offices.a.name
    )


def test_a_site_with_one_office_shows_it_without_a_chooser(public_site):
    office = Office.default()
    Office.objects.filter(pk=office.pk).update(hotline="021-555-0000")
    page_cache.invalidate()
    part = footer(Client().get("/"))
    assert part.find(id="footer-office").text == office.name
    assert hotlines(part) == {"tel:+62215550000"}
    assert part.find("form", class_="office-chooser") is None


@pytest.mark.parametrize("raw", ["abc", "999999", "-3", "1e5", "<script>", "99999999999999999999999"])
def test_a_forged_office_in_the_address_shows_the_chooser_never_an_error(public_site, two_offices, raw):
    part = footer(Client().get("/", {"kantor": raw}))
    assert part.find("form", class_="office-chooser") is not None
    assert not hotlines(part) - {""}


def test_the_page_cache_keeps_each_offices_page_apart(material, two_offices):
    """The page cache keys a page by its address, the chooser's ?kantor= included: office A's page,
    office B's and the page without an office are three entries, none showing another's contact."""
    client, url = Client(), material.url
    first = client.get(f"{url}?kantor={two_offices.a.pk}")
    assert first[page_cache.CACHE_HEADER] == "miss" and hotlines(footer(first)) == {HOTLINE_A}
    other = client.get(f"{url}?kantor={two_offices.b.pk}")
    assert hotlines(footer(other)) == {HOTLINE_B}
    plain = client.get(url)
    assert not hotlines(footer(plain)) - {""} and footer(plain).find("form", class_="office-chooser")
    for kantor, hotline in [(two_offices.a.pk, HOTLINE_A), (two_offices.b.pk, HOTLINE_B)]:
        again = client.get(f"{url}?kantor={kantor}")
        assert again[page_cache.CACHE_HEADER] == "hit" and hotlines(footer(again)) == {hotline}
    assert client.get(url)[page_cache.CACHE_HEADER] == "hit"


def test_the_contact_block_shows_the_chosen_office(material, two_offices):
    page = BeautifulSoup(Client().get(f"{material.url}?kantor={two_offices.b.pk}").content, "html.parser")
    block = page.find("main").find("section", class_="block-contact")
    assert two_offices.b.name in block.find(class_="block-contact__office").text
    assert block.find("a", href=HOTLINE_B).text == "Telepon kantor"
    assert block.find("a", href="https://wa.me/6281322220000") is not None
    assert block.find("form", class_="office-chooser") is None
    plain = BeautifulSoup(Client().get(material.url).content, "html.parser").find("main")
    chooser = plain.find("section", class_="block-contact").find("form", class_="office-chooser")
    assert chooser is not None and chooser.find("select", attrs={"name": "kantor"})


def test_the_footer_fragment_cache_never_gives_one_sessions_office_to_another(client, two_offices):
    """The footer is cached as a fragment (base.html) for a day: keyed by the office, a session of A's
    tip form after one of B's still shows A. Without the office in the key it showed B's."""
    session_a = SessionFactory(area=two_offices.area_a)
    first = footer(client.get(f"/lapor/?session={two_offices.session_b.pk}"))
    assert hotlines(first) == {HOTLINE_B}
    second = footer(client.get(f"/lapor/?session={session_a.pk}"))
    assert hotlines(second) == {HOTLINE_A} and two_offices.b.name not in second.text
    plain = footer(client.get("/lapor/"))
    assert not hotlines(plain) - {""} and plain.find("form", class_="office-chooser") is not None


def test_a_changed_office_shows_on_its_pages_at_once(material, two_offices):
    client, url = Client(), f"{material.url}?kantor={two_offices.b.pk}"
    assert hotlines(footer(client.get(url))) == {HOTLINE_B}
    two_offices.b.hotline = "0274-555-9999"
    two_offices.b.save()
    response = client.get(url)
    assert response[page_cache.CACHE_HEADER] == "miss" and hotlines(footer(response)) == {"tel:+622745559999"}


def _rendered_page_queries(url):
    page_cache.invalidate()
    with CaptureQueriesContext(connection) as captured:
        assert Client().get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("chosen", [False, True])
def test_the_footers_queries_do_not_grow_with_the_offices(material, chosen):
    def queries(count):
        for number in range(count):
            office = OfficeFactory(name=f"Kantor Imigrasi Beban {count}-{number}")
            AreaFactory(name=f"Desa Beban {count}-{number}", office=office)
        return _rendered_page_queries(f"{material.url}?kantor={office.pk}" if chosen else material.url)

    queries(1)  # the site's settings rows made on its first visit
    assert queries(3) == queries(30)


def test_a_host_without_a_wagtail_site_still_gets_a_contact_never_an_error(settings):
    # The template's settings lookup gives no settings object (an empty string) when no Wagtail site
    # matches the request's host: the national contact is shown instead of failing the page.
    from cms.office_contact import contact_without_office

    settings.PIMPASA_NATIONAL_CONTACT_NAME = "Direktorat Uji"
    assert contact_without_office("", []).name == "Direktorat Uji"
