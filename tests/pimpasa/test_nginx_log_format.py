"""docs/deployment.md's nginx log format ("Logs without secrets") is valid nginx and keeps secrets out of
the access log: Debian's nginx runs the documented blocks, and requests carrying each kind of secret
(an agency link, a reset link, a check-in pass, a receipt's stylesheet, a code in a search, a Referer
holding an agency link) are read back from its log."""

import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)

TOKEN = "q4Zt9mXv2bLkP7wRr1sNcYd8eHf0gJu3aTiOo5pQx6E"
CHECKIN_PASS = "17.Qm9ZkR2vT8xLp3Nw:1xaSZn:gGCJ2i5Wnnw0ynVAMahKJigiI6a0tiSrTh2c3Bcrts8"
CODE = "K7QM-4XPD-9RTV-WB2H"
ENTRY = "3f9a1c0b7e6d5a4f3e2d1c0b9a8f7e6d5c4b3a29"
REQUESTS = [
    f"/rujukan/{TOKEN}/",
    f"/en/rujukan/{TOKEN}/bukti/8c6f2a4e-3b1d-4c5e-9f7a-0b1c2d3e4f5a/",
    f"/admin/password_reset/confirm/MTI3/cz1k3a-{TOKEN[:20]}/",
    f"/sesi/17/hadir/?t={CHECKIN_PASS}",
    f"/lapor/tanda-terima/{ENTRY}.css",
    f"/admin/laporan/?q={CODE}",
]


def documented_blocks():
    """The two nginx blocks of the section: what goes in `http`, then what goes in `server`."""
    text = (ROOT / "docs" / "deployment.md").read_text()
    section = text.split("### Logs without secrets", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```nginx\n(.*?)```", section, re.DOTALL)
    assert len(blocks) == 2
    return blocks


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.skipif(NGINX is None, reason="nginx is not installed (scripts/bootstrap test installs it)")
def test_the_documented_nginx_log_format_logs_no_secret(tmp_path):
    http_block, server_block = documented_blocks()
    port = free_port()
    server_block = server_block.replace("/var/log/nginx/", f"{tmp_path}/")
    config = tmp_path / "nginx.conf"
    config.write_text(
        f"""
worker_processes 1;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/startup.log warn;
events {{ worker_connections 64; }}
http {{
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fastcgi;
    uwsgi_temp_path {tmp_path}/uwsgi;
    scgi_temp_path {tmp_path}/scgi;
{http_block}
    server {{
        listen 127.0.0.1:{port};
{server_block}
        location / {{ return 404; }}
        location /lapor/ {{ return 500; }}
    }}
}}
"""
    )
    checked = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(config)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen([NGINX, "-p", str(tmp_path), "-c", str(config), "-g", "daemon off;"])
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline and process.poll() is None
                time.sleep(0.1)
        for path in REQUESTS:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}{path}",
                headers={"Referer": f"https://pimpasa.example.go.id/rujukan/{TOKEN}/"},
            )
            with pytest.raises(urllib.error.HTTPError):
                urllib.request.urlopen(request, timeout=5)
    finally:
        process.terminate()
        process.wait(timeout=15)
    log = (tmp_path / "pimpasa.access.log").read_text()
    assert len(log.splitlines()) == len(REQUESTS)
    for secret in (TOKEN, TOKEN[:20], CHECKIN_PASS, CHECKIN_PASS[:20], ENTRY, CODE, "MTI3"):
        assert secret not in log, secret
    assert '"GET /rujukan/[redacted]/ HTTP/1.1" 404' in log
    assert '"GET /en/rujukan/[redacted]/bukti/8c6f2a4e-3b1d-4c5e-9f7a-0b1c2d3e4f5a/ HTTP/1.1" 404' in log
    assert '"GET /admin/password_reset/confirm/[redacted]/[redacted]/ HTTP/1.1" 404' in log
    assert '"GET /sesi/17/hadir/? HTTP/1.1" 404' in log
    assert '"GET /lapor/tanda-terima/[redacted].css HTTP/1.1" 500' in log
    assert '"https://pimpasa.example.go.id/[redacted]"' in log
    assert log.startswith("127.0.0.0 [")  # the client's network, not its address
