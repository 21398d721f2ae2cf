"""A Redis outage in the log: one line when a process first meets it, one a minute while it lasts with
the count of what was skipped, one when Redis answers again; never a traceback per skipped call.

With Redis down, django-redis skips every cache call (IGNORE_EXCEPTIONS) and logs each one it skipped
with a full traceback to the "pimpasa.redis" logger (DJANGO_REDIS_LOGGER); the rate limits let each
request in and said so. A busy gunicorn wrote 8 MB of log in a 30 s outage, burying everything else.
OutageLogFilter, on that logger (settings LOGGING), folds those records into this process's lines;
the rate limits and the health check (each probe) report here directly. The state is each process's own: every
gunicorn worker writes its own lines, which is what "per process" means in the log.

An outage is over when a Redis call succeeds again (a rate-limit count or a health check notices it)
or, failing that, when a minute passes without a failure: the next failure then opens a new outage,
whose first line also gives what the earlier one skipped after its last line.
"""

import logging
import threading
import time
from collections import Counter

logger = logging.getLogger("pimpasa.redis")

REPORT_EVERY_SECONDS = 60
# What was skipped, in the order the lines name them.
CACHE_CALLS = "cache calls skipped"
LIMIT_CHECKS = "rate-limit checks let through uncounted"
FAILED_HEALTH_CHECKS = "health checks answered 503"


class Outage:
    """One part's outage as seen by this process."""

    clock = staticmethod(time.monotonic)

    def __init__(self, part):
        self.part = part
        self._lock = threading.Lock()
        self.reset()

    def reset(self):
        self.started = None  # when this process first met the outage
        self.last_line = None  # when it last wrote a line about it
        self.last_failure = None
        self.skipped = Counter()  # since the last line
        self.total = 0

    @property
    def open(self):
        return self.started is not None

    def failed(self, what, error=None):
        """Count one skipped `what`; return the line (message, args) to log now, or None."""
        with self._lock:
            now = self.clock()
            unnoticed_end = None
            if self.open and now - self.last_failure > REPORT_EVERY_SECONDS:
                unnoticed_end = sum(self.skipped.values())
                self.reset()
            self.last_failure = now
            self.skipped[what] += 1
            self.total += 1
            if not self.open:
                self.started = self.last_line = now
                self.skipped.clear()
                earlier = (
                    f" (an earlier outage skipped {unnoticed_end} more after its last line)"
                    if unnoticed_end
                    else ""
                )
                return (
                    "%s unreachable (%s): %s until it answers; one line a minute while it lasts%s.",
                    (self.part, _describe(error), what, earlier),
                )
            if now - self.last_line < REPORT_EVERY_SECONDS:
                return None
            line = (
                "%s still unreachable after %d s: in the last %d s %s (%d in all).",
                (self.part, now - self.started, now - self.last_line, _counts(self.skipped), self.total),
            )
            self.last_line = now
            self.skipped.clear()
            return line

    def answered(self):
        """A call to the part succeeded: return the closing line if an outage was open, else None."""
        if not self.open:  # the common case, without the lock
            return None
        with self._lock:
            if not self.open:
                return None
            line = (
                "%s reachable again after %d s: %d skipped in all (%s since the last line).",
                (self.part, self.clock() - self.started, self.total, _counts(self.skipped) or "none"),
            )
            self.reset()
            return line


def _describe(error):
    if error is None:
        return "no error given"
    # The exception django-redis wraps (ConnectionInterrupted) carries the real one as its cause.
    error = error.__cause__ or error
    return f"{type(error).__name__}: {error}"


def _counts(skipped):
    return ", ".join(f"{count} {what}" for what, count in skipped.most_common())


REDIS = Outage("Redis")


def redis_failed(what, error=None):
    """Report one thing skipped because Redis did not answer (logged at most once a minute)."""
    line = REDIS.failed(what, error)
    if line is not None:
        logger.warning(line[0], *line[1])


def redis_answered():
    """Report that Redis answered (logs the end of an outage, if one was open; otherwise nothing)."""
    line = REDIS.answered()
    if line is not None:
        logger.warning(line[0], *line[1])


class OutageLogFilter(logging.Filter):
    """On the "pimpasa.redis" logger: django-redis's "Exception ignored" record with its traceback
    becomes this process's line of the outage, or is dropped and counted."""

    def filter(self, record):
        if record.msg != "Exception ignored":  # this module's own lines, or anything else
            return True
        error = record.exc_info[1] if record.exc_info else None
        line = REDIS.failed(CACHE_CALLS, error)
        if line is None:
            return False
        record.msg, record.args = line
        record.exc_info = record.exc_text = record.stack_info = None
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True
