from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page, TranslatableMixin
from wagtail.snippets.models import register_snippet


class HomePage(Page):
    """The site's front door: what Ngopi Pimpasa is and where to go next."""

    hero_heading = models.CharField(_("hero heading"), max_length=150, blank=True)
    hero_text = models.TextField(_("hero text"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("hero_heading"),
        FieldPanel("hero_text"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")


@register_snippet
class Topic(TranslatableMixin, models.Model):
    """A subject the programme teaches (TPPO, safe migration, ...): tags material and sessions."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="unique_topic_slug_per_locale"),
        ]

    def __str__(self):
        return self.name
