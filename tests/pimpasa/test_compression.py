"""Rendered text goes out gzipped to every client that accepts it; files, images and downloads do not
pass through the compressor; the gzip stream differs per response (BREACH padding)."""

import gzip

import pytest
from django.http import FileResponse, HttpResponse
from django.test import Client, RequestFactory

from pimpasa.compression import TextCompressionMiddleware
from tests.factories import png_bytes

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate"}


def test_a_public_page_with_a_form_is_gzipped_and_reads_the_same():
    client = Client()
    plain = client.get("/lapor/status/")
    squeezed = client.get("/lapor/status/", **GZIP)
    assert plain.status_code == squeezed.status_code == 200
    assert "Content-Encoding" not in plain
    assert squeezed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in squeezed["Vary"]
    html = gzip.decompress(squeezed.content).decode()
    assert 'name="csrfmiddlewaretoken"' in html
    assert len(squeezed.content) < len(plain.content) / 2


def test_the_same_page_twice_is_never_the_same_gzip_stream():
    """Django pads each gzip stream with random bytes, and masks the CSRF token afresh: an attacker
    who reflects text beside a secret cannot read the secret off the compressed length (BREACH)."""
    client = Client()
    first = client.get("/lapor/status/", **GZIP).content
    second = client.get("/lapor/status/", **GZIP).content
    assert first != second


def respond(response, accept="gzip"):
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING=accept)
    return TextCompressionMiddleware(lambda request: response)(request)


def test_text_types_are_compressed():
    for content_type in (
        "text/html; charset=utf-8",
        "application/json",
        "application/rss+xml",
        "text/calendar",
    ):
        response = respond(HttpResponse("Ngopi Pimpasa " * 100, content_type=content_type))
        assert response["Content-Encoding"] == "gzip", content_type


def test_images_and_streamed_downloads_are_left_alone(tmp_path):
    picture = respond(HttpResponse(png_bytes(), content_type="image/png"))
    assert "Content-Encoding" not in picture
    spreadsheet = tmp_path / "rekap.csv"
    spreadsheet.write_text("nama;rw\n" * 500)
    download = respond(FileResponse(spreadsheet.open("rb"), content_type="text/csv"))
    assert "Content-Encoding" not in download
    assert int(download["Content-Length"]) == spreadsheet.stat().st_size


def test_a_client_that_does_not_accept_gzip_gets_plain_text():
    response = respond(HttpResponse("Ngopi Pimpasa " * 100), accept="identity")
    assert response.status_code == 200 and response.content == b"Ngopi Pimpasa " * 100
    assert "Content-Encoding" not in response
