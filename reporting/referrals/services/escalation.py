"""The daily escalation run: one digest of overdue items and of reporters' answers no officer has read
yet (per assigned officer) to each supervisor, and one reminder to an agency whose acknowledgement is
overdue. Nothing is sent when nothing is overdue or unread; each message is in the audit log (the
digest on the supervisor it went to, the reminder on the tip)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.log_actions import log

from pimpasa.roles import SUPERVISOR
from reporting.referrals.models import Referral
from reporting.tips.conversation import services as conversation
from reporting.tips.models import Tip
from reporting.tips.services import tips as tip_service

from . import clocks, working_days
from . import referrals as referral_service


def overdue_items(day=None):
    """[(tip, clock)] for every overdue clock of every open tip, most overdue first."""
    day = day or working_days.today()
    levels = clocks.service_levels()
    tips = clocks.with_clock_data(
        Tip.objects.exclude(status__in=tip_service.FINAL_STATUSES).select_related("area")
    ).order_by("created_at")
    items = [
        (tip, clock)
        for tip in tips
        for clock in clocks.tip_clocks(tip, levels, day)
        if clock.state == clocks.State.OVERDUE
    ]
    return sorted(items, key=lambda item: item[1].due_on)


def unread_answers():
    """[(officer or None, count)] of the reporters' answers no officer has read yet on open tips, per
    assigned officer, most first (reporting.tips.conversation's read marks)."""
    open_tips = Tip.objects.exclude(status__in=tip_service.FINAL_STATUSES).values("pk")
    rows = conversation.unread_replies_per_officer(open_tips)
    officers = get_user_model().objects.in_bulk([pk for pk, _count in rows if pk is not None])
    return [(officers.get(pk) if pk is not None else None, count) for pk, count in rows]


def escalate():
    """The daily task (django-q). Returns (digests sent, reminders sent)."""
    items = overdue_items()
    unread = unread_answers()
    reminders = 0
    for _tip, clock in items:
        if clock.kind == clocks.Kind.ACKNOWLEDGE:
            try:
                reminders += remind_agency(clock.referral)
            except referral_service.ReferralError:
                continue  # an agency left with no address; the supervisors' digest still names it
    digests = send_digests(items, unread) if items or unread else 0
    return digests, reminders


def send_digests(items, unread=()):
    supervisors = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=SUPERVISOR)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    sent = 0
    for supervisor in supervisors:
        with translation.override(settings.LANGUAGE_CODE):
            context = {
                "supervisor": supervisor,
                "items": [
                    {
                        "tip": tip,
                        "clock": clock,
                        "url": settings.PIMPASA_PUBLIC_URL + reverse("laporan:edit", args=[tip.pk]),
                    }
                    for tip, clock in items
                ],
                "count": len(items),
                "unread": [
                    {
                        "officer": officer.get_full_name() or officer.get_username() if officer else None,
                        "count": count,
                    }
                    for officer, count in unread
                ],
                "unread_total": sum(count for _officer, count in unread),
            }
            subject = render_to_string("reporting/referrals/email/digest_subject.txt", context).strip()
            body = render_to_string("reporting/referrals/email/digest.txt", context)
        send_mail(subject, body, None, [supervisor.email])
        log(
            supervisor,
            "reporting.escalation.digest",
            user=None,
            data={"items": len(items), "unread_answers": sum(count for _officer, count in unread)},
        )
        sent += 1
    return sent


@transaction.atomic
def remind_agency(referral):
    """Remind the agency once (a row lock makes a second run, or a parallel one, send nothing)."""
    referral = Referral.objects.select_for_update().select_related("tip", "agency").get(pk=referral.pk)
    if referral.reminded_at is not None or referral.acknowledged_at is not None or not referral.is_open:
        return 0
    referral.reminded_at = timezone.now()
    referral.save(update_fields=["reminded_at"])
    referral_service.mail_agency(referral, "reminder", {}, user=None, audit_data={"reminder": True})
    return 1
