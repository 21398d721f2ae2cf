import io

import pytest
from wagtail.models import Locale

from cms import bootstrap
from cms.services.page_tree import ensure_home_page, ensure_translation
from tests.factories import MaterialIndexPageFactory


@pytest.fixture
def public_site(site_setup):
    """What `manage.py setup` makes for the public site: both languages, the English home, /privasi/."""
    bootstrap.ensure(io.StringIO())
    home = ensure_home_page()
    return {
        "home": home,
        "english_home": home.get_translation(Locale.objects.get(language_code="en")).specific,
        "id": Locale.objects.get(language_code="id"),
        "en": Locale.objects.get(language_code="en"),
    }


@pytest.fixture
def material_index(public_site):
    return MaterialIndexPageFactory(parent=public_site["home"])


@pytest.fixture
def english_index(public_site, material_index):
    return ensure_translation(material_index, public_site["en"], title="Material", slug="material")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Images, renditions and leaflets the tests make stay out of the checkout's var/media.
    settings.MEDIA_ROOT = tmp_path / "media"
