"""Tips raised by residents, their evidence and their history (see DESIGN.md, reporting).

A tip is addressed by a UUID, never a sequential number. Who reported it is kept only as a Fernet
token (reporting.tips.services.identity); the tracking code the reporter holds is kept only as a keyed
hash (reporting.tips.services.codes). The tip's text, the people it names, notes and the names of
evidence files are encrypted columns, the evidence files encrypted files (pimpasa.encryption); the text is searched through a keyed word index (TipSearchToken,
pimpasa.blind_index). Rules about who may see or change a tip live in the services.
"""

import io
import os
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from offices.models import Office
from pimpasa import blind_index
from pimpasa.encryption import (
    DecryptingReader,
    EncryptedCharField,
    EncryptedTextField,
    EncryptingWriter,
)
from pimpasa.private_files import DIRECTORY_MODE, FILE_MODE, private_directory


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files under settings.PRIVATE_STORAGE_ROOT, which no URL maps to, encrypted.

    The location is read from the settings at each use (tests point it at a temporary folder), and
    url() refuses: evidence is served only through the permission-checked admin views. Files are
    written 0600 in 0700 folders (pimpasa.private_files), as ciphertext (pimpasa.encryption): opened
    through this storage they read as plain content; a copy of the folder reads as noise.
    """

    def __init__(self):
        super().__init__(file_permissions_mode=FILE_MODE, directory_permissions_mode=DIRECTORY_MODE)

    def _save(self, name, content):
        private_directory(Path(self.path(name)).parent)
        while True:
            try:
                descriptor = os.open(self.path(name), os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
                break
            except FileExistsError:
                name = self.get_available_name(name)
        writer = EncryptingWriter(os.fdopen(descriptor, "wb"))
        try:
            for chunk in content.chunks():
                writer.write(chunk)
        except BaseException:
            writer.abandon()
            os.unlink(self.path(name))
            raise
        writer.close()
        return name

    def _open(self, name, mode="rb"):
        if "b" not in mode or any(flag in mode for flag in "wa+"):
            raise ValueError("Private files are read through this storage, in binary mode only.")
        return File(io.BufferedReader(DecryptingReader(open(self.path(name), "rb"))), name)

    def size(self, name):
        with DecryptingReader(open(self.path(name), "rb")) as reader:
            return reader.size

    @property
    def base_location(self):
        return str(settings.PRIVATE_STORAGE_ROOT)

    @property
    def location(self):
        return str(settings.PRIVATE_STORAGE_ROOT)

    def url(self, name):
        raise ValueError("Private files have no public URL.")


private_storage = PrivateStorage()


# The statuses of a closed tip (reporting.tips.services.tips.FINAL_STATUSES), for the partial indexes
# of open tips below.
OPEN_TIP_EXCLUDED = ["closed", "not_actionable"]


# Tip._office_id_as_read when the office was not read (a deferred field, a tip built in memory).
_NOT_READ = object()


class Tip(models.Model):
    class Category(models.TextChoices):
        TPPO = "tppo", _("Trafficking in persons (TPPO)")
        PMI_NON_PROCEDURAL = "pmi", _("Non-procedural migrant work (PMI non-prosedural)")
        FOREIGNER = "foreigner", _("Foreigner / immigration violation")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        VERIFYING = "verifying", _("Being verified")
        FOLLOWED_UP = "followed_up", _("Followed up")
        FORWARDED = "forwarded", _("Forwarded")
        CLOSED = "closed", _("Closed")
        NOT_ACTIONABLE = "not_actionable", _("Not actionable")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(
        "events.Session",
        verbose_name=_("session"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tips",
    )
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    description = EncryptedTextField(_("what happened"))
    area = models.ForeignKey(
        "events.Area",
        verbose_name=_("area"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tips",
    )
    # The office whose tip this is: the area's (or the session's) when it came in, another after a
    # hand-off (reporting.tips.services.handoffs). Filled on the first save when left empty.
    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tips",
    )
    # Set when a hand-off left the reporter's identity behind: only this office's staff may reveal it.
    identity_kept_by = models.ForeignKey(
        Office,
        verbose_name=_("identity kept by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    address = EncryptedCharField(_("address or place"), max_length=250, blank=True)
    rw = models.CharField(_("RW"), max_length=10, blank=True)
    occurred_when = EncryptedCharField(
        _("when"), max_length=100, blank=True, help_text=_("A date, or words such as “since last month”")
    )
    people_involved = EncryptedTextField(_("who is involved"), blank=True)

    is_anonymous = models.BooleanField(_("anonymous"), default=True)
    # A Fernet token of {"name", "contact"}; empty when anonymous or once purged. Never decrypted
    # except through reporting.tips.services.identity.reveal_identity, which checks and audits.
    reporter_identity = models.TextField(_("reporter identity (encrypted)"), blank=True, editable=False)
    identity_consent_at = models.DateTimeField(_("consent to be contacted given at"), null=True, blank=True)
    # Proof of that consent (UU PDP Pasal 24), as for attendances: the privacy notice's live Wagtail
    # revision the reporter read beside the form (cms.privacy), so its exact text can be shown again.
    identity_consent_notice_revision = models.PositiveIntegerField(
        _("privacy notice version agreed to"), null=True, blank=True, editable=False
    )

    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned officer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tips",
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    # The case an officer grouped this tip into with related ones (reporting.tips.related); the tip
    # keeps its own status, history and conversation.
    case = models.ForeignKey(
        "reporting.Case",
        verbose_name=_("case"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tips",
    )
    tracking_code_hash = models.CharField(max_length=64, unique=True, editable=False)
    # A keyed hash of "what happened", normalised (reporting.tips.services.floods): tips saying the
    # same words share it, so a flood can be found and swept without comparing (or reading) the text.
    text_fingerprint = models.CharField(
        _("text fingerprint"), max_length=32, blank=True, editable=False, db_index=True
    )

    created_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    purged_at = models.DateTimeField(
        _("identity and evidence purged at"), null=True, blank=True, editable=False
    )
    # When the reporter was first given a note (TipHistory.save keeps it): the feedback deadline's end,
    # read from the tip itself by every count of overdue tips instead of from the history table.
    first_public_note_at = models.DateTimeField(
        _("first note for the reporter at"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("tip")
        verbose_name_plural = _("tips")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "closed_at"]),
            # The open tips only (a tenth of all, or less): found without reading the closed ones, by
            # the tips list and by the deadlines' counts and lists (reporting.tips.services.overdue).
            # It also holds what the dashboard's counts of open tips read (id, status, assignee, case), so
            # they are counted from the index alone, without visiting the tips' wide encrypted rows.
            models.Index(
                fields=["category", "created_at"],
                include=["id", "status", "assigned_to", "case"],
                name="open_tips_covering",
                condition=~models.Q(status__in=OPEN_TIP_EXCLUDED),
            ),
        ]
        permissions = [
            ("view_reporter_identity", _("Can see who reported a tip")),
            ("view_all_tips", _("Can see the tips of every area")),
            ("share_tip", _("Can share a tip with the Directorate")),
        ]

    def __str__(self):
        return _("%(category)s tip of %(date)s") % {
            "category": self.get_category_display(),
            "date": self.created_at.date().isoformat() if self.created_at else "",
        }

    def save(self, *args, **kwargs):
        if self.office_id is None and (kwargs.get("update_fields") is None):
            self.office_id = self.owning_office_id()
        update_fields = kwargs.get("update_fields")
        moved = not self._state.adding and self._office_changed(update_fields)
        super().save(*args, **kwargs)
        if moved:
            # The audit entries about the tip follow it to its new office (TipLogEntryLink).
            TipLogEntryLink.objects.filter(tip_id=self.pk).update(office_id=self.office_id)
        self._office_id_as_read = self.office_id
        if update_fields is None or set(update_fields) & set(SEARCHABLE_FIELDS):
            TipSearchToken.index(self)

    def _office_changed(self, update_fields):
        if update_fields is not None and "office" not in update_fields and "office_id" not in update_fields:
            return False
        as_read = getattr(self, "_office_id_as_read", _NOT_READ)
        return as_read is _NOT_READ or as_read != self.office_id

    @classmethod
    def from_db(cls, db, field_names, values):
        tip = super().from_db(db, field_names, values)
        # The office it was read with (absent when deferred): see save().
        tip._office_id_as_read = tip.__dict__.get("office_id", _NOT_READ)
        return tip

    def owning_office_id(self):
        """The office a new tip belongs to: its area's, else its session's area's, else the default."""
        if self.area_id is not None:
            return self.area.office_id
        if self.session_id is not None:
            return self.session.area.office_id
        return Office.default().pk

    def short_id_display(self):
        return self.short_id

    short_id_display.short_description = _("Tip")

    @property
    def short_id(self):
        """The first block of the UUID: enough for officers to tell tips apart when talking."""
        return str(self.id).split("-")[0].upper()

    @property
    def has_identity(self):
        return bool(self.reporter_identity)


