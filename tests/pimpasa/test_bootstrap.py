"""scripts/bootstrap, the one install step of `make run`, `make test` and CI: what it says when it can't."""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# What the script itself needs; Chromium, gettext, ffmpeg, nginx, Redis and PostgreSQL are left out on purpose.
TOOLS = ["bash", "env", "id", "dirname", "sed", "touch", "cat", "ls", "head", "seq", "sleep"]


@pytest.fixture
def bare_path():
    """A PATH with the shell tools and Python only: a machine that has nothing else yet."""
    # Not under pytest's tmp_path, which only its owner may enter.
    folder = Path(tempfile.mkdtemp(prefix="pimpasa-bare-path-"))
    folder.chmod(0o755)
    for tool in TOOLS:
        (folder / tool).symlink_to(shutil.which(tool))
    # Debian's own Python: another user can run it (this venv's may live under /root).
    (folder / "python3").symlink_to(shutil.which("python3", path="/usr/bin") or sys.executable)
    yield str(folder)
    shutil.rmtree(folder)


@pytest.fixture
def readable_copy():
    """The script in a folder anyone may enter: the checkout may sit in a 0700 home or temporary folder."""
    folder = Path(tempfile.mkdtemp(prefix="pimpasa-bootstrap-"))
    folder.chmod(0o755)
    (folder / "scripts").mkdir(mode=0o755)
    shutil.copy2(ROOT / "scripts" / "bootstrap", folder / "scripts" / "bootstrap")
    (folder / "scripts" / "bootstrap").chmod(0o755)
    yield folder
    shutil.rmtree(folder)


def bootstrap(purpose, path, *, user=None, root=ROOT):
    command = [str(root / "scripts" / "bootstrap"), purpose]
    if user is not None:
        command = [shutil.which("setpriv"), f"--reuid={user}", f"--regid={user}", "--clear-groups", *command]
    # NGINX_BIN: Debian's nginx lives outside PATH (/usr/sbin); a bare machine has none there either.
    env = {
        "PATH": path,
        "VENV": str(Path(sys.executable).parent.parent),
        "HOME": "/tmp",
        "NGINX_BIN": "/nonexistent",
    }
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run the script as another user")
def test_without_root_it_names_exactly_what_to_install_and_stops(bare_path, readable_copy):
    # Another user cannot enter a checkout under a 0700 folder, so it runs a readable copy of the script.
    result = bootstrap("test", bare_path, user=65534, root=readable_copy)
    assert result.returncode == 1
    assert (
        "missing Debian packages: chromium gettext ffmpeg libreoffice-calc-nogui nginx redis-server postgresql"
        in result.stderr
    )
    assert (
        "apt-get update && apt-get install -y --no-install-recommends chromium gettext ffmpeg libreoffice-calc-nogui nginx redis-server postgresql"
        in result.stderr
    )


@pytest.mark.skipif(os.geteuid() != 0, reason="as root the script would install for real")
def test_as_root_without_the_package_archive_it_names_exactly_what_to_install(bare_path):
    # No apt-get on this PATH: the same outcome as an archive that cannot be reached.
    result = bootstrap("test", bare_path)
    assert result.returncode == 1
    assert (
        "installing Debian packages: chromium gettext ffmpeg libreoffice-calc-nogui nginx redis-server postgresql"
        in result.stderr
    )
    assert "could not install from Debian's archive (no network?)" in result.stderr
    assert (
        "apt-get update && apt-get install -y --no-install-recommends chromium gettext ffmpeg libreoffice-calc-nogui nginx redis-server postgresql"
        in result.stderr
    )


@pytest.mark.skipif(os.geteuid() != 0, reason="as root the script would install for real")
def test_a_postgresql_elsewhere_still_needs_the_client_for_backups(bare_path):
    # pg_isready is there (a server on another machine, PG_TEST_URL) but not pg_dump/pg_restore, which
    # `manage.py backup` and `restore` run: the client package is named, not the server.
    (Path(bare_path) / "pg_isready").symlink_to(shutil.which("true"))
    result = bootstrap("test", bare_path)
    assert result.returncode == 1
    assert (
        "installing Debian packages: chromium gettext ffmpeg libreoffice-calc-nogui nginx redis-server postgresql-client"
        in result.stderr
    )
    assert (
        "apt-get install -y --no-install-recommends chromium gettext ffmpeg libreoffice-calc-nogui nginx redis-server postgresql-client"
        in result.stderr
    )
