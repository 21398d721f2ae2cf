"""Which page may live where: editors cannot build a tree the templates do not expect."""

import pytest
from wagtail.models import Page

from cms.models import HomePage, MaterialIndexPage, MaterialPage, StandardPage
from tests.factories import MaterialPageFactory, StandardPageFactory

pytestmark = pytest.mark.django_db


def test_allowed_children_of_each_page_type():
    assert set(HomePage.allowed_subpage_models()) == {MaterialIndexPage, StandardPage}
    assert MaterialIndexPage.allowed_subpage_models() == [MaterialPage]
    assert MaterialPage.allowed_subpage_models() == []
    assert StandardPage.allowed_subpage_models() == [StandardPage]


def test_allowed_parents_of_each_page_type():
    assert MaterialPage.allowed_parent_page_models() == [MaterialIndexPage]
    assert MaterialIndexPage.allowed_parent_page_models() == [HomePage]
    assert set(StandardPage.allowed_parent_page_models()) == {HomePage, StandardPage}
    assert HomePage.allowed_parent_page_models() == [Page]


def test_material_only_under_an_index_and_one_index_per_home(public_site, material_index):
    home = public_site["home"]
    material = MaterialPageFactory(parent=material_index)
    assert MaterialPage.can_create_at(material_index)
    assert not MaterialPage.can_create_at(home)
    assert not MaterialPage.can_create_at(material)
    # The home already has its material index: a second one is refused.
    assert not MaterialIndexPage.can_create_at(home)


def test_standard_pages_nest_for_about_sections(public_site):
    about = StandardPageFactory(parent=public_site["home"], title="Tentang")
    assert StandardPage.can_create_at(about)
    assert not MaterialPage.can_create_at(about)
    assert not HomePage.can_create_at(public_site["home"])
