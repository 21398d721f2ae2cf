"""Where the conversation with a tip's reporter (reporting.tips.conversation) meets the office's
calendar and the agencies: the working-day clock for answering the reporter, and a reporter's later
message or file shared with an agency through an open referral. They live here because the calendar and
the referrals do, and tips never import referrals."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from reporting.referrals.models import Referral
from reporting.tips.conversation import services as conversation
from reporting.tips.models import TipHistory
from reporting.tips.services import tips as tip_service

from . import clocks, working_days


@dataclass(frozen=True)
class AnswerClock:
    """The office's deadline to answer the reporter: PIMPASA_REPLY_ANSWER_DAYS working days from the
    oldest answer not yet answered, with the four clocks' states (clocks.state_on)."""

    started_on: date
    due_on: date
    state: str

    label = _("Answer the reporter")

    @property
    def state_label(self):
        return clocks.State(self.state).label


def answer_clock(tip, messages, day=None):
    """The answer clock of an open tip whose reporter waits for the office; None otherwise."""
    waiting = conversation.unanswered(messages)
    if not waiting or not conversation.accepts_messages(tip):
        return None
    started_on = working_days.local_date(waiting[0].created_at)
    due_on = working_days.add_working_days(started_on, settings.PIMPASA_REPLY_ANSWER_DAYS)
    return AnswerClock(started_on, due_on, clocks.state_on(due_on, day or working_days.today()))


def open_referrals(tip):
    """The referrals of `tip` still waiting on their agency: what a reporter's item can be shared with."""
    return [referral for referral in tip.referrals.select_related("agency") if referral.is_open]


@transaction.atomic
def share(tip, user, referral, *, message=None, evidence=None):
    """Share one reporter's message, or one file the reporter added later, with an agency through its
    open referral: chosen item by item, recorded in the tip's history and the audit log like the
    referral's other shared items. The agency reads it; it never writes to the reporter."""
    if not tip_service.can_change(user, tip):
        raise PermissionDenied
    referral = Referral.objects.select_related("agency").select_for_update().get(pk=referral.pk)
    if referral.tip_id != tip.pk or not referral.is_open:
        raise conversation.ConversationError(
            _("This referral is closed: nothing more can be shared through it."), code="closed"
        )
    if message is not None:
        if message.tip_id != tip.pk or not message.from_reporter:
            raise conversation.ConversationError(
                _("Only the reporter's own messages can be shared."), code="not_reporter"
            )
        message.shared_with.add(referral)
        item = {"message": str(message.pk)}
    else:
        late = evidence is not None and evidence.tip_id == tip.pk and evidence.messages.exists()
        if not late or not evidence.is_ready:
            raise conversation.ConversationError(_("This file cannot be shared."), code="not_shareable")
        referral.shared_evidence.add(evidence)
        item = {"evidence": str(evidence.pk)}
    entry = TipHistory.objects.create(
        tip=tip, kind=TipHistory.Kind.MESSAGE_SHARED, actor=user, referral=referral
    )
    log(
        tip,
        "reporting.tip.message_shared",
        user=user,
        data={"history": entry.pk, "referral": str(referral.pk), "agency": referral.agency.name, **item},
    )
    return entry
