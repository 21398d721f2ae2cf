"""Tips handed to other agencies: the agencies and their addresses, the service levels (working days
each step of a tip may take, per category), the referrals and the refused-link counter.

A referral's link needs no account: it carries a random token signed with the site's key; only the
token's SHA-256 is stored (reporting.referrals.services.referrals), so a copy of the database opens no
link. These models keep the app label `reporting` (reporting/models.py gathers them), so their tables
and migrations are those of the reporting app.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable

from offices.models import Office
from pimpasa import phones
from pimpasa.encryption import EncryptedCharField, EncryptedTextField
from reporting.tips.models import Tip

# Working days each step may take when a supervisor has not set a category's service level.
DEFAULT_SERVICE_DAYS = {"triage": 3, "acknowledge": 3, "outcome": 30, "feedback": 14}


class Agency(ClusterableModel):
    """An agency of TIMPORA (or a village's officers) that takes tips from the office."""

    class Kind(models.TextChoices):
        BP3MI = "bp3mi", _("BP3MI")
        POLRI = "polri", _("Police (Polri)")
        DISNAKER = "disnaker", _("Labour office (Disnaker)")
        DUKCAPIL = "dukcapil", _("Civil registry (Dukcapil)")
        KEMLU = "kemlu", _("Foreign ministry / mission abroad (Kemlu/perwakilan)")
        DESA = "desa", _("Village (desa, Babinsa, Bhabinkamtibmas)")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    areas = models.ManyToManyField(
        "events.Area",
        verbose_name=_("areas covered"),
        blank=True,
        related_name="agencies",
        help_text=_("None: the agency covers every area."),
    )
    offices = models.ManyToManyField(
        Office,
        verbose_name=_("offices working with it"),
        blank=True,
        related_name="agencies",
        help_text=_("The immigration offices that refer tips to this agency. None: every office."),
    )
    whatsapp = models.CharField(
        _("WhatsApp number"), max_length=30, blank=True, help_text=_("Optional, e.g. 0811-1234-567")
    )
    is_active = models.BooleanField(
        _("takes referrals"), default=True, help_text=_("Untick to stop offering this agency.")
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("areas"),
        FieldPanel("offices"),
        InlinePanel("contacts", label=_("E-mail addresses"), min_num=1),
        FieldPanel("whatsapp"),
        FieldPanel("is_active"),
    ]

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        # One spelling (+62…) whatever was typed, so that the wa.me link always works.
        if self.whatsapp:
            try:
                self.whatsapp = phones.normalise_mobile(self.whatsapp)
            except ValidationError as error:
                raise ValidationError({"whatsapp": error.messages}) from error


class AgencyContact(Orderable):
    """One address a referral's message goes to (a desk, a person)."""

    agency = ParentalKey(Agency, on_delete=models.CASCADE, related_name="contacts")
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name or desk"), max_length=100, blank=True)

    panels = [FieldPanel("email"), FieldPanel("name")]

    class Meta(Orderable.Meta):
        verbose_name = _("agency contact")
        verbose_name_plural = _("agency contacts")

    def __str__(self):
        return f"{self.name} <{self.email}>" if self.name else self.email


def _days_field(label, default):
    return models.PositiveSmallIntegerField(
        label, default=default, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )


class ServiceLevel(models.Model):
    """How many working days each step of a tip of one category may take."""

    category = models.CharField(_("category"), max_length=12, choices=Tip.Category.choices, unique=True)
    triage_days = _days_field(_("first triage (working days)"), DEFAULT_SERVICE_DAYS["triage"])
    acknowledge_days = _days_field(
        _("referral acknowledged (working days)"), DEFAULT_SERVICE_DAYS["acknowledge"]
    )
    outcome_days = _days_field(_("referral outcome (working days)"), DEFAULT_SERVICE_DAYS["outcome"])
    feedback_days = _days_field(
        _("feedback to the reporter (working days)"), DEFAULT_SERVICE_DAYS["feedback"]
    )

    class Meta:
        verbose_name = _("service level")
        verbose_name_plural = _("service levels")
        ordering = ["category"]

    def __str__(self):
        return str(self.get_category_display())

    def days_for(self, kind):
        return getattr(self, f"{kind}_days")


class Referral(models.Model):
    """A tip handed to an agency: what was shared with it, its link, and what the agency answered."""

    class Outcome(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        ACTED_ON = "acted_on", _("Acted on")
        NOT_OUR_MATTER = "not_our_matter", _("Not our matter")
        CLOSED = "closed", _("Closed")

    # The outcomes that end the agency's part (and stop the outcome clock).
    FINAL_OUTCOMES = (Outcome.ACTED_ON, Outcome.NOT_OUR_MATTER, Outcome.CLOSED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tip = models.ForeignKey(Tip, verbose_name=_("tip"), on_delete=models.CASCADE, related_name="referrals")
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="referrals"
    )
    # What the agency sees: the officer's summary, and only what was ticked.
    summary = EncryptedTextField(_("summary for the agency"))
    shares_category = models.BooleanField(_("category shared"), default=True)
    shares_area = models.BooleanField(_("area shared"), default=True)
    shared_evidence = models.ManyToManyField(
        "reporting.Evidence", verbose_name=_("evidence shared"), blank=True, related_name="referrals"
    )
    # The reporter's identity goes to the agency only when asked for, approved by a supervisor, and
    # the reporter consented to be contacted (reporting.referrals.services.referrals.shows_identity).
    identity_requested = models.BooleanField(_("identity requested"), default=False)
    identity_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("identity sharing approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    identity_approved_at = models.DateTimeField(_("identity sharing approved at"), null=True, blank=True)

    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("link expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("referred by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by_name = EncryptedCharField(_("received by"), max_length=120, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    outcome_text = EncryptedTextField(_("outcome in the agency's words"), blank=True)
    outcome_at = models.DateTimeField(_("outcome reported at"), null=True, blank=True)
    # The agency is reminded once when its acknowledgement is overdue.
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["sent_at", "id"]
        indexes = [models.Index(fields=["acknowledged_at", "revoked_at"])]

    def __str__(self):
        return _("%(tip)s to %(agency)s") % {"tip": self.tip.short_id, "agency": self.agency.name}

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    @property
    def is_finished(self):
        return self.outcome in self.FINAL_OUTCOMES

    @property
    def is_handed_back(self):
        return self.outcome == self.Outcome.NOT_OUR_MATTER

    @property
    def is_open(self):
        """Still waiting on the agency: neither revoked nor finished."""
        return not self.is_revoked and not self.is_finished


class RefusedReferralLink(models.Model):
    """Agency links refused per day and reason (expired, revoked, tampered, unknown). Counts only:
    nothing about who asked or which tip, so the counter itself reveals nothing."""

    class Reason(models.TextChoices):
        TAMPERED = "tampered", _("Tampered or malformed")
        UNKNOWN = "unknown", _("Unknown link")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")
        THROTTLED = "throttled", _("Too many attempts")

    day = models.DateField(_("day"))
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("refused agency link")
        verbose_name_plural = _("refused agency links")
        constraints = [
            models.UniqueConstraint(fields=["day", "reason"], name="one_refused_link_counter_per_day_reason")
        ]

    def __str__(self):
        return f"{self.day} {self.get_reason_display()}: {self.count}"
