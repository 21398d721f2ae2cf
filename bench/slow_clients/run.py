"""Slow uploads against the web process: does a phone sending evidence at 10 KB/s hold the site?

    .venv/bin/python bench/slow_clients/run.py            # needs nginx (apt-get install nginx) for setup C

Three setups, each started fresh on free ports over the same SQLite database (dev settings, DEBUG off):

  A. gunicorn, 1 sync worker, clients straight to it
  B. gunicorn, 1 gthread worker x 4 threads (the Procfile's kind), clients straight to it
  C. nginx with docs/deployment.md's buffering in front of gunicorn, 1 sync worker

In each, SLOW clients post a 200 KB tip form at 10 KB/s (20 s each) while a probe asks for /healthz
once a second. The probe's latency while the uploads run is printed against its latency with no
upload running (same setup, same run): a ratio near 1 means the slow uploads hold nothing.
"""

import argparse
import contextlib
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
BODY_BYTES = 200 * 1024
RATE_BYTES_PER_SECOND = 10 * 1024

NGINX_CONF = """
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    upstream pimpasa {{ server 127.0.0.1:{upstream}; keepalive 16; }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 55m;
        client_body_buffer_size 64k;
        client_body_timeout 60s;
        proxy_request_buffering on;
        proxy_buffering on;
        location / {{
            proxy_pass http://pimpasa;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_read_timeout 60s;
        }}
    }}
}}
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port):
    for _ in range(240):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return
        except OSError:
            time.sleep(0.25)
    raise SystemExit(f"nothing answered on port {port}")


def form_token(port):
    """The CSRF cookie and token a phone gets by opening the form (without them Django refuses the
    post before reading its body, and nothing slow would be measured)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/lapor/", timeout=60) as response:
        cookie = response.headers["Set-Cookie"].split(";")[0]
        page = response.read().decode()
    return cookie, re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def slow_upload(port, cookie, token):
    """A multipart tip form trickled at RATE_BYTES_PER_SECOND; the answer is not what is measured."""
    boundary = "pimpasa-slow"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="description"\r\n\r\nlambat\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="evidence"; filename="foto.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    body = head + b"\xff" * (BODY_BYTES - len(head) - len(tail)) + tail
    with socket.create_connection(("127.0.0.1", port), timeout=120) as sock:
        sock.sendall(
            (
                f"POST /lapor/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; "
                f"boundary={boundary}\r\nContent-Length: {len(body)}\r\nCookie: {cookie}\r\n"
                "Connection: close\r\n\r\n"
            ).encode()
        )
        chunk = RATE_BYTES_PER_SECOND // 10
        for start in range(0, len(body), chunk):
            sock.sendall(body[start : start + chunk])
            time.sleep(0.1)
        with contextlib.suppress(OSError):  # the answer is not what is measured
            sock.recv(1024)


def probe(port, seconds):
    latencies = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        started = time.perf_counter()
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=60).read()
            latencies.append(time.perf_counter() - started)
        except OSError:
            latencies.append(60.0)
        time.sleep(max(0.0, 1.0 - (time.perf_counter() - started)))
    return latencies


def measure(port, slow):
    baseline = probe(port, 5)
    cookie, token = form_token(port)
    uploads = [threading.Thread(target=slow_upload, args=(port, cookie, token)) for _ in range(slow)]
    for upload in uploads:
        upload.start()
    time.sleep(1)
    during = probe(port, 12)
    for upload in uploads:
        upload.join()
    return baseline, during


def gunicorn(env, port, worker_class):
    threads = ["--threads", "4"] if worker_class == "gthread" else []
    command = [
        str(BIN / "gunicorn"), "pimpasa.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1",
        "--worker-class", worker_class, *threads, "--timeout", "120",
    ]  # fmt: skip
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop(process):
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slow", type=int, default=4, help="slow uploads at once")
    args = parser.parse_args()
    var_dir = Path(tempfile.mkdtemp(prefix="pimpasa-slow-bench-"))
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DJANGO_SETTINGS_MODULE="pimpasa.settings.dev", DEBUG="0", PIMPASA_VAR_DIR=str(var_dir))
    env["LOG_LEVEL"] = "ERROR"
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([sys.executable, "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True)

    results = {}
    for label, worker_class, behind_nginx in (
        ("A. gunicorn sync x1, direct", "sync", False),
        ("B. gunicorn gthread 1x4, direct", "gthread", False),
        ("C. nginx (buffering) -> gunicorn sync x1", "sync", True),
    ):
        if behind_nginx and shutil.which("nginx") is None:
            print(f"{label}: skipped, nginx is not installed (apt-get install nginx)")
            continue
        upstream = free_port()
        web = gunicorn(env, upstream, worker_class)
        proxy = None
        try:
            wait_for(upstream)
            port = upstream
            if behind_nginx:
                prefix = var_dir / "nginx"
                prefix.mkdir(exist_ok=True)
                port = free_port()
                (prefix / "nginx.conf").write_text(
                    NGINX_CONF.format(prefix=prefix, upstream=upstream, port=port)
                )
                proxy = subprocess.Popen(
                    ["nginx", "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
                    start_new_session=True,
                )
                wait_for(port)
            results[label] = measure(port, args.slow)
        finally:
            if proxy is not None:
                stop(proxy)
            stop(web)

    print(
        f"\n{args.slow} uploads of {BODY_BYTES // 1024} KB at {RATE_BYTES_PER_SECOND // 1024} KB/s; probe: GET /healthz"
    )
    print("| setup | probe median without / with uploads | probe max with uploads | ratio (median) |")
    print("|---|---|---|---|")
    for label, (baseline, during) in results.items():
        before, while_slow = statistics.median(baseline), statistics.median(during)
        print(
            f"| {label} | {before * 1000:.0f} ms / {while_slow * 1000:.0f} ms | {max(during) * 1000:.0f} ms "
            f"| {while_slow / before:.1f}x |"
        )


if __name__ == "__main__":
    main()
