"""The public site: a home page, material (index + detail), plain pages and topics (site settings:
cms/site_settings.py).

Page tree (per language): HomePage → MaterialIndexPage → MaterialPage, and HomePage → StandardPage.
Indonesian is the default tree; English pages are translations linked by `translation_key`.
"""

import math

from django import forms
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.db.models import Count, Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import Page, TranslatableMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from . import page_cache, renditions
from .blocks import MaterialStreamBlock
from .site_settings import ContactSettings  # noqa: F401  (its own module; imported here so Django registers it)

# Every rendition a material card's <picture> offers (cms.renditions, the list its template draws).
CARD_RENDITIONS = renditions.specs("card")
MATERIALS_PER_PAGE = 12
FEATURED_ON_HOME = 6
NEWEST_ON_HOME = 3
RELATED_MATERIAL_COUNT = 3


def card_images_prefetch():
    return Prefetch("image", queryset=get_image_model().objects.prefetch_renditions(*CARD_RENDITIONS))


def with_card_images(queryset):
    """Material cards show a cropped image: fetch images and their renditions in two queries."""
    return queryset.prefetch_related(card_images_prefetch())


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


@register_snippet
class SearchSynonyms(models.Model):
    """Words residents use for the same thing (TKI and PMI, calo and perekrut): a search for one finds
    material that uses another. Editors add groups as they hear new words in the sessions."""

    words = models.CharField(
        _("words that mean the same"),
        max_length=250,
        unique=True,
        help_text=_("Separated by commas, for example: PMI, TKI, pekerja migran, buruh migran"),
    )

    panels = [FieldPanel("words")]

    class Meta:
        verbose_name = _("search synonyms")
        verbose_name_plural = _("search synonyms")
        ordering = ["words"]

    def __str__(self):
        return self.words

    @property
    def word_list(self):
        return [word.strip().lower() for word in self.words.split(",") if word.strip()]


class CachedPageMixin:
    """Anonymous visitors get this page type from the shared page cache (see cms.page_cache)."""

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        page_cache.mark_cacheable(request, response, self, seconds=self.page_cache_timeout(response))
        return response

    def page_cache_timeout(self, response):
        """Seconds this rendering stays true without anything being saved; None: the site's default."""
        return None


