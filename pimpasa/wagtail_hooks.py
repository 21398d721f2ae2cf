"""Back-office wide: booleans read as words in every listing filter; the admin's own stylesheet; sign-in
lockouts (supervisors unlock them), the second factor's pages (supervisors reset another account's) and
the audit log's names for sign-in events; no Wagtail help menu."""

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from pimpasa import logins, two_factor
from pimpasa.admin import booleans, lockouts
from pimpasa.admin import two_factor as two_factor_views

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


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return [
        path("two-factor/", two_factor_views.verify, name="pimpasa_two_factor_verify"),
        path("two-factor/setup/", two_factor_views.setup, name="pimpasa_two_factor_setup"),
        path("two-factor/accounts/", two_factor_views.accounts, name="pimpasa_two_factor_accounts"),
        path("two-factor/accounts/<int:pk>/reset/", two_factor_views.reset, name="pimpasa_two_factor_reset"),
    ]


class TwoFactorAccountsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(two_factor.RESET_PERMISSION)


@hooks.register("register_settings_menu_item")
def register_two_factor_menu_item():
    return TwoFactorAccountsMenuItem(
        _("Second factor"), reverse("pimpasa_two_factor_accounts"), icon_name="key", order=910
    )


@hooks.register("register_log_actions")
def register_two_factor_log_actions(actions):
    actions.register_action(two_factor.ENROLLED_ACTION, _("Second factor set up"), _("Second factor set up"))
    actions.register_action(
        two_factor.RECOVERY_USED_ACTION, _("Recovery code used"), _("Signed in with a recovery code")
    )
    actions.register_action(
        two_factor.FAILED_ACTION, _("Wrong second-factor code"), _("Wrong second-factor code")
    )
    actions.register_action(two_factor.RESET_ACTION, _("Second factor reset"), _("Second factor reset"))
    actions.register_action(
        logins.ACCOUNT_PAUSED_ACTION, _("Sign-in paused"), _("Sign-in paused for this account")
    )
