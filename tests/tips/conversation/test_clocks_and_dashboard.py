"""Who the conversation waits for, the working-day clock for the office's answer, and the reporters'
unread answers counted per officer on the dashboard."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reporting.dashboard.panels import unread_replies_figures
from reporting.models import Message
from reporting.referrals.services import clocks
from reporting.referrals.services.conversation import answer_clock
from reporting.tips.conversation import services as conversation
from tests.factories import AreaFactory, TipFactory, UserFactory

pytestmark = pytest.mark.django_db


def at(message, moment):
    Message.objects.filter(pk=message.pk).update(created_at=moment)


def test_the_flag_follows_the_last_message(officer):
    tip = TipFactory(area=AreaFactory(officers=[officer]))
    assert conversation.flag(conversation.messages_of(tip)) is None
    conversation.ask(tip, officer, "Kapan?")
    assert conversation.flag(conversation.messages_of(tip)) == "waiting_for_reporter"
    conversation.reply(tip, "Kemarin.")
    assert conversation.flag(conversation.messages_of(tip)) == "reporter_answered"
    conversation.ask(tip, officer, "Jam berapa?")
    assert conversation.flag(conversation.messages_of(tip)) == "waiting_for_reporter"


def test_the_answer_clock_counts_working_days_from_the_oldest_unanswered_answer(officer, settings):
    settings.PIMPASA_REPLY_ANSWER_DAYS = 2
    tip = TipFactory(area=AreaFactory(officers=[officer]))
    question = conversation.ask(tip, officer, "Kapan?")
    assert answer_clock(tip, conversation.messages_of(tip)) is None  # nothing to answer
    friday = datetime.datetime(2026, 12, 4, 10, tzinfo=datetime.UTC)
    at(question, friday - datetime.timedelta(days=1))
    first = conversation.reply(tip, "Jumat.")
    at(first, friday)
    later = conversation.reply(tip, "Tambahan: jam 9 malam.")
    at(later, friday + datetime.timedelta(days=2, hours=15))  # Monday morning, before the question below
    messages = conversation.messages_of(tip)
    # Started on Friday; Saturday and Sunday do not count: due Tuesday.
    clock = answer_clock(tip, messages, day=datetime.date(2026, 12, 7))
    assert (clock.started_on, clock.due_on) == (datetime.date(2026, 12, 4), datetime.date(2026, 12, 8))
    assert clock.state == clocks.State.DUE_SOON
    assert answer_clock(tip, messages, day=datetime.date(2026, 12, 9)).state == "overdue"
    conversation.ask(tip, officer, "Terima kasih, kami cek.")
    assert answer_clock(tip, conversation.messages_of(tip)) is None  # answered


def test_unread_answers_are_counted_per_officer_within_the_users_scope(officer, supervisor):
    colleague = UserFactory(role="Petugas PIMPASA", first_name="Budi", last_name="Santoso")
    mine = AreaFactory(officers=[officer])
    other = AreaFactory(officers=[colleague])
    for tip, count in (
        (TipFactory(area=mine, assigned_to=officer), 2),
        (TipFactory(area=other, assigned_to=colleague), 1),
    ):
        for number in range(count):
            conversation.reply(tip, f"Jawaban {number}")
    unassigned = TipFactory(area=mine)
    conversation.reply(unassigned, "Halo")
    read = TipFactory(area=mine, assigned_to=officer)
    conversation.read_by_office([conversation.reply(read, "Sudah dibaca")])

    everything = unread_replies_figures(supervisor)
    assert everything["total"] == 4
    names = {row["officer"]: row["count"] for row in everything["rows"]}
    assert names == {officer.get_full_name() or officer.get_username(): 2, "Budi Santoso": 1, None: 1}
    own = unread_replies_figures(officer)
    assert own["total"] == 3 and any(row["is_me"] and row["count"] == 2 for row in own["rows"])


def test_the_dashboard_shows_the_unread_answers_and_reading_the_tip_clears_them(client, officer):
    tip = TipFactory(area=AreaFactory(officers=[officer]), assigned_to=officer)
    conversation.reply(tip, "Ada foto baru.")
    client.force_login(officer)
    page = client.get("/admin/").content.decode()
    assert "Jawaban pelapor yang belum dibaca" in page and "(Anda)" in page
    client.get(f"/admin/laporan/{tip.pk}/")
    assert "Tidak ada jawaban pelapor yang belum dibaca." in client.get("/admin/").content.decode()


def test_the_unread_count_is_two_queries_however_many_officers(supervisor, django_assert_max_num_queries):
    for _number in range(5):
        officer = UserFactory(role="Petugas PIMPASA")
        conversation.reply(TipFactory(area=AreaFactory(officers=[officer]), assigned_to=officer), "Halo")
    supervisor.has_perm("reporting.view_all_tips")
    with django_assert_max_num_queries(2):
        assert unread_replies_figures(supervisor)["total"] == 5


def test_an_unanswered_question_becomes_closable_after_the_setting(officer, settings):
    settings.PIMPASA_QUESTION_UNANSWERED_DAYS = 10
    tip = TipFactory(area=AreaFactory(officers=[officer]), status="verifying")
    question = conversation.ask(tip, officer, "Di mana?")
    now = timezone.now()
    at(question, now - datetime.timedelta(days=9))
    assert not conversation.may_close_unverifiable(tip, conversation.messages_of(tip), now)
    at(question, now - datetime.timedelta(days=10, minutes=1))
    assert conversation.may_close_unverifiable(tip, conversation.messages_of(tip), now)
    conversation.reply(tip, "Maaf baru sempat: di pasar.")
    assert not conversation.may_close_unverifiable(tip, conversation.messages_of(tip), now)


def test_the_daily_digest_names_the_officers_with_unread_answers(officer, supervisor, mailoutbox):
    from reporting.referrals.services import escalation

    officer.first_name, officer.last_name = "Rina", "Wulandari"
    officer.save()
    tip = TipFactory(area=AreaFactory(officers=[officer]), assigned_to=officer)
    conversation.reply(tip, "Ada kabar baru.")
    conversation.reply(tip, "Dan satu foto lagi nanti.")
    unassigned = TipFactory(area=tip.area)
    conversation.reply(unassigned, "Halo?")
    assert escalation.escalate() == (1, 0)  # nothing overdue: the digest is sent for the answers alone
    digest = mailoutbox[0]
    assert digest.to == [supervisor.email] and digest.subject == "Pimpasa: 3 jawaban pelapor belum dibaca"
    assert "Rina Wulandari: 2 jawaban belum dibaca" in digest.body
    assert "Belum ditugaskan: 1 jawaban belum dibaca" in digest.body
    assert "Ada kabar baru" not in digest.body  # names and counts, never the reporter's words
    mailoutbox.clear()
    conversation.read_by_office(conversation.messages_of(tip))
    conversation.read_by_office(conversation.messages_of(unassigned))
    assert escalation.escalate() == (0, 0) and mailoutbox == []


def test_the_tips_list_shows_and_filters_each_conversations_state(client, officer):
    area = AreaFactory(officers=[officer])
    waiting = TipFactory(area=area, assigned_to=officer)
    conversation.ask(waiting, officer, "Kapan kejadiannya?")
    answered = TipFactory(area=area, assigned_to=officer)
    conversation.ask(answered, officer, "Di mana?")
    conversation.reply(answered, "Di pasar.")
    conversation.reply(answered, "Jam sembilan.")
    read = TipFactory(area=area)
    conversation.read_by_office([conversation.reply(read, "Sudah dibaca")])
    silent = TipFactory(area=area)
    client.force_login(officer)

    every = client.get("/admin/laporan/").content.decode()
    assert "Percakapan" in every
    assert "Menunggu pelapor" in every and "Pelapor menjawab (2 baru)" in every

    def listed(choice):
        page = client.get(f"/admin/laporan/?conversation={choice}").content.decode()
        return {tip for tip in (waiting, answered, read, silent) if tip.short_id in page}

    assert listed("unread") == {answered}
    assert listed("reporter_answered") == {answered, read}
    assert listed("waiting_for_reporter") == {waiting}
    assert listed("") == {waiting, answered, read, silent}


def test_the_unread_panel_links_to_the_tips_with_unread_answers(client, officer):
    tip = TipFactory(area=AreaFactory(officers=[officer]), assigned_to=officer)
    conversation.reply(tip, "Ada foto baru.")
    client.force_login(officer)
    page = client.get("/admin/").content.decode()
    assert "/admin/laporan/?conversation=unread&amp;assigned=me" in page
    listed = client.get("/admin/laporan/?conversation=unread&assigned=me").content.decode()
    assert tip.short_id in listed


def test_the_conversation_column_costs_no_query_per_tip(client, supervisor):
    area = AreaFactory()

    def answered_tips(count):
        for number in range(count):
            conversation.reply(TipFactory(area=area), f"Jawaban {number}")

    def queries_of_the_list():
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/admin/laporan/?conversation=unread")
        assert page.status_code == 200
        return len(queries)

    client.force_login(supervisor)
    answered_tips(3)
    client.get("/admin/laporan/")  # per-process caches (content types, site settings) warmed
    with_three = queries_of_the_list()
    answered_tips(27)
    assert queries_of_the_list() == with_three
