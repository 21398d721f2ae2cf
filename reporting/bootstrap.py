"""What every installation of reporting needs (run by `manage.py setup`; safe to run again): the tips'
retention schedule, the export schedules, the dashboard's figures every minute and the monitoring
figures every five minutes, each owned by its package."""

from reporting.dashboard import summary as dashboard_summary
from reporting.exports import schedules as export_schedules
from reporting.monitoring import summary as monitoring_summary
from reporting.referrals import bootstrap as referral_bootstrap
from reporting.tips import schedules as tip_schedules


def ensure(stdout):
    tip_schedules.ensure_schedules(stdout)
    referral_bootstrap.ensure(stdout)
    export_schedules.ensure_schedules(stdout)
    dashboard_summary.ensure_schedule_row(stdout)
    monitoring_summary.ensure_schedule_row(stdout)
