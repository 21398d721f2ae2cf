"""What every installation of reporting needs (run by `manage.py setup`; safe to run again): the tips'
retention schedule and the export schedules, each owned by its package."""

from reporting.exports import schedules as export_schedules
from reporting.referrals import bootstrap as referral_bootstrap
from reporting.tips import schedules as tip_schedules


def ensure(stdout):
    tip_schedules.ensure_schedules(stdout)
    referral_bootstrap.ensure(stdout)
    export_schedules.ensure_schedules(stdout)
