"""Back-office wide: booleans read as words in every listing filter; the admin's own stylesheet; sign-in
lockouts (supervisors unlock them) and the audit log's names for sign-in events; no Wagtail help menu."""

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from pimpasa import logins
from pimpasa.admin import booleans, lockouts

booleans.register()


@hooks.register("insert_global_admin_css")
def pimpasa_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))


@hooks.register("construct_main_menu")
def hide_wagtails_help_menu(request, menu_items):
    # Wagtail's "Help" opens its own English guide and release notes on guide.wagtail.org: another
    # product's pages, and a third-party site, for staff who work in Pimpasa.
    menu_items[:] = [item for item in menu_items if item.name != "help"]


@hooks.register("register_admin_urls")
def register_lockout_urls():
    return [
        path("sign-in-lockouts/", lockouts.index, name="pimpasa_lockouts"),
        path("sign-in-lockouts/<int:pk>/unlock/", lockouts.unlock, name="pimpasa_lockout_unlock"),
    ]


class LockoutsMenuItem(MenuItem):
    def is_shown(self, request):
        return logins.can_unlock(request.user)


@hooks.register("register_settings_menu_item")
def register_lockouts_menu_item():
    return LockoutsMenuItem(_("Sign-in lockouts"), reverse("pimpasa_lockouts"), icon_name="lock", order=900)


@hooks.register("register_log_actions")
def register_login_log_actions(actions):
    actions.register_action(logins.FAILED_LOGIN_ACTION, _("Failed sign-in"), _("Failed sign-in"))
    actions.register_action(logins.UNLOCK_ACTION, _("Unlock sign-in"), _("Sign-in unlocked"))
