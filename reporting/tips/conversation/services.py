"""The rules of the conversation with a tip's reporter, without HTTP.

- The office asks (ask): from the tip's triage form, by an officer who may change the tip. The reporter
  sees "the officer", never a name, and never an internal note.
- The reporter answers (reply): by tracking code on the status page, with words, more evidence, or both.
  Files go through the same checks, cleaning, limits and storage as the first submission
  (reporting.tips.services.evidence); the message and its files are recorded in one transaction, so a
  refused file saves nothing.
- A closed tip (closed or not actionable) or one whose data was purged accepts nothing more.
- Flags: the last message says whether the office waits for the reporter or the reporter answered (the
  working-day clock for the office's answer, and sharing a reporter's items with an agency, are in
  reporting.referrals.services.conversation: the office's calendar and the referrals live there);
  a question left unanswered for PIMPASA_QUESTION_UNANSWERED_DAYS lets the officer close the tip as
  unverifiable with a note the reporter reads.

Nothing here asks the reporter who they are: a name and contact exist only if they gave them, with
consent, on the tip form.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from reporting.tips import scoping as tip_scoping
from reporting.tips.models import Evidence, Tip, TipHistory
from reporting.tips.related.services import fingerprints as related_fingerprints
from reporting.tips.services import evidence as evidence_service
from reporting.tips.services import tips as tip_service

from .models import Message

Author = Message.Author

# Long enough for a careful account, short enough that a pasted book is refused with the reason.
MAX_CHARS = 4000
# Files a reporter may add after the first submission, in all: MAX_FILES per answer, this many per tip.
MAX_LATE_FILES = 20


class ConversationError(ValidationError):
    """A message refused; the text says why, for whoever wrote it."""


class Closed(ConversationError):
    """The tip accepts no more messages or files: closed, not actionable, or its data purged."""

    def __init__(self):
        super().__init__(
            _("This report is closed: it no longer takes messages or files. Thank you for your help."),
            code="closed",
        )


def accepts_messages(tip):
    return tip.purged_at is None and tip.status not in tip_service.FINAL_STATUSES


def _check_body(body, *, required):
    body = (body or "").strip()
    if required and not body:
        raise ConversationError(_("Write the message first."), code="empty")
    if len(body) > MAX_CHARS:
        raise ConversationError(
            _("The message is too long: at most %(max)d characters (it has %(count)d)."),
            code="too_long",
            params={"max": MAX_CHARS, "count": len(body)},
        )
    return body


# --- the office asks ---------------------------------------------------------------------------------


@transaction.atomic
def ask(tip, user, body):
    """An officer's message to the reporter; recorded in the tip's history and the audit log."""
    if not tip_service.can_change(user, tip):
        raise PermissionDenied
    body = _check_body(body, required=True)
    tip = Tip.objects.select_for_update().get(pk=tip.pk)
    if not accepts_messages(tip):
        raise ConversationError(
            _(
                "This tip is closed: the reporter can no longer answer. Reopen it (status “Being verified”) first."
            ),
            code="closed",
        )
    entry = TipHistory.objects.create(tip=tip, kind=TipHistory.Kind.MESSAGE, actor=user)
    message = Message.objects.create(tip=tip, author=Author.OFFICE, body=body, officer=user, history=entry)
    log(tip, "reporting.tip.message", user=user, data={"history": entry.pk})
    return message


# --- the reporter answers -----------------------------------------------------------------------------


def check_late_files(tip, count):
    """ConversationError when `count` more files would pass the tip's allowance of late evidence."""
    if not count:
        return
    already = Evidence.objects.filter(tip=tip, messages__isnull=False).count()
    if already + count > MAX_LATE_FILES:
        raise ConversationError(
            _("This report already has %(count)d files added later; at most %(max)d can be added."),
            code="too_many_late_files",
            params={"count": already, "max": MAX_LATE_FILES},
        )


def reply(tip, body, prepared_files=()):
    """The reporter's answer (words, files or both), all recorded or nothing. Returns the message."""
    body = _check_body(body, required=not prepared_files)
    stored = []
    try:
        with transaction.atomic():
            tip = Tip.objects.select_for_update().get(pk=tip.pk)
            if not accepts_messages(tip):
                raise Closed()
            check_late_files(tip, len(prepared_files))
            entry = TipHistory.objects.create(tip=tip, kind=TipHistory.Kind.REPLY)
            message = Message.objects.create(tip=tip, author=Author.REPORTER, body=body, history=entry)
            for prepared in prepared_files:
                stored.append(evidence_service.store(tip, prepared))
            message.evidence.add(*stored)
            log(tip, "reporting.tip.reply", user=None, data={"history": entry.pk, "evidence": len(stored)})
            evidence_service.queue_cleaning(stored)
            # Late evidence (words or photos) may link the tip to others: the worker looks again.
            related_fingerprints.queue(tip.pk)
    except Exception:
        # The rows are rolled back; files written so far must not outlive them.
        for item in stored:
            evidence_service.delete_file(item)
        raise
    return message


# --- reading ------------------------------------------------------------------------------------------


def messages_of(tip):
    """The conversation, oldest first, with the files each message brought and the referrals each
    message or file was shared with (a fixed number of queries)."""
    return list(
        tip.messages.select_related("officer").prefetch_related(
            Prefetch(
                "evidence",
                queryset=Evidence.objects.order_by("created_at", "id").prefetch_related("referrals"),
            ),
            "shared_with",
        )
    )


def _mark_read(messages, author):
    """Mark the unread messages written by `author` read now; returns their ids (the "new" ones)."""
    unread = [message for message in messages if message.author == author and message.read_at is None]
    if unread:
        now = timezone.now()
        Message.objects.filter(pk__in=[message.pk for message in unread]).update(read_at=now)
    return {message.pk for message in unread}


