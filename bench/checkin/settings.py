"""Benchmark settings: the base settings on PostgreSQL + Redis, plus a bare insert view to compare with."""

from pimpasa.settings.base import *  # noqa: F403

PIMPASA_ENVIRONMENT = "bench"
DEBUG = False
SECRET_KEY = "bench-only-secret-key"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.checkin.urls"
# Every simulated attendee comes from 127.0.0.1: lift the per-client limit, keep the counting.
PIMPASA_CHECKIN_LIMIT_PER_ADDRESS = (10**9, 60)
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
