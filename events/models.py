"""Areas under the office's watch, the sessions held there, and who attended.

Times are stored in UTC; each area carries its own time zone (the office may serve WITA/WIT areas)
and pages show a session's times in its area's zone.
"""

import secrets
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from offices.models import Office, default_office_id


class Gender(models.TextChoices):
    FEMALE = "f", _("Female")
    MALE = "m", _("Male")


class AgeGroup(models.TextChoices):
    UNDER_18 = "lt18", _("Under 18")
    AGE_18_25 = "18-25", _("18–25")
    AGE_26_35 = "26-35", _("26–35")
    AGE_36_45 = "36-45", _("36–45")
    AGE_46_60 = "46-60", _("46–60")
    OVER_60 = "gt60", _("Over 60")


class Area(models.Model):
    """A kelurahan or desa an office supervises, with the officers (PIMPASA) assigned to it."""

    class Kind(models.TextChoices):
        KELURAHAN = "kelurahan", _("Kelurahan")
        DESA = "desa", _("Desa")

    class TimeZone(models.TextChoices):
        WIB = "Asia/Jakarta", _("WIB (Asia/Jakarta)")
        WITA = "Asia/Makassar", _("WITA (Asia/Makassar)")
        WIT = "Asia/Jayapura", _("WIT (Asia/Jayapura)")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.KELURAHAN)
    kecamatan = models.CharField(_("kecamatan"), max_length=100)
    city = models.CharField(_("city / regency"), max_length=100, help_text=_("Kota or kabupaten"))
    province = models.CharField(_("province"), max_length=100)
    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        default=default_office_id,
        related_name="areas",
    )
    is_desa_binaan = models.BooleanField(
        _("Desa Binaan Imigrasi"),
        default=False,
        help_text=_("A village under the immigration office's guidance"),
    )
    dbi_since = models.DateField(
        _("Desa Binaan Imigrasi since"),
        null=True,
        blank=True,
        help_text=_("The date the area became a Desa Binaan Imigrasi"),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=32, choices=TimeZone.choices, default=TimeZone.WIB
    )
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officers (PIMPASA)"),
        related_name="pimpasa_areas",
        blank=True,
    )

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["province", "city", "kecamatan", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "kecamatan", "city"], name="unique_area_per_kecamatan"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}, {self.city}"

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def zone_abbreviation(self):
        """WIB, WITA or WIT: how Indonesians write the zone after a time."""
        return self.get_time_zone_display().split(" ")[0]


