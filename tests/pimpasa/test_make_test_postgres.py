"""`make test` runs the suite on PostgreSQL too; an unreachable server is never skipped silently."""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UNREACHABLE = "postgres://nobody@127.0.0.1:9/none"


def make_test_postgres(ci):
    env = {**os.environ, "CI": ci}
    return subprocess.run(
        ["make", "--no-print-directory", "test-postgres", f"PG_TEST_URL={UNREACHABLE}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_unreachable_postgres_fails_the_run_under_ci():
    result = make_test_postgres(ci="true")
    assert result.returncode != 0
    assert "unreachable; under CI this fails the run" in result.stderr


def test_unreachable_postgres_is_skipped_loudly_on_a_laptop():
    result = make_test_postgres(ci="")
    assert result.returncode == 0
    assert "WARNING" in result.stderr and "SKIPPED" in result.stderr
