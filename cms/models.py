"""Page types of a province's promotion site.

The home page sits at the root; news, producer stories and events each have
an index page under it, and campaign pages hang directly off the home page.
Fairs and livestreams are records of the events app: the event index page
presents them, so reports and the admin read the same rows.
"""

from django import forms
from django.apps import apps
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from . import selectors
from .blocks import StoryBlock


class SitePage(Page):
    """What every page of a province's site shares: how it looks when shared."""

    share_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("share image"),
        help_text=_("Shown when the page is shared on Facebook or Zalo."),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    promote_panels = Page.promote_panels + [FieldPanel("share_image")]

    class Meta:
        abstract = True

    def get_share_image(self):
        return self.share_image

    def get_share_description(self) -> str:
        return self.search_description or getattr(self, "intro", "") or ""


class HomePage(SitePage):
    """The front page of a province's site."""

    intro = models.CharField(
        _("union's message"),
        max_length=300,
        blank=True,
        default="Kết nối sản phẩm an toàn của phụ nữ với hội viên, tận khu dân cư.",
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = RichTextField(_("body"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "cms.NewsIndexPage",
        "cms.StoryIndexPage",
        "cms.EventIndexPage",
        "cms.CampaignPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_share_image(self):
        return self.share_image or self.hero_image

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(
            featured_products=selectors.featured_products(limit=8),
            upcoming_fairs=selectors.upcoming_fairs(limit=3),
            upcoming_livestreams=selectors.upcoming_livestreams(limit=3),
            latest_news=selectors.latest_news(limit=3),
            latest_stories=selectors.latest_stories(limit=3),
            campaigns=selectors.live_campaigns(limit=2),
            pickup_points=selectors.pickup_points_by_commune(),
            impact=selectors.impact_figures(),
            event_index=selectors.event_index(),
        )
        return context


class IndexPage(SitePage):
    """A section of the site listing its child pages, newest first."""

    intro = models.CharField(_("introduction"), max_length=300, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    show_in_menus_default = True
    parent_page_types = ["cms.HomePage"]
    max_count_per_parent = 1
    # The child page type listed, and the template's name for the list.
    listed_model_name = ""
    context_name = ""

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        listed = apps.get_model("cms", self.listed_model_name)
        context[self.context_name] = selectors.children_with_images(
            self, listed, limit=30
        )
        return context


class NewsIndexPage(IndexPage):
    subpage_types = ["cms.NewsPage"]
    listed_model_name = "NewsPage"
    context_name = "articles"

    class Meta:
        verbose_name = _("news index")
        verbose_name_plural = _("news indexes")


class NewsPage(SitePage):
    date = models.DateField(_("date"), default=timezone.localdate)
    intro = models.CharField(_("summary"), max_length=300)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("main image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(StoryBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("news article")
        verbose_name_plural = _("news articles")

    def get_share_image(self):
        return self.share_image or self.image


class StoryIndexPage(IndexPage):
    subpage_types = ["cms.ProducerStoryPage"]
    listed_model_name = "ProducerStoryPage"
    context_name = "stories"

    class Meta:
        verbose_name = _("producer story index")
        verbose_name_plural = _("producer story indexes")


class ProducerStoryPage(SitePage):
    """A producer's story, written by staff, linked to the producer's record."""

    producer = models.ForeignKey(
        "catalog.Producer",
        verbose_name=_("producer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stories",
    )
    # Shown when no catalog record is chosen, or after the record is deleted.
    producer_name = models.CharField(
        _("producer's name without a record"),
        max_length=200,
        blank=True,
        help_text=_("Only needed when the producer is not in the catalog."),
    )
    products = ParentalManyToManyField(
        "catalog.Product",
        verbose_name=_("products"),
        blank=True,
        related_name="stories",
    )
    place = models.CharField(_("commune or ward"), max_length=120, blank=True)
    intro = models.CharField(_("summary"), max_length=300)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("main image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(StoryBlock(), verbose_name=_("story"), blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("producer"),
                FieldPanel("producer_name"),
                FieldPanel("place"),
                FieldPanel("products", widget=forms.SelectMultiple(attrs={"size": 8})),
            ],
            heading=_("Producer"),
        ),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
        InlinePanel("gallery_images", label=_("Gallery")),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("producer_name"),
        index.RelatedFields("producer", [index.SearchField("name")]),
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    parent_page_types = ["cms.StoryIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("producer story")
        verbose_name_plural = _("producer stories")

    def get_share_image(self):
        return self.share_image or self.image

    @property
    def producer_display_name(self) -> str:
        return self.producer.name if self.producer else self.producer_name

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["products"] = selectors.story_products(self)
        context["gallery"] = self.gallery_images.select_related("image")
        return context


class StoryImage(Orderable):
    page = ParentalKey(
        ProducerStoryPage, on_delete=models.CASCADE, related_name="gallery_images"
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    caption = models.CharField(_("caption"), max_length=250, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]


class CampaignPage(SitePage):
    """A campaign such as "Vietnamese people prioritise Vietnamese goods"."""

    intro = models.CharField(_("summary"), max_length=300)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("main image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(StoryBlock(), verbose_name=_("body"), blank=True)
    call_to_action = models.CharField(_("call to action"), max_length=80, blank=True)
    call_to_action_url = models.CharField(
        _("call to action link"), max_length=300, blank=True
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("call_to_action"), FieldPanel("call_to_action_url")],
            heading=_("Call to action"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("campaign page")
        verbose_name_plural = _("campaign pages")

    def get_share_image(self):
        return self.share_image or self.image


class EventIndexPage(RoutablePageMixin, SitePage):
    """Fairs, market sessions and livestreams, read from the events app."""

    intro = models.CharField(_("introduction"), max_length=300, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    show_in_menus_default = True
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("events page")
        verbose_name_plural = _("events pages")

    @path("")
    def index(self, request):
        from events import selectors as events

        return self.render(
            request,
            context_overrides={
                "fairs": events.upcoming_fairs(limit=20),
                "livestreams": events.upcoming_livestreams(limit=20),
            },
        )

    @path("hoi-cho/<int:fair_id>/", name="fair")
    def fair(self, request, fair_id):
        from events import selectors as events

        fair = events.public_fairs().filter(pk=fair_id).first()
        if fair is None:
            raise Http404
        return self.render(
            request,
            template="cms/fair_detail.html",
            context_overrides={
                "fair": fair,
                "booths": events.accepted_booths(fair),
                "livestreams": list(fair.livestreams.all()),
            },
        )

    @path("livestream/<slug:code>/", name="livestream")
    def livestream(self, request, code):
        from events import selectors as events

        stream = events.public_livestreams().filter(code=code).first()
        if stream is None:
            raise Http404
        return self.render(
            request,
            template="cms/livestream_detail.html",
            context_overrides={
                "stream": stream,
                "products": selectors.livestream_products(stream),
                "is_upcoming": stream.scheduled_at > timezone.now(),
            },
        )
