"""Triage in the Wagtail admin: the role matrix (each role × each action), evidence served safely,
HTML in tips escaped, the audit log, and query counts on the list."""

import hashlib
import re
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from wagtail.models import ModelLogEntry

from reporting.tips.forms import RevealIdentityForm
from reporting.tips.models import Tip, TipHistory
from reporting.tips.services import evidence as evidence_service
from reporting.tips.services import identity as identity_service
from reporting.tips.services import tips as tip_service
from reporting.tips.services.tips import Submission, submit_tip
from tests.factories import AreaFactory, SessionFactory, TipFactory, UserFactory, image_bytes, pdf_bytes

pytestmark = pytest.mark.django_db

PDF = pdf_bytes()


@dataclass(frozen=True)
class TipWithEvidenceAndCast:
    """One tip at a session in Kalibaru, with a photo, a PDF and an identified reporter; another tip
    in Kalibaru; and one person for each role. `user(role)` picks a person by the attribute's name."""

    tip: Tip
    other: Tip
    anonymous: None
    editor: object
    officer_of_area: object
    officer_of_session: object
    officer_elsewhere: object
    supervisor: object

    def user(self, role):
        return getattr(self, role)


@pytest.fixture
def tip_with_evidence_and_cast(site_setup):
    area = AreaFactory(name="Kalibaru")
    session = SessionFactory(area=AreaFactory(name="Semper Barat"), title="Ngopi Pimpasa RW 09")
    prepared = [
        evidence_service.prepare(SimpleUploadedFile("foto.jpg", image_bytes("JPEG"))),
        evidence_service.prepare(SimpleUploadedFile("surat.pdf", PDF)),
    ]
    tip, _code = submit_tip(
        Submission(
            category=Tip.Category.TPPO,
            description="Calo di pangkalan ojek.",
            session=session,
            area=area,
            reporter_name="Siti Contoh",
            reporter_contact="0812-0000-1111",
            consent=True,
        ),
        prepared,
    )
    officer_of_area = UserFactory(role="Petugas PIMPASA")
    officer_of_session = UserFactory(role="Petugas PIMPASA")
    officer_elsewhere = UserFactory(role="Petugas PIMPASA")
    area.officers.add(officer_of_area)
    session.officers.add(officer_of_session)
    AreaFactory(name="Marunda").officers.add(officer_elsewhere)
    return TipWithEvidenceAndCast(
        tip=tip,
        other=TipFactory(area=area),
        anonymous=None,
        editor=UserFactory(role="Editor"),
        officer_of_area=officer_of_area,
        officer_of_session=officer_of_session,
        officer_elsewhere=officer_elsewhere,
        supervisor=UserFactory(role="Supervisor"),
    )


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


TRIAGE = {
    "view": lambda c, tip, other: c.get(f"/admin/laporan/{tip.pk}/"),
    "history": lambda c, tip, other: c.get(f"/admin/laporan/history/{tip.pk}/"),
    "triage": lambda c, tip, other: c.post(
        f"/admin/laporan/{tip.pk}/triage/", {"triage-status": "verifying", "triage-assigned_to": ""}
    ),
    # Forwarding and duplicates are parts of the one triage form.
    "forward": lambda c, tip, other: c.post(
        f"/admin/laporan/{tip.pk}/triage/",
        {"triage-status": tip.status, "triage-assigned_to": "", "triage-forward_to": "bp3mi"},
    ),
    "duplicate": lambda c, tip, other: c.post(
        f"/admin/laporan/{tip.pk}/triage/",
        {"triage-status": tip.status, "triage-assigned_to": "", "triage-duplicate_of": str(other.pk)},
    ),
    "identity": lambda c, tip, other: c.post(
        f"/admin/laporan/{tip.pk}/identity/",
        {
            "reveal-reason": "contact",
            "reveal-confirm": "on",
            "reveal-once": RevealIdentityForm(prefix="reveal", tip=tip).fields["once"].initial,
        },
    ),
    "evidence": lambda c, tip, other: c.get(f"/admin/laporan/evidence/{tip.evidence.first().pk}/"),
}

ALLOWED = {
    "anonymous": set(),
    "editor": set(),
    "officer_elsewhere": set(),
    "officer_of_area": set(TRIAGE) - {"identity"},
    "officer_of_session": set(TRIAGE) - {"identity", "duplicate"},  # the other tip is not in their session
    "supervisor": set(TRIAGE),
}


# What an allowed action answers and the one audit entry it writes (None: a read that logs nothing).
DONE = {
    "view": (200, "reporting.tip.viewed"),
    "history": (200, None),
    "triage": (302, "reporting.tip.status"),
    "forward": (302, "reporting.tip.forward"),
    "duplicate": (302, "reporting.tip.duplicate"),
    "identity": (200, "reporting.tip.identity_viewed"),
    "evidence": (200, "reporting.tip.evidence_viewed"),
}