# The tip's words an officer's search finds (pimpasa.blind_index); notes are not searched.
SEARCHABLE_FIELDS = ("description", "people_involved", "address", "occurred_when")


class TipSearchToken(models.Model):
    """One word of a tip, as a keyed hash (pimpasa.blind_index): what search looks up instead of the
    encrypted text. `key_id` names the index key it was made with, so a key change can be rebuilt."""

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="search_tokens")
    token = models.CharField(max_length=blind_index.DIGEST_HEX, db_index=True)
    key_id = models.CharField(max_length=blind_index.KEY_ID_HEX)

    class Meta:
        verbose_name = _("tip search word")
        verbose_name_plural = _("tip search words")
        constraints = [models.UniqueConstraint(fields=["tip", "token"], name="one_search_token_per_tip")]

    def __str__(self):
        return self.token

    @classmethod
    def index(cls, tip):
        """Replace the tip's words with those of its text now, under the newest index key."""
        texts = [getattr(tip, field) for field in SEARCHABLE_FIELDS]
        key_id = blind_index.key_id()
        cls.objects.filter(tip=tip).delete()
        cls.objects.bulk_create(
            [
                cls(tip=tip, token=token, key_id=key_id)
                for token in sorted(blind_index.document_tokens(*texts))
            ]
        )


