"""How long the tip form's browser check takes on a phone: the vendored ALTCHA widget solving the
challenges pimpasa.proof_of_work makes, in headless Chromium at 360 px, with the CPU slowed by CDP's
Emulation.setCPUThrottlingRate as a stand-in for a cheap Android phone.

    .venv/bin/python bench/floods/phone.py [--cost 1000] [--max-counter 1000] [--runs 8] [--rates 1,4,6]

The page is served by Playwright from the vendored files themselves (static/vendor/altcha/ and
static/js/tip-challenge.js, under the site's script and worker policy); challenges are made in this
process with the `altcha` package exactly as the server makes them (random secret counter between
half and all of --max-counter). Printed per throttling rate: median and worst solve time over the
runs, and the ratio to the unthrottled median measured in the same run.
"""

import argparse
import json
import os
import secrets
import statistics
import time
from pathlib import Path

import altcha

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("PIMPASA_CHROMIUM", "/usr/bin/chromium")
# localhost is a secure context (the widget needs Web Crypto); Playwright answers, nothing listens.
ORIGIN = "http://localhost:9"
CSP = "default-src 'self'; script-src 'self'; style-src 'self'; worker-src 'self'; connect-src 'self'"

PAGE = """<!doctype html><html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/static/vendor/altcha/altcha.css">
<script type="module" src="/static/vendor/altcha/altcha.min.js"></script>
<script type="module" src="/static/vendor/altcha/id.js"></script>
<script type="module" src="/static/js/tip-challenge.js"></script>
</head><body><form method="post" action="/">
<altcha-widget name="altcha" challenge="/challenge" auto="off" language="id"
 data-worker="/static/vendor/altcha/pbkdf2.js"
 configuration='{"hideFooter": true, "hideLogo": true, "humanInteractionSignature": false, "minDuration": 0}'>
</altcha-widget><button type="submit">Kirim</button></form></body></html>"""

# Resolves with the milliseconds from verify() to the "verified" event (run as a function, not eval).
SOLVE = """async () => {
  const widget = document.querySelector('altcha-widget');
  const start = performance.now();
  const done = new Promise((resolve) => widget.addEventListener('verified', resolve, {once: true}));
  widget.reset();
  widget.verify();
  await done;
  return performance.now() - start;
}"""


def new_challenge(cost, max_counter):
    low = max(1, max_counter // 2)
    counter = low + secrets.randbelow(max(1, max_counter - low + 1))
    return altcha.create_challenge(
        "PBKDF2/SHA-256",
        cost,
        counter=counter,
        expires_at=int(time.time()) + 600,
        data={"purpose": "tip"},
        hmac_secret="bench",
        hmac_key_secret="bench-key",
    ).to_dict()


def serve(cost, max_counter):
    def handler(route):
        path = route.request.url[len(ORIGIN) :].split("?")[0]
        if path == "/":
            return route.fulfill(
                body=PAGE, content_type="text/html", headers={"Content-Security-Policy": CSP}
            )
        if path == "/challenge":
            return route.fulfill(
                body=json.dumps(new_challenge(cost, max_counter)), content_type="application/json"
            )
        if path.startswith("/static/"):
            file = ROOT / path.lstrip("/")
            kind = "text/css" if file.suffix == ".css" else "text/javascript"
            return route.fulfill(body=file.read_bytes(), content_type=kind)
        return route.fulfill(status=404, body="")

    return handler


def measure(page, cdp, rate, runs):
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
    page.evaluate(SOLVE)  # warm: the worker's first start is not what a resident waits for twice
    return [page.evaluate(SOLVE) / 1000 for _ in range(runs)]


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cost", type=int, default=1000)
    parser.add_argument("--max-counter", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=8)
    parser.add_argument("--rates", default="1,4,6")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
        context.route(f"{ORIGIN}/**", serve(args.cost, args.max_counter))
        page = context.new_page()
        page.goto(ORIGIN + "/")
        page.locator("altcha-widget .altcha").wait_for()
        cdp = context.new_cdp_session(page)
        print(
            f"PBKDF2/SHA-256, cost {args.cost}, secret counter in [{args.max_counter // 2}, {args.max_counter}]"
        )
        baseline = None
        for rate in [int(value) for value in args.rates.split(",")]:
            times = measure(page, cdp, rate, args.runs)
            median = statistics.median(times)
            baseline = baseline or median
            print(
                f"CPU slowed {rate}x: median {median:.2f} s, worst {max(times):.2f} s"
                f" ({median / baseline:.1f}x the unthrottled median)"
            )
        browser.close()


if __name__ == "__main__":
    main()
