import datetime

import pytest
import time_machine
from django.core.cache import caches
from django.core.signals import setting_changed
from django.db import connection
from django.test import Client
from django.urls import clear_url_caches
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from pimpasa.outages import REDIS
from tests.factories import UserFactory


def _forget_language_prefixes(setting, **kwargs):
    # The URL resolver keeps its reverse map per language, each built with that language's prefix as
    # it was then: a test that makes English the default (no prefix) would leave /en/ links unprefixed
    # for the tests after it. Django clears these caches for ROOT_URLCONF only.
    if setting in ("LANGUAGE_CODE", "LANGUAGES"):
        clear_url_caches()


setting_changed.connect(_forget_language_prefixes, weak=False)


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate limits and page caches live in the caches: each test starts from a clean slate.
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def fresh_limit_windows():
    """Start the test at the beginning of an hour, and so of every limit's window (pimpasa.ratelimit:
    fixed windows aligned on the clock, each a divisor of an hour). A test that counts hits up to a
    limit would otherwise see the counts start again if a window ended halfway through it."""
    now = datetime.datetime.now(tz=datetime.UTC)
    next_hour = now.replace(minute=0, second=0, microsecond=0) + datetime.timedelta(hours=1)
    with time_machine.travel(next_hour, tick=True):
        yield


@pytest.fixture(autouse=True)
def _no_redis_outage_carried_over():
    # Each process remembers the Redis outage it is in (pimpasa.outages): each test starts outside one.
    REDIS.reset()
    yield
    REDIS.reset()


def restore_wagtail_tree():
    """A transactional test (live server, races) flushes every table when it ends, taking the
    locale and root page that Wagtail's migrations made: put them back as a fresh install has them."""
    from wagtail.models import Locale, Page

    locale, _created = Locale.objects.get_or_create(language_code="id")
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))


@pytest.fixture(autouse=True)
def _test_client_passes_the_second_factor(request, monkeypatch):
    """The test client's force_login() and login() also pass the second factor, as the user's real
    authenticator would (pimpasa.two_factor): the session is verified with the user's confirmed
    device. A user without one (UserFactory(second_factor=False)) is left unverified, and so is
    every user in a test marked `real_second_factor`, which checks the enforcement itself."""
    if request.node.get_closest_marker("real_second_factor"):
        return
    original = Client._login

    def _login(self, user, backend=None):
        original(self, user, backend)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "_login", _login)


@pytest.fixture(autouse=True)
def _wagtail_tree_after_flush(request):
    if {"live_server", "transactional_db"} & set(request.fixturenames):
        request.getfixturevalue("transactional_db")
        restore_wagtail_tree()


@pytest.fixture(autouse=True)
def _private_storage(tmp_path, settings):
    # Private files (tip evidence, workbooks) of a test go to its own temporary folder, never var/.
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return settings.PRIVATE_STORAGE_ROOT


def _assert_page(response, *shown, status=200):
    assert response.status_code == status, f"answered {response.status_code}, not {status}"
    text = response.content.decode()
    for expected in shown:
        assert expected in text, f"{expected!r} is not on the page"
    return text


@pytest.fixture
def assert_page():
    """`assert_page(response, *shown, status=200)` checks the answer's status and that the page shows
    each of `shown`, and returns its text. A test that then asserts something is absent cannot pass on
    an error page, a redirect to the login or an empty answer."""
    return _assert_page


@pytest.fixture
def site_setup(db):
    """What `manage.py setup` makes on every installation: roles and the home page."""
    from cms.services.page_tree import ensure_home_page
    from pimpasa.roles import ensure_roles

    groups = ensure_roles()
    home = ensure_home_page()
    return {"groups": groups, "home": home}


@pytest.fixture
def editor(site_setup):
    return UserFactory(role="Editor")


@pytest.fixture
def officer(site_setup):
    return UserFactory(role="Petugas PIMPASA")


@pytest.fixture
def supervisor(site_setup):
    return UserFactory(role="Supervisor")


@pytest.fixture
def two_offices(site_setup):
    """Two immigration offices with their own contact, a village each, and a session in office B's
    village: what a resident of either sees on the public side (issue 25)."""
    from types import SimpleNamespace

    from tests.factories import AreaFactory, OfficeFactory, SessionFactory

    office_a = OfficeFactory(
        name="Kantor Imigrasi Kelas I Uji Utara",
        hotline="021-5550-1111",
        whatsapp="+6281211110000",
        address="Jalan Utara 1\nKota Uji Utara",
    )
    office_b = OfficeFactory(
        name="Kantor Imigrasi Kelas II Uji Selatan",
        hotline="0274-555-2222",
        whatsapp="+6281322220000",
        address="Jalan Selatan 2\nKabupaten Uji Selatan",
        email="pengaduan@selatan.imigrasi.example",
    )
    area_a = AreaFactory(name="Kelurahan Kalibaru", office=office_a)
    area_b = AreaFactory(name="Desa Sukamaju", kecamatan="Sewon", office=office_b)
    session_b = SessionFactory(title="Ngopi Pimpasa Desa Sukamaju", area=area_b)
    return SimpleNamespace(a=office_a, b=office_b, area_a=area_a, area_b=area_b, session_b=session_b)


def pytest_collection_modifyitems(config, items):
    # Concurrency tests need real row locks and parallel connections: PostgreSQL only.
    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL (run with DATABASE_URL=postgres://...)")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)
