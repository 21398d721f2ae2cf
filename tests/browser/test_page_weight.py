"""Page weight on a cheap phone over 3G: what the home page, a material page and the check-in form cost
on the wire with a cold cache, as Chromium counts it (every response's encoded bytes, headers included).

The server is built as production serves: static files collected by WhiteNoise's compressed manifest
storage (gzip beside each file), the middleware every environment shares (HTML compressed, pimpasa.compression), media
files straight from MEDIA_ROOT as the reverse proxy serves them. Byte counts are deterministic for the
same content; nothing here is timed.
"""

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test.utils import override_settings
from django.utils import timezone

from tests.browser.conftest import PHONE

KB = 1024
TARGETS = {"home": 60 * KB, "material": 60 * KB, "checkin": 10 * KB}
MATERIAL_PATH = "/materi/tanda-tanda-perdagangan-orang/"
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture
def production_server(transactional_db, settings, tmp_path):
    """A live server with production's static storage and middleware, over demo content with pictures."""
    from django.db import connections
    from django.test.testcases import LiveServerThread

    from demo import site_content
    from tests.factories import SessionFactory

    settings.MEDIA_ROOT = tmp_path / "media"
    site_content.load(io.StringIO())
    soon = timezone.now() + datetime.timedelta(days=2)
    for day in range(3):  # the home page lists three upcoming sessions
        SessionFactory(
            title=f"Ngopi Pimpasa RW 0{day + 1}: kerja ke luar negeri lewat jalur resmi",
            starts_at=soon + datetime.timedelta(days=day),
            venue=f"Balai Warga RW 0{day + 1}",
            target_rws=f"0{day + 1}",
        )

    production = {
        "STATIC_ROOT": tmp_path / "static",
        "STORAGES": {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        },
        "WHITENOISE_USE_FINDERS": False,
        "WHITENOISE_AUTOREFRESH": False,
    }
    with override_settings(**production):
        call_command("collectstatic", "--noinput", verbosity=0)
        shared = {
            conn.alias: conn
            for conn in connections.all()
            if conn.vendor == "sqlite" and conn.is_in_memory_db()
        }
        for conn in shared.values():
            conn.inc_thread_sharing()
        # No static handler in front: WhiteNoise in the middleware serves /static/ as in production;
        # LiveServerThread's media handler stands for the proxy serving /media/.
        thread = LiveServerThread("localhost", lambda handler: handler, connections_override=shared)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        try:
            yield f"http://localhost:{thread.port}"
        finally:
            thread.terminate()
            for conn in shared.values():
                conn.dec_thread_sharing()


def weigh(browser, url, name, *, read_to_end=False, device=PHONE):
    """Open `url` in a fresh browser (cold cache) and return {url: (bytes on the wire, encoding)} of
    all it loaded; with `read_to_end`, after scrolling to the bottom, so every lazy image is in."""
    context = browser.new_context(**device, locale="id-ID")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    urls, sizes, encodings = {}, {}, {}

    def received(event):
        urls[event["requestId"]] = event["response"]["url"]
        headers = {key.lower(): value for key, value in event["response"]["headers"].items()}
        encodings[event["requestId"]] = headers.get("content-encoding", "")

    cdp.on("Network.responseReceived", received)
    cdp.on(
        "Network.loadingFinished",
        lambda event: sizes.__setitem__(event["requestId"], event["encodedDataLength"]),
    )
    page.goto(url, wait_until="networkidle")
    if read_to_end:
        height = page.evaluate("document.documentElement.scrollHeight")
        for y in range(0, height + 400, 400):
            page.evaluate(f"window.scrollTo(0, {y})")
            page.wait_for_timeout(50)
        page.wait_for_function("Array.from(document.images).every(image => image.complete)")
        page.wait_for_load_state("networkidle")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"weight-{name}.png"), full_page=True)
    context.close()
    return {urls[key]: (size, encodings.get(key, "")) for key, size in sizes.items() if key in urls}


def report(name, loaded):
    total = sum(size for size, _encoding in loaded.values())
    print(f"\n{name}: {total} bytes ({total / KB:.1f} KB) on the wire, cold cache")
    for url, (size, encoding) in sorted(loaded.items(), key=lambda item: -item[1][0]):
        print(f"  {size:>7}  {encoding or '-':5} {url}")
    return total


def test_home_material_and_checkin_fit_a_3g_budget(production_server, browser):
    from events.services import tokens
    from tests.factories import SessionFactory

    session = SessionFactory(title="Ngopi Pimpasa RW 17 Kalibaru")
    pages = {
        "home": production_server + "/",
        "material": production_server + MATERIAL_PATH,
        "checkin": f"{production_server}/sesi/{session.pk}/hadir/?t={tokens.poster_token(session)}",
    }
    opened = {name: weigh(browser, url, f"{name}-360") for name, url in pages.items()}
    totals = {name: report(name, loaded) for name, loaded in opened.items()}
    for name, loaded in opened.items():
        for url, (_size, encoding) in loaded.items():
            if "/media/" in url:  # pictures as AVIF (Chromium's pick of the <picture>), never PNG/JPEG
                assert url.endswith(".avif"), url
            else:  # the page itself, the stylesheet, the icon: gzipped
                assert encoding == "gzip", (name, url)
    # Above the fold only: the hero, or the material's own picture; the cards wait for a scroll.
    assert sum("/media/" in url for url in opened["home"]) == 1
    assert sum("/media/" in url for url in opened["material"]) == 1

    # Read to the end, every lazy picture comes in: recorded in docs/benchmarks.md, not a target.
    for name in ("home", "material"):
        whole = weigh(browser, pages[name], f"{name}-360-end", read_to_end=True)
        report(f"{name}, read to the end", whole)
        assert sum("/media/" in url for url in whole) > 1

    assert totals["home"] <= TARGETS["home"], totals
    assert totals["material"] <= TARGETS["material"], totals
    assert totals["checkin"] <= TARGETS["checkin"], totals
