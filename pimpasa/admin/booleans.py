"""Booleans as words in the back office: "Ya"/"Tidak", never "True"/"False"."""

import django_filters
from django.utils.translation import gettext as _
from wagtail.admin.active_filters import ActiveFilter, BaseFilterAdapter, register_filter_adapter_class
from wagtail.admin.ui.tables import Column


def yes_no(value):
    if value is None:
        return "—"
    return _("Yes") if value else _("No")


class YesNoColumn(Column):
    """A listing column showing a boolean field as a word."""

    def get_value(self, instance):
        return yes_no(super().get_value(instance))


class BooleanFilterAdapter(BaseFilterAdapter):
    """The pill of an active yes/no filter ("Publik: Ya", not "Publik: True")."""

    def get_active_filters(self):
        yield ActiveFilter(
            self.bound_field.auto_id,
            self.filter.label,
            yes_no(self.value),
            self.get_url_without_filter_param(self.name),
        )


def register():
    register_filter_adapter_class(django_filters.BooleanFilter, BooleanFilterAdapter)
