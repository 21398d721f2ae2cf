"""Regional offices (Kantor Wilayah), immigration offices (Kantor Imigrasi) and staff membership."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The office a fresh install (and the data of a one-office deployment) starts with; renamed freely.
DEFAULT_OFFICE_NAME = "Kantor Imigrasi"
DEFAULT_REGION_NAME = "Kantor Wilayah"


class Region(models.Model):
    """A Kantor Wilayah: the regional office above several immigration offices."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    address = models.TextField(_("address"), blank=True)

    class Meta:
        verbose_name = _("regional office (Kantor Wilayah)")
        verbose_name_plural = _("regional offices (Kantor Wilayah)")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Office(models.Model):
    """A Kantor Imigrasi: it owns its areas, its officers and supervisors, and its tips."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    region = models.ForeignKey(
        Region, verbose_name=_("regional office"), on_delete=models.PROTECT, related_name="offices"
    )
    address = models.TextField(_("address"), blank=True)
    hotline = models.CharField(_("hotline"), max_length=30, blank=True)
    whatsapp = models.CharField(_("WhatsApp number"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # Tips handed over by another office (reporting.tips.services.handoffs) carry the reporter's
    # identity only when this is ticked and the reporter agreed to be contacted.
    receives_reporter_identity = models.BooleanField(
        _("receives reporters' identities with handed-over tips"),
        default=False,
        help_text=_(
            "Tick only if this office's rules allow it to receive the identity of a reporter who agreed "
            "to be contacted, when another office hands a tip over."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("immigration office (Kantor Imigrasi)")
        verbose_name_plural = _("immigration offices (Kantor Imigrasi)")
        ordering = ["name"]
        permissions = [
            # The Directorate's monitoring team (pimpasa.roles.NATIONAL): figures of every office.
            ("monitor_all_offices", _("Can see the figures of every office")),
            # A Kantor Wilayah (pimpasa.roles.REGIONAL): figures of the offices of its region.
            ("monitor_region", _("Can see the figures of the offices of their region")),
        ]

    def __str__(self):
        return self.name

    @classmethod
    def default(cls):
        """The first office, made (with its region) when there is none: what a one-office install and
        rows made without naming an office belong to."""
        office = cls.objects.order_by("pk").first()
        if office is None:
            region, _created = Region.objects.get_or_create(name=DEFAULT_REGION_NAME)
            office, _created = cls.objects.get_or_create(
                name=DEFAULT_OFFICE_NAME, defaults={"region": region}
            )
        return office


def default_office_id():
    """The default of every `office` field that must name one (events.Area)."""
    return Office.default().pk


class Membership(models.Model):
    """Where a member of staff works: an office (officers, supervisors), a region (the Kantor Wilayah's
    staff), or neither (the national monitoring team, administrators). One user, one place."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="office_membership",
    )
    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("regional office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        help_text=_("For the staff of a Kantor Wilayah only; office staff belong to their office's region."),
    )

    class Meta:
        verbose_name = _("office membership")
        verbose_name_plural = _("office memberships")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(office__isnull=True) | models.Q(region__isnull=True),
                name="membership_office_or_region",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.office or self.region or '—'}"
