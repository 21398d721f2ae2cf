"""Benchmark settings: the test settings on a SQLite file, with django-q queuing for real (ORM broker),
so that a tip's request does only what the web process does in production."""

from pimpasa.settings.test import *  # noqa: F403
from pimpasa.settings.test import Q_CLUSTER

Q_CLUSTER = {**Q_CLUSTER, "sync": False}
Q_CLUSTER.pop("redis", None)
Q_CLUSTER["orm"] = "default"
# One simulated resident sends every tip of the run: lift the limits, keep the code path.
PIMPASA_TIP_LIMIT_PER_DEVICE = (10**9, 60)
PIMPASA_TIP_LIMIT_PER_ADDRESS = (10**9, 60)
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
