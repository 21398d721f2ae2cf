"""The language switch (and any link or redirect built from what a visitor sent) stays on this site."""

import re
from urllib.parse import urlsplit

import pytest

from pimpasa.safe_urls import same_origin

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "//evil.example/en/",
        "///evil.example/",
        "/\\evil.example/",
        "https://evil.example/",
        "http:evil.example",
        "javascript:alert(1)",
        "evil.example/",
        "",
    ],
)
def test_anything_but_a_path_on_this_site_gets_the_fallback(url):
    assert same_origin(url, fallback="/en/") == "/en/"


@pytest.mark.parametrize("url", ["/", "/en/sesi/", "/lapor/?session=3", "/cari/?q=a%2F%2Fb"])
def test_a_path_on_this_site_is_kept(url):
    assert same_origin(url) == url


def switch_links(body):
    nav = re.search(r'<nav class="language-switch".*?</nav>', body, re.S).group(0)
    return re.findall(r'href="([^"]*)"', nav)


@pytest.mark.parametrize("path", ["//evil.example/en/x", "//evil.example/", "/\\evil.example/"])
def test_the_language_switch_on_a_404_never_links_off_site(client, site_setup, path):
    # PATH_INFO set directly: the test client would read "//evil.example" as a host name.
    response = client.get("/", PATH_INFO=path)
    assert response.status_code == 404
    links = switch_links(response.content.decode())
    assert links, "the 404 page shows the language switch"
    for link in links:
        assert same_origin(link, fallback=None) == link
        assert urlsplit(link).netloc == "" and not link.startswith("//")


def test_the_switch_still_keeps_an_ordinary_path(client, site_setup):
    response = client.get("/sesi/")
    assert "/en/sesi/" in switch_links(response.content.decode())
