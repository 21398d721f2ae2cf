"""The access log of deploy/nginx/pimpasa.conf (docs/deployment.md, "Logs without secrets") keeps secrets
out: Debian's nginx runs the file (tests/pimpasa/real_nginx.py) with nothing behind it, and requests
carrying each kind of secret (an agency link, a reset link, a check-in pass, a receipt's stylesheet, a
code in a search, a Referer holding an agency link) are read back from its log."""

import ssl
import urllib.error
import urllib.request

import pytest

from tests.pimpasa.real_nginx import (
    documented_config,
    require_nginx,
    running_nginx,
    self_signed_certificate,
)
from tests.pimpasa.system_programs import free_port

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


def test_the_documented_nginx_log_format_logs_no_secret(tmp_path):
    require_nginx()
    port = free_port()
    certificate, key = self_signed_certificate(tmp_path)
    # Nothing listens upstream: every proxied request ends as 502, logged like any other.
    config = documented_config(
        tmp_path,
        port=port,
        upstream_port=free_port(),
        checkout=tmp_path / "srv",
        certificate=certificate,
        certificate_key=key,
    )
    context = ssl.create_default_context(cafile=str(certificate))
    with running_nginx(tmp_path, config, port):
        for path in REQUESTS:
            request = urllib.request.Request(
                f"https://127.0.0.1:{port}{path}",
                headers={"Referer": f"https://pimpasa.example.go.id/rujukan/{TOKEN}/"},
            )
            with pytest.raises(urllib.error.HTTPError):
                urllib.request.urlopen(request, timeout=5, context=context)
    log = (tmp_path / "pimpasa.access.log").read_text()
    assert len(log.splitlines()) == len(REQUESTS)
    for secret in (TOKEN, TOKEN[:20], CHECKIN_PASS, CHECKIN_PASS[:20], ENTRY, CODE, "MTI3"):
        assert secret not in log, secret
    assert '"GET /rujukan/[redacted]/ HTTP/1.1" 502' in log
    assert '"GET /en/rujukan/[redacted]/bukti/8c6f2a4e-3b1d-4c5e-9f7a-0b1c2d3e4f5a/ HTTP/1.1" 502' in log
    assert '"GET /admin/password_reset/confirm/[redacted]/[redacted]/ HTTP/1.1" 502' in log
    assert '"GET /sesi/17/hadir/? HTTP/1.1" 502' in log
    assert '"GET /lapor/tanda-terima/[redacted].css HTTP/1.1" 502' in log
    assert '"https://pimpasa.example.go.id/[redacted]"' in log
    assert log.startswith("127.0.0.0 [")  # the client's network, not its address
    # The error log keeps critical errors only: the refused upstream connections, which name the
    # request line, are not written.
    errors = tmp_path / "pimpasa.error.log"
    assert not errors.exists() or errors.read_text() == ""
