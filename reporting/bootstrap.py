"""What every installation of reporting needs (run by `manage.py setup`; safe to run again)."""

from reporting.exports.schedules import ensure_schedules


def ensure(stdout):
    ensure_schedules(stdout)
