"""Which immigration office a public page's footer and contact block show (issue 25).

A page has an office when its context names one: a session's page (its area's office), a tip's receipt
or status (the office handling it), or a page opened from the office chooser (`?kantor=<id>`, a plain
GET form, no JavaScript). A page without one shows the national contact and, where there are several
offices, the chooser.

The office is part of the page's address (the query string) or of a view's own context, never of a
cookie or the session: the shared page cache (cms.page_cache) and the footer's fragment cache are keyed
by the address and the office, so one visitor's office never appears on another's page.

Without an office, the site settings' contact (Settings → Contact and hotlines → Contact of pages that
belong to no office) when an editor filled it, else the only office, else PIMPASA_NATIONAL_CONTACT_NAME
and PIMPASA_NATIONAL_HOTLINE.
"""

from dataclasses import dataclass

from django.conf import settings

from cms.site_settings import ContactSettings
from offices.models import Office

# The query parameter of the chooser; short and Indonesian, like the site's other addresses.
OFFICE_PARAMETER = "kantor"
_CACHED_ATTR = "_pimpasa_chosen_office"


def office_id_from(raw):
    """The id a chooser's value names, or None for anything that is no plausible id."""
    try:
        pk = int(str(raw or ""))
    except ValueError:
        return None
    return pk if 0 < pk < 2**63 else None


def chosen_office(request):
    """The office the address names (`?kantor=<id>`), or None; one query per request at most.

    An unknown or malformed id is no error for a visitor: the page shows the chooser again."""
    if request is None:
        return None
    if not hasattr(request, _CACHED_ATTR):
        pk = office_id_from(request.GET.get(OFFICE_PARAMETER))
        office = Office.objects.filter(pk=pk).first() if pk is not None else None
        setattr(request, _CACHED_ATTR, office)
    return getattr(request, _CACHED_ATTR)


def context_office(context):
    """The office of a template's context: the one a view put there (`office`), else the chooser's."""
    office = context.get("office")
    if isinstance(office, Office):
        return office
    return chosen_office(context.get("request"))


def chooser_offices():
    """Every office, by name: the chooser's options (and the only office, on a one-office site)."""
    return list(Office.objects.order_by("name"))


@dataclass(frozen=True)
class NationalContact:
    """The contact of a page without an office, shaped as an Office is for the templates."""

    name: str
    hotline: str = ""
    address: str = ""
    email: str = ""
    whatsapp: str = ""


def contact_without_office(site_settings, offices):
    """What a page that belongs to no office shows: the site settings' contact when an editor filled
    it (the Directorate's on a national site, the office's own on a one-office site), else the only
    office there is, else the deployment's national contact (its name, and its hotline if configured)."""
    # Without a Wagtail site for the request's host, the template's settings lookup gives no settings
    # object (an empty string, or the test settings' marker): treated as no contact, never a 500.
    if isinstance(site_settings, ContactSettings) and site_settings.office_name:
        return NationalContact(
            name=site_settings.office_name,
            hotline=site_settings.office_phone,
            address=site_settings.office_address,
            email=site_settings.office_email,
            whatsapp=site_settings.whatsapp_number,
        )
    if len(offices) == 1:
        return offices[0]
    return NationalContact(
        name=settings.PIMPASA_NATIONAL_CONTACT_NAME, hotline=settings.PIMPASA_NATIONAL_HOTLINE
    )


def office_cache_part(office):
    """The office's part of a fragment cache key. Its id is enough: saving or deleting an office
    replaces the page cache's generation (cms.signals), which every such key also holds."""
    return str(office.pk) if office is not None else "none"
