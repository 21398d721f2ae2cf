from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PimpasaConfig(AppConfig):
    name = "pimpasa"
    verbose_name = _("Pimpasa")

    def ready(self):
        from django.contrib.auth.signals import user_login_failed

        from . import checks  # noqa: F401  (registers the deploy checks)
        from .logins import audit_failed_login

        user_login_failed.connect(audit_failed_login, dispatch_uid="pimpasa_audit_failed_login")
