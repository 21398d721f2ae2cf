"""Back-office wide: booleans read as words in every listing filter; the admin's own stylesheet."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from pimpasa.admin import booleans

booleans.register()


@hooks.register("insert_global_admin_css")
def pimpasa_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))