def read_by_reporter(messages):
    """The reporter's status page shows `messages`: the office's unread ones are "new" this once."""
    return _mark_read(messages, Author.OFFICE)


def read_by_office(messages):
    """An officer's tip page shows `messages`: the reporter's unread ones are "new" this once."""
    return _mark_read(messages, Author.REPORTER)


class Flag:
    WAITING_FOR_REPORTER = "waiting_for_reporter"
    REPORTER_ANSWERED = "reporter_answered"

    LABELS = {
        WAITING_FOR_REPORTER: _("Waiting for the reporter"),
        REPORTER_ANSWERED: _("The reporter answered"),
    }


class ListFilter:
    """The tips list's "Conversation" filter: the flags above, and answers no officer has read yet."""

    UNREAD = "unread"

    CHOICES = [
        (UNREAD, _("Unread answers from the reporter")),
        (Flag.REPORTER_ANSWERED, Flag.LABELS[Flag.REPORTER_ANSWERED]),
        (Flag.WAITING_FOR_REPORTER, Flag.LABELS[Flag.WAITING_FOR_REPORTER]),
    ]


def with_conversation_state(tips):
    """`tips` annotated, in the same query, with who wrote last (`last_message_author`, None before any
    message) and the reporter's unread messages (`unread_from_reporter`): a list of many tips shows and
    filters its flags without a query per row."""
    messages = Message.objects.filter(tip=OuterRef("pk"))
    unread = (
        messages.filter(author=Author.REPORTER, read_at__isnull=True)
        .order_by()
        .values("tip")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return tips.annotate(
        last_message_author=Subquery(messages.order_by("-created_at", "-id").values("author")[:1]),
        unread_from_reporter=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0)),
    )


def filter_by_conversation(tips, choice):
    """Tips (annotated by with_conversation_state) whose conversation is in the state `choice` names."""
    if choice == ListFilter.UNREAD:
        return tips.filter(unread_from_reporter__gt=0)
    if choice == Flag.REPORTER_ANSWERED:
        return tips.filter(last_message_author=Author.REPORTER)
    if choice == Flag.WAITING_FOR_REPORTER:
        return tips.filter(last_message_author=Author.OFFICE)
    return tips


def list_flag(tip):
    """The flag of a tip annotated by with_conversation_state: (label, unread count), or None."""
    if tip.last_message_author is None:
        return None
    state = (
        Flag.REPORTER_ANSWERED if tip.last_message_author == Author.REPORTER else Flag.WAITING_FOR_REPORTER
    )
    return Flag.LABELS[state], tip.unread_from_reporter


def flag(messages):
    """Who the conversation waits for, from its last message (None before anything was written)."""
    if not messages:
        return None
    return Flag.REPORTER_ANSWERED if messages[-1].from_reporter else Flag.WAITING_FOR_REPORTER


def unanswered(messages):
    """The reporter's messages since the office last wrote."""
    waiting = []
    for message in messages:
        waiting = waiting + [message] if message.from_reporter else []
    return waiting


# --- a question nobody answers -------------------------------------------------------------------------


def unanswered_since(messages):
    """When the office's last question was written, if the reporter has not answered it."""
    if flag(messages) != Flag.WAITING_FOR_REPORTER:
        return None
    return messages[-1].created_at


def may_close_unverifiable(tip, messages, now=None):
    since = unanswered_since(messages)
    if since is None or not accepts_messages(tip):
        return False
    now = now or timezone.now()
    return now - since >= datetime.timedelta(days=settings.PIMPASA_QUESTION_UNANSWERED_DAYS)


def close_unverifiable(tip, user, note, now=None):
    """Close a tip whose question went unanswered: "not actionable" (or "closed" where the tip can no
    longer become that), with `note` shown to the reporter on the status page."""
    note = (note or "").strip()
    if not note:
        raise ConversationError(
            _("Write a note for the reporter saying why the tip is closed."), code="empty_note"
        )
    _check_body(note, required=True)
    if not may_close_unverifiable(tip, messages_of(tip), now):
        raise ConversationError(
            _(
                "No question has waited %(days)d days for the reporter's answer: the tip cannot be closed "
                "as unverifiable."
            ),
            code="too_early",
            params={"days": settings.PIMPASA_QUESTION_UNANSWERED_DAYS},
        )
    allowed = tip_service.TRANSITIONS[Tip.Status(tip.status)]
    target = Tip.Status.NOT_ACTIONABLE if Tip.Status.NOT_ACTIONABLE in allowed else Tip.Status.CLOSED
    return tip_service.change_status(
        tip,
        user,
        target,
        note=str(_("Closed as unverifiable: the reporter did not answer.")),
        public_note=note,
    )


# --- the dashboard and the digest ---------------------------------------------------------------------


def unread_replies_per_officer(tips):
    """[(officer id or None, count)] of the reporter's unread messages on `tips`, most first (one query)."""
    rows = (
        Message.objects.filter(author=Author.REPORTER, read_at__isnull=True, tip__in=tips)
        .values("tip__assigned_to")
        .annotate(count=Count("pk"))
        .order_by("-count", "tip__assigned_to")
    )
    return [(row["tip__assigned_to"], row["count"]) for row in rows]


def unread_replies_for(user):
    """The unread replies of the tips `user` may see, per assigned officer: [(user or None, count)]."""
    rows = unread_replies_per_officer(tip_scoping.tips_for(user).values("pk"))
    officers = get_user_model().objects.in_bulk([pk for pk, _count in rows if pk is not None])
    return [(officers.get(pk) if pk is not None else None, count) for pk, count in rows]
