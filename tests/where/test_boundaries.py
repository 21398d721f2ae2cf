"""Areas' outlines uploaded as GeoJSON by a supervisor, and the choropleth drawn from them: bad files
refused with the reason in Indonesian (never a 500), unknown features listed, each area a link."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from events.models import AreaBoundary
from events.services import boundaries
from tests.factories import AreaFactory, TipFactory

pytestmark = pytest.mark.django_db
UPLOAD = "/admin/sebaran/batas/"
WHERE = "/admin/sebaran/"


def square(west, south, size=0.01):
    return [
        [west, south],
        [west + size, south],
        [west + size, south + size],
        [west, south + size],
        [west, south],
    ]


def feature(name, west=106.7, south=-6.1, **properties):
    return {
        "type": "Feature",
        "properties": {"name": name, **properties} if name else properties,
        "geometry": {"type": "Polygon", "coordinates": [square(west, south)]},
    }


def collection(*features):
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def upload(client, data, name="batas.geojson"):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data, content_type="application/geo+json")})


@pytest.fixture
def areas(site_setup):
    return {
        "kamal": AreaFactory(name="Kamal Muara"),
        "kapuk": AreaFactory(name="Kapuk"),
        "pluit": AreaFactory(name="Pluit"),
    }


def test_a_supervisor_uploads_outlines_and_unknown_features_are_listed(
    client, supervisor, areas, assert_page
):
    client.force_login(supervisor)
    data = collection(
        feature("Kelurahan Kamal Muara"),
        feature("KAPUK", west=106.72),
        feature("Atlantis", west=106.74),
        {
            "type": "Feature",
            "properties": {"name": "Jalan"},
            "geometry": {"type": "LineString", "coordinates": []},
        },
    )
    page = assert_page(upload(client, data), "Batas 2 wilayah disimpan", "Atlantis", "2 fitur dilewati")
    assert "tidak ada wilayah kantor ini dengan nama tersebut" in page
    assert "bukan Polygon atau MultiPolygon" in page
    assert set(AreaBoundary.objects.values_list("area__name", flat=True)) == {"Kamal Muara", "Kapuk"}
    # Each outline's upload is in its area's history (the audit log).
    from wagtail.models import ModelLogEntry

    logged = ModelLogEntry.objects.filter(action="events.boundary_uploaded")
    assert sorted(logged.values_list("label", flat=True)) == sorted(
        [str(areas["kamal"]), str(areas["kapuk"])]
    )
    assert set(logged.values_list("user", flat=True)) == {supervisor.pk}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{not json", "bukan GeoJSON"),
        (b"\xff\xfe\x00garbage", "bukan GeoJSON"),
        (b"[" * 100_000 + b"]" * 100_000, "bukan GeoJSON"),
        (json.dumps({"type": "Feature"}).encode(), "bukan GeoJSON FeatureCollection"),
        (json.dumps({"type": "FeatureCollection", "features": []}).encode(), "tidak berisi fitur"),
        (collection(feature("Kapuk", west=250)), "di luar bujur −180…180"),
        (collection(feature("Kapuk", south=-95)), "di luar bujur −180…180"),
        (
            collection(
                {
                    "type": "Feature",
                    "properties": {"name": "Kapuk"},
                    "geometry": {"type": "Polygon", "coordinates": [[[1, 2]]]},
                }
            ),
            "kurang dari empat titik",
        ),
        (
            collection(
                {
                    "type": "Feature",
                    "properties": {"name": "Kapuk"},
                    "geometry": {"type": "Polygon", "coordinates": [[["a", "b"]] * 4]},
                }
            ),
            "bukan dua angka",
        ),
        (collection(feature("Atlantis")), "tidak ada yang disimpan"),
    ],
)
def test_a_bad_file_is_refused_with_the_reason_and_nothing_is_saved(
    client, supervisor, areas, data, message, assert_page
):
    client.force_login(supervisor)
    assert_page(upload(client, data), message)
    assert not AreaBoundary.objects.exists()


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    client, supervisor, areas, settings, assert_page
):
    settings.PIMPASA_BOUNDARY_MAX_BYTES = 1000
    client.force_login(supervisor)
    assert_page(upload(client, collection(*[feature("Kapuk")] * 20)), "Berkas lebih besar dari")
    assert not AreaBoundary.objects.exists()


def test_large_outlines_are_simplified(areas):
    ring = [[106.7 + i * 1e-6, -6.1 + (i % 7) * 1e-5] for i in range(5000)]
    ring.append(ring[0])
    data = collection(
        {
            "type": "Feature",
            "properties": {"nama": "Pluit"},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        }
    )
    parsed = boundaries.parse(data)
    [polygons] = parsed.outlines.values()
    assert len(polygons[0][0]) <= boundaries.MAX_RING_POINTS + 1


def test_two_areas_of_one_name_are_told_apart_by_kecamatan(site_setup):
    AreaFactory(name="Sukamaju", kecamatan="Cibeber")
    wanted = AreaFactory(name="Sukamaju", kecamatan="Cilegon")
    parsed = boundaries.parse(
        collection(feature("Sukamaju", kecamatan="Cilegon"), feature("Sukamaju", west=106.8))
    )
    assert list(parsed.outlines) == [wanted]
    assert len(parsed.skipped) == 1


def test_officers_cannot_upload(client, officer, areas):
    client.force_login(officer)
    assert client.get(UPLOAD).status_code in (302, 403)
    assert upload(client, collection(feature("Kapuk"))).status_code in (302, 403)
    assert not AreaBoundary.objects.exists()


def test_the_choropleth_links_each_area_to_its_tips_and_hides_small_counts(
    client, supervisor, areas, assert_page
):
    client.force_login(supervisor)
    upload(
        client,
        collection(feature("Kamal Muara"), feature("Kapuk", west=106.72), feature("Pluit", west=106.74)),
    )
    TipFactory.create_batch(8, area=areas["kamal"])
    TipFactory.create_batch(3, area=areas["kapuk"])
    TipFactory.create_batch(12, area=areas["pluit"])
    page = assert_page(client.get(WHERE), '<svg class="map"', "Peta")
    svg = page[page.index('<svg class="map"') : page.index("</svg>", page.index('<svg class="map"'))]
    titles = re.findall(r"<title>([^<]*)</title>", svg)
    # Kapuk's 3 is hidden, and so is the next smallest (Kamal Muara's 8): the total 23 is shown.
    assert "Kamal Muara: *" in titles and "Pluit: 12" in titles and "Kapuk: &lt; 5" in titles
    assert not [title for title in titles if re.search(r": [1-4]$", title)]
    links = re.findall(r'<a href="([^"]+)"><path', svg)
    assert len(links) == 3 and all(link.startswith("/admin/laporan/?area=") for link in links)
    listing = assert_page(client.get(links[0].replace("&amp;", "&")))
    assert listing.count("Ada perekrut") == 8  # inside the officer's scope: the tips themselves
    assert "heat--hidden" in svg  # Kapuk's small count is not drawn to scale
    # The legend and the path data: coordinates projected into the picture's box.
    assert 'viewBox="0 0 360 ' in svg
    for x, y in re.findall(r"[ML]([\d.]+) ([\d.]+)", svg):
        assert 0 <= float(x) <= 360 and 0 <= float(y) <= 420