class HomePage(CachedPageMixin, Page):
    """The site's front door: what Ngopi Pimpasa is, upcoming sessions, featured and newest material,
    the hotline.

    Cached like material: saving or deleting a session or an area empties the page cache (events
    tells cms.page_cache), and a rendering is kept no longer than its first listed session runs,
    since the list changes by itself when that session ends.
    """

    hero_heading = models.CharField(_("hero heading"), max_length=150, blank=True)
    hero_text = models.TextField(_("hero text"), blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_cta_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("hero button links to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_cta_text = models.CharField(_("hero button text"), max_length=60, blank=True)
    body = StreamField(MaterialStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("hero_heading"),
                FieldPanel("hero_text"),
                FieldPanel("hero_image"),
                FieldPanel("hero_cta_page"),
                FieldPanel("hero_cta_text"),
            ],
            heading=_("Hero"),
        ),
        FieldPanel("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.MaterialIndexPage", "cms.StandardPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["featured_materials"], context["newest_materials"] = self.home_materials()
        context["material_index"] = (
            MaterialIndexPage.objects.live().filter(locale_id=self.locale_id).only("id", "url_path").first()
        )
        context["upcoming_sessions"] = upcoming_sessions_for_display()
        return context

    def picture_sets(self):
        """The pictures this page shows, by cms.renditions set: rendered when it is published."""
        return [(self.hero_image, ("hero", "share"))]

    def home_materials(self):
        """(featured, newest): up to FEATURED_ON_HOME featured materials, then the NEWEST_ON_HOME newest
        of the others, so new material reaches the front door whether or not an editor features it.
        Four queries whatever the number of materials (two lists, their images and renditions)."""
        materials = MaterialPage.objects.live().public().filter(locale_id=self.locale_id)
        featured = list(materials.filter(featured=True).order_by("-first_published_at")[:FEATURED_ON_HOME])
        newest = list(
            materials.exclude(pk__in=[material.pk for material in featured]).order_by(
                "-first_published_at", "-pk"
            )[:NEWEST_ON_HOME]
        )
        prefetch_related_objects(featured + newest, card_images_prefetch())
        return featured, newest

    def page_cache_timeout(self, response):
        sessions = (getattr(response, "context_data", None) or {}).get("upcoming_sessions") or []
        if not sessions:
            return None
        first_end = min(session.ends_at for session in sessions)
        return math.ceil((first_end - timezone.now()).total_seconds())


def upcoming_sessions_for_display(limit=3):
    """Upcoming public sessions; each shows its times in its own area's zone (Session.local_*)."""
    from events.services.public import upcoming_public_sessions  # the one thing cms asks of events

    return list(upcoming_public_sessions(limit=limit))


class MaterialIndexPage(CachedPageMixin, Page):
    """Lists the material of one language, newest first, filterable by topic (?topic=slug)."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.MaterialPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("material index page")
        verbose_name_plural = _("material index pages")

    def topics_in_use(self):
        """The topics of this language that at least one live material here uses."""
        return (
            Topic.objects.filter(locale_id=self.locale_id)
            .annotate(
                material_count=Count(
                    "material_pages",
                    filter=models.Q(material_pages__live=True, material_pages__path__startswith=self.path),
                    distinct=True,
                )
            )
            .filter(material_count__gt=0)
            .order_by("name")  # Meta.ordering does not apply to aggregating queries
        )

    def materials(self, topic=None):
        materials = MaterialPage.objects.child_of(self).live().public().order_by("-first_published_at")
        if topic is not None:
            materials = materials.filter(topics=topic)
        return with_card_images(materials)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        topics = list(self.topics_in_use())
        selected = next((t for t in topics if t.slug == request.GET.get("topic")), None)
        paginator = Paginator(self.materials(selected), MATERIALS_PER_PAGE)
        try:
            materials = paginator.page(request.GET.get("page") or 1)
        except (PageNotAnInteger, EmptyPage):
            materials = paginator.page(1)
        context.update(topics=topics, selected_topic=selected, materials=materials)
        return context


class MaterialPage(CachedPageMixin, Page):
    """One piece of education material: a short intro for cards and shares, then the body."""

    intro = models.TextField(
        _("introduction"),
        max_length=300,
        help_text=_("One or two sentences: shown on cards, in search results and in WhatsApp previews."),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Also the picture shown when the page is shared."),
    )
    body = StreamField(MaterialStreamBlock(), verbose_name=_("body"))
    topics = ParentalManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="material_pages"
    )
    featured = models.BooleanField(
        _("feature on the home page"),
        default=False,
        help_text=_(
            "Ticked: shown under “Read first” on the home page, before the newest material, until "
            "you untick it. Not ticked: the material still appears on the home page under “New "
            "material” while it is among the newest, and always in the material index and search."
        ),
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
    ]
    promote_panels = Page.promote_panels + [FieldPanel("featured")]
    search_fields = Page.search_fields + [
        index.SearchField("intro", boost=1.5),
        index.SearchField("body"),
        index.RelatedFields("topics", [index.SearchField("name")]),
        index.FilterField("featured"),
    ]

    parent_page_types = ["cms.MaterialIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("material page")
        verbose_name_plural = _("material pages")

    def picture_sets(self):
        """The pictures this page shows, by cms.renditions set: its card appears on the home page,
        the index, related material and search results, so it is rendered with the page."""
        return [(self.image, ("material", "card", "share"))]

    @cached_property
    def topic_list(self):
        return list(self.topics.all())

    def related_materials(self):
        """Other live material of this language sharing a topic, the most shared topics first."""
        topic_ids = [topic.pk for topic in self.topic_list]
        if not topic_ids:
            return MaterialPage.objects.none()
        related = (
            MaterialPage.objects.live()
            .public()
            .filter(locale_id=self.locale_id, topics__in=topic_ids)
            .exclude(pk=self.pk)
            .annotate(shared_topics=Count("topics"))
            .order_by("-shared_topics", "-first_published_at")
        )
        return with_card_images(related)[:RELATED_MATERIAL_COUNT]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["related_materials"] = self.related_materials()
        return context


class StandardPage(CachedPageMixin, Page):
    """A plain page: about the programme, the privacy notice."""

    intro = models.TextField(_("introduction"), blank=True, max_length=300)
    body = StreamField(MaterialStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")
