"""Floods of junk tips cost the sender: the form's proof of work (solved, missing, forged, expired,
replayed), the stricter budgets of tips sent without it, and per-browser limits that count per a
server-issued id, never per a cookie the client makes up."""

import base64
import json
import secrets

import pytest
from django.test import Client

from pimpasa import devices, proof_of_work
from reporting.tips.models import Tip
from tests.tips.challenge import solved_payload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_limit_windows")]

RECEIPT = "receipt"
DESCRIPTION = "Ada calo yang menawarkan kerja ke Malaysia tanpa visa kerja."


def browser(address="10.40.0.1"):
    """A resident's browser behind `address` that opened the form (and so holds its device id)."""
    client = Client(REMOTE_ADDR=address)
    assert client.get("/lapor/").status_code == 200
    return client


def send(client, payload=None, **fields):
    data = {"category": "tppo", "description": DESCRIPTION, "address": "Gang Mawar 3", **fields}
    if payload is not None:
        data["altcha"] = payload
    return client.post("/lapor/", data)


def answer(response):
    """ "receipt" when the tip was recorded (the receipt is the POST's own answer), else the status."""
    receipt = "reporting/tips/receipt.html" in [template.name for template in response.templates]
    return "receipt" if response.status_code == 200 and receipt else response.status_code


def kept_everything(response):
    page = response.content.decode()
    return DESCRIPTION in page and 'value="Gang Mawar 3"' in page


# --- the challenge ---------------------------------------------------------------------------------


def test_the_form_carries_the_vendored_widget_and_the_challenge_is_fresh_json(site_setup, assert_page):
    client = browser()
    page = assert_page(client.get("/lapor/"))
    assert "<altcha-widget" in page and 'challenge="/lapor/tantangan/"' in page
    assert "/static/vendor/altcha/altcha.min.js" in page and "/static/vendor/altcha/pbkdf2.js" in page
    assert "altcha.org" not in page  # nothing loaded from, or linked to, a third party
    first, second = client.get("/lapor/tantangan/"), client.get("/lapor/tantangan/")
    assert first.status_code == 200 and "no-store" in first["Cache-Control"]
    assert first.json()["parameters"]["algorithm"] == "PBKDF2/SHA-256"
    assert first.json()["parameters"]["nonce"] != second.json()["parameters"]["nonce"]
    assert first.json()["parameters"]["expiresAt"] and first.json()["signature"]


def test_a_solved_challenge_sends_the_tip_once_and_a_replay_is_refused_keeping_the_text(site_setup):
    client = browser()
    payload = solved_payload(client)
    assert answer(send(client, payload)) == RECEIPT
    response = send(client, payload)
    assert response.status_code == 400 and kept_everything(response)
    assert "sudah pernah dipakai" in response.content.decode()
    assert Tip.objects.count() == 1


def _tampered(payload, **parameters):
    data = json.loads(base64.b64decode(payload))
    data["challenge"]["parameters"].update(parameters)
    return base64.b64encode(json.dumps(data).encode()).decode()


@pytest.mark.parametrize(
    "forge",
    [
        lambda payload: _tampered(payload, cost=1),  # made easier: the signature no longer holds
        lambda payload: _tampered(payload, keySignature="00" * 32),
        lambda payload: payload[:-12] + "A" * 12,
        lambda payload: "bukan-payload",
        lambda payload: base64.b64encode(b'{"challenge": [], "solution": 7}').decode(),
        lambda payload: base64.b64encode(b"\xff\xfe").decode(),
        lambda payload: "A" * 100_000,
    ],
)
def test_a_forged_or_broken_payload_is_refused_with_the_reason_and_nothing_lost(site_setup, forge):
    client = browser()
    response = send(client, forge(solved_payload(client)))
    assert response.status_code == 400 and kept_everything(response)
    assert "Pemeriksaan keamanan" in response.content.decode()
    assert not Tip.objects.exists()


def test_a_wrong_solution_is_refused(site_setup):
    client = browser()
    data = json.loads(base64.b64decode(solved_payload(client)))
    data["solution"]["derivedKey"] = "00" * 32
    response = send(client, base64.b64encode(json.dumps(data).encode()).decode())
    assert response.status_code == 400 and kept_everything(response)  # the form again, as typed
    assert not Tip.objects.exists()


def test_a_challenge_made_for_another_form_is_refused(site_setup):
    import altcha

    challenge = altcha.Challenge.from_dict(proof_of_work.new_challenge("checkin"))
    payload = altcha.Payload(challenge, altcha.solve_challenge(challenge)).to_base64()
    response = send(browser(), payload)
    assert response.status_code == 400 and kept_everything(response)  # the form again, as typed
    assert not Tip.objects.exists()


def test_an_expired_challenge_says_so_and_keeps_the_text(site_setup, time_machine, settings):
    time_machine.move_to("2026-12-03 10:00:00+07:00", tick=False)
    client = browser()
    payload = solved_payload(client)
    time_machine.move_to("2026-12-03 11:01:00+07:00", tick=False)  # PIMPASA_POW_MINUTES is 60
    response = send(client, payload)
    assert response.status_code == 400 and kept_everything(response)
    assert "kedaluwarsa" in response.content.decode()
    assert not Tip.objects.exists()


def test_the_english_form_explains_a_refused_check_in_english(site_setup):
    client = Client(REMOTE_ADDR="10.40.0.9")
    client.get("/en/lapor/")
    payload = solved_payload(client)
    client.post("/en/lapor/", {"category": "tppo", "description": DESCRIPTION, "altcha": payload})
    response = client.post("/en/lapor/", {"category": "tppo", "description": DESCRIPTION, "altcha": payload})
    assert response.status_code == 400 and "already used" in response.content.decode()


