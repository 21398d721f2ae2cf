"""Excel exports asked for in the back office: what, with which filters, by whom, and how far along."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from offices.models import Membership, Office

from .registry import get_exporter


class ExportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    exporter = models.CharField(_("export"), max_length=50)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="export_jobs",
    )
    # The office whose records the file holds; empty for the national and regional roles' and the
    # monthly schedule's files (reporting.exports.scoping).
    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="export_jobs",
    )
    # The workbook is written in the requester's language and time zone, whoever runs the task.
    language = models.CharField(_("language"), max_length=10, default="id")
    time_zone = models.CharField(_("time zone"), max_length=32, default="Asia/Jakarta")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(_("rows in total"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)
    # Made by the monthly schedule rather than a person: it runs with the system's scope and no
    # reporter identities, and supervisors download it.
    is_scheduled = models.BooleanField(_("scheduled"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    # Written by the worker with every progress step: a running job whose heartbeat stops has lost
    # its worker, and the watchdog hands it out again long before django-q's task timeout would.
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "expires_at"])]
        # Who may export what (pimpasa/roles.py gives them to the groups); which areas an officer
        # may export is a row-level rule in reporting.exports.
        permissions = [
            ("export_attendance", _("Can export attendance of their own areas")),
            ("export_all_areas", _("Can export attendance of every area")),
            ("export_tips", _("Can export tips")),
            ("export_monthly_report", _("Can export the monthly report")),
            ("manage_all_exports", _("Can see and download everyone's exports")),
        ]

    def __str__(self):
        # The export's name in the current language ("Informasi (Selesai)"), never its identifier:
        # the audit trail keeps this text as the entry's label.
        try:
            name = get_exporter(self.exporter).verbose_name
        except LookupError:
            name = self.exporter
        return f"{name} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        # A file asked for by a person holds their office's records (reporting.exports.jobs sets it;
        # this covers any other maker of a job).
        if self._state.adding and self.office_id is None and self.requested_by_id is not None:
            self.office_id = (
                Membership.objects.filter(user_id=self.requested_by_id)
                .values_list("office_id", flat=True)
                .first()
            )
        super().save(*args, **kwargs)
