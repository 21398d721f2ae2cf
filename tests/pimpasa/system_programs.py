"""What the tests that run real programs (nginx, redis-server, gunicorn, honcho) share."""

import os
import socket

import pytest


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def missing_program(message):
    """Skip loudly on a laptop; under CI (CI=true) a missing program fails the run instead."""
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)