def test_the_challenge_endpoint_has_a_ceiling_per_address(site_setup, monkeypatch):
    from pimpasa.ratelimit import Limit
    from reporting.tips import views

    monkeypatch.setattr(views, "CHALLENGE_LIMIT_PER_ADDRESS", Limit("tips-challenge-address", 3, 600))
    client = Client(REMOTE_ADDR="10.40.0.2")
    statuses = [client.get("/lapor/tantangan/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert Client(REMOTE_ADDR="10.40.0.3").get("/lapor/tantangan/").status_code == 200


# --- without JavaScript: the form works, under smaller budgets --------------------------------------


def test_without_javascript_a_tip_is_still_taken(site_setup):
    response = send(browser())
    assert answer(response) == RECEIPT and Tip.objects.count() == 1


def test_unsolved_tips_meet_a_small_budget_per_browser_and_solved_ones_go_on(site_setup, settings):
    count, seconds = settings.PIMPASA_TIP_UNSOLVED_LIMIT_PER_DEVICE
    client = browser()
    assert [answer(send(client)) for _ in range(count)] == [RECEIPT] * count
    response = send(client)
    page = response.content.decode()
    assert response.status_code == 429 and response["Retry-After"] == str(seconds)
    assert kept_everything(response) and "JavaScript" in page and "110" in page
    # The same browser with its JavaScript on (a solved challenge) is within its budget.
    assert answer(send(client, solved_payload(client))) == RECEIPT
    assert Tip.objects.count() == count + 1


def test_unsolved_tips_meet_a_small_budget_per_address(site_setup, settings):
    settings.PIMPASA_TIP_UNSOLVED_LIMIT_PER_ADDRESS = (4, 3600)
    statuses = [answer(send(browser("10.41.0.1"))) for _ in range(5)]
    assert statuses == [RECEIPT, RECEIPT, RECEIPT, RECEIPT, 429]
    neighbour = browser("10.41.0.1")
    assert answer(send(neighbour, solved_payload(neighbour))) == RECEIPT


def test_a_flood_of_unsolved_tips_from_many_addresses_meets_the_site_ceiling(site_setup, settings):
    settings.PIMPASA_TIP_UNSOLVED_LIMIT_SITEWIDE = (5, 3600)
    statuses = [answer(send(browser(f"10.42.0.{index}"))) for index in range(1, 8)]
    assert statuses == [RECEIPT] * 5 + [429, 429]
    assert Tip.objects.count() == 5
    # A resident whose browser does the check is not held back by the flood.
    resident = browser("10.42.1.1")
    assert answer(send(resident, solved_payload(resident))) == RECEIPT


# --- per browser: a server-issued id, not a client-made cookie ---------------------------------------


def test_the_form_issues_a_signed_device_id_once(site_setup):
    client = Client()
    first = client.get("/lapor/")
    issued = first.cookies[devices.COOKIE]
    assert issued["httponly"] and issued["samesite"] == "Lax" and issued["max-age"] == devices.MAX_AGE
    again = client.get("/lapor/")
    assert again.status_code == 200 and 'name="description"' in again.content.decode()
    assert devices.COOKIE not in again.cookies  # kept, not issued again


def test_a_script_inventing_a_new_browser_per_request_is_counted_as_one(site_setup, settings):
    """The flood of issue 21: a fresh CSRF secret (Django accepts one the client makes) and a made-up
    device cookie on every request, each request with a solved challenge, all from one address."""
    settings.PIMPASA_TIP_LIMIT_PER_DEVICE = (3, 3600)
    statuses = []
    for _ in range(5):
        script = Client(REMOTE_ADDR="10.43.0.1", enforce_csrf_checks=True)
        secret = secrets.token_hex(16)
        script.cookies["csrftoken"] = secret
        script.cookies[devices.COOKIE] = secrets.token_urlsafe(16)  # unsigned: not one of ours
        payload = solved_payload(script)
        data = {"category": "tppo", "description": "junk", "altcha": payload, "csrfmiddlewaretoken": secret}
        statuses.append(answer(script.post("/lapor/", data)))
    assert statuses == [RECEIPT, RECEIPT, RECEIPT, 429, 429]
    assert Tip.objects.count() == 3


def test_a_copied_or_tampered_device_cookie_does_not_make_a_new_browser(site_setup, settings):
    settings.PIMPASA_TIP_UNSOLVED_LIMIT_PER_DEVICE = (2, 3600)
    issued = browser("10.44.0.1").cookies[devices.COOKIE].value
    statuses = []
    for index in range(3):
        script = Client(REMOTE_ADDR="10.44.0.2")
        script.cookies[devices.COOKIE] = issued[:-1] + ("A" if issued[-1] != "A" else "B") + str(index)
        statuses.append(answer(send(script)))
    assert statuses == [RECEIPT, RECEIPT, 429]


def test_status_lookups_count_per_issued_device_too(site_setup):
    from reporting.tips.views import LOOKUP_LIMIT_PER_DEVICE

    statuses = []
    for _ in range(LOOKUP_LIMIT_PER_DEVICE.count + 1):
        script = Client(REMOTE_ADDR="10.45.0.1")
        script.cookies["csrftoken"] = secrets.token_hex(16)
        statuses.append(script.post("/lapor/status/", {"code": "AAAA-BBBB-CCCC-DDDD"}).status_code)
    assert statuses[-1] == 429 and set(statuses[:-1]) == {200}
