"""Editors translate (issue 23 point 1): the roles that edit pages get Translate, the copy is linked."""

import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client

from cms.models import MaterialPage
from pimpasa.roles import EDITOR, OFFICER, SUPERVISOR
from tests.factories import DEFAULT_PASSWORD, MaterialPageFactory

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.login(username=user.username, password=DEFAULT_PASSWORD)
    return client


def submit_url(page):
    return f"/admin/translation/submit/page/{page.pk}/"


@pytest.fixture
def material(public_site, english_index):
    return MaterialPageFactory(parent=english_index.get_translation(public_site["id"]), title="Materi baru")


@pytest.mark.parametrize("role, allowed", [("editor", True), ("supervisor", True), ("officer", False)])
def test_the_roles_that_edit_pages_may_translate_them(material, role, allowed, request):
    client = logged_in(request.getfixturevalue(role))
    response = client.get(submit_url(material))
    if allowed:
        assert response.status_code == 200
        assert "izin" not in BeautifulSoup(response.content, "html.parser").title.text.lower()
        # Translate is offered in the page's own menu in the editor.
        edit = client.get(f"/admin/pages/{material.pk}/edit/").content.decode()
        assert submit_url(material) in edit
    else:
        assert response.status_code in (302, 403)
        assert not MaterialPage.objects.filter(locale=request.getfixturevalue("public_site")["en"]).exists()


def test_an_editor_translates_a_material_and_the_switch_and_hreflang_find_it(material, editor, public_site):
    client = logged_in(editor)
    response = client.post(submit_url(material), {"locales": [public_site["en"].pk]})
    assert response.status_code == 302
    english = MaterialPage.objects.get(locale=public_site["en"], translation_key=material.translation_key)
    assert english.get_parent().specific.locale == public_site["en"]
    assert not english.live  # a draft to rewrite

    draft = english.get_latest_revision_as_object()
    draft.title, draft.slug = "New material", "new-material"
    draft.save_revision(user=editor).publish(user=editor)

    html = Client().get("/materi/materi-baru/").content.decode()
    switch = re.search(r'<nav class="language-switch".*?</nav>', html, re.S).group(0)
    assert 'href="/en/material/new-material/" hreflang="en"' in switch
    alternates = {
        link["hreflang"]: link["href"]
        for link in BeautifulSoup(html, "html.parser").select('link[rel="alternate"][hreflang]')
    }
    assert alternates["en"].endswith("/en/material/new-material/")
    assert alternates["id"].endswith("/materi/materi-baru/")


def test_translate_with_the_subtree_copies_the_children_too(public_site, editor):
    from tests.factories import MaterialIndexPageFactory

    index = MaterialIndexPageFactory(parent=public_site["home"], title="Materi", slug="materi")
    first = MaterialPageFactory(parent=index, title="Satu")
    second = MaterialPageFactory(parent=index, title="Dua")
    response = logged_in(editor).post(
        submit_url(index), {"locales": [public_site["en"].pk], "include_subtree": "on"}
    )
    assert response.status_code == 302
    for page in (index, first, second):
        assert page.get_translation_or_none(public_site["en"]) is not None


def test_setup_grants_translate_to_editors_and_supervisors_only_and_again_after_a_removal(site_setup):
    def holders():
        return set(
            Group.objects.filter(
                permissions__codename="submit_translation",
                permissions__content_type__app_label="simple_translation",
            ).values_list("name", flat=True)
        )

    call_command("setup")
    assert holders() >= {EDITOR, SUPERVISOR} and OFFICER not in holders()
    Group.objects.get(name=EDITOR).permissions.clear()
    call_command("setup")
    call_command("setup")
    assert holders() >= {EDITOR, SUPERVISOR} and OFFICER not in holders()
