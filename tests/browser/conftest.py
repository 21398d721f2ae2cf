"""Playwright journeys in Debian's Chromium (never a downloaded browser)."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("PIMPASA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}

# Playwright's sync API runs an event loop in this thread; the tests' own ORM calls are still
# synchronous, so Django's guard against ORM use inside a running loop does not apply here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium not found at {CHROMIUM}: .ci/run installs it (apt-get install chromium).")
        pytest.skip(f"Chromium not found at {CHROMIUM}; apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield _EvalFriendlyBrowser(browser)
        browser.close()


class _EvalFriendlyBrowser:
    """Playwright evaluates string predicates (wait_for_function("...")) with eval, which the site's
    Content-Security-Policy forbids, as it should. Journeys therefore run with Playwright's CSP bypass
    unless they ask otherwise; tests/browser/test_security_journey.py checks the policy itself with
    bypass_csp=False."""

    def __init__(self, browser):
        self._browser = browser

    def new_context(self, **options):
        options.setdefault("bypass_csp", True)
        return self._browser.new_context(**options)

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture
def phone(browser):
    """A fresh phone-sized browser context (no cookies shared between tests)."""
    context = browser.new_context(**PHONE, locale="id-ID")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def y4m_of(image, path, frames=30):
    """A short Y4M video of a still image: what Chromium's fake camera plays in a loop."""
    image = image.convert("RGB").resize((640, 480))
    y, cb, cr = image.convert("YCbCr").split()
    half = (320, 240)
    frame = y.tobytes() + cb.resize(half).tobytes() + cr.resize(half).tobytes()
    with open(path, "wb") as video:
        video.write(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
        for _ in range(frames):
            video.write(b"FRAME\n" + frame)
    return path


def launch_with_camera_showing(browser, text, tmp_path):
    """A second Chromium from the suite's Playwright whose camera films a QR code of `text`."""
    import qrcode
    from PIL import Image

    picture = Image.new("RGB", (640, 480), "white")
    code = qrcode.make(text, box_size=8, border=4).convert("RGB")
    picture.paste(code.resize((400, 400)), (120, 40))
    camera = y4m_of(picture, tmp_path / "qr.y4m")
    args = [
        *CHROMIUM_ARGS,
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={camera}",
    ]
    return browser.browser_type.launch(executable_path=CHROMIUM, args=args, headless=True)


def pass_second_factor(page, username):
    """After the password: the back office asks for the second factor (pimpasa.two_factor); type the
    code the user's authenticator app would show now, computed from their device's real key."""
    import re

    from django.contrib.auth import get_user_model

    from tests.factories import authenticator_of, totp_code

    page.wait_for_url(re.compile(r".*/admin/two-factor/.*"))
    user = get_user_model().objects.get(username=username)
    page.fill("#id_code", totp_code(authenticator_of(user)))
    page.locator("form.login-form button[type=submit]").click()
