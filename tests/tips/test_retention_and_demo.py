"""Retention purges identities and evidence of long-closed tips; setup schedules it daily; demo tips load once."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from django_q.models import Schedule
from wagtail.models import ModelLogEntry

from reporting.tips import schedules as tip_schedules
from reporting.tips.models import Evidence, Tip, TipHistory
from reporting.tips.services import evidence as evidence_service
from reporting.tips.services import retention
from reporting.tips.services.tips import Submission, submit_tip
from tests.factories import SessionFactory, image_bytes

pytestmark = pytest.mark.django_db


def identified_tip_with_photo(status, closed_days_ago):
    tip, _code = submit_tip(
        Submission(
            category=Tip.Category.TPPO,
            description="Calo di terminal.",
            reporter_name="Siti Contoh",
            reporter_contact="0812",
            consent=True,
        ),
        [evidence_service.prepare(SimpleUploadedFile("foto.jpg", image_bytes("JPEG")))],
    )
    closed_at = timezone.now() - timedelta(days=closed_days_ago) if closed_days_ago is not None else None
    Tip.objects.filter(pk=tip.pk).update(status=status, closed_at=closed_at)
    return Tip.objects.get(pk=tip.pk)


def test_purges_identity_and_files_of_tips_closed_past_the_retention_period(settings):
    settings.PIMPASA_TIP_RETENTION_DAYS = 30
    expired = identified_tip_with_photo(Tip.Status.CLOSED, 31)
    not_actionable = identified_tip_with_photo(Tip.Status.NOT_ACTIONABLE, 45)
    recent = identified_tip_with_photo(Tip.Status.CLOSED, 29)
    open_tip = identified_tip_with_photo(Tip.Status.VERIFYING, None)
    expired_file = Path(expired.evidence.get().file.path)

    assert retention.purge_expired() == 2

    for tip in (expired, not_actionable):
        tip.refresh_from_db()
        assert tip.reporter_identity == "" and tip.purged_at is not None
        item = tip.evidence.get()
        assert not item.file and item.purged_at is not None and item.sha256  # the fingerprint stays
        assert tip.history.filter(kind=TipHistory.Kind.PURGED).exists()
        assert ModelLogEntry.objects.filter(action="reporting.tip.purged", object_id=str(tip.pk)).exists()
        assert tip.description == "Calo di terminal."  # the case itself stays for the statistics
    assert not expired_file.exists()
    for tip in (recent, open_tip):
        tip.refresh_from_db()
        assert tip.reporter_identity and tip.purged_at is None
        assert Path(tip.evidence.get().file.path).exists()

    assert retention.purge_expired() == 0  # nothing twice


def test_setup_schedules_the_purge_daily_once(site_setup):
    call_command("setup")
    call_command("setup")
    schedule = Schedule.objects.get(name=tip_schedules.RETENTION_SCHEDULE)
    assert schedule.func == "reporting.tips.services.retention.purge_expired"
    assert (schedule.schedule_type, schedule.cron) == (Schedule.CRON, "0 2 * * *")
    assert schedule.next_run > timezone.now()
    # The scheduled function exists and runs.
    from django.utils.module_loading import import_string

    assert import_string(schedule.func)() == 0


def test_demo_tips_cover_every_status_and_load_once(tmp_path, settings, site_setup):
    settings.VAR_DIR = tmp_path
    call_command("load_demo")
    counts = (Tip.objects.count(), TipHistory.objects.count(), Evidence.objects.count())
    call_command("load_demo")
    assert (Tip.objects.count(), TipHistory.objects.count(), Evidence.objects.count()) == counts
    assert set(Tip.objects.values_list("status", flat=True)) == set(Tip.Status.values)
    assert Tip.objects.filter(session__isnull=False).exists()  # linked to the events demo sessions
    assert TipHistory.objects.exclude(kind=TipHistory.Kind.RECEIVED).count() >= 8
    assert Tip.objects.exclude(reporter_identity="").count() == 1


def test_demo_tips_load_without_any_session(tmp_path, settings, site_setup):
    from io import StringIO

    from demo import tips as demo_tips
    from demo.accounts import ensure_demo_accounts

    settings.VAR_DIR = tmp_path
    ensure_demo_accounts()
    demo_tips.load(StringIO())
    assert Tip.objects.count() == 7 and not Tip.objects.filter(session__isnull=False).exists()


def test_demo_tips_link_to_sessions_when_there_are_some(tmp_path, settings, site_setup):
    from io import StringIO

    from demo import tips as demo_tips
    from demo.accounts import ensure_demo_accounts

    settings.VAR_DIR = tmp_path
    session = SessionFactory()
    ensure_demo_accounts()
    demo_tips.load(StringIO())
    assert Tip.objects.filter(session=session).count() == 5


def test_demo_tips_hold_a_conversation_waiting_and_one_answered(tmp_path, settings, site_setup):
    from io import StringIO

    from demo import tips as demo_tips
    from demo.accounts import ensure_demo_accounts
    from reporting.tips.conversation import services as conversation

    settings.VAR_DIR = tmp_path
    ensure_demo_accounts()
    demo_tips.load(StringIO())
    demo_tips.load(StringIO())  # a second run adds no message
    flags = {
        tip.pk: tuple(map(str, conversation.list_flag(tip)))
        for tip in conversation.with_conversation_state(Tip.objects.all())
        if tip.last_message_author
    }
    assert sorted(flags.values()) == [("Menunggu pelapor", "0"), ("Pelapor menjawab", "1")]
    for tip in Tip.objects.filter(pk__in=flags):
        # Written in the tip's past, after it was received.
        assert all(tip.created_at < message.created_at < timezone.now() for message in tip.messages.all())
