"""Messages between the office and a tip's reporter.

A message is written by the office (an officer's question, shown to the reporter as "the officer", never
by name) or by the reporter (an answer typed on the status page by tracking code, with or without more
evidence). Its text is an encrypted column (pimpasa.encryption); the files a reporter adds later are
ordinary Evidence rows (cleaned, encrypted and purged like the first ones) linked to the message that
brought them. Each message also has a history entry, so the tip's history tells when it was written.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pimpasa.encryption import EncryptedTextField


class Message(models.Model):
    class Author(models.TextChoices):
        OFFICE = "office", _("The office")
        REPORTER = "reporter", _("The reporter")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tip = models.ForeignKey(
        "reporting.Tip", verbose_name=_("tip"), on_delete=models.CASCADE, related_name="messages"
    )
    author = models.CharField(_("written by"), max_length=10, choices=Author.choices)
    # Empty only for a reporter's message that brought files and no words.
    body = EncryptedTextField(_("message"), blank=True)
    # Who wrote an office message (for the officers; the reporter never sees it). None for the reporter.
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = models.OneToOneField(
        "reporting.TipHistory",
        verbose_name=_("history entry"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="message",
    )
    # Files the reporter added with this message (late evidence).
    evidence = models.ManyToManyField(
        "reporting.Evidence", verbose_name=_("evidence added"), blank=True, related_name="messages"
    )
    # Agencies this reporter's message was shared with, chosen one by one on a referral.
    shared_with = models.ManyToManyField(
        "reporting.Referral", verbose_name=_("shared with"), blank=True, related_name="shared_messages"
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True, db_index=True)
    # Read by the other side: an office message by the reporter (on the status page), a reporter's
    # message by an officer (on the tip's page). Unread messages carry the "new" mark.
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message with the reporter")
        verbose_name_plural = _("messages with the reporter")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["tip", "author", "read_at"], name="conversation_unread")]

    def __str__(self):
        return f"{self.get_author_display()} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def from_reporter(self):
        return self.author == self.Author.REPORTER


class SpentReplyForm(models.Model):
    """A reply form (one page view of a tip's status, see access.py) that has sent something.

    Kept in the database rather than the cache: a form must be used once even while Redis is down,
    and the reporter must still be able to answer then. Only a keyed hash of the view's id is stored;
    an hourly task forgets the rows once no token of theirs can still be valid."""

    view = models.CharField(max_length=32, unique=True)
    spent_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"reply form spent at {self.spent_at:%Y-%m-%d %H:%M}"