@pytest.mark.parametrize("role", list(ALLOWED))
@pytest.mark.parametrize("action", list(TRIAGE))
def test_role_matrix_through_the_admin(tip_with_evidence_and_cast, role, action):
    tip, other = tip_with_evidence_and_cast.tip, tip_with_evidence_and_cast.other
    user = tip_with_evidence_and_cast.user(role)
    history_before = TipHistory.objects.count()
    logs_before = set(ModelLogEntry.objects.values_list("pk", flat=True))
    client = client_for(user)
    response = TRIAGE[action](client, tip, other)
    new_logs = list(ModelLogEntry.objects.exclude(pk__in=logs_before).values_list("action", flat=True))
    if action in ALLOWED[role]:
        status, logged = DONE[action]
        assert response.status_code == status, response.content[:500]
        if status == 302:
            assert response["Location"] == f"/admin/laporan/{tip.pk}/"
        expected_history = 1 if action in {"triage", "forward", "duplicate"} else 0
        assert TipHistory.objects.count() == history_before + expected_history
        assert new_logs == ([logged] if logged else [])
        if action == "identity":
            # Shown in the answer to the POST itself, and on no later page view.
            assert "0812-0000-1111" in response.content.decode()
            later = client.get(f"/admin/laporan/{tip.pk}/")
            assert later.status_code == 200 and tip.short_id in later.content.decode()
            assert "0812-0000-1111" not in later.content.decode()
        return
    if role == "officer_of_session" and action == "duplicate":
        # They may triage this tip, but the "original" is not theirs to see: not found, said plainly.
        assert response.status_code == 400
        assert "Masukkan pilihan yang valid" in response.content.decode()
    else:
        if role == "anonymous":
            assert response.status_code == 302 and response["Location"].startswith("/admin/login/?next=")
        elif action == "identity" and role.startswith("officer_of_"):
            # They see the tip, so Wagtail's refusal: back to the dashboard with a message.
            assert response.status_code == 302 and response["Location"] == "/admin/"
        else:
            # A tip outside the user's scope is not found: its existence is not confirmed.
            assert response.status_code == 404
        assert b"0812-0000-1111" not in response.content and b"Calo di pangkalan" not in response.content
    assert TipHistory.objects.count() == history_before
    assert new_logs == []


@pytest.mark.parametrize("role", ["anonymous", "editor"])
def test_no_list_for_editors_and_strangers(tip_with_evidence_and_cast, role):
    response = client_for(tip_with_evidence_and_cast.user(role)).get("/admin/laporan/")
    assert response.status_code == 302 and not response["Location"].startswith("/admin/laporan/")


@pytest.mark.parametrize(
    "role, sees_tip, sees_other",
    [
        ("officer_of_area", True, True),
        ("officer_of_session", True, False),
        ("officer_elsewhere", False, False),
        ("supervisor", True, True),
    ],
)
def test_the_list_shows_each_officer_their_areas_and_sessions(
    tip_with_evidence_and_cast, role, sees_tip, sees_other, assert_page
):
    # The list itself, with its link to the flood sweep, whatever it shows of the two tips.
    page = assert_page(
        client_for(tip_with_evidence_and_cast.user(role)).get("/admin/laporan/"),
        'href="/admin/laporan/banjir/"',
    )
    assert (tip_with_evidence_and_cast.tip.short_id in page) is sees_tip
    assert (tip_with_evidence_and_cast.other.short_id in page) is sees_other


def test_an_assigned_officer_sees_the_tip_even_outside_their_areas(tip_with_evidence_and_cast):
    stranger = tip_with_evidence_and_cast.officer_elsewhere
    client = client_for(stranger)
    assert client.get(f"/admin/laporan/{tip_with_evidence_and_cast.tip.pk}/").status_code == 404
    tip_service.assign(tip_with_evidence_and_cast.tip, tip_with_evidence_and_cast.supervisor, stranger)
    response = client.get(f"/admin/laporan/{tip_with_evidence_and_cast.tip.pk}/")
    assert response.status_code == 200
    assert tip_with_evidence_and_cast.tip.short_id in response.content.decode()


