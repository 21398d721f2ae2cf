from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class OfficesConfig(AppConfig):
    name = "offices"
    verbose_name = _("Offices")

    def ready(self):
        from offices import scoping
        from offices.models import Office

        # A second office changes whose dashboard may read the figures worked out for everyone.
        post_save.connect(scoping.forget_only_office, sender=Office, dispatch_uid="offices_only_office_save")
        post_delete.connect(scoping.forget_only_office, sender=Office, dispatch_uid="offices_only_office_del")
