"""Related tips' data: the keyed fingerprints of what each tip says (TipFingerprint), the worker's
note of its last look at a tip (FingerprintRun) and the cases officers group tips into (Case).

Nothing here is readable text: a fingerprint is an HMAC under the search index's key
(pimpasa.blind_index), so two tips saying the same phone number share a token while the token says
nothing of the number without the key. A photo's perceptual hash is kept encrypted beside its bands'
tokens, for the distance between two similar photos.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pimpasa import blind_index
from pimpasa.encryption import EncryptedCharField


class Case(models.Model):
    """Related tips handled as one: one status and one officer for the case; each tip keeps its own
    status, history and conversation with its reporter."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        INVESTIGATING = "investigating", _("Under investigation")
        CLOSED = "closed", _("Closed")

    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer in charge"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at"]

    def __str__(self):
        return self.number

    @property
    def number(self):
        """What officers call the case: K-00042."""
        return f"K-{self.pk:05d}" if self.pk else "K-?"


class TipFingerprint(models.Model):
    """One thing a tip says (a phone number, a name, an organisation, an address, a photo's band), as
    a keyed token. Tips sharing a token share that thing."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("Phone number")
        NAME = "name", _("Name of a person")
        ORGANISATION = "organisation", _("Company or agency")
        ADDRESS = "address", _("Address or RW")
        PHOTO = "photo", _("Similar photo")

    tip = models.ForeignKey("reporting.Tip", on_delete=models.CASCADE, related_name="fingerprints")
    # The photo a PHOTO row is a band of (its evidence file); None for what the text says.
    evidence = models.ForeignKey(
        "reporting.Evidence", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    token = models.CharField(max_length=blind_index.DIGEST_HEX)
    key_id = models.CharField(max_length=blind_index.KEY_ID_HEX)
    # How much sharing this says (reporting.tips.related.services.extraction: 3 strong, 2, 1 weak).
    weight = models.PositiveSmallIntegerField(default=1)
    # A PHOTO row's whole perceptual hash (16 hex digits), encrypted; "" for the other kinds.
    photo_hash = EncryptedCharField(max_length=16, blank=True)

    class Meta:
        verbose_name = _("tip fingerprint")
        verbose_name_plural = _("tip fingerprints")
        indexes = [
            # The related panel's one lookup: the tips sharing any of a tip's tokens (index-only on
            # PostgreSQL, which also counts a token's tips from it for the document-frequency cap).
            models.Index(fields=["token", "tip"], include=["kind", "weight"], name="fingerprint_by_token"),
            models.Index(fields=["key_id"], name="fingerprint_by_key"),
        ]

    def __str__(self):
        return f"{self.kind} {self.token}"


class FingerprintCount(models.Model):
    """How many tips carry a token (its document frequency), kept by the worker each time it
    fingerprints a tip with it: the related panel leaves out a token more than
    PIMPASA_RELATED_MAX_TIPS_PER_VALUE tips share without counting them on the request. Two workers
    writing the same token at the same moment may leave it one short until the next tip with it."""

    token = models.CharField(max_length=blind_index.DIGEST_HEX, primary_key=True)
    tips = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("tips per fingerprint")
        verbose_name_plural = _("tips per fingerprint")

    def __str__(self):
        return f"{self.token} {self.tips}"


class FingerprintRun(models.Model):
    """The worker's last look at a tip: when, and what it could not do (a photo it could not read,
    nothing to compare in the text), shown on the tip's page."""

    class Note(models.TextChoices):
        NOTHING_FOUND = "nothing_found", _("No phone number, name, organisation, address or photo was found.")
        PHOTO_UNREADABLE = "photo_unreadable", _("A photo could not be read, so it is not compared.")

    tip = models.OneToOneField(
        "reporting.Tip", on_delete=models.CASCADE, primary_key=True, related_name="fingerprint_run"
    )
    done_at = models.DateTimeField(_("looked at"))
    found = models.PositiveIntegerField(_("fingerprints"), default=0)
    notes = models.CharField(_("notes"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("fingerprinting of a tip")
        verbose_name_plural = _("fingerprinting of tips")

    def __str__(self):
        return f"{self.tip_id} {self.done_at:%Y-%m-%d %H:%M}"

    @property
    def note_labels(self):
        labels = dict(self.Note.choices)
        return [labels[code] for code in self.notes.split(",") if code in labels]