@pytest.mark.parametrize(
    "service_call",
    [
        lambda tip, user, other: tip_service.change_status(tip, user, Tip.Status.VERIFYING),
        lambda tip, user, other: tip_service.assign(tip, user, None),
        lambda tip, user, other: tip_service.add_note(tip, user, "x"),
        lambda tip, user, other: tip_service.forward(tip, user, "polri"),
        lambda tip, user, other: tip_service.mark_duplicate(tip, user, other),
        lambda tip, user, other: tip_service.open_evidence(tip.evidence.first(), user),
        lambda tip, user, other: identity_service.reveal_identity(tip, user, "Untuk menghubungi pelapor"),
        lambda tip, user, other: tip_service.triage(tip, user, status="verifying", assigned_to=None),
    ],
)
@pytest.mark.parametrize("role", ["editor", "officer_elsewhere"])
def test_services_refuse_the_same_people_without_http(tip_with_evidence_and_cast, service_call, role):
    with pytest.raises(PermissionDenied):
        service_call(
            tip_with_evidence_and_cast.tip,
            tip_with_evidence_and_cast.user(role),
            tip_with_evidence_and_cast.other,
        )


def test_an_officer_cannot_mark_a_tip_duplicate_of_one_they_cannot_see(tip_with_evidence_and_cast):
    hidden = TipFactory(area=AreaFactory(name="Rorotan"))
    with pytest.raises(PermissionDenied):
        tip_service.mark_duplicate(
            tip_with_evidence_and_cast.tip, tip_with_evidence_and_cast.officer_of_area, hidden
        )


def test_status_changes_follow_the_workflow(tip_with_evidence_and_cast):
    supervisor = tip_with_evidence_and_cast.supervisor
    tip = tip_with_evidence_and_cast.tip
    with pytest.raises(tip_service.TipError):
        tip_service.change_status(
            tip, supervisor, Tip.Status.FOLLOWED_UP
        )  # received → followed up skips verifying
    tip = tip_service.change_status(tip, supervisor, Tip.Status.VERIFYING)
    tip = tip_service.change_status(tip, supervisor, Tip.Status.CLOSED)
    assert tip.closed_at is not None
    tip = tip_service.change_status(tip, supervisor, Tip.Status.VERIFYING)  # reopened
    assert tip.closed_at is None


def test_a_refused_transition_in_the_admin_is_a_message_not_a_500(tip_with_evidence_and_cast):
    response = client_for(tip_with_evidence_and_cast.supervisor).post(
        f"/admin/laporan/{tip_with_evidence_and_cast.tip.pk}/triage/", {"triage-status": "followed_up"}
    )
    assert response.status_code == 400
    assert "Pilih pilihan yang valid" in response.content.decode() or "valid" in response.content.decode()


def test_marking_duplicate_closes_the_tip_and_links_the_original(tip_with_evidence_and_cast):
    tip = tip_service.mark_duplicate(
        tip_with_evidence_and_cast.tip,
        tip_with_evidence_and_cast.supervisor,
        tip_with_evidence_and_cast.other,
    )
    assert tip.duplicate_of == tip_with_evidence_and_cast.other and tip.status == Tip.Status.CLOSED
    with pytest.raises(tip_service.TipError):
        tip_service.mark_duplicate(
            tip_with_evidence_and_cast.other, tip_with_evidence_and_cast.supervisor, tip
        )


def test_evidence_is_served_as_an_attachment_that_the_browser_may_not_sniff(tip_with_evidence_and_cast):
    client = client_for(tip_with_evidence_and_cast.supervisor)
    pdf, photo = tip_with_evidence_and_cast.tip.evidence.order_by("content_type")
    assert pdf.content_type == "application/pdf"
    download = client.get(f"/admin/laporan/evidence/{pdf.pk}/?preview=1")
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == "application/pdf"
    assert "sandbox" in download["Content-Security-Policy"]
    served = b"".join(download.streaming_content)
    assert served.startswith(b"%PDF-") and hashlib.sha256(served).hexdigest() == pdf.sha256  # the stored file
    preview = client.get(f"/admin/laporan/evidence/{photo.pk}/?preview=1")
    assert preview["Content-Disposition"].startswith("inline;") and preview["Content-Type"] == "image/jpeg"
    assert preview["X-Content-Type-Options"] == "nosniff"
    attachment = client.get(f"/admin/laporan/evidence/{photo.pk}/")
    assert attachment["Content-Disposition"].startswith("attachment;")
    assert ModelLogEntry.objects.filter(action="reporting.tip.evidence_viewed").count() == 3


def test_evidence_is_never_under_the_public_media_url(tip_with_evidence_and_cast, settings, client):
    item = tip_with_evidence_and_cast.tip.evidence.first()
    assert not str(item.file.path).startswith(str(settings.MEDIA_ROOT))
    assert client.get(f"/media/{item.file.name}").status_code == 404


