"""Valid HTML on every public page in both languages: a strict HTML5 parse (html5lib, the WHATWG
parsing algorithm) finds no error, and the checks the W3C checker makes that a parser does not:
<time datetime> in a valid format (at most three fraction digits), headings that never skip a level,
ids that are unique; and nothing inline for the coming Content Security Policy."""

import io
import re

import html5lib
import pytest
from bs4 import BeautifulSoup
from django.test import Client

from cms import bootstrap
from demo import site_content
from events.services import tokens
from tests.factories import SessionFactory
from tests.pimpasa.crawl import crawl

pytestmark = pytest.mark.django_db

# A valid global date and time string (HTML § 2.3.5.7) or a date: seconds with at most 3 fraction digits.
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$")


def problems(html):
    found = []
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        parser.parse(html)
    except html5lib.html5parser.ParseError as error:
        found.append(f"parse error: {error}")
    soup = BeautifulSoup(html, "html.parser")
    for time in soup.find_all("time", datetime=True):
        if not DATETIME.match(time["datetime"]):
            found.append(f"time datetime {time['datetime']!r}")
    level = 0
    for heading in soup.find_all(re.compile(r"^h[1-6]$")):
        this = int(heading.name[1])
        if this > level + 1:
            found.append(f"heading jumps from h{level} to h{this}: {heading.get_text(strip=True)[:40]!r}")
        level = this
    ids = [tag["id"] for tag in soup.find_all(id=True)]
    found += [f"duplicate id {name!r}" for name in sorted({name for name in ids if ids.count(name) > 1})]
    found += [f"inline style on <{tag.name}>" for tag in soup.find_all(style=True)]
    found += ["inline <script>" for script in soup.find_all("script") if not script.get("src")]
    return found


@pytest.fixture
def demo_site(site_setup):
    bootstrap.ensure(io.StringIO())
    site_content.load(io.StringIO())


@pytest.mark.parametrize("start", ["/", "/en/"])
def test_every_page_a_crawl_reaches_is_valid(demo_site, start):
    raw = {}
    crawl(Client(), start, raw=raw)
    assert len(raw) >= 15
    found = {path: problems(html) for path, html in raw.items()}
    assert {path: issues for path, issues in found.items() if issues} == {}


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_residents_forms_and_answers_are_valid(demo_site, prefix):
    client = Client()
    session = SessionFactory()
    pages = {
        "tip form": client.get(f"{prefix}/lapor/"),
        "status": client.get(f"{prefix}/lapor/status/"),
        "status, code not found": client.post(f"{prefix}/lapor/status/", {"code": "AAAA-BBBB-CCCC-DDDD"}),
        "tip form with errors": client.post(f"{prefix}/lapor/", {"category": "", "description": ""}),
        "search": client.get(f"{prefix}/{'cari' if not prefix else 'search'}/", {"q": "paspor"}),
        "sessions": client.get(f"{prefix}/sesi/"),
        "refusal": client.get(f"{prefix}/sesi/{session.pk}/hadir/?t=forged"),
    }
    opened = client.get(f"{prefix}/sesi/{session.pk}/hadir/?t={tokens.poster_token(session)}")
    pages["check-in form"] = opened
    form_pass = re.search(r'name="pass" value="([^"]+)"', opened.content.decode()).group(1)
    answers = {"pass": form_pass, "name": "Siti", "phone": "0812 3456 7890", "gender": "f"}
    pages["check-in form with errors"] = client.post(f"{prefix}/sesi/{session.pk}/hadir/", answers)
    answers.update(age_group="26-35", rw="17", consent="on")
    pages["thank-you"] = client.post(f"{prefix}/sesi/{session.pk}/hadir/", answers)
    pages["receipt"] = client.post(
        f"{prefix}/lapor/", {"category": "tppo", "description": "Ada calo di RW 05."}
    )
    pages["receipt's old address"] = client.get(f"{prefix}/lapor/tanda-terima/")
    assert pages["receipt"].status_code == 200 and pages["thank-you"].status_code == 200
    found = {name: problems(response.content) for name, response in pages.items()}
    assert {name: issues for name, issues in found.items() if issues} == {}


def test_the_checker_finds_what_it_should():
    broken = (
        b"<!doctype html><html lang='id'><head><title>x</title></head><body><h1>a</h1><h3>b</h3>"
        b"<time datetime='2026-12-03T10:00:00.123456+07:00'>x</time><p id='a'></p><p id='a' style='x'>"
        b"<script>alert(1)</script></p></div></body></html>"
    )
    found = problems(broken)
    assert any(item.startswith("parse error") for item in found)
    assert "heading jumps from h1 to h3: 'b'" in found
    assert "time datetime '2026-12-03T10:00:00.123456+07:00'" in found
    assert "duplicate id 'a'" in found and "inline style on <p>" in found and "inline <script>" in found
