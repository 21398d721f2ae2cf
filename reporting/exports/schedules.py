"""The export schedules: the monthly report e-mailed to supervisors, and the hourly clean-up.

Schedules are rows (django-q's Schedule); `ensure_schedules` creates them once and, when run again,
corrects what they call without moving their next run. Each is a cron expression in WIB.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation
from wagtail.log_actions import log

from offices.models import Office
from pimpasa.roles import SUPERVISOR
from pimpasa.schedules import ensure_schedule
from reporting.exports.models import ExportJob

from . import jobs
from .monthly import MonthlyReportExporter, previous_month

MONTHLY_REPORT = "pimpasa-monthly-report"
CLEAN_UP = "pimpasa-export-clean-up"
WATCHDOG = "pimpasa-export-watchdog"
# The report for a month is built on the 1st of the next, at 06:00 WIB (early in the office's morning).
MONTHLY_REPORT_CRON = "0 6 1 * *"
CLEAN_UP_CRON = "5 * * * *"
# Every minute: a running export whose heartbeat stopped is noticed within two minutes.
WATCHDOG_CRON = "* * * * *"


def ensure_schedules(stdout=None):
    ensure_schedule(MONTHLY_REPORT, "reporting.exports.schedules.send_monthly_report", MONTHLY_REPORT_CRON)
    ensure_schedule(CLEAN_UP, "reporting.exports.jobs.clean_up_exports", CLEAN_UP_CRON)
    ensure_schedule(WATCHDOG, "reporting.exports.jobs.recover_interrupted", WATCHDOG_CRON)
    if stdout is not None:
        stdout.write(
            "Export schedules: monthly report (1st of the month, 06:00 WIB), clean-up (hourly), "
            "watchdog for interrupted exports (every minute)."
        )


def send_monthly_report(month=None):
    """Build the month's report (the previous month by default) for each office and e-mail its
    supervisors a link: each office's file holds its own areas and tips. Returns the jobs' pks."""
    month = month or previous_month()
    return [monthly_report_of(office, month) for office in Office.objects.order_by("pk")]


def monthly_report_of(office, month):
    job = ExportJob.objects.create(
        exporter=MonthlyReportExporter.identifier,
        filters={"month": month},
        is_scheduled=True,
        office=office,
        language=settings.LANGUAGE_CODE,
        time_zone=settings.TIME_ZONE,
    )
    log(job, jobs.REQUESTED, user=None, data={"exporter": job.exporter, "filters": job.filters})
    jobs.run_export(job.pk)
    job.refresh_from_db()
    recipients = list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=SUPERVISOR, office_membership__office=office)
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
