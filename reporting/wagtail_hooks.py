"""Admin registration for reporting. Exports keep theirs in reporting/exports/wagtail_hooks.py."""

from reporting.exports import wagtail_hooks as export_hooks  # noqa: F401  (registers the Ekspor menu)