class Session(models.Model):
    """One gathering: a Ngopi Pimpasa in an RW, a TIMPORA coordination meeting, a sosialisasi."""

    class Kind(models.TextChoices):
        NGOPI = "ngopi", _("Ngopi Pimpasa")
        TIMPORA = "timpora", _("TIMPORA coordination meeting")
        SOSIALISASI = "sosialisasi", _("Outreach (sosialisasi)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        ONGOING = "ongoing", _("Ongoing")
        FINISHED = "finished", _("Finished")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.NGOPI)
    title = models.CharField(_("title"), max_length=200)
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="sessions")
    venue = models.CharField(_("venue"), max_length=200)
    target_rws = models.CharField(
        _("targeted RWs"), max_length=100, blank=True, help_text=_("For example: 17, 19")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    organising_unit = models.CharField(
        _("organising unit"),
        max_length=150,
        blank=True,
        help_text=_("For example: Bidang Intelijen dan Penindakan"),
    )
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("officers"), related_name="pimpasa_sessions", blank=True
    )
    topics = models.ManyToManyField(
        "cms.Topic", verbose_name=_("topics"), related_name="sessions", blank=True
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty: no limit")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    minutes = models.TextField(_("minutes (notulen)"), blank=True)
    is_public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_("Listed on the public site. TIMPORA meetings are usually internal."),
    )
    checkin_opens_minutes_before = models.PositiveSmallIntegerField(
        _("check-in opens (minutes before the start)"), default=30
    )
    checkin_closes_minutes_after = models.PositiveSmallIntegerField(
        _("check-in closes (minutes after the end)"), default=30
    )
    # Named by every printed or shared check-in QR: moving the session keeps its posters working;
    # only an officer's "invalidate printed QR codes" (or cancelling) makes them stop.
    pass_generation = models.PositiveIntegerField(_("QR code generation"), default=1, editable=False)
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
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-starts_at"]
        # Officers manage the sessions of their own areas; this permission lifts that limit (supervisors).
        permissions = [("manage_all_sessions", _("Can manage the sessions of every area"))]
        indexes = [
            models.Index(fields=["status", "starts_at"]),
            # Every list of sessions is newest first; an office's 200 most recent (the tips list's
            # session filter) are read from the end of this index, not sorted out of all 20,000.
            models.Index(fields=["starts_at"], name="sessions_by_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def checkin_opens_at(self):
        return self.starts_at - timedelta(minutes=self.checkin_opens_minutes_before)

    @property
    def checkin_closes_at(self):
        return self.ends_at + timedelta(minutes=self.checkin_closes_minutes_after)

    def local(self, moment):
        """A moment shown in this session's area's time zone."""
        return timezone.localtime(moment, self.area.zone)

    @property
    def local_starts_at(self):
        return self.local(self.starts_at)

    @property
    def local_ends_at(self):
        return self.local(self.ends_at)

    @property
    def local_checkin_opens_at(self):
        return self.local(self.checkin_opens_at)

    @property
    def local_checkin_closes_at(self):
        return self.local(self.checkin_closes_at)


class ConsentMethod(models.TextChoices):
    """How a person's consent reached us: ticked by them on the form, or told to an officer."""

    FORM = "form", _("Ticked on the check-in form")
    OFFICER = "officer", _("Given to the officer")


class ConsentRecord(models.Model):
    """Proof of consent (UU PDP Pasal 24): when, to which version of the privacy notice, and how.

    `consent_notice_revision` is the id of the privacy notice's live Wagtail revision at that moment
    (cms.privacy), so the exact text agreed to can be shown again. Consent told to an officer names
    the officer who recorded it.
    """

    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_method = models.CharField(
        _("consent given"), max_length=8, choices=ConsentMethod.choices, blank=True
    )
    consent_notice_revision = models.PositiveIntegerField(
        _("privacy notice version"),
        null=True,
        blank=True,
        help_text=_("The revision of the privacy notice the person agreed to"),
    )
    consent_given_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consent given to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True


def new_ticket_code():
    return secrets.token_urlsafe(12)


class Guest(ConsentRecord):
    """A pre-registered guest (TIMPORA meetings invite people from agencies): holds a personal ticket."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="guests"
    )
    name = models.CharField(_("name"), max_length=150)
    institution = models.CharField(_("institution"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    age_group = models.CharField(_("age group"), max_length=6, choices=AgeGroup.choices)
    code = models.CharField(_("ticket code"), max_length=32, unique=True, default=new_ticket_code)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("invited guest")
        verbose_name_plural = _("invited guests")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CheckinRefusal(models.Model):
    """How many check-in attempts a session refused, per reason. Counts only: no personal data."""

    class Reason(models.TextChoices):
        NOT_OPEN_YET = "not_open_yet", _("Check-in not open yet")
        WINDOW_CLOSED = "window_closed", _("Check-in already closed")
        BAD_TOKEN = "bad_token", _("Forged or damaged QR code")
        EXPIRED_TOKEN = "expired_token", _("Expired QR code")
        REVOKED_TOKEN = "revoked_token", _("Withdrawn printed QR code")
        CANCELLED = "cancelled", _("Session cancelled")
        NOT_PUBLISHED = "not_published", _("Session not published")
        CAPACITY_FULL = "capacity_full", _("Capacity reached")
        ALREADY_CHECKED_IN = "already_checked_in", _("Already checked in")
        BAD_TICKET = "bad_ticket", _("Unknown ticket")
        NO_CONSENT = "no_consent", _("No consent recorded")

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="refusals"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("refused check-in")
        verbose_name_plural = _("refused check-ins")
        constraints = [
            models.UniqueConstraint(fields=["session", "reason"], name="one_refusal_counter_per_reason"),
        ]

    def __str__(self):
        return f"{self.session}: {self.get_reason_display()} × {self.count}"


class Attendance(ConsentRecord):
    """One person at one session, recognised by phone number and name (see events.services.people):
    a family sharing one phone are several people; one person is one row (database-enforced)."""

    Gender = Gender
    AgeGroup = AgeGroup

    class Source(models.TextChoices):
        SELF_SCAN = "self", _("Scanned the session QR")
        OFFICER = "officer", _("Added by an officer")
        TICKET = "ticket", _("Ticket scanned")

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendances"
    )
    name = models.CharField(_("name"), max_length=150)
    # The name as compared (lower case, letters and digits only): with the phone, who this person is.
    name_key = models.CharField(_("name key"), max_length=150, blank=True, editable=False)
    phone = models.CharField(
        _("phone"),
        max_length=20,
        blank=True,
        help_text=_("In international form (+62…, +60…); empty for walk-ins without a phone"),
    )
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    age_group = models.CharField(_("age group"), max_length=6, choices=AgeGroup.choices)
    rw = models.CharField(_("RW"), max_length=10, blank=True)
    address = models.CharField(_("address"), max_length=250, blank=True)
    institution = models.CharField(
        _("institution"), max_length=150, blank=True, help_text=_("For guests from agencies (TIMPORA)")
    )
    source = models.CharField(_("how they came in"), max_length=8, choices=Source.choices)
    checked_in_at = models.DateTimeField(_("checked in at"), db_index=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The form's one-time value: a resubmitted form finds its first answer instead of a refusal.
    nonce = models.CharField(_("form nonce"), max_length=32, blank=True, editable=False)
    guest = models.OneToOneField(
        Guest,
        verbose_name=_("ticket"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attendance",
    )
    # Field mode: the id the officer's phone gave an entry made offline. A replayed or doubled sync
    # finds the row this id made instead of making a second one (the constraint below).
    client_id = models.UUIDField(_("client id"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["checked_in_at"]
        constraints = [
            # The real guard against double check-ins: a second row for the same person (phone and
            # name key) cannot exist, whatever races the application code loses. A family sharing
            # a phone are different names; typo-level variations are caught by the service, which
            # compares names under a per-phone lock (events.services.checkin).
            models.UniqueConstraint(
                fields=["session", "phone", "name_key"],
                condition=~Q(phone=""),
                name="one_attendance_per_person_per_session",
            ),
            models.UniqueConstraint(
                fields=["session", "nonce"],
                condition=~Q(nonce=""),
                name="one_attendance_per_form_nonce",
            ),
            models.UniqueConstraint(
                fields=["session", "client_id"],
                condition=Q(client_id__isnull=False),
                name="one_attendance_per_client_id",
            ),
        ]

    def __str__(self):
        return f"{self.name} @ {self.session}"


class AreaBoundary(models.Model):
    """An area's outline, from the GeoJSON file a supervisor uploaded (events.services.boundaries):
    polygons of [longitude, latitude] rings, simplified, drawn by the "Where" page's map."""

    area = models.OneToOneField(
        Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="boundary"
    )
    # [[ring, hole, ...], ...]: each polygon its outer ring then its holes, each ring [[lon, lat], ...].
    polygons = models.JSONField(_("polygons"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("area boundary")
        verbose_name_plural = _("area boundaries")

    def __str__(self):
        return str(self.area)
