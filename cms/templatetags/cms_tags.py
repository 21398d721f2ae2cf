"""Template tags for the public site: navigation, share previews, absolute addresses."""

from django import template
from django.utils.translation import get_language
from wagtail.images.models import Picture
from wagtail.images.shortcuts import get_renditions_or_not_found
from wagtail.models import Locale, Page

from cms import office_contact, page_cache, renditions
from cms.models import MaterialIndexPage
from cms.sharing import page_public_url, public_url
from pimpasa import phones

register = template.Library()


@register.simple_tag
def page_cache_generation():
    """The page cache's current generation: the site's header and footer fragments are cached under
    it, so a publish or a settings change refreshes them with every page (see cms.page_cache)."""
    return page_cache.generation()


@register.simple_tag
def picture_set(image, name, **attrs):
    """A <picture> of `image` in the sizes of picture set `name` (cms.renditions.PICTURE_SETS, the one
    list the publish task renders ahead), e.g. {% picture_set page.image "card" sizes="..." alt="" %}."""
    if not image:
        return ""
    return Picture(get_renditions_or_not_found(image, renditions.specs(name)), attrs)


@register.simple_tag(takes_context=True)
def material_index_url(context):
    """The material index of the current language (one query), for the main menu."""
    request = context.get("request")
    index = (
        MaterialIndexPage.objects.live()
        .filter(locale__language_code=get_language())
        .only("id", "url_path", "locale_id")
        .first()
    )
    return index.get_url(request=request) if index else ""


@register.inclusion_tag("cms/includes/share_meta.html", takes_context=True)
def share_meta(context, page, image=None, description=""):
    """OpenGraph and Twitter card tags, the canonical address and the translations' addresses."""
    request = context.get("request")
    translations = (
        page.get_translations(inclusive=True).live().select_related("locale")
        if isinstance(page, Page)
        else Page.objects.none()
    )
    image_url = ""
    if image is not None:
        image_url = public_url(image.get_rendition(renditions.SHARE).url)
    return {
        "title": page.seo_title or page.title,
        "description": description or page.search_description,
        "canonical": page_public_url(page, request),
        "image_url": image_url,
        "image_alt": image.default_alt_text if image is not None else "",
        "locale": Locale.get_active().language_code,
        "alternates": [
            {"code": other.locale.language_code, "url": page_public_url(other, request)}
            for other in translations
        ],
        "site_name": "Ngopi Pimpasa",
    }


@register.filter
def absolute(path_or_url):
    return public_url(path_or_url)


@register.filter
def bare_url(url):
    """An address as people read it aloud: without its scheme and trailing slash."""
    return url.split("://", 1)[-1].rstrip("/")


@register.filter
def tel_href(number):
    """A tel: link for a number written as people write it (0-800-1000, (021) 2924 4800, +62 …)."""
    return phones.tel_href(number)


@register.filter
def wa_me(number):
    """The wa.me chat address of a WhatsApp number, or "" for one that is no number."""
    return phones.wa_me_link(number) if number else ""


@register.simple_tag(takes_context=True)
def page_office(context):
    """The office of the page's context (cms.office_contact): a view's `office`, else the chooser's."""
    return office_contact.context_office(context)


@register.simple_tag
def office_cache_part(office):
    """The office's part of the footer's fragment cache key ("none" without one)."""
    return office_contact.office_cache_part(office)


@register.simple_tag
def chooser_offices():
    """The offices of the chooser, by name (one query; only where no office is known)."""
    return office_contact.chooser_offices()


@register.simple_tag
def contact_without_office(site_settings, offices):
    """The contact shown where no office is known (cms.office_contact.contact_without_office)."""
    return office_contact.contact_without_office(site_settings, offices)
