"""Field mode on a 360 px phone: the officer opens it from the Run page while online, loses the signal,
reloads (the page still loads), adds three walk-ins and checks a guest in; when the signal returns the
session has exactly four new rows, and replaying the same sync adds none."""

import json
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from events.models import Attendance
from events.services import tokens
from tests.browser.conftest import pass_second_factor
from tests.factories import DEFAULT_PASSWORD, AreaFactory, GuestFactory, SessionFactory, UserFactory

# Screenshots to look at after a run (var/ is not committed).
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
SHOTS.mkdir(parents=True, exist_ok=True)


def log_in(page, base, username, next_path):
    page.goto(f"{base}/admin/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", DEFAULT_PASSWORD)
    page.locator("button[type=submit]").click()
    pass_second_factor(page, username)
    page.wait_for_url(f"{base}{next_path}")


def no_horizontal_overflow(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def add_walk_in(page, name, gender, age_group, rw):
    page.fill("#id_walkin-name", name)
    page.select_option("#id_walkin-gender", gender)
    page.select_option("#id_walkin-age_group", age_group)
    page.fill("#id_walkin-rw", rw)
    page.check("#id_walkin-consent")
    page.get_by_role("button", name="Tambah", exact=True).click()
    page.locator("#field-queue li", has_text=name).wait_for()


@pytest.mark.django_db(transaction=True)
def test_field_mode_records_offline_entries_exactly_once(live_server, phone, tmp_path):
    from pimpasa.roles import OFFICER, ensure_roles

    ensure_roles()
    officer = UserFactory(username="petugas-pulau", role=OFFICER)
    session = SessionFactory(title="Ngopi Pimpasa Pulau Tidung", area=AreaFactory(officers=[officer]))
    guest = GuestFactory(session=session, name="Bripka Hendra")
    base = live_server.url
    field_path = f"/admin/field/{session.pk}/"

    # Online: from the Run page to field mode, which keeps itself and the session's data for later.
    log_in(phone, base, "petugas-pulau", f"/admin/events/sessions/{session.pk}/run/")
    phone.get_by_role("link", name="Mode lapangan (bisa tanpa sinyal)").click()
    phone.wait_for_url(base + field_path)
    phone.wait_for_function("navigator.serviceWorker.controller !== null")
    phone.wait_for_function(
        """async ([shell, session]) => {
            const kept = await (await caches.open("pimpasa-field-pages")).match(shell);
            const data = await window.PimpasaField.getSession(session);
            return Boolean(kept && data && data.tickets.length === 1);
        }""",
        arg=[field_path + "shell/", session.pk],
    )
    # The status line is written once the page has drawn its queue, just after the data is kept.
    expect(phone.locator("#field-connection")).to_have_text("Daring: entri langsung dikirim.")
    # Installable on the home screen, as Chromium itself judges it (manifest, icons, service worker).
    devtools = phone.context.new_cdp_session(phone)
    errors = devtools.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # Playwright's contexts are incognito ones; that is the test browser, not the page.
    assert [error["errorId"] for error in errors if error["errorId"] != "in-incognito"] == []
    manifest = devtools.send("Page.getAppManifest")
    assert manifest["errors"] == []
    assert json.loads(manifest["data"])["start_url"] == field_path
    devtools.detach()
    phone.screenshot(path=f"{SHOTS}/field-online-360.png", full_page=True)

    # The signal goes; the page reloads from the phone and says it works without a connection.
    phone.context.set_offline(True)
    phone.reload()
    assert phone.locator("h1").inner_text() == "Ngopi Pimpasa Pulau Tidung"
    assert phone.get_by_text("Daftar ditampilkan saat ponsel terhubung ke internet.").is_visible()
    expect(phone.locator("#field-connection")).to_have_text(re.compile(r"^Tidak ada sinyal"))

    # Three walk-ins and a guest's typed ticket, all kept on the phone.
    add_walk_in(phone, "Mbah Sarinah", "f", "gt60", "3")
    add_walk_in(phone, "Pak Darto", "m", "46-60", "3")
    add_walk_in(phone, "Bu Warsih", "f", "36-45", "4")
    phone.fill("#id_ticket-ticket", tokens.ticket_token(guest))
    phone.get_by_role("button", name="Presensi", exact=True).click()
    phone.locator("#field-queue li", has_text="Tiket tamu").wait_for()
    expect(phone.locator("#field-waiting-count")).to_have_text("Menunggu dikirim (4)")
    assert phone.locator("#field-queue li").count() == 4
    assert Attendance.objects.filter(session=session).count() == 0
    no_horizontal_overflow(phone, 360)
    phone.screenshot(path=f"{SHOTS}/field-offline-360.png", full_page=True)

    # The signal returns: the page sends by itself, each entry answered, nothing left on the phone.
    # Sends from the page and from the service worker's Background Sync alike.
    syncs = []
    phone.context.on(
        "requestfinished",
        lambda request: (
            request.method == "POST" and request.url.endswith("/sync/") and syncs.append(request.post_data)
        ),
    )
    phone.context.set_offline(False)
    phone.wait_for_function(
        "document.getElementById('field-waiting-count').textContent === 'Menunggu dikirim (0)'"
    )
    phone.locator("#field-queue li[data-state=recorded]").nth(3).wait_for()
    rows = Attendance.objects.filter(session=session)
    assert rows.count() == 4
    assert sorted(rows.values_list("name", flat=True)) == [
        "Bripka Hendra",
        "Bu Warsih",
        "Mbah Sarinah",
        "Pak Darto",
    ]
    assert rows.filter(client_id__isnull=True).count() == 0
    assert phone.locator("#field-queue li[data-state=recorded]", has_text="Bripka Hendra").count() == 1
    # The list of who is recorded is fetched again once the answers are in.
    phone.wait_for_function("document.querySelectorAll('#field-recorded li').length === 4")
    expect(phone.locator("#field-count")).to_have_text("4")
    left = phone.evaluate(f"window.PimpasaField.entriesFor({session.pk}).then((entries) => entries.length)")
    assert left == 0
    no_horizontal_overflow(phone, 360)
    phone.screenshot(path=f"{SHOTS}/field-synced-360.png", full_page=True)

    # Replaying the very same sync (a lost answer, a doubled Background Sync) adds no row.
    sent = [entry for body in syncs for entry in json.loads(body)["entries"]]
    assert len({entry["client_id"] for entry in sent}) == 4
    replay = phone.evaluate(
        """async ([dataUrl, syncUrl, body]) => {
            const headers = {"X-Requested-With": "XMLHttpRequest"};
            const token = (await (await fetch(dataUrl, {headers})).json()).csrf_token;
            const response = await fetch(syncUrl, {
                method: "POST", body, headers: {...headers, "Content-Type": "application/json", "X-CSRFToken": token},
            });
            return response.json();
        }""",
        [field_path + "data/", field_path + "sync/", json.dumps({"entries": sent})],
    )
    assert [answer["status"] for answer in replay["results"]] == ["recorded"] * len(sent)
    assert Attendance.objects.filter(session=session).count() == 4


@pytest.mark.django_db(transaction=True)
def test_field_mode_refused_entry_stays_and_can_be_corrected_or_discarded(live_server, browser):
    from pimpasa.roles import OFFICER, ensure_roles

    ensure_roles()
    officer = UserFactory(username="petugas-desa", role=OFFICER)
    session = SessionFactory(title="Ngopi Pimpasa RW 03", area=AreaFactory(officers=[officer]))
    base = live_server.url
    field_path = f"/admin/field/{session.pk}/"
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        log_in(page, base, "petugas-desa", field_path)
        page.wait_for_function("navigator.serviceWorker.controller !== null")

        # A phone number the server cannot read: refused with the reason, kept, corrected, recorded.
        page.fill("#id_walkin-name", "Mbah Sarinah")
        page.fill("#id_walkin-phone", "12")
        page.select_option("#id_walkin-gender", "f")
        page.select_option("#id_walkin-age_group", "gt60")
        page.check("#id_walkin-consent")
        page.get_by_role("button", name="Tambah", exact=True).click()
        refused = page.locator("#field-queue li[data-state=invalid]", has_text="Mbah Sarinah")
        refused.wait_for()
        assert "Periksa kembali isian." in refused.inner_text()
        assert "Nomor HP: " in refused.inner_text()
        page.screenshot(path=f"{SHOTS}/field-refused-1366.png", full_page=True)
        no_horizontal_overflow(page, 1366)
        refused.get_by_role("button", name="Perbaiki").click()
        assert page.input_value("#id_walkin-name") == "Mbah Sarinah"
        assert page.locator(".field-error .errorlist").count() == 1
        assert page.is_checked("#id_walkin-consent")
        page.fill("#id_walkin-phone", "0812 1111 2222")
        page.get_by_role("button", name="Tambah", exact=True).click()
        page.locator("#field-queue li[data-state=recorded]", has_text="Mbah Sarinah").wait_for()
        assert Attendance.objects.get(session=session).phone == "+6281211112222"

        # A ticket of no guest of this session: refused, then discarded by the officer.
        page.fill("#id_ticket-ticket", "bukan-tiket")
        page.get_by_role("button", name="Presensi", exact=True).click()
        bad = page.locator("#field-queue li[data-state=refused]")
        bad.wait_for()
        assert "Tiket ini tidak berlaku untuk sesi ini." in bad.inner_text()
        page.once("dialog", lambda dialog: dialog.accept())
        bad.get_by_role("button", name="Buang").click()
        bad.wait_for(state="detached")
        assert Attendance.objects.filter(session=session).count() == 1

        # Logging out with an entry still on the phone: asked first, then nothing is left behind.
        page.fill("#id_walkin-name", "Pak Darto")
        page.fill("#id_walkin-phone", "34")
        page.select_option("#id_walkin-gender", "m")
        page.select_option("#id_walkin-age_group", "46-60")
        page.check("#id_walkin-consent")
        page.get_by_role("button", name="Tambah", exact=True).click()
        page.locator("#field-queue li[data-state=invalid]", has_text="Pak Darto").wait_for()
        asked = []
        page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
        page.get_by_role("button", name="Keluar", exact=True).click()
        page.wait_for_url(f"{base}/admin/login/**")
        assert asked == ["Entri belum terkirim: 1. Keluar akan menghapusnya dari ponsel ini. Tetap keluar?"]
        left = page.evaluate(
            """() => new Promise((resolve) => {
                const opening = indexedDB.open("pimpasa-field");
                opening.onupgradeneeded = () => resolve("no store");
                opening.onsuccess = () => {
                    const db = opening.result;
                    if (!db.objectStoreNames.contains("entries")) return resolve("no store");
                    const counting = db.transaction("entries").objectStore("entries").count();
                    counting.onsuccess = () => resolve(counting.result);
                };
            })"""
        )
        assert left in ("no store", 0)
        assert page.evaluate("navigator.serviceWorker.getRegistrations().then((found) => found.length)") == 0
        assert Attendance.objects.filter(session=session).count() == 1
    finally:
        context.close()


@pytest.mark.django_db(transaction=True)
def test_field_mode_deletes_entries_kept_past_a_day_after_check_in_closed(live_server, phone):
    from pimpasa.roles import OFFICER, ensure_roles

    ensure_roles()
    officer = UserFactory(username="petugas-lama", role=OFFICER)
    session = SessionFactory(area=AreaFactory(officers=[officer]))
    field_path = f"/admin/field/{session.pk}/"
    log_in(phone, live_server.url, "petugas-lama", field_path)
    phone.wait_for_function("navigator.serviceWorker.controller !== null")

    # An entry whose keep-until has passed (a phone left in a drawer since last week's session).
    phone.evaluate(
        """(session) => window.PimpasaField.putEntry({
            client_id: "5b0e8a52-9d0c-4d4e-8a53-7a4c2f1d9e01", session, kind: "walk_in", state: "waiting",
            data: {name: "Warga Lama", gender: "f", age_group: "gt60", consent: true},
            made_at: "2026-01-01T09:00:00Z", keep_until: "2026-01-02T12:00:00Z", revision: "1",
        })""",
        session.pk,
    )
    phone.reload()
    phone.locator("#field-waiting-count").wait_for()

    left = phone.evaluate(f"window.PimpasaField.entriesFor({session.pk}).then((entries) => entries.length)")
    assert left == 0
    expect(phone.locator("#field-waiting-count")).to_have_text("Menunggu dikirim (0)")
    assert not Attendance.objects.filter(name="Warga Lama").exists()


@pytest.mark.django_db(transaction=True)
def test_field_mode_opens_offline_from_a_kept_page_that_came_through_a_redirect(live_server, phone):
    # A kept page that reached the phone through a redirect (as an older page kept it) cannot answer a
    # navigation as it is: the service worker answers with a copy, so the offline reload still opens.
    from pimpasa.roles import OFFICER, ensure_roles

    ensure_roles()
    officer = UserFactory(username="petugas-belok", role=OFFICER)
    session = SessionFactory(area=AreaFactory(officers=[officer]))
    field_path = f"/admin/field/{session.pk}/"
    log_in(phone, live_server.url, "petugas-belok", field_path)
    phone.wait_for_function("navigator.serviceWorker.controller !== null")
    phone.wait_for_function(
        """async (shell) => Boolean(await (await caches.open("pimpasa-field-pages")).match(shell))""",
        arg=field_path + "shell/",
    )
    # The same page, fetched without its final slash: Django redirects it to the kept address.
    redirected = phone.evaluate(
        """async (shell) => {
            const response = await fetch(shell.slice(0, -1), {credentials: "same-origin"});
            await (await caches.open("pimpasa-field-pages")).put(shell, response.clone());
            return response.redirected && response.ok;
        }""",
        field_path + "shell/",
    )
    assert redirected

    phone.context.set_offline(True)
    phone.reload()
    expect(phone.locator("#field-waiting-count")).to_have_text("Menunggu dikirim (0)")
    phone.context.set_offline(False)


@pytest.mark.django_db(transaction=True)
def test_field_mode_scans_a_ticket_offline_without_barcode_detector(live_server, browser, tmp_path):
    # As on iOS Safari or Firefox, with no signal: the camera's frames are read by the vendored jsQR,
    # which the service worker kept while online; the scanned guest waits on the phone, then is sent.
    from pimpasa.roles import OFFICER, ensure_roles
    from tests.browser.conftest import launch_with_camera_showing

    ensure_roles()
    officer = UserFactory(username="petugas-perahu", role=OFFICER)
    session = SessionFactory(area=AreaFactory(officers=[officer]))
    guest = GuestFactory(session=session, name="Kepala Desa Uji")
    camera_browser = launch_with_camera_showing(browser, tokens.ticket_token(guest), tmp_path)
    field_path = f"/admin/field/{session.pk}/"
    try:
        context = camera_browser.new_context(
            viewport={"width": 360, "height": 740}, locale="id-ID", bypass_csp=True
        )
        context.set_default_timeout(20_000)
        context.grant_permissions(["camera"], origin=live_server.url)
        context.add_init_script("delete window.BarcodeDetector; delete Window.prototype.BarcodeDetector;")
        page = context.new_page()
        log_in(page, live_server.url, "petugas-perahu", field_path)
        page.wait_for_function("navigator.serviceWorker.controller !== null")
        # As the offline journey above: the worker active, the page kept and the session's data stored.
        page.wait_for_function(
            """async ([shell, session]) => {
                const worker = (await navigator.serviceWorker.ready).active;
                const kept = await (await caches.open("pimpasa-field-pages")).match(shell);
                const data = await window.PimpasaField.getSession(session);
                return Boolean(worker && worker.state === "activated" && kept && data && data.tickets.length === 1);
            }""",
            arg=[field_path + "shell/", session.pk],
        )

        context.set_offline(True)
        try:
            page.reload()
        except Exception as failure:
            # This reload failed now and then (net::ERR_FAILED) when the journey followed the other
            # field-mode journeys, cause not found; the failure says what the phone kept at that moment.
            raise AssertionError(
                f"{failure}\nkept on the phone: {_what_the_phone_kept(page, live_server.url + field_path)}"
            ) from failure
        page.get_by_role("button", name="Pindai dengan kamera").click()
        page.locator("#field-queue li", has_text="Tiket tamu").wait_for()
        expect(page.locator("#field-waiting-count")).to_have_text("Menunggu dikirim (1)")
        assert page.evaluate("typeof window.jsQR") == "function"
        assert Attendance.objects.filter(session=session).count() == 0

        heard = _what_the_page_heard(page)
        context.set_offline(False)
        try:
            page.locator("#field-queue li[data-state=recorded]", has_text="Kepala Desa Uji").wait_for()
        except Exception as failure:
            raise AssertionError(f"{failure}\n{_what_the_page_shows(page, session.pk, heard)}") from failure
        assert Attendance.objects.get(session=session).guest == guest
    finally:
        camera_browser.close()


def _what_the_page_heard(page):
    """The page's answers and failed requests from now on, each with the seconds since."""
    started = time.monotonic()
    heard = []
    page.on("response", lambda r: heard.append(f"{time.monotonic() - started:5.1f} s {r.status} {r.url}"))
    page.on(
        "requestfailed",
        lambda r: heard.append(f"{time.monotonic() - started:5.1f} s failed ({r.failure}) {r.url}"),
    )
    return heard


def _what_the_page_shows(page, session_pk, heard):
    """What the officer sees and what the phone keeps for the session, with what the page heard."""
    shown = page.evaluate(
        """async (session) => ({
            connection: document.getElementById("field-connection").textContent,
            waiting: document.getElementById("field-waiting-count").textContent,
            queue: Array.from(document.querySelectorAll("#field-queue li")).map(
                (item) => `${item.dataset.state}: ${item.textContent.trim().replace(/\\s+/g, " ")}`
            ),
            kept: (await window.PimpasaField.entriesFor(session)).map(
                (entry) => ({state: entry.state, answer: entry.answer})
            ),
        })""",
        session_pk,
    )
    return f"the page shows: {json.dumps(shown)}\nthe page heard:\n" + "\n".join(heard)


def _what_the_phone_kept(page, field_url):
    """Read back online, on a page of the same origin: the caches, the kept page and the worker."""
    page.context.set_offline(False)
    page.goto(field_url + "manifest.webmanifest")
    return page.evaluate(
        """async () => {
            const pages = await caches.open("pimpasa-field-pages");
            const registration = await navigator.serviceWorker.getRegistration("/admin/field/");
            // How each kept page would serve a navigation: a redirected or non-basic one would fail too.
            const kept = [];
            for (const request of await pages.keys()) {
                const response = await pages.match(request);
                kept.push({
                    url: request.url, status: response.status, type: response.type,
                    redirected: response.redirected, bytes: (await response.text()).length,
                });
            }
            return {
                kept,
                caches: await caches.keys(),
                pages: (await pages.keys()).map((request) => request.url),
                workers: registration && ["installing", "waiting", "active"].map(
                    (which) => registration[which] && `${which}: ${registration[which].state}`
                ),
            };
        }"""
    )


def _field_page_with_one_waiting_entry(page, base, username, name):
    """An officer's session opened in field mode online (kept by the service worker), then one walk-in
    written with no signal; the session."""
    from pimpasa.roles import OFFICER, ensure_roles

    ensure_roles()
    officer = UserFactory(username=username, role=OFFICER)
    session = SessionFactory(area=AreaFactory(officers=[officer]))
    field_path = f"/admin/field/{session.pk}/"
    log_in(page, base, username, field_path)
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.wait_for_function(
        "async (session) => Boolean(await window.PimpasaField.getSession(session))", arg=session.pk
    )
    page.context.set_offline(True)
    add_walk_in(page, name, "f", "gt60", "5")
    expect(page.locator("#field-waiting-count")).to_have_text("Menunggu dikirim (1)")
    return session


@pytest.mark.django_db(transaction=True)
def test_field_mode_sends_when_the_page_gets_focus_again(live_server, phone, monkeypatch):
    # The connection is back but the send at the online event failed (the server erred for a moment):
    # the entry waits; coming back to the page (focus) sends it.
    from events import field_views

    session = _field_page_with_one_waiting_entry(phone, live_server.url, "petugas-fokus", "Nenek Fokus")

    # (Playwright's routing cannot stop a page's requests once a service worker controls it; the
    # server itself fails instead.)
    def server_error(*args):
        raise RuntimeError("the server erred for a moment")

    failing = []
    monkeypatch.setattr(field_views, "answer_entry", server_error)
    phone.on("response", lambda response: response.url.endswith("/sync/") and failing.append(response.status))
    phone.context.set_offline(False)
    phone.wait_for_function("navigator.onLine === true")
    expect(phone.locator("#field-connection")).to_have_text(
        "Server tidak menjawab; entri tetap di sini dan dikirim lagi nanti."
    )
    assert failing and set(failing) == {500}
    expect(phone.locator("#field-waiting-count")).to_have_text("Menunggu dikirim (1)")
    assert Attendance.objects.filter(session=session).count() == 0

    monkeypatch.undo()
    phone.evaluate("window.dispatchEvent(new Event('focus'))")
    phone.locator("#field-queue li[data-state=recorded]", has_text="Nenek Fokus").wait_for()
    assert list(Attendance.objects.filter(session=session).values_list("name", flat=True)) == ["Nenek Fokus"]


@pytest.mark.django_db(transaction=True)
def test_field_mode_sends_again_within_seconds_when_the_server_was_busy(live_server, phone, monkeypatch):
    # The connection is back and the entry reaches the server, too busy to record it this time
    # (SQLite's busy timeout, a lost database connection): it answers "retry". The page sends it again
    # a second later (then after two, four… seconds), not after the ten seconds it waits at most.
    from django.db import OperationalError

    from events.services import field as field_service

    session = _field_page_with_one_waiting_entry(phone, live_server.url, "petugas-sibuk", "Ibu Sibuk")

    def busy(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(field_service, "_send_entry", busy)
    answered = []
    phone.on(
        "response", lambda response: response.url.endswith("/sync/") and answered.append(response.status)
    )
    phone.context.set_offline(False)
    deadline = time.monotonic() + 20
    while not answered and time.monotonic() < deadline:
        phone.wait_for_timeout(100)
    assert 200 in answered  # answered "retry" for the entry: nothing recorded
    assert Attendance.objects.filter(session=session).count() == 0

    monkeypatch.undo()
    phone.locator("#field-queue li[data-state=recorded]", has_text="Ibu Sibuk").wait_for(timeout=7_000)
    assert list(Attendance.objects.filter(session=session).values_list("name", flat=True)) == ["Ibu Sibuk"]


@pytest.mark.django_db(transaction=True)
def test_field_mode_background_sync_sends_with_the_page_closed(live_server, phone):
    # The officer wrote an entry with no signal and closed the page; the browser's Background Sync
    # wakes the service worker when the connection returns, and it sends the entry on its own.

    session = _field_page_with_one_waiting_entry(phone, live_server.url, "petugas-latar", "Kakek Latar")
    context = phone.context
    phone.close()
    context.set_offline(False)
    assert Attendance.objects.filter(session=session).count() == 0

    # What Chromium does when the connection returns, asked for through DevTools (headless Chromium
    # does not fire it by itself).
    blank = context.new_page()
    devtools = context.new_cdp_session(blank)
    registrations = []
    devtools.on(
        "ServiceWorker.workerRegistrationUpdated", lambda event: registrations.extend(event["registrations"])
    )
    devtools.send("ServiceWorker.enable")
    blank.wait_for_function("true")  # let the registration event arrive
    for _ in range(50):
        if registrations:
            break
        blank.wait_for_timeout(100)
    registration = next(found for found in registrations if "/admin/field/" in found["scopeURL"])
    devtools.send(
        "ServiceWorker.dispatchSyncEvent",
        {
            "origin": live_server.url,
            "registrationId": registration["registrationId"],
            "tag": "pimpasa-field",
            "lastChance": False,
        },
    )
    for _ in range(100):
        if Attendance.objects.filter(session=session).exists():
            break
        blank.wait_for_timeout(100)
    assert list(Attendance.objects.filter(session=session).values_list("name", flat=True)) == ["Kakek Latar"]


@pytest.mark.django_db(transaction=True)
def test_field_mode_sends_when_the_connection_returns_unannounced(live_server, phone):
    # A venue's Wi-Fi with no way out: the phone says it is online all along, so no "online" event
    # comes when the connection really returns. On a browser without Background Sync (iOS Safari,
    # Firefox) the entry that could not be sent is tried again by the page itself, with no event and no tap.
    from pimpasa.roles import OFFICER, ensure_roles

    phone.context.add_init_script("delete ServiceWorkerRegistration.prototype.sync;")
    ensure_roles()
    officer = UserFactory(username="petugas-wifi", role=OFFICER)
    session = SessionFactory(area=AreaFactory(officers=[officer]))
    log_in(phone, live_server.url, "petugas-wifi", f"/admin/field/{session.pk}/")
    phone.wait_for_function("navigator.serviceWorker.controller !== null")
    phone.wait_for_function(
        "async (session) => Boolean(await window.PimpasaField.getSession(session))", arg=session.pk
    )
    # Every request of the page fails as on such a network, while navigator.onLine stays true.
    phone.evaluate(
        """() => {
            const fetchThrough = window.fetch;
            window.noWayOut = true;
            window.fetch = (...request) =>
                window.noWayOut ? Promise.reject(new TypeError("Failed to fetch")) : fetchThrough(...request);
        }"""
    )
    add_walk_in(phone, "Nenek Wifi", "f", "gt60", "5")
    expect(phone.locator("#field-waiting-count")).to_have_text("Menunggu dikirim (1)")
    assert phone.evaluate("navigator.onLine") is True
    assert (
        phone.evaluate("navigator.serviceWorker.ready.then((registration) => 'sync' in registration)")
        is False
    )
    assert Attendance.objects.filter(session=session).count() == 0

    phone.evaluate("window.noWayOut = false")
    phone.locator("#field-queue li[data-state=recorded]", has_text="Nenek Wifi").wait_for(timeout=25_000)
    assert list(Attendance.objects.filter(session=session).values_list("name", flat=True)) == ["Nenek Wifi"]
