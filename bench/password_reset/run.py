"""Password reset: does the answer's time tell whether an e-mail address has an account?

    .venv/bin/python bench/password_reset/run.py [--rounds 150]

A fresh SQLite database (dev settings: django-q's ORM broker, not run inline) with one staff account.
Each round asks for a reset once for the account's address and once for an unknown one, in
alternating order, through two views: Wagtail's own (baseline: it looks the address up and sends the
mail while the requester waits; the mail goes to Django's file backend, a local stand-in for an SMTP
server that is faster than a real one) and Pimpasa's (pimpasa.password_reset: one look-up, one task
queued whatever the address). Printed: the median answer time for each address and view, and the
ratio known / unknown (1.00 means the time tells nothing).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=150)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="pimpasa-bench-reset-"))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "pimpasa.settings.dev",
            "DEBUG": "0",
            "PIMPASA_VAR_DIR": str(workdir),
            "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "PIMPASA_PASSWORD_RESETS_PER_ADDRESS": "1000000",
            "PIMPASA_PASSWORD_RESETS_PER_EMAIL": "1000000",
            "LOG_LEVEL": "WARNING",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import RequestFactory
    from wagtail.admin.views.account import PasswordResetView

    from pimpasa.password_reset import ThrottledPasswordResetView

    settings.EMAIL_FILE_PATH = str(workdir / "mail")
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    get_user_model().objects.create_user("petugas", "petugas@example.test", "a-Long-bench-passw0rd")

    views = {
        "Wagtail's view (baseline)": PasswordResetView.as_view(),
        "Pimpasa's view": ThrottledPasswordResetView.as_view(),
    }
    factory = RequestFactory()
    times = {(name, who): [] for name in views for who in ("known", "unknown")}

    def ask(view, email):
        request = factory.post("/admin/password_reset/", {"email": email}, REMOTE_ADDR="10.0.0.1")
        request._dont_enforce_csrf_checks = True
        started = time.perf_counter()
        response = view(request)
        elapsed = time.perf_counter() - started
        assert response.status_code == 302, response.status_code
        return elapsed

    for view in views.values():  # warm up templates and connections
        ask(view, "petugas@example.test")
        ask(view, "nobody@example.test")
    for round_ in range(args.rounds):
        order = ("known", "unknown") if round_ % 2 == 0 else ("unknown", "known")
        for name, view in views.items():
            for who in order:
                email = "petugas@example.test" if who == "known" else f"nobody{round_}@example.test"
                times[(name, who)].append(ask(view, email))

    print(f"Password reset answer time, {args.rounds} rounds, median ms (mean ms)")
    for name in views:
        known = statistics.median(times[(name, "known")]) * 1000
        unknown = statistics.median(times[(name, "unknown")]) * 1000
        print(
            f"  {name:28s} known {known:7.2f} ({statistics.mean(times[(name, 'known')]) * 1000:7.2f})"
            f"   unknown {unknown:7.2f} ({statistics.mean(times[(name, 'unknown')]) * 1000:7.2f})"
            f"   ratio known/unknown {known / unknown:5.2f}"
        )


if __name__ == "__main__":
    main()
