"""No secret in a log line: the one rule, used by Django's logging (settings LOGGING) and by gunicorn's
logger (gunicorn.conf.py), and mirrored by the nginx log format in docs/deployment.md.

What would open something to whoever reads the logs, and where it travels in a request:
- an agency's referral link, the key to a tip: the path segment after /rujukan/;
- a password-reset link: the two segments after /password_reset/confirm/ (Django's /reset/ too);
- a check-in pass: the QR's ?t= (and any token=, pass=, code=, key= parameter);
- a tracking code: wherever it appears (four groups of four letters and digits), e.g. typed into a
  back-office search (?q=, which may hold words of a tip too, so every q= is dropped);
- the receipt's and the status answer's one-time stylesheet names (/lapor/…/<hex>.css);
- a next= address, which may carry any of these;
- any of these quoted by an error's text ({'token': '…'}, Signature "…" does not match), and any
  value signed by Django or long random token an error's text may carry bare.
Phone numbers (+62…, 08…) are removed too: a database error's text can quote the row it refused.
"""

import logging
import re

REDACTED = "[redacted]"

_SEGMENT = r"[^/?#\s\"'&]+"
_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"  # ids, not secrets
_SECRET_PARAMETERS = ("t", "token", "pass", "code", "key", "q", "original_q", "next", "uidb64", "email")

RULES = [
    (re.compile(rf"(/rujukan/){_SEGMENT}", re.IGNORECASE), rf"\1{REDACTED}"),
    (
        re.compile(rf"(/(?:password_reset/confirm|reset)/){_SEGMENT}/{_SEGMENT}", re.IGNORECASE),
        rf"\1{REDACTED}/{REDACTED}",
    ),
    (re.compile(r"(/lapor/(?:tanda-terima|status)/)[0-9a-f]{16,}(\.css)", re.IGNORECASE), rf"\1{REDACTED}\2"),
    (
        re.compile(
            rf"((?:[?&;]|%3F|%26)(?:{'|'.join(_SECRET_PARAMETERS)})(?:=|%3D))[^&#\s\"']*", re.IGNORECASE
        ),
        rf"\1{REDACTED}",
    ),
    # A secret quoted in an error's text: {'token': '…'}, token="…", Django's Signature "…" does not match.
    (
        re.compile(
            rf"""(['"]?\b(?:{"|".join(_SECRET_PARAMETERS)}|entry)\b['"]?\s*[:=]\s*['"])[^'"]*""",
            re.IGNORECASE,
        ),
        rf"\1{REDACTED}",
    ),
    (re.compile(r'(Signature ")[^"]*'), rf"\1{REDACTED}"),
    # Anything signed by Django (value:signature, value:time:signature) and any long random token,
    # wherever an error's text puts it.
    (re.compile(r"[\w.-]+(?::[0-9A-Za-z]{4,8})?:[\w-]{27,}"), REDACTED),
    (re.compile(rf"(?<![\w-])(?!{_UUID}(?![\w-]))[\w-]{{32,}}(?![\w-])"), REDACTED),
    (re.compile(r"\b[0-9A-Za-z]{4}-[0-9A-Za-z]{4}-[0-9A-Za-z]{4}-[0-9A-Za-z]{4}\b"), REDACTED),
    (re.compile(r"\+\d{8,15}\b|\b08\d{7,11}\b"), REDACTED),
]


def scrub(text):
    """`text` with every secret (and phone number) replaced by [redacted]."""
    if not text:
        return text
    for pattern, replacement in RULES:
        text = pattern.sub(replacement, text)
    return text


class ScrubSecrets(logging.Filter):
    """A filter for handlers and loggers: the formatted message, its traceback and stack scrubbed.

    The message is formatted here (msg % args) and replaces both, so that no handler or formatter
    downstream can format the raw arguments again.
    """

    def filter(self, record):
        message = record.getMessage()
        record.msg, record.args = scrub(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True


try:
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # gunicorn is only there where the web process runs
    _GunicornLogger = None


if _GunicornLogger is not None:

    class GunicornLogger(_GunicornLogger):
        """gunicorn's logger with the same rule on its access log (request line, query, referer) and
        its error log (which names the request on a worker's error)."""

        def setup(self, cfg):
            super().setup(cfg)
            for log in (self.error_log, self.access_log):
                if not any(isinstance(existing, ScrubSecrets) for existing in log.filters):
                    log.addFilter(ScrubSecrets())
