"""The officer asks the reporter from the tip's page: the message is part of the one triage form (sent
by the same Save, or nothing is), kept in the history, with common questions to start from."""

import datetime

import pytest
from django.utils import timezone

from reporting.models import Message
from reporting.tips.conversation import questions
from reporting.tips.conversation import services as conversation
from reporting.tips.models import Tip, TipHistory
from tests.factories import AreaFactory, TipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def area(officer):
    return AreaFactory(name="Kalibaru", officers=[officer])


def detail(tip):
    return f"/admin/laporan/{tip.pk}/"


def triage(tip):
    return f"/admin/laporan/{tip.pk}/triage/"


def test_ask_records_the_message_in_the_history_and_the_audit_log(officer, area):
    tip = TipFactory(area=area)
    message = conversation.ask(tip, officer, "  Kapan tepatnya perekrut datang?  ")
    assert (message.author, message.body, message.officer) == (
        "office",
        "Kapan tepatnya perekrut datang?",
        officer,
    )
    assert message.history.kind == TipHistory.Kind.MESSAGE and message.history.actor == officer
    assert not message.history.is_public  # the status page shows the conversation itself, not this entry
    assert conversation.flag(conversation.messages_of(tip)) == conversation.Flag.WAITING_FOR_REPORTER


def test_ask_refuses_empty_too_long_closed_and_outsiders(officer, area):
    tip = TipFactory(area=area)
    with pytest.raises(conversation.ConversationError, match="Tulis pesannya"):
        conversation.ask(tip, officer, "   ")
    with pytest.raises(conversation.ConversationError, match="terlalu panjang"):
        conversation.ask(tip, officer, "x" * (conversation.MAX_CHARS + 1))
    closed = TipFactory(area=area, status=Tip.Status.CLOSED)
    with pytest.raises(conversation.ConversationError, match="ditutup"):
        conversation.ask(closed, officer, "Masih ada?")
    stranger = UserFactory(role="Petugas PIMPASA")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        conversation.ask(tip, stranger, "Halo")
    assert not Message.objects.exists()


def test_save_sends_the_message_with_the_rest_of_the_triage(client, officer, area):
    tip = TipFactory(area=area)
    client.force_login(officer)
    response = client.post(
        triage(tip),
        {
            "triage-status": "verifying",
            "triage-note": "Cek ke RT.",
            "triage-message": "Di gang mana tepatnya?",
        },
    )
    assert response.status_code == 302
    assert list(tip.history.values_list("kind", flat=True)) == ["status", "message"]
    assert tip.messages.get().body == "Di gang mana tepatnya?"
    page = client.get(detail(tip)).content.decode()
    assert "Di gang mana tepatnya?" in page
    assert "Menunggu pelapor" in page
    assert "Pesan untuk pelapor" in page  # the history names it


def test_a_message_alone_is_a_change(client, officer, area):
    tip = TipFactory(area=area)
    client.force_login(officer)
    client.post(triage(tip), {"triage-status": "received", "triage-message": "Bisa kirim foto?"})
    assert tip.messages.count() == 1


