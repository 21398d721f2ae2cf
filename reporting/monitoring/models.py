"""The sessions an office is asked to hold: set per year by the national role, per quarter or as a
year's number split over the quarters."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel

from offices.models import Office

QUARTERS = (1, 2, 3, 4)


def _quarter_field(label):
    return models.PositiveIntegerField(
        label,
        null=True,
        blank=True,
        help_text=_("Leave empty to take a quarter of the year's target."),
    )


class SessionTarget(models.Model):
    """How many sessions an office should hold in a year, quarter by quarter."""

    office = models.ForeignKey(
        Office,
        verbose_name=_("office (Kantor Imigrasi)"),
        on_delete=models.CASCADE,
        related_name="session_targets",
    )
    year = models.PositiveSmallIntegerField(
        _("year of the target"), validators=[MinValueValidator(2020), MaxValueValidator(2100)]
    )
    year_total = models.PositiveIntegerField(
        _("sessions in the year"),
        null=True,
        blank=True,
        help_text=_("Split evenly over the quarters left empty below (the first quarters take the rest)."),
    )
    q1 = _quarter_field(_("sessions in Q1"))
    q2 = _quarter_field(_("sessions in Q2"))
    q3 = _quarter_field(_("sessions in Q3"))
    q4 = _quarter_field(_("sessions in Q4"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    panels = [
        FieldPanel("office"),
        FieldPanel("year"),
        FieldPanel("year_total"),
        FieldRowPanel([FieldPanel("q1"), FieldPanel("q2"), FieldPanel("q3"), FieldPanel("q4")]),
    ]

    class Meta:
        verbose_name = _("session target")
        verbose_name_plural = _("session targets")
        ordering = ["-year", "office__name"]
        constraints = [
            models.UniqueConstraint(fields=["office", "year"], name="one_session_target_per_office_and_year"),
        ]
        permissions = [
            # Supervisors: the monitoring page and quarterly workbook of their own office.
            ("monitor_own_office", _("Can see their own office's monitoring figures")),
        ]

    def __str__(self):
        return f"{self.office} {self.year}"

    def clean(self):
        if self.year_total is None and all(getattr(self, f"q{n}") is None for n in QUARTERS):
            raise ValidationError(_("Give the year's target or at least one quarter's."))

    def for_quarter(self, quarter):
        """The target of quarter 1–4: its own number, else its share of the year's."""
        own = getattr(self, f"q{quarter}")
        if own is not None:
            return own
        if self.year_total is None:
            return None
        given = [n for n in QUARTERS if getattr(self, f"q{n}") is not None]
        left = [n for n in QUARTERS if n not in given]
        rest = max(0, self.year_total - sum(getattr(self, f"q{n}") for n in given))
        share, extra = divmod(rest, len(left))
        return share + (1 if left.index(quarter) < extra else 0)


class QuarterFigures(models.Model):
    """One area's figures of one quarter as of `computed_at`, worked out by the task worker
    (reporting.monitoring.summary); area None: the office's tips with no area. Every office has a row
    (its area None) even in a quarter with nothing, so a quarter worked out is told from one never
    worked out."""

    quarter = models.CharField(_("quarter"), max_length=7)  # Quarter.key, "2026-Q3"
    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(
        "events.Area", verbose_name=_("area"), on_delete=models.CASCADE, null=True, related_name="+"
    )
    day = models.DateField(_("day (WIB)"))
    computed_at = models.DateTimeField(_("computed at"))
    figures = models.JSONField(_("figures"))

    class Meta:
        verbose_name = _("quarter figures of an area")
        verbose_name_plural = _("quarter figures of areas")
        indexes = [models.Index(fields=["quarter", "computed_at"], name="quarter_figures_by_quarter")]

    def __str__(self):
        return f"{self.quarter} {self.office_id}/{self.area_id or '-'} {self.computed_at:%Y-%m-%d %H:%M}"
