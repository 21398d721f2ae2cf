"""Related tips found by the worker: tips written like real ones (Indonesian, numbers in every spelling,
one company name spelt four ways, a flyer photographed twice) are linked; a tip that only quotes the
office's hotline, a number that is in every tip, and common words link nothing. An officer sees the
related tips of their areas and a count of the others; the page costs the same queries for 3 related
tips as for 30."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pimpasa import blind_index
from reporting.tips.models import Evidence
from reporting.tips.related.models import FingerprintRun, TipFingerprint
from reporting.tips.related.services import fingerprints
from reporting.tips.related.services.related import related_tips, scores
from reporting.tips.services.rotation import rotate_keys
from tests.factories import TipFactory

from .conftest import file_tip

pytestmark = pytest.mark.django_db

PHONE, NAME, ORGANISATION, ADDRESS, PHOTO = "phone", "name", "organisation", "address", "photo"


def shared(tip, other):
    return scores(tip).get(other.pk)


def test_one_recruiter_in_four_tips_is_linked_with_what_they_share(neighbourhood):
    n = neighbourhood
    assert shared(n.first, n.second) == (3 + 2 + 1, {PHONE, ORGANISATION, NAME})
    assert shared(n.first, n.third) == (3, {PHONE})
    assert shared(n.first, n.fourth) == (2, {ORGANISATION})
    assert shared(n.first, n.fifth) == (3, {PHOTO})
    assert shared(n.second, n.third) == (3, {PHONE})


def test_the_hotline_and_common_words_link_nothing(neighbourhood):
    n = neighbourhood
    assert shared(n.second, n.hotline_only) is None
    assert scores(n.hotline_only) == {}
    assert scores(n.nothing) == {}
    run = FingerprintRun.objects.get(tip=n.nothing)
    assert run.notes == FingerprintRun.Note.NOTHING_FOUND and run.found == 0


def test_a_number_in_every_tip_links_none_of_them(site_setup, settings, django_capture_on_commit_callbacks):
    settings.PIMPASA_RELATED_MAX_TIPS_PER_VALUE = 3
    tips = [
        file_tip(django_capture_on_commit_callbacks, f"Info loker resmi 0811 1500 {index}00 dari leaflet.")
        for index in range(2)
    ]
    leaflet = [
        file_tip(django_capture_on_commit_callbacks, "Semua brosur mencantumkan 0811-2222-3333 untuk daftar.")
        for _ in range(5)
    ]
    assert scores(leaflet[0]) == {}  # shared by 5 tips, above the cap of 3
    assert scores(tips[0]) == {}
    settings.PIMPASA_RELATED_MAX_TIPS_PER_VALUE = 10
    assert set(scores(leaflet[0])) == {tip.pk for tip in leaflet[1:]}


def test_nothing_is_stored_readable(neighbourhood):
    rows = list(TipFingerprint.objects.values_list("token", "photo_hash"))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token, photo_hash FROM {TipFingerprint._meta.db_table}")
        raw = " ".join(" ".join(map(str, row)) for row in cursor.fetchall())
    for readable in ("6281234567890", "majujaya", "heru", "0812"):
        assert readable not in raw
    photo_rows = [photo_hash for _token, photo_hash in rows if photo_hash]
    assert photo_rows and all(photo_hash not in raw for photo_hash in photo_rows)  # encrypted at rest


def test_fingerprints_are_made_by_the_worker_after_the_commit_not_by_the_request(
    site_setup, django_capture_on_commit_callbacks
):
    from reporting.tips.models import Tip
    from reporting.tips.services.tips import Submission, submit_tip

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        tip, _code = submit_tip(Submission(category=Tip.Category.TPPO, description="Calo WA 0812 9999 0000."))
    assert not TipFingerprint.objects.filter(tip=tip).exists()
    assert not FingerprintRun.objects.filter(tip=tip).exists()
    for callback in callbacks:
        callback()
    assert TipFingerprint.objects.filter(tip=tip, kind=PHONE).count() == 1


def test_a_photo_that_cannot_be_read_is_a_note_not_a_failure(
    neighbourhood, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile

    tip = neighbourhood.second
    broken = Evidence(tip=tip, content_type="image/jpeg", size=7, sha256="0" * 64, original_name="rusak.jpg")
    broken.file.save("evidence", ContentFile(b"garbage"), save=False)
    broken.save()
    run = fingerprints.fingerprint_tip(tip.pk)
    assert run.notes == FingerprintRun.Note.PHOTO_UNREADABLE
    assert shared(tip, neighbourhood.first)[1] == {PHONE, ORGANISATION, NAME}  # the rest still links


def test_a_reporters_later_answer_links_the_tip(neighbourhood, django_capture_on_commit_callbacks):
    from reporting.tips.conversation import services as conversation

    n = neighbourhood
    assert shared(n.nothing, n.first) is None
    with django_capture_on_commit_callbacks(execute=True):
        conversation.reply(n.nothing, "Maaf lupa, nomornya 0812 3456 7890.")
    assert shared(n.nothing, n.first) == (3, {PHONE})


def test_an_officer_sees_related_tips_in_their_areas_and_a_count_of_the_others(neighbourhood):
    n = neighbourhood
    for_officer = related_tips(n.first, n.officer)
    assert [link.tip for link in for_officer.links] == [n.second, n.fifth, n.fourth]
    assert for_officer.outside == 1  # the Cilincing tip
    assert [link.strength for link in for_officer.links] == ["strong", "strong", "medium"]
    assert for_officer.links[0].kind_labels == ["Nomor telepon", "Perusahaan atau agen", "Nama orang"]
    for_supervisor = related_tips(n.first, n.supervisor)
    assert {link.tip for link in for_supervisor.links} == {n.second, n.third, n.fourth, n.fifth}
    assert for_supervisor.outside == 0


def test_the_tips_page_shows_the_panel_without_the_values(neighbourhood, client, assert_page):
    n = neighbourhood
    client.force_login(n.officer)
    text = assert_page(
        client.get(reverse("laporan:edit", args=[n.first.pk])),
        'id="related"',
        n.second.short_id,
        n.fifth.short_id,
    )
    assert n.third.short_id not in text
    panel = text[text.index('id="related"') : text.index("</section>", text.index('id="related"'))]
    assert "0812" not in panel and "Maju" not in panel and "Heru" not in panel


def test_a_key_rotation_fingerprints_the_tips_again(neighbourhood, settings):
    old = TipFingerprint.objects.values_list("key_id", flat=True).first()
    settings.PIMPASA_SEARCH_INDEX_KEYS = ["n" * 40, *settings.PIMPASA_SEARCH_INDEX_KEYS]
    assert scores(neighbourhood.first)  # still linked among the rows of the old key
    rotated = rotate_keys()
    assert rotated.tips_refingerprinted == 6  # every tip with fingerprints (one has nothing to compare)
    assert set(TipFingerprint.objects.values_list("key_id", flat=True)) == {blind_index.key_id()} != {old}
    assert shared(neighbourhood.first, neighbourhood.fifth) == (3, {PHOTO})  # from the kept hash


def related_set(count, area):
    """A tip and `count` tips sharing its phone number (and an organisation for half of them)."""
    company = {3: "Sumber Rezeki", 30: "Cahaya Timur"}[count]
    tip = TipFactory(area=area, description=f"Calo PT {company}, WA 0857 1234 56{count:02d}.")
    fingerprints.fingerprint_tip(tip.pk, stop=set())
    for index in range(count):
        other = TipFactory(
            area=area,
            description=f"Nomor 0857-1234-56{count:02d}" + (f" dari PT {company}" if index % 2 else ""),
        )
        fingerprints.fingerprint_tip(other.pk, stop=set())
    return tip


@pytest.mark.parametrize("user_kind", ["officer", "supervisor"])
def test_the_panel_costs_the_same_queries_for_3_and_30_related_tips(site_setup, settings, client, user_kind):
    from tests.factories import AreaFactory, UserFactory

    settings.PIMPASA_RELATED_SHOWN = 50
    user = UserFactory(role="Petugas PIMPASA" if user_kind == "officer" else "Supervisor")
    counts = []
    for size in (3, 30):
        tip = related_set(size, AreaFactory(officers=[user]))
        related_tips(tip, user)  # the user's permissions are read once, then cached on the user
        with CaptureQueriesContext(connection) as panel:
            related = related_tips(tip, user)
        assert len(related.links) == size
        client.force_login(user)
        with CaptureQueriesContext(connection) as page:
            response = client.get(reverse("laporan:edit", args=[tip.pk]))
        assert response.status_code == 200
        counts.append((len(panel), len(page)))
    assert counts[0] == counts[1]
    assert counts[0][0] <= 4


def test_purging_a_tips_evidence_forgets_its_photos_hashes(neighbourhood):
    from reporting.tips.services.retention import purge_tip

    n = neighbourhood
    assert shared(n.fifth, n.first) == (3, {PHOTO})
    purge_tip(n.first)
    assert not TipFingerprint.objects.filter(tip=n.first, kind=PHOTO).exists()
    assert shared(n.fifth, n.first) is None
    assert shared(n.second, n.first) == (3 + 2 + 1, {PHONE, ORGANISATION, NAME})  # the words stay


def test_the_numbers_in_the_site_settings_are_never_fingerprinted(site_setup):
    from wagtail.models import Site

    from cms.models import ContactSettings

    contact = ContactSettings.for_site(Site.objects.get(is_default_site=True))
    contact.office_phone = "(021) 5797 2016"
    contact.whatsapp_number = "0812-1111-2222"
    contact.hotlines = [("hotline", {"organisation": "KP2MI", "number": "021 555 0101", "toll_free": False})]
    contact.save()
    assert fingerprints.stop_phones() == {"+622157972016", "+6281211112222", "+62215550101"}
    tip = TipFactory(description="Saya sudah WA 0812 1111 2222 dan telp 021-555-0101, calo 0813 4444 5555.")
    fingerprints.fingerprint_tip(tip.pk)
    assert TipFingerprint.objects.filter(tip=tip, kind=PHONE).count() == 1


def test_the_tips_page_says_when_there_is_nothing_to_compare_or_a_photo_was_unreadable(
    neighbourhood, client, assert_page
):
    from django.core.files.base import ContentFile

    n = neighbourhood
    client.force_login(n.officer)
    assert_page(
        client.get(reverse("laporan:edit", args=[n.nothing.pk])),
        "Tidak ditemukan nomor telepon, nama, organisasi, alamat, atau foto untuk dibandingkan.",
    )
    broken = Evidence(tip=n.fourth, content_type="image/png", size=7, sha256="0" * 64, original_name="x.png")
    broken.file.save("evidence", ContentFile(b"\x89PNG broken"), save=False)
    broken.save()
    fingerprints.fingerprint_tip(n.fourth.pk)
    assert_page(
        client.get(reverse("laporan:edit", args=[n.fourth.pk])),
        "Sebuah foto tidak dapat dibaca, sehingga tidak dibandingkan.",
        n.first.short_id,  # still related by its words
    )
