"""A supervisor uploads the office's area outlines (GeoJSON), opens the map on the "Where" page and
drills down into one area's tips, at 360 px and at 1366 px. The page has no script of its own (the
map, the heat table and their links are HTML and SVG from the server; tests/where/ reads them without
a browser) and loads nothing from anywhere else. Screenshots in var/screenshots/where-*.png."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, pass_second_factor
from tests.factories import DEFAULT_PASSWORD

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
DEMO_FILE = Path(__file__).resolve().parents[2] / "demo" / "area_boundaries.geojson"
SIZES = {
    "360": {**PHONE},
    "1366": {"viewport": {"width": 1366, "height": 900}},
}


@pytest.fixture
def office(transactional_db, live_server, tmp_path):
    """The demo's four areas with tips (Pajang's few), and a GeoJSON file of their outlines plus one
    feature naming no area of the office."""
    from cms.services.page_tree import ensure_home_page
    from events.models import Area
    from pimpasa.roles import SUPERVISOR, ensure_roles
    from tests.factories import TipFactory, UserFactory

    ensure_roles()
    ensure_home_page()
    UserFactory(username="sari", first_name="Sari", role=SUPERVISOR)
    areas = {}
    for name, kecamatan, city in (
        ("Cengkareng Timur", "Cengkareng", "Kota Jakarta Barat"),
        ("Benda", "Benda", "Kota Tangerang"),
        ("Jurumudi", "Benda", "Kota Tangerang"),
        ("Pajang", "Benda", "Kota Tangerang"),
    ):
        areas[name] = Area.objects.create(name=name, kecamatan=kecamatan, city=city, province="Banten")
    for name, count in (("Cengkareng Timur", 11), ("Benda", 7), ("Jurumudi", 6), ("Pajang", 2)):
        TipFactory.create_batch(count, area=areas[name], rw="05")
    collection = json.loads(DEMO_FILE.read_text())
    atlantis = json.loads(json.dumps(collection["features"][0]))
    atlantis["properties"] = {"name": "Atlantis"}
    collection["features"].append(atlantis)
    upload = tmp_path / "batas-wilayah.geojson"
    upload.write_text(json.dumps(collection))
    return {"url": live_server.url, "file": upload, "areas": areas}


@pytest.mark.parametrize("size", SIZES)
def test_supervisor_uploads_outlines_opens_the_map_and_drills_into_an_area(office, browser, size):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(**SIZES[size], locale="id-ID")
    context.set_default_timeout(15_000)
    page = context.new_page()
    url = office["url"]
    elsewhere = []
    page.on("request", lambda request: None if request.url.startswith(url) else elsewhere.append(request.url))
    try:
        page.goto(url + "/admin/login/")
        page.fill("#id_username", "sari")
        page.fill("#id_password", DEFAULT_PASSWORD)
        page.locator("button[type=submit]").click()
        pass_second_factor(page, "sari")
        page.wait_for_url(lambda address: "/two-factor/" not in address)

        page.goto(url + "/admin/sebaran/")
        assert page.locator(".map").count() == 0  # no outlines yet
        page.get_by_role("link", name="Unggah batas wilayah (GeoJSON)").click()
        page.set_input_files("#id_file", str(office["file"]))
        # Read the answer to the upload, not the form still on screen while the server works.
        with page.expect_navigation():
            page.get_by_role("button", name="Unggah").click()
        body = page.locator("main").inner_text()
        assert "Batas 4 wilayah disimpan" in body
        assert "Atlantis" in body and "tidak ada wilayah kantor ini dengan nama tersebut" in body
        page.screenshot(path=str(SHOTS / f"where-upload-{size}.png"), full_page=True)

        page.get_by_role("link", name="Buka peta").click()
        svg = page.locator("svg.map")
        svg.wait_for()
        assert svg.locator("path").count() == 4
        # The picture fits the screen: nothing scrolls sideways but the heat table's own box.
        assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["viewport"]["width"] + 1
        box = svg.bounding_box()
        assert box["width"] <= SIZES[size]["viewport"]["width"]
        titles = svg.locator("path title").all_text_contents()
        assert "Pajang: < 5" in titles and "Cengkareng Timur: 11" in titles
        heat = page.locator("table.heat").inner_text()
        assert "< 5" in heat
        page.screenshot(path=str(SHOTS / f"where-map-{size}.png"), full_page=True)
        page.locator("table.heat").scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"where-heat-{size}.png"))
        page.locator(".where__multiples").scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"where-multiples-{size}.png"))

        # Jurumudi on the map: its tips, open and closed, in the tips list filtered to it.
        page.locator("svg.map a", has=page.locator("title", has_text="Jurumudi")).click(force=True)
        page.wait_for_url("**/admin/laporan/**")
        assert f"area={office['areas']['Jurumudi'].pk}" in page.url
        assert page.locator("main").inner_text().count("Ada perekrut") == 6
        page.screenshot(path=str(SHOTS / f"where-drill-down-{size}.png"), full_page=True)

        # From the heat table: Jurumudi per RW, then RW 05 this month.
        page.go_back()
        page.locator("table.heat").get_by_role("link", name="Jurumudi", exact=True).click()
        page.wait_for_url(f"**area={office['areas']['Jurumudi'].pk}**")
        # Read once the page has arrived whole: right after the click the table was read half-parsed
        # (its header only) in one round of the journeys loop.
        expect(page.locator("table.heat")).to_contain_text("RW 05")
        page.screenshot(path=str(SHOTS / f"where-rw-{size}.png"), full_page=True)
        assert elsewhere == []
    finally:
        context.close()
