"""Site-wide settings editors set once (Settings → Contact and hotlines): the contact of pages that
belong to no immigration office (cms.office_contact), the hotlines and the offices residents can turn
to, shown in every footer and in the contact block.

Its own module, below both the page models and the StreamField blocks: the contact block reads these
settings, and the settings use only the blocks defined here, so nothing imports in a circle.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField

from pimpasa import phones
from pimpasa.phones import wa_me_link


def in_visitors_language(value, field):
    """`field` for an Indonesian page, or its `<field>_en` twin on an English page when an editor
    filled it. Settings are one row per site, not per locale, so each wording has its own field."""
    if translation.get_language() == "en" and value.get(f"{field}_en"):
        return value[f"{field}_en"]
    return value.get(field, "")


class HotlineValue(blocks.StructValue):
    @property
    def label(self):
        return in_visitors_language(self, "organisation")

    @property
    def whatsapp_link(self):
        return wa_me_link(self["number"]) if self.get("whatsapp") or self.get("whatsapp_only") else ""


class HotlineBlock(blocks.StructBlock):
    """One hotline in the site settings, labelled in Indonesian and (for English pages) in English:
    "KP2MI (layanan WhatsApp)" is "KP2MI (WhatsApp service)" to an English reader."""

    organisation = blocks.CharBlock(label=_("label"), max_length=100)
    organisation_en = blocks.CharBlock(
        label=_("label in English"),
        max_length=100,
        required=False,
        help_text=_("Shown on English pages; leave empty if it reads the same (a name such as Kemnaker)."),
    )
    number = blocks.CharBlock(label=_("number"), max_length=30)
    toll_free = blocks.BooleanBlock(label=_("toll-free"), required=False)
    whatsapp = blocks.BooleanBlock(label=_("also on WhatsApp"), required=False)
    # Some lines only answer chats: offering a call link there would send people to a dead number.
    whatsapp_only = blocks.BooleanBlock(
        label=_("WhatsApp only"), required=False, help_text=_("The number takes WhatsApp chats, not calls.")
    )

    class Meta:
        icon = "mobile-alt"
        label = _("Hotline")
        value_class = HotlineValue


class OfficeValue(blocks.StructValue):
    @property
    def area_label(self):
        return in_visitors_language(self, "area")

    @property
    def location_text(self):
        return in_visitors_language(self, "location")


class OfficeBlock(blocks.StructBlock):
    """An office residents can go to, such as a BP3MI; its name is a proper name, the same in any
    language, while the area and the directions have an English wording for English pages."""

    name = blocks.CharBlock(label=_("name"), max_length=150)
    area = blocks.CharBlock(label=_("area served"), max_length=150)
    area_en = blocks.CharBlock(label=_("area served, in English"), max_length=150, required=False)
    location = blocks.TextBlock(
        label=_("address or location"),
        help_text=_("Only what is known for certain; where the address is not known, say whom to ask."),
    )
    location_en = blocks.TextBlock(
        label=_("address or location, in English"),
        required=False,
        help_text=_("Shown on English pages; leave empty to show the one above."),
    )
    phone = blocks.CharBlock(label=_("office phone"), max_length=30, required=False)
    website = blocks.URLBlock(label=_("website"), required=False)

    class Meta:
        icon = "site"
        label = _("Office")
        value_class = OfficeValue


@register_setting(icon="mobile-alt")
class ContactSettings(BaseSiteSetting):
    """The hotlines, shown in every page's footer and in the contact block, and the contact of pages
    that belong to no office (cms.office_contact): each office's own contact is offices.Office's."""

    office_name = models.CharField(_("office name"), max_length=150, blank=True)
    office_address = models.TextField(_("office address"), blank=True)
    office_phone = models.CharField(_("office phone"), max_length=30, blank=True)
    office_email = models.EmailField(_("office e-mail"), blank=True)
    whatsapp_number = models.CharField(
        _("WhatsApp number"),
        max_length=30,
        blank=True,
        help_text=_("International form, for example +6281234567890."),
    )
    hotlines = StreamField(
        [("hotline", HotlineBlock())],
        verbose_name=_("hotlines"),
        blank=True,
    )
    offices = StreamField(
        [("office", OfficeBlock())],
        verbose_name=_("offices"),
        blank=True,
        help_text=_("Where migrant workers and their families can turn: the ministry, its BP3MI offices."),
    )
    instagram_url = models.URLField(_("Instagram"), blank=True)
    facebook_url = models.URLField(_("Facebook"), blank=True)
    x_url = models.URLField(_("X (Twitter)"), blank=True)
    youtube_url = models.URLField(_("YouTube"), blank=True)
    tiktok_url = models.URLField(_("TikTok"), blank=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("office_name"),
                FieldPanel("office_address"),
                FieldPanel("office_phone"),
                FieldPanel("office_email"),
                FieldPanel("whatsapp_number"),
            ],
            heading=_("Contact of pages that belong to no office"),
            help_text=_(
                "The national contact (the Directorate's) on a site of several offices, or the office's "
                "own on a site of one. Each office's own contact is set under Offices: pages of a session "
                "show its office's."
            ),
        ),
        FieldPanel("hotlines"),
        FieldPanel("offices"),
        MultiFieldPanel(
            [
                FieldPanel("instagram_url"),
                FieldPanel("facebook_url"),
                FieldPanel("x_url"),
                FieldPanel("youtube_url"),
                FieldPanel("tiktok_url"),
            ],
            heading=_("Social media"),
        ),
    ]

    class Meta:
        verbose_name = _("contact and hotlines")

    def clean(self):
        super().clean()
        if self.whatsapp_number:
            try:
                self.whatsapp_number = phones.normalise_mobile(self.whatsapp_number)
            except ValidationError as error:
                raise ValidationError({"whatsapp_number": error}) from None

    @property
    def whatsapp_link(self):
        return wa_me_link(self.whatsapp_number)

    @property
    def social_links(self):
        links = [
            ("Instagram", self.instagram_url),
            ("Facebook", self.facebook_url),
            ("X", self.x_url),
            ("YouTube", self.youtube_url),
            ("TikTok", self.tiktok_url),
        ]
        return [(name, url) for name, url in links if url]
