import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client
from wagtail.models import Page, Site

from cms.models import HomePage
from demo.accounts import DEMO_ACCOUNTS
from pimpasa.roles import EDITOR, OFFICER, SUPERVISOR


def counts():
    return {
        "users": get_user_model().objects.count(),
        "groups": Group.objects.count(),
        "pages": Page.objects.count(),
        "sites": Site.objects.count(),
    }


@pytest.fixture
def demo_dir(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    return tmp_path


@pytest.mark.django_db
def test_load_demo_twice_adds_nothing_the_second_time(demo_dir, capsys):
    call_command("load_demo")
    first = counts()
    call_command("load_demo")
    assert counts() == first
    # One home page per language: the Indonesian tree and its English translation.
    assert sorted(HomePage.objects.values_list("locale__language_code", flat=True)) == ["en", "id"]
    assert isinstance(Site.objects.get(is_default_site=True).root_page.specific, HomePage)


@pytest.mark.django_db
def test_demo_accounts_print_passwords_that_log_in_to_the_admin(demo_dir, capsys):
    call_command("load_demo")
    output = capsys.readouterr().out
    for username, role, *_ in DEMO_ACCOUNTS:
        line = next(line for line in output.splitlines() if line.strip().startswith(username + " "))
        password = line.split()[1]
        client = Client()
        assert client.login(username=username, password=password)
        # The password is right; the back office then asks for the second factor's enrolment.
        response = client.get("/admin/")
        assert response.status_code == 302 and response["Location"].startswith("/admin/two-factor/setup/")
        assert list(
            get_user_model().objects.get(username=username).groups.values_list("name", flat=True)
        ) == [role]
    assert (demo_dir / "demo-accounts.txt").stat().st_mode & 0o077 == 0


@pytest.mark.django_db
def test_a_changed_demo_password_is_kept(demo_dir, capsys):
    call_command("load_demo")
    user = get_user_model().objects.get(username="petugas")
    user.set_password("my-own-Password-42")
    user.save()
    call_command("load_demo")
    user.refresh_from_db()
    assert user.check_password("my-own-Password-42")
    assert "(changed by its owner)" in capsys.readouterr().out


@pytest.mark.django_db
def test_demo_content_is_refused_under_production_settings(demo_dir, settings):
    settings.PIMPASA_ENVIRONMENT = "production"
    with pytest.raises(CommandError, match="never loaded under production"):
        call_command("load_demo")
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_setup_is_idempotent_and_gives_every_role_the_admin(site_setup):
    call_command("setup")
    call_command("setup")
    assert set(
        Group.objects.filter(name__in=[EDITOR, OFFICER, SUPERVISOR]).values_list("name", flat=True)
    ) == {
        EDITOR,
        OFFICER,
        SUPERVISOR,
    }
    for name in (EDITOR, OFFICER, SUPERVISOR):
        assert Group.objects.get(name=name).permissions.filter(codename="access_admin").exists()


@pytest.mark.django_db
def test_a_user_without_a_role_is_kept_out_of_the_admin(site_setup):
    get_user_model().objects.create_user("tamu", password="a-Long-test-passw0rd")
    client = Client()
    client.login(username="tamu", password="a-Long-test-passw0rd")
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