def test_html_in_a_tip_is_escaped_everywhere_in_the_admin(tip_with_evidence_and_cast, assert_page):
    supervisor = tip_with_evidence_and_cast.supervisor
    attack = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
    tip, _code = submit_tip(
        Submission(
            category=Tip.Category.OTHER,
            description=attack,
            address=attack,
            rw="<b>1</b>",
            occurred_when=attack,
            people_involved=attack,
            area=tip_with_evidence_and_cast.tip.area,
        ),
        [evidence_service.prepare(SimpleUploadedFile('"><script>x</script>.jpg', image_bytes("JPEG")))],
    )
    tip_service.add_note(tip, supervisor, attack)
    client = client_for(supervisor)
    for url in ["/admin/laporan/", f"/admin/laporan/{tip.pk}/", "/admin/laporan/?q=alert"]:
        page = assert_page(client.get(url), tip.short_id)
        assert "<script>alert" not in page and "<img src=x" not in page and "<b>1</b>" not in page
        assert "<script>x</script>" not in page
    detail = client.get(f"/admin/laporan/{tip.pk}/").content.decode()
    assert "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;" in detail


def test_list_filters_and_search(tip_with_evidence_and_cast):
    client = client_for(tip_with_evidence_and_cast.supervisor)
    tip, other = tip_with_evidence_and_cast.tip, tip_with_evidence_and_cast.other
    foreigner = TipFactory(area=tip.area, category=Tip.Category.FOREIGNER)

    def listed(**params):
        response = client.get("/admin/laporan/", params)
        assert response.status_code == 200
        return {row.pk for row in response.context["object_list"]}

    assert listed() == {tip.pk, other.pk, foreigner.pk}
    assert listed(session=tip.session_id) == {tip.pk}
    assert listed(q="pangkalan") == {tip.pk}
    assert listed(status="closed") == set()
    assert listed(status="received") == {tip.pk, other.pk, foreigner.pk}
    assert listed(category="foreigner") == {foreigner.pk}
    assert listed(created_at_from="2000-01-01", category="tppo") == {tip.pk, other.pk}
    assert listed(created_at_from="2999-01-01") == set()


def test_the_admin_list_keeps_its_queries_flat(tip_with_evidence_and_cast, django_assert_max_num_queries):
    area = tip_with_evidence_and_cast.tip.area
    officer = tip_with_evidence_and_cast.officer_of_area
    for index in range(40):
        TipFactory(
            area=area,
            session=tip_with_evidence_and_cast.tip.session if index % 2 else None,
            assigned_to=officer,
        )
    for role in ["supervisor", "officer_of_area"]:
        client = client_for(tip_with_evidence_and_cast.user(role))
        client.get("/admin/laporan/")  # warm the per-user permission caches
        with django_assert_max_num_queries(25):
            response = client.get("/admin/laporan/")
        assert response.status_code == 200


def test_the_detail_page_keeps_its_queries_flat(tip_with_evidence_and_cast, django_assert_max_num_queries):
    supervisor = tip_with_evidence_and_cast.supervisor
    for index in range(20):
        tip_service.add_note(tip_with_evidence_and_cast.tip, supervisor, f"Pemeriksaan-{index}")
    client = client_for(supervisor)
    client.get(f"/admin/laporan/{tip_with_evidence_and_cast.tip.pk}/")
    with django_assert_max_num_queries(30):
        response = client.get(f"/admin/laporan/{tip_with_evidence_and_cast.tip.pk}/")
    assert response.content.decode().count("Pemeriksaan-") == 20


@pytest.mark.parametrize(
    "role, shown, received",
    [
        ("editor", False, None),
        ("officer_elsewhere", True, 0),
        ("officer_of_area", True, 2),
        ("supervisor", True, 2),
    ],
)
def test_the_dashboard_counts_the_open_tips_each_user_may_see(
    tip_with_evidence_and_cast, role, shown, received, assert_page
):
    from reporting.tips import scoping
    from reporting.tips.services.tips import FINAL_STATUSES

    user = tip_with_evidence_and_cast.user(role)
    page = assert_page(client_for(user).get("/admin/"), "- Pimpasa</title>")
    assert ("Laporan terbuka" in page) is shown
    if shown:
        visible = scoping.tips_for(user)
        assert visible.filter(status="received").count() == received
        total = visible.exclude(status__in=FINAL_STATUSES).count()
        assert re.search(rf">Semua: {total} laporan terbuka</a>", page)


def test_officers_filter_only_by_their_own_areas_and_sessions(tip_with_evidence_and_cast, assert_page):
    from events.models import Area

    page = assert_page(client_for(tip_with_evidence_and_cast.officer_elsewhere).get("/admin/laporan/"))
    marunda = Area.objects.get(name="Marunda")
    assert f'value="{marunda.pk}"' in page
    assert "Kalibaru" not in page and "Ngopi Pimpasa RW 09" not in page