def test_a_refused_message_saves_nothing_else_and_keeps_everything_typed(client, officer, area):
    tip = TipFactory(area=area)
    client.force_login(officer)
    too_long = "panjang " * 600
    response = client.post(
        triage(tip),
        {"triage-status": "verifying", "triage-note": "Catatan saya", "triage-message": too_long},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "terlalu panjang" in page
    assert "Catatan saya</textarea>" in page and too_long.strip() in page
    tip.refresh_from_db()
    assert tip.status == "received" and not tip.history.exists() and not tip.messages.exists()


def test_a_common_question_fills_the_box_after_what_was_typed_and_saves_nothing(client, officer, area):
    tip = TipFactory(area=area)
    client.force_login(officer)
    response = client.post(
        triage(tip),
        {
            "do": "question",
            "triage-status": "verifying",
            "triage-note": "Catatan internal",
            "triage-message": "Terima kasih atas laporannya.",
            "triage-question": "photo",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    indonesian, english = questions.text("photo").split("\n\n")
    assert (
        page.index("Terima kasih atas laporannya.") < page.index(indonesian[:40]) < page.index(english[:40])
    )
    assert "Catatan internal</textarea>" in page
    assert "Belum tersimpan" in page
    assert not tip.history.exists() and not tip.messages.exists()


def test_every_common_question_is_indonesian_then_english():
    for key in ("when", "where", "photo"):
        indonesian, english = questions.text(key).split("\n\n")
        assert indonesian and english and indonesian != english
    assert questions.text("nonsense") == ""


def test_a_typed_message_survives_the_pages_other_buttons(client, officer, area):
    tip = TipFactory(area=area)
    client.force_login(officer)
    response = client.post(
        triage(tip), {"do": "refer", "triage-status": "received", "triage-message": "Kapan kejadiannya?"}
    )
    assert response.status_code == 302
    page = client.get(detail(tip)).content.decode()
    assert "Kapan kejadiannya?</textarea>" in page
    assert not tip.messages.exists()


def test_the_reporters_answer_is_new_once_for_the_officer(client, officer, area):
    tip = TipFactory(area=area, assigned_to=officer)
    conversation.ask(tip, officer, "Kapan?")
    conversation.reply(tip, "Kemarin sore.")
    client.force_login(officer)
    first = client.get(detail(tip)).content.decode()
    assert "Kemarin sore." in first and 'tip-new">Baru' in first
    assert "Pelapor menjawab" in first and "Menjawab pelapor" in first  # the flag and the answer clock
    second = client.get(detail(tip)).content.decode()
    assert 'tip-new">Baru' not in second


def test_the_tip_page_costs_the_same_queries_with_many_messages(
    client, officer, area, django_assert_max_num_queries
):
    tip = TipFactory(area=area)
    client.force_login(officer)
    conversation.ask(tip, officer, "Kapan?")
    conversation.reply(tip, "Kemarin.")
    client.get(detail(tip))
    with django_assert_max_num_queries(60) as few:
        client.get(detail(tip))
    baseline = len(few.captured_queries)
    assert baseline > 0
    for number in range(10):
        conversation.ask(tip, officer, f"Pertanyaan {number}")
        conversation.reply(tip, f"Jawaban {number}")
    client.get(detail(tip))
    with django_assert_max_num_queries(baseline):
        client.get(detail(tip))


def test_a_question_left_unanswered_lets_the_officer_close_the_tip_with_a_note(
    client, officer, area, settings
):
    settings.PIMPASA_QUESTION_UNANSWERED_DAYS = 7
    tip = TipFactory(area=area, status=Tip.Status.VERIFYING)
    question = conversation.ask(tip, officer, "Di mana tepatnya?")
    client.force_login(officer)
    assert "Tutup karena tidak dapat diverifikasi" not in client.get(detail(tip)).content.decode()
    with pytest.raises(conversation.ConversationError):
        conversation.close_unverifiable(tip, officer, "Tidak ada jawaban.")
    Message.objects.filter(pk=question.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    page = client.get(detail(tip)).content.decode()
    assert "Tutup karena tidak dapat diverifikasi" in page
    refused = client.post(
        triage(tip), {"do": "unverifiable", "triage-status": "verifying", "triage-closing_note": " "}
    )
    assert refused.status_code == 400
    response = client.post(
        triage(tip),
        {
            "do": "unverifiable",
            "triage-status": "verifying",
            "triage-note": "Catatan yang belum disimpan",
            "triage-closing_note": "Tanpa jawaban kami tidak dapat memeriksa laporan ini.",
        },
    )
    assert response.status_code == 302
    tip.refresh_from_db()
    assert tip.status == Tip.Status.NOT_ACTIONABLE
    public = tip.history.get(kind="public_note", is_public=True)
    assert public.note == "Tanpa jawaban kami tidak dapat memeriksa laporan ini."
    # What else was typed waits, unsaved, on the tip's page.
    assert "Catatan yang belum disimpan</textarea>" in client.get(detail(tip)).content.decode()
