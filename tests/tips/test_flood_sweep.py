"""Sweeping a flood of junk tips: the keyed text fingerprint, the groups an officer sees (their scope
only), the preview before acting, the one-action sweep with a history entry per tip and one audit
entry, refusals (no confirmation, the flood changed, nothing of theirs), and the role matrix."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.models import ModelLogEntry

from reporting.tips.models import Tip, TipHistory
from reporting.tips.services import floods
from reporting.tips.services.fingerprints import fingerprint, normalise
from tests.factories import AreaFactory, TipFactory, UserFactory

pytestmark = pytest.mark.django_db

JUNK = "PROMO!!! Kerja di Malaysia gaji 9 JT, hubungi 0812-{n} sekarang <script>alert({n})</script>"
URL = "/admin/laporan/banjir/"


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@dataclass(frozen=True)
class JunkFlood:
    """Five junk tips of one text in Kalibaru and three in Marunda, beside Kalibaru tips a sweep must
    leave alone (one of the same text already forwarded, a real one, three alike but too few); one
    person for each role. `user(role)` picks a person by the attribute's name."""

    junk_kalibaru: list
    junk_marunda: list
    acted_on: Tip
    real: Tip
    lone_kalibaru: list
    group: str  # the junk text's fingerprint
    anonymous: None
    editor: object
    officer_in_scope: object
    officer_out_of_scope: object
    supervisor: object

    def user(self, role):
        return getattr(self, role)


@pytest.fixture
def junk_flood(site_setup):
    kalibaru, marunda = AreaFactory(name="Kalibaru"), AreaFactory(name="Marunda")
    officer_in_scope = UserFactory(role="Petugas PIMPASA")
    officer_out_of_scope = UserFactory(role="Petugas PIMPASA")
    kalibaru.officers.add(officer_in_scope)
    marunda.officers.add(officer_out_of_scope)
    return JunkFlood(
        junk_kalibaru=[TipFactory(area=kalibaru, description=JUNK.format(n=n)) for n in range(5)],
        junk_marunda=[TipFactory(area=marunda, description=JUNK.format(n=n)) for n in range(10, 13)],
        acted_on=TipFactory(area=kalibaru, description=JUNK.format(n=99), status=Tip.Status.FORWARDED),
        real=TipFactory(area=kalibaru, description="Tetangga saya berangkat ke Taiwan lewat calo."),
        lone_kalibaru=[
            TipFactory(area=kalibaru, description="Lowongan pabrik Korea tanpa biaya!") for _ in range(3)
        ],
        group=fingerprint(JUNK.format(n=0)),
        anonymous=None,
        editor=UserFactory(role="Editor"),
        officer_in_scope=officer_in_scope,
        officer_out_of_scope=officer_out_of_scope,
        supervisor=UserFactory(role="Supervisor"),
    )


def window():
    now = timezone.localtime()
    return {
        "since": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "until": (now + timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"),
        "min_size": 3,
    }


def sweep(client, group, expected, **extra):
    return client.post(URL, {**window(), "group": group, "expected": expected, "confirm": "on", **extra})


# --- the fingerprint ---------------------------------------------------------------------------------


def test_the_fingerprint_ignores_numbers_case_and_punctuation_and_hides_the_text():
    assert normalise("PROMO!!! Kerja   gaji 9 JT") == "promo kerja gaji jt"
    assert (
        fingerprint(JUNK.format(n=1))
        == fingerprint(JUNK.format(n=777))
        == fingerprint(JUNK.format(n=3).lower())
    )
    assert fingerprint("Ada calo di Batam") != fingerprint("Ada calo di Bekasi")
    assert fingerprint("12345 !!!") == "" and fingerprint("") == ""
    assert len(fingerprint(JUNK.format(n=0))) == 32 and "promo" not in fingerprint(JUNK.format(n=0))


def test_a_submitted_tip_carries_its_fingerprint(site_setup):
    client = Client(REMOTE_ADDR="10.50.0.1")
    client.post("/lapor/", {"category": "tppo", "description": JUNK.format(n=5)})
    assert Tip.objects.get().text_fingerprint == fingerprint(JUNK.format(n=0))


# --- who sees which flood ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "answer"),
    [
        ("anonymous", 302),
        ("editor", 302),
        ("officer_in_scope", 200),
        ("officer_out_of_scope", 200),
        ("supervisor", 200),
    ],
)
def test_the_flood_page_role_matrix(junk_flood, role, answer):
    response = client_for(junk_flood.user(role)).get(URL, window())
    assert response.status_code == answer
    if role == "anonymous":
        assert "/admin/login/" in response["Location"]
    if role == "editor":  # Wagtail's refusal: back to the dashboard with a message
        assert response["Location"] == "/admin/"


@pytest.mark.parametrize(
    ("role", "size"), [("officer_in_scope", 5), ("officer_out_of_scope", 3), ("supervisor", 8)]
)
def test_each_officer_sees_the_flood_within_their_scope_only(junk_flood, role, size, assert_page):
    groups = floods.flood_groups(junk_flood.user(role), timezone.now() - timedelta(hours=1), timezone.now())
    flood = next(group for group in groups if group.fingerprint == junk_flood.group)
    assert flood.size == size  # the forwarded one is not open to a sweep
    page = assert_page(
        client_for(junk_flood.user(role)).get(URL, window()), f"<strong>{size}</strong>", "&lt;script&gt;"
    )
    assert "<script>alert" not in page


def test_the_list_links_the_sweep_for_those_who_triage(junk_flood):
    page = client_for(junk_flood.officer_in_scope).get("/admin/laporan/").content.decode()
    assert f'href="{URL}"' in page