class TipHistory(models.Model):
    """One event in a tip's life. Public entries are shown to the reporter on the status page."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Received")
        STATUS = "status", _("Status changed")
        ASSIGNMENT = "assignment", _("Assigned")
        FORWARD = "forward", _("Forwarded")
        INTERNAL_NOTE = "internal_note", _("Internal note")
        PUBLIC_NOTE = "public_note", _("Note for the reporter")
        DUPLICATE = "duplicate", _("Marked as duplicate")
        PURGED = "purged", _("Identity and evidence purged")
        REFERRED = "referred", _("Referred to an agency")
        REFERRAL_RECEIVED = "referral_ack", _("Referral received by the agency")
        REFERRAL_OUTCOME = "referral_outcome", _("Agency's outcome")
        REFERRAL_REVOKED = "referral_revoked", _("Referral link revoked")
        REFERRAL_IDENTITY = "identity_shared", _("Identity sharing approved")
        MESSAGE = "message", _("Message to the reporter")
        REPLY = "reply", _("Reporter's answer")
        MESSAGE_SHARED = "message_shared", _("Reporter's message shared with an agency")
        HANDED_OVER = "handed_over", _("Handed over to another office")
        CASE = "case", _("Case")
        SHARED = "shared_national", _("Shared with the Directorate")
        SHARE_WITHDRAWN = "share_withdrawn", _("Sharing with the Directorate withdrawn")

    class ForwardTarget(models.TextChoices):
        BP3MI = "bp3mi", _("BP3MI")
        POLRI = "polri", _("Police (Polri)")
        INTELLIGENCE = "intelligence", _("Intelligence and enforcement division")

    tip = models.ForeignKey(Tip, verbose_name=_("tip"), on_delete=models.CASCADE, related_name="history")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    from_status = models.CharField(_("from status"), max_length=16, choices=Tip.Status.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=16, choices=Tip.Status.choices, blank=True)
    forwarded_to = models.CharField(
        _("forwarded to"), max_length=16, choices=ForwardTarget.choices, blank=True
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Steps of a referral (sent, received, outcome, ...) name it; the agency's text stays internal.
    # A tip put into a case or taken out of one names the case.
    case = models.ForeignKey(
        "reporting.Case",
        verbose_name=_("case"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="history",
    )
    referral = models.ForeignKey(
        "reporting.Referral",
        verbose_name=_("referral"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="history",
    )
    note = EncryptedTextField(_("note"), blank=True)
    is_public = models.BooleanField(_("shown to the reporter"), default=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("tip history entry")
        verbose_name_plural = _("tip history")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["tip", "is_public"]),
            # "Has the reporter been given a note yet?", asked of every open tip by the deadlines.
            models.Index(fields=["tip", "kind"], name="tip_history_by_kind"),
            # The set of tips given a note (the deadlines' "feedback" clock), read whole by every count of
            # overdue tips: a third of all history rows at a national office's volume, read here from a
            # small index instead of the history table.
            models.Index(fields=["tip"], name="public_notes_by_tip", condition=models.Q(kind="public_note")),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d %H:%M})"

    def save(self, *args, **kwargs):
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding and self.kind == self.Kind.PUBLIC_NOTE:
            Tip.objects.filter(pk=self.tip_id, first_public_note_at__isnull=True).update(
                first_public_note_at=self.created_at
            )


class TipHandoff(models.Model):
    """A tip handed from one office to another (reporting.tips.services.handoffs): who, when, why, and
    whether the reporter's identity went with it. The tip's clocks run on from its arrival."""

    tip = models.ForeignKey(Tip, verbose_name=_("tip"), on_delete=models.CASCADE, related_name="handoffs")
    from_office = models.ForeignKey(
        Office, verbose_name=_("from office"), on_delete=models.PROTECT, related_name="+"
    )
    to_office = models.ForeignKey(
        Office, verbose_name=_("to office"), on_delete=models.PROTECT, related_name="+"
    )
    reason = EncryptedTextField(_("reason"), blank=True)
    identity_travelled = models.BooleanField(_("reporter's identity went with it"), default=False)
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handed over by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("hand-off to another office")
        verbose_name_plural = _("hand-offs to other offices")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.from_office} → {self.to_office}"


class TipLogEntryLink(models.Model):
    """An audit entry about a tip (Wagtail's ModelLogEntry, which names its object only by its key as
    text) linked to the tip and to the tip's office, kept as the tip moves (Tip.save). The audit log
    finds the entries a reader may see through these links (reporting.tips.scoping.log_entry_ids_for):
    matching every entry's text key against the reader's tips took most of a page at a national
    office's 100,000 entries. Made for each new entry by reporting.tips.audit_links."""

    entry = models.OneToOneField(
        "wagtailcore.ModelLogEntry", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="+")
    # Found through the index below (its first column), not one of its own.
    office = models.ForeignKey(Office, null=True, on_delete=models.SET_NULL, related_name="+", db_index=False)

    class Meta:
        verbose_name = _("audit entry about a tip")
        verbose_name_plural = _("audit entries about tips")
        indexes = [
            # A supervisor's entries: those of their office, read from the index alone.
            models.Index(fields=["office", "entry"], name="tip_log_entries_by_office"),
        ]

    def __str__(self):
        return f"{self.entry_id} → {self.tip_id}"


