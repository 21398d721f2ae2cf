"""Clocks on tips and referrals, and the daily escalation: one digest per supervisor when something is
overdue (nothing otherwise), one reminder per agency, every message audited."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from wagtail.models import ModelLogEntry

from reporting.models import Tip
from reporting.referrals.models import ServiceLevel
from reporting.referrals.services import clocks, escalation, working_days
from reporting.referrals.services import referrals as services
from reporting.referrals.services.clocks import Kind, State
from reporting.tips.services import tips as tip_service
from tests.factories import UserFactory
from tests.referrals.conftest import refer

pytestmark = pytest.mark.django_db
JAKARTA = ZoneInfo("Asia/Jakarta")
# Tuesday 22 December 2026, before Christmas and its collective leave.
TUESDAY = datetime.datetime(2026, 12, 22, 10, tzinfo=JAKARTA)


def at(year, month, day, hour=9):
    return time_machine.travel(datetime.datetime(year, month, day, hour, tzinfo=JAKARTA), tick=False)


def clocks_of(tip):
    tip = clocks.with_clock_data(Tip.objects.filter(pk=tip.pk)).get()
    return {
        (clock.kind, clock.referral.pk if clock.referral else None): clock
        for clock in clocks.tip_clocks(tip, clocks.service_levels())
    }


@pytest.fixture
def tip_received_on_a_tuesday(tip_to_refer):
    """The tip to refer, as received on a Tuesday (the working-day clocks count from there)."""
    Tip.objects.filter(pk=tip_to_refer.tip.pk).update(created_at=TUESDAY)
    tip_to_refer.tip.refresh_from_db()
    return tip_to_refer


def test_a_new_tip_runs_triage_and_feedback_clocks(tip_received_on_a_tuesday):
    with at(2026, 12, 23):
        running = clocks.tip_clocks(tip_received_on_a_tuesday.tip, clocks.service_levels())
    assert [(clock.kind, clock.due_on, clock.state) for clock in running] == [
        (Kind.TRIAGE, datetime.date(2026, 12, 29), State.ON_TIME),
        (Kind.FEEDBACK, working_days.add_working_days(datetime.date(2026, 12, 22), 14), State.ON_TIME),
    ]


def test_triage_stops_once_the_tip_leaves_received_and_feedback_once_a_public_note_is_written(
    tip_received_on_a_tuesday,
):
    tip, officer = tip_received_on_a_tuesday.tip, tip_received_on_a_tuesday.officer
    tip_service.change_status(tip, officer, Tip.Status.VERIFYING)
    with at(2027, 1, 4):
        kinds = [
            clock.kind for clock in clocks.tip_clocks(Tip.objects.get(pk=tip.pk), clocks.service_levels())
        ]
    assert kinds == [Kind.FEEDBACK]
    tip_service.add_note(tip, officer, "Sedang kami periksa.", public=True)
    with at(2027, 1, 4):
        assert clocks_of(tip) == {}


def test_service_levels_per_category_change_the_due_day(tip_received_on_a_tuesday):
    ServiceLevel.objects.update_or_create(category=Tip.Category.TPPO, defaults={"triage_days": 1})
    with at(2026, 12, 23):
        clock = clocks_of(tip_received_on_a_tuesday.tip)[(Kind.TRIAGE, None)]
    assert clock.due_on == datetime.date(2026, 12, 23)
    assert clock.state == State.DUE_SOON


def test_a_referral_runs_acknowledge_and_outcome_clocks_until_answered(tip_received_on_a_tuesday):
    with at(2026, 12, 22, 11):
        referral, _link, _token = refer(tip_received_on_a_tuesday)
    with at(2026, 12, 30):
        clocks = clocks_of(tip_received_on_a_tuesday.tip)
        assert clocks[(Kind.ACKNOWLEDGE, referral.pk)].state == State.OVERDUE
        assert clocks[(Kind.OUTCOME, referral.pk)].state == State.ON_TIME
    services.acknowledge(referral, "Rahmat")
    with at(2026, 12, 30):
        assert (Kind.ACKNOWLEDGE, referral.pk) not in clocks_of(tip_received_on_a_tuesday.tip)
    services.report_outcome(referral, "closed", "Selesai.")
    with at(2026, 12, 30):
        assert (Kind.OUTCOME, referral.pk) not in clocks_of(tip_received_on_a_tuesday.tip)


def test_a_closed_tip_runs_no_clock(tip_received_on_a_tuesday):
    tip_service.change_status(
        tip_received_on_a_tuesday.tip, tip_received_on_a_tuesday.officer, Tip.Status.CLOSED
    )
    with at(2027, 2, 1):
        assert clocks_of(tip_received_on_a_tuesday.tip) == {}


def test_nothing_overdue_sends_nothing(tip_received_on_a_tuesday):
    with at(2026, 12, 23):
        assert escalation.escalate() == (0, 0)
    assert mail.outbox == []


def test_one_digest_per_supervisor_and_one_reminder_per_agency(tip_received_on_a_tuesday):
    second_supervisor = UserFactory(role="Supervisor")
    UserFactory(role="Supervisor", email="")  # no address: nothing to send to
    with at(2026, 12, 22, 11):
        referral, _link, _token = refer(tip_received_on_a_tuesday)
    mail.outbox.clear()
    with at(2026, 12, 30, 7):
        assert escalation.escalate() == (2, 1)
    reminders = [message for message in mail.outbox if "pengaduan@bp3mi.test" in message.to]
    digests = [message for message in mail.outbox if message not in reminders]
    assert len(reminders) == 1
    assert sorted(message.to[0] for message in digests) == sorted(
        [tip_received_on_a_tuesday.supervisor.email, second_supervisor.email]
    )
    # Overdue: the acknowledgement (due 29 Dec); triage stopped when the tip was referred.
    body = digests[0].body
    # Once as the short id (the link's UUID may begin with the same digits: not counted).
    assert len(re.findall(rf"(?<![-/]){tip_received_on_a_tuesday.tip.short_id}(?!-)", body)) == 1
    assert "BP3MI Jakarta" in body and "29 Des 2026" in body
    referral.refresh_from_db()
    assert referral.reminded_at is not None
    # The next day: the digest again (still overdue), but the agency is not reminded twice.
    mail.outbox.clear()
    with at(2026, 12, 31, 7):
        assert escalation.escalate() == (2, 0)
    assert all("pengaduan@bp3mi.test" not in message.to for message in mail.outbox)


def test_every_escalation_message_is_audited(tip_received_on_a_tuesday):
    with at(2026, 12, 22, 11):
        refer(tip_received_on_a_tuesday)
    with at(2026, 12, 30, 7):
        escalation.escalate()
    supervisor = tip_received_on_a_tuesday.supervisor
    assert (
        ModelLogEntry.objects.filter(
            action="reporting.escalation.digest", object_id=str(supervisor.pk)
        ).count()
        == 1
    )
    reminder_logs = ModelLogEntry.objects.filter(
        action="reporting.referral.mailed",
        object_id=str(tip_received_on_a_tuesday.tip.pk),
        data__reminder=True,
    )
    assert reminder_logs.count() == 1


def test_the_escalation_schedule_is_created_once_by_setup(site_setup):
    from io import StringIO

    from django_q.models import Schedule

    from reporting.referrals import bootstrap

    bootstrap.ensure(StringIO())
    bootstrap.ensure(StringIO())
    schedule = Schedule.objects.get(name=bootstrap.ESCALATION_SCHEDULE)
    assert schedule.func == "reporting.referrals.services.escalation.escalate"
    assert (schedule.schedule_type, schedule.cron) == (Schedule.CRON, "0 7 * * *")
    assert timezone.localtime(schedule.next_run).hour == 7
    assert ServiceLevel.objects.count() == len(Tip.Category.values)
    assert ServiceLevel.objects.get(category="tppo").outcome_days == 30
