from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PimpasaConfig(AppConfig):
    name = "pimpasa"
    verbose_name = _("Pimpasa")
