"""The dashboard's figures per area, worked out by the task worker for everyone (reporting.dashboard
.summary): the dashboard of any scope that is a set of areas (every area for supervisors) sums these
rows instead of counting tips, sessions and attendances on each visit."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaFigures(models.Model):
    """One area's dashboard figures on one office day, as of `computed_at` (area None: the tips
    without an area). A refresh replaces every row at once."""

    area = models.ForeignKey(
        "events.Area", verbose_name=_("area"), on_delete=models.CASCADE, null=True, related_name="+"
    )
    day = models.DateField(_("day (WIB)"))
    computed_at = models.DateTimeField(_("computed at"))
    figures = models.JSONField(_("figures"))

    class Meta:
        verbose_name = _("dashboard figures of an area")
        verbose_name_plural = _("dashboard figures of areas")

    def __str__(self):
        return f"{self.area or '-'} {self.computed_at:%Y-%m-%d %H:%M}"