class TipShare(models.Model):
    """A tip shared by its office with the Directorate's national monitoring team
    (reporting.tips.services.shares): who, when, why, and when it was withdrawn. At most one share of a
    tip is in force (withdrawn_at empty); the national team reads that tip, never its reporter."""

    tip = models.ForeignKey(Tip, verbose_name=_("tip"), on_delete=models.CASCADE, related_name="shares")
    note = EncryptedTextField(_("why it is shared"))
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("shared by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    shared_at = models.DateTimeField(_("shared at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("tip shared with the Directorate")
        verbose_name_plural = _("tips shared with the Directorate")
        ordering = ["-shared_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tip"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_share_in_force_per_tip",
            )
        ]

    def __str__(self):
        return f"{self.tip.short_id} ({self.shared_at:%Y-%m-%d})"


class TriageDraft(models.Model):
    """What one officer typed in a tip's triage form and did not save, kept while they use another
    button of the tip's page (reporting.tips.drafts): sealed with the Fernet keys, for a few hours,
    deleted when read, when the officer saves or logs out, and when the tip's data is purged."""

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="triage_drafts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sealed = models.TextField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tip", "user"], name="one_triage_draft_per_officer")]

    def __str__(self):
        return f"triage draft {self.pk}"


def evidence_file_name(instance, filename):
    # The name on disk says nothing about the tip or the reporter's own file name.
    return f"evidence/{uuid.uuid4().hex}{instance.extension}"


class Evidence(models.Model):
    """A file the reporter attached: type decided by its content, stored inert and without identifying
    metadata. A large file is cleaned by the task worker: until then it is "pending" (kept as it arrived
    in private storage, never served or shared); a file the worker refuses is "refused", with no file
    and the code of its reason (reporting.tips.services.evidence.REFUSALS)."""

    class State(models.TextChoices):
        READY = "ready", _("Ready")
        PENDING = "pending", _("Being processed")
        REFUSED = "refused", _("Refused")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tip = models.ForeignKey(Tip, verbose_name=_("tip"), on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=evidence_file_name, max_length=200, blank=True
    )
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    original_name = EncryptedCharField(
        _("original name"), max_length=120, blank=True, help_text=_("Sanitised; for display only")
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    purged_at = models.DateTimeField(_("file deleted at"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.READY)
    refusal = models.CharField(_("reason refused"), max_length=40, blank=True)

    EXTENSIONS = {
        "image/jpeg": ".jpg",
        "image/png": ".png",
        "image/webp": ".webp",
        "application/pdf": ".pdf",
        "video/mp4": ".mp4",
        "video/quicktime": ".mov",
    }

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.original_name or str(self.id)

    @property
    def extension(self):
        return self.EXTENSIONS.get(self.content_type, "")

    @property
    def is_image(self):
        return self.content_type.startswith("image/")

    @property
    def is_ready(self):
        return self.state == self.State.READY and bool(self.file)

    @property
    def download_name(self):
        """A safe attachment name: the tip's short id and a counter-free suffix from the content type."""
        return f"bukti-{self.tip.short_id}-{str(self.id)[:8]}{self.extension}"
