"""Debian's nginx running deploy/nginx/pimpasa.conf, the configuration docs/deployment.md documents.

The file is used as it is: only its port, paths, upstream address and certificate are replaced
(each must be found exactly once, so the file cannot drift from what the tests run). nginx runs in the
foreground as this test's own process, with a minimal main configuration standing in for Debian's
/etc/nginx/nginx.conf (mime.types and temporary folders; no gzip of its own, so compression comes from
the file alone).
"""

import contextlib
import datetime
import grp
import ipaddress
import os
import pwd
import shutil
import socket
import subprocess
import time
from pathlib import Path

from tests.pimpasa.system_programs import missing_program

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "deploy" / "nginx" / "pimpasa.conf"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
MIME_TYPES = Path("/etc/nginx/mime.types")

# What the file names that a test replaces; nothing else in it is touched.
LISTEN = "listen 443 ssl;"
UPSTREAM = "server 127.0.0.1:8000;"
CHECKOUT = "/srv/pimpasa/"
LOGS = "/var/log/nginx/"
CERTIFICATE = "/etc/ssl/certs/pimpasa.pem"
CERTIFICATE_KEY = "/etc/ssl/private/pimpasa.key"


def require_nginx():
    """Skip loudly without nginx on a laptop; under CI (CI=true) its absence fails the run."""
    if NGINX is not None and MIME_TYPES.exists():
        return
    message = (
        "Debian's nginx is not installed: the reverse proxy is untested (scripts/bootstrap test installs it)"
    )
    missing_program(message)


def self_signed_certificate(folder):
    """A certificate for 127.0.0.1, valid a day; returns (certificate path, key path)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = Path(folder) / "pimpasa.pem", Path(folder) / "pimpasa.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


def documented_config(folder, *, port, upstream_port, checkout, certificate, certificate_key, changes=()):
    """deploy/nginx/pimpasa.conf with its port, paths and certificate replaced, inside a main
    configuration of nginx's own in `folder`; `changes` are further (old, new) replacements a test
    makes to show what a different line would do. Returns the main configuration's path."""
    text = CONFIG.read_text()
    replacements = [
        (LISTEN, f"listen 127.0.0.1:{port} ssl;"),
        (UPSTREAM, f"server 127.0.0.1:{upstream_port};"),
        (CERTIFICATE, str(certificate)),
        (CERTIFICATE_KEY, str(certificate_key)),
        (CHECKOUT, f"{checkout}/"),
        (LOGS, f"{folder}/"),
        *changes,
    ]
    for old, new in replacements:
        # The checkout's and the logs' folders appear several times; the others exactly once.
        assert text.count(old) == 1 or (old in (CHECKOUT, LOGS) and text.count(old) > 1), old
        text = text.replace(old, new)
    (Path(folder) / "pimpasa.conf").write_text(text)
    main = Path(folder) / "nginx.conf"
    main.write_text(
        f"""
{worker_user()}
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/startup.log warn;
events {{ worker_connections 256; }}
http {{
    include {MIME_TYPES};
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/pimpasa.conf;
}}
"""
    )
    return main


def worker_user():
    """Under root nginx's workers would become `nobody`, who cannot read a test's private temporary
    folders: they run as whoever runs the test (without root nginx keeps its user anyway)."""
    if os.geteuid() != 0:
        return ""
    return f"user {pwd.getpwuid(os.geteuid()).pw_name} {grp.getgrgid(os.getegid()).gr_name};"


def wait_for_port(port, process, seconds=30):
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            assert process.poll() is None, f"exited with {process.returncode}"
            assert time.monotonic() < deadline, f"nothing listens on {port} after {seconds} s"
            time.sleep(0.1)


@contextlib.contextmanager
def running_nginx(folder, config, port):
    """nginx in the foreground (not a daemon) with `config`; stopped when the block ends."""
    checked = subprocess.run(
        [NGINX, "-t", "-p", str(folder), "-c", str(config)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(config), "-g", "daemon off;"])
    try:
        wait_for_port(port, process)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=15)
