"""The export schedules: the monthly report e-mailed to supervisors, and the hourly clean-up.

Schedules are rows (django-q's Schedule); `ensure_schedules` creates them once and, when run again,
corrects what they call without moving their next run.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django_q.models import Schedule
from wagtail.log_actions import log

from pimpasa.roles import SUPERVISOR
from pimpasa.schedules import ensure_schedule
from reporting.exports.models import ExportJob

from . import jobs
from .monthly import MonthlyReportExporter, previous_month

MONTHLY_REPORT = "pimpasa-monthly-report"
CLEAN_UP = "pimpasa-export-clean-up"
# The report for a month is built on the 1st of the next, early in the office's morning.
MONTHLY_REPORT_HOUR = 6


def ensure_schedules(stdout=None):
    ensure_schedule(
        MONTHLY_REPORT,
        "reporting.exports.schedules.send_monthly_report",
        Schedule.MONTHLY,
        first_run=_next_first_of_month(),
    )
    ensure_schedule(
        CLEAN_UP, "reporting.exports.jobs.clean_up_exports", Schedule.HOURLY, first_run=timezone.now()
    )
    if stdout is not None:
        stdout.write("Export schedules: monthly report (1st of the month), clean-up (hourly).")


def _next_first_of_month(now=None):
    local = timezone.localtime(now or timezone.now(), timezone.get_default_timezone())
    first = (local.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    return first.replace(hour=MONTHLY_REPORT_HOUR, minute=0, second=0, microsecond=0)


def send_monthly_report(month=None):
    """Build the month's report (the previous month by default) and e-mail supervisors a link."""
    month = month or previous_month()
    job = ExportJob.objects.create(
        exporter=MonthlyReportExporter.identifier,
        filters={"month": month},
        is_scheduled=True,
        language=settings.LANGUAGE_CODE,
        time_zone=settings.TIME_ZONE,
    )
    log(job, jobs.REQUESTED, user=None, data={"exporter": job.exporter, "filters": job.filters})
    jobs.run_export(job.pk)
    job.refresh_from_db()
    recipients = list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=SUPERVISOR)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if recipients:
        _mail(job, month, recipients)
    return job.pk


def _mail(job, month, recipients):
    year, number = (int(part) for part in month.split("-"))
    with translation.override(job.language):
        context = {
            "job": job,
            "month": formats.date_format(datetime.date(year, number, 1), "F Y"),
            "link": settings.PIMPASA_PUBLIC_URL + reverse("reporting_exports:detail", args=[job.pk]),
            "days": settings.PIMPASA_EXPORT_RETENTION_DAYS,
        }
        subject = render_to_string("reporting/exports/email/monthly_report_subject.txt", context).strip()
        body = render_to_string("reporting/exports/email/monthly_report.txt", context)
    send_mail(subject, body, None, recipients)