def test_the_preview_shows_how_many_and_a_sample_before_anything_changes(junk_flood, assert_page):
    client = client_for(junk_flood.officer_in_scope)
    page = assert_page(
        client.get(URL, {**window(), "group": junk_flood.group}),
        "5 laporan akan ditandai tidak dapat ditindaklanjuti",
        junk_flood.junk_kalibaru[0].short_id,
    )
    assert junk_flood.junk_marunda[0].short_id not in page
    assert not Tip.objects.filter(status=Tip.Status.NOT_ACTIONABLE).exists()


# --- the sweep ---------------------------------------------------------------------------------------


def test_an_officer_sweeps_their_flood_in_one_action_recorded(junk_flood, django_assert_max_num_queries):
    officer = junk_flood.officer_in_scope
    client = client_for(officer)
    with django_assert_max_num_queries(30):  # the same for 5 tips as for 5,000: no query per tip
        response = sweep(client, junk_flood.group, 5, note="Banjir laporan sampah dari skrip.")
    assert response.status_code == 302 and response["Location"] == "/admin/laporan/"
    swept = Tip.objects.filter(pk__in=[tip.pk for tip in junk_flood.junk_kalibaru])
    assert {tip.status for tip in swept} == {Tip.Status.NOT_ACTIONABLE}
    assert all(tip.closed_at for tip in swept)
    entries = TipHistory.objects.filter(tip__in=swept, to_status=Tip.Status.NOT_ACTIONABLE)
    assert entries.count() == 5 and {entry.actor for entry in entries} == {officer}
    assert {entry.note for entry in entries} == {"Banjir laporan sampah dari skrip."}
    audit = ModelLogEntry.objects.filter(action="reporting.tip.flood_swept")
    assert audit.count() == 1 and audit.get().data["count"] == 5 and audit.get().user == officer
    assert sorted(audit.get().data["tips"]) == sorted(str(tip.pk) for tip in junk_flood.junk_kalibaru)
    # Nothing outside the officer's scope, nothing already acted on, nothing else.
    untouched = [*junk_flood.junk_marunda, junk_flood.acted_on, junk_flood.real, *junk_flood.lone_kalibaru]
    assert not Tip.objects.filter(
        pk__in=[tip.pk for tip in untouched], status=Tip.Status.NOT_ACTIONABLE
    ).exists()
    # The reporter's status page shows the status, never the note.
    assert entries.filter(is_public=True).count() == 5


def test_a_supervisor_sweeps_the_whole_flood(junk_flood):
    response = sweep(client_for(junk_flood.supervisor), junk_flood.group, 8)
    assert response.status_code == 302
    assert Tip.objects.filter(status=Tip.Status.NOT_ACTIONABLE).count() == 8


def test_an_officer_out_of_scope_cannot_sweep_another_areas_tips(junk_flood):
    client = client_for(junk_flood.officer_out_of_scope)
    response = sweep(client, junk_flood.group, 5)  # the count of the other area's flood
    assert response.status_code == 409
    assert not Tip.objects.filter(status=Tip.Status.NOT_ACTIONABLE).exists()
    lone = fingerprint("Lowongan pabrik Korea tanpa biaya!")
    response = sweep(client, lone, 3)
    assert response.status_code == 409 and "tidak ada yang dapat dibersihkan" in response.content.decode()
    assert not Tip.objects.filter(status=Tip.Status.NOT_ACTIONABLE).exists()


def test_an_editor_cannot_sweep(junk_flood):
    response = sweep(client_for(junk_flood.editor), junk_flood.group, 8)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert not Tip.objects.filter(status=Tip.Status.NOT_ACTIONABLE).exists()


def test_without_confirmation_nothing_changes(junk_flood):
    client = client_for(junk_flood.officer_in_scope)
    data = {**window(), "group": junk_flood.group, "expected": 5}
    response = client.post(URL, data)
    assert response.status_code == 400 and "Pastikan" in response.content.decode()
    assert not Tip.objects.filter(status=Tip.Status.NOT_ACTIONABLE).exists()


def test_when_the_flood_grows_meanwhile_nothing_changes_and_the_new_count_is_shown(junk_flood):
    client = client_for(junk_flood.officer_in_scope)
    TipFactory(area=junk_flood.junk_kalibaru[0].area, description=JUNK.format(n=42))
    response = sweep(client, junk_flood.group, 5)
    page = response.content.decode()
    assert response.status_code == 409 and "6 laporan" in page
    assert not Tip.objects.filter(status=Tip.Status.NOT_ACTIONABLE).exists()
    assert sweep(client, junk_flood.group, 6).status_code == 302


@pytest.mark.parametrize(
    "bad",
    [
        {"since": "kemarin"},
        {"until": "2020-01-01T00:00"},
        {"since": "2020-01-01T00:00"},  # a window beyond 31 days
        {"min_size": "-4"},
        {"group": "<script>"},
    ],
)
def test_bad_input_is_answered_never_a_500(junk_flood, bad):
    client = client_for(junk_flood.officer_in_scope)
    assert client.get(URL, {**window(), **bad}).status_code == 200
    response = client.post(
        URL, {**window(), "group": junk_flood.group, "expected": 5, "confirm": "on", **bad}
    )
    assert response.status_code in (302, 400)
    assert not Tip.objects.filter(status=Tip.Status.NOT_ACTIONABLE).exists()


def test_the_groups_cost_the_same_queries_for_a_large_flood(junk_flood, django_assert_max_num_queries):
    area = junk_flood.junk_kalibaru[0].area
    for index in range(15):
        for _ in range(3):
            TipFactory(area=area, description=f"Spam varian {'x' * index} lowongan")
    client = client_for(junk_flood.supervisor)
    with django_assert_max_num_queries(20):
        page = client.get(URL, window()).content.decode()
    assert page.count("Review") + page.count("Tinjau") >= 17
