"""gunicorn's settings beside the Procfile's command line (which names this file).

Its logger scrubs secrets from the access and error logs: agency links, password-reset links, check-in
passes and tracking codes never reach a log file (pimpasa/log_scrub.py, the rule Django's logging uses).
The access log is off unless asked for (`--access-logfile -`): the reverse proxy keeps one, with the
same rule (docs/deployment.md).
"""

logger_class = "pimpasa.log_scrub.GunicornLogger"
