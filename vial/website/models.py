"""The public website: pages, and the snippets editors keep (testimonials, accreditations).

Treatment facts live in fields, not only in prose, because booking (durations, eligibility),
follow-up (re-treatment reminders) and charting (prescription-only, licence status) read them.
"""

import functools
from datetime import date

from django import forms
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Avg, Case, Count, Prefetch, When, Window
from django.utils.functional import SimpleLazyObject, cached_property
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import DraftStateMixin, Orderable, Page, PageViewRestriction, RevisionMixin, Site
from wagtail.search import index
from wagtail.url_routing import RouteResult

from vial.compliance.forms import AdvertisingCheckedPageForm, AdvertisingCheckedSnippetForm
from vial.core.caching import is_htmx, keep_private, varies_on_htmx
from vial.core.params import query_param
from vial.core.queries import SameQuery

from . import chrome, seo
from .blocks import BodyBlock, FAQStreamBlock


def lines(text: str) -> list[str]:
    """Split an editor's one-item-per-line field into clean items."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# --- Shared pieces ---------------------------------------------------------------------------


class HeroImageMixin(models.Model):
    """An image for the page header and for OpenGraph sharing."""

    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hero_alt = models.CharField(
        max_length=200, blank=True, help_text="Describe the image for people who cannot see it."
    )

    class Meta:
        abstract = True


class BasePage(HeroImageMixin, Page):
    """Every public page: hero image, breadcrumbs and JSON-LD."""

    show_in_menus_default = True
    base_form_class = AdvertisingCheckedPageForm  # warns about advertising a prescription-only medicine

    class Meta:
        abstract = True

    #: Foreign keys every render of the page reads, loaded and cached with it (`chrome.live_page`).
    render_relations = ("hero_image",)
    #: What the page owns that every render lists (its tags), prefetched and cached with it likewise.
    render_prefetches = ()

    @cached_property
    def breadcrumb_pages(self) -> list[Page]:
        """The trail from the home page down to this page (a request sets it from `chrome.trail`)."""
        return self.ancestors_trail()

    def ancestors_trail(self) -> list[Page]:
        """The trail from the home page down to this page, from the database (one query)."""
        ancestors = self.get_ancestors().filter(depth__gt=1).only("id", "title", "url_path", "path", "depth")
        return [*ancestors, self]

    def json_ld(self, request) -> list[dict]:
        """Structured data for search engines; page types add their own schema.org objects."""
        return [seo.breadcrumbs(self, request)]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The trail from the cached menu instead of an ancestors query (lazy: a cached page never asks).
        self.breadcrumb_pages = lazy(lambda: chrome.trail(request, self))
        return context

    #: Whether `{% pagecache %}` may keep this page's rendered HTML (not for pages with forms).
    fragment_cacheable = True

    #: The hero image as shared on social media (og:image in base.html).
    og_image_spec = "fill-1200x630"

    @cached_property
    def og_image_url(self) -> str:
        """The og:image rendition's URL path ("" without a hero image), looked up once per loaded page.

        `chrome.live_page` works it out before it caches the page, so a render reads a string. Wagtail's
        `{% image %}` tag would read the rendition from the cache and write it back on every render (with
        the file cache, a file written per request: about 1 ms). The home page keeps it its own way (see
        HomePage.og_image_url).
        """
        return self.hero_image.get_rendition(self.og_image_spec).url if self.hero_image else ""

    @property
    def meta_description(self) -> str:
        """The page's meta description: its search description, else its summary on page types with one.
        (A template asking a page for a field it lacks costs Django a `dir()` of the page: 0.2 ms.)"""
        return self.search_description or getattr(self, "summary", "")

    def _on_requests_site(self, request):
        """(the request's Site, this page's path on it) for a page under that Site's root, else (None, None).

        Wagtail looks through every site's root path and reverses its serving URL for each link (most
        of what `{% pageurl %}` costs, and a list page has dozens); for a page under the request's Site
        the answer is that Site's and the path below its root, which Wagtail would choose too (it prefers
        the current site).
        """
        site = getattr(request, "_wagtail_site", None)  # the cached Site (CachedSiteMiddleware), root page loaded
        root = site.root_page.url_path if site is not None and Site.root_page.is_cached(site) else None
        if root and self.url_path and self.url_path.startswith(root):
            return site, chrome.serving_prefix() + self.url_path[len(root) :]
        return None, None

    def get_url_parts(self, request=None):
        """Wagtail's (site id, root URL, path), without its lookups for a page of the request's Site."""
        site, path = self._on_requests_site(request)
        if path is not None:
            return site.pk, site.root_url, path
        return super().get_url_parts(request)

    def get_url(self, request=None, current_site=None):
        """Wagtail's link to this page: for a page of the request's Site, its path (Wagtail's answer when
        the sites match), without Wagtail counting every site's root path first."""
        site, path = self._on_requests_site(request)
        if path is not None and current_site in (None, site):
            return path
        return super().get_url(request, current_site)

    def get_cache_key_components(self):
        # A page also shows other content (related pages, ratings, the menu), so its cached
        # fragments are keyed on the site's content version too, which any publish moves on.
        return [*super().get_cache_key_components(), chrome.content_version()]

    def get_view_restrictions(self):
        # Wagtail checks for private pages on every request (two queries); skip them while no
        # page anywhere is private (cached; PageViewRestriction changes clear it).
        if not chrome.any_view_restrictions():
            return _no_restrictions()
        return super().get_view_restrictions()


@functools.cache
def _no_restrictions():
    """No view restrictions, as a queryset already evaluated: Wagtail iterates it on every request, and a
    fresh `.none()` builds its SQL each time (about 0.2 ms) before finding it has nothing to ask."""
    restrictions = PageViewRestriction.objects.none()
    list(restrictions)  # a queryset keeps its results: iterating it again asks nothing
    return restrictions


#: What a link to a page reads (its title and URL), for lists that only link to pages.
LINK_FIELDS = ("id", "title", "url_path", "path", "depth")


def lazy(build):
    """A context value computed only if the template uses it: a page served from `{% pagecache %}` never does."""
    return SimpleLazyObject(build)


@register_setting(icon="site")
class ClinicSettings(BaseSiteSetting):
    """Facts about the clinic as a whole, shown in the header, footer and JSON-LD."""

    name = models.CharField(max_length=100, default="Vial Aesthetics")
    motto = models.CharField(max_length=100, default="Passion | Precision | Perfection")
    region = models.CharField(max_length=100, default="South West England")
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)

    panels = [FieldPanel("name"), FieldPanel("motto"), FieldPanel("region"), FieldPanel("phone"), FieldPanel("email")]

    class Meta:
        verbose_name = "clinic details"

    @classmethod
    def for_site(cls, site):
        # Read by the header, footer and JSON-LD of every page: kept under the content version,
        # which saving these details moves on (signals.py), instead of a query per request.
        if site is None:
            return super().for_site(site)
        return chrome.cached(f"clinic-settings:{site.pk}", lambda: super(ClinicSettings, cls).for_site(site))


# --- People ----------------------------------------------------------------------------------


# Clinicians (bylines, medical reviewers) are staff members: vial.staff.models.StaffMember.


# --- Home, standard pages --------------------------------------------------------------------


class HomePage(BasePage):
    """The front door: motto, region, the problems we treat, latest answers and reviews."""

    intro = models.TextField(help_text="One or two sentences under the motto.")
    body = StreamField(BodyBlock(), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        FieldPanel("hero_alt"),
        FieldPanel("body"),
    ]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["treatments"] = lazy(HOME_TREATMENTS.objects)
        context["questions"] = lazy(HOME_QUESTIONS.objects)
        context["testimonials"] = lazy(HOME_TESTIMONIALS.objects)
        context["rating"] = lazy(lambda: seo.site_rating(request))
        return context

    @cached_property
    def og_image_url(self) -> str:
        """The home page is the Site's root page, cached with the Site (`chrome.find_site`) that every
        request reads: looking its og:image up there would cost every page's first visit a query, so it is
        kept under the content version on its own, like the clinic settings (a preview of another image
        has its own entry)."""
        key = f"home-og-image:{self.pk}:{self.hero_image_id}"
        return chrome.cached(key, lambda: BasePage.og_image_url.func(self))

    def json_ld(self, request):
        return [seo.organisation(request)]

    def route(self, request, path_components):
        """Find a descendant by its URL path in one lookup instead of one per level.

        Wagtail walks the tree a level at a time (two queries per level); every page here is
        addressed by its plain URL path, so a direct lookup is equivalent. Anything it cannot
        resolve (drafts, unknown paths) falls back to Wagtail's own routing and its 404.
        """
        if path_components:
            page = chrome.live_page(request, self.url_path + "/".join(path_components) + "/", under=self.path)
            if page is not None:
                return RouteResult(page)
        return super().route(request, path_components)


class StandardPage(BasePage):
    """A plain content page: privacy notice, complaints procedure, about us."""

    intro = models.TextField(blank=True)
    body = StreamField(BodyBlock())

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]


# --- Treatments ------------------------------------------------------------------------------


class TreatmentIndexPage(BasePage):
    """The treatments catalogue, grouped by aesthetic and medical use, a page of cards at a time.

    Paginated so the page costs the same however many treatments the clinic adds: one query for the
    first page (its cards, each with the count), two for later ones (count and cards), and at most
    `per_page` cards of HTML. Cards are ordered by group, then by their place in the tree, and each
    page shows its cards under their group headings.
    """

    intro = models.TextField(blank=True)
    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["website.TreatmentPage"]
    max_count = 1
    per_page = 24

    @staticmethod
    def catalogue():
        """Every live treatment as a card, in the catalogue's order: by group, then place in the tree.
        (A treatment's only possible parent is this page, of which there is one: `parent_page_types`,
        `max_count`.)"""
        order = Case(
            *(When(category=value, then=n) for n, (value, _) in enumerate(TreatmentPage.Category.choices)),
            default=len(TreatmentPage.Category.choices),
        )
        return TreatmentPage.objects.live().only(*TreatmentPage.CARD_FIELDS).order_by(order, "path")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)

        def cards():
            if request.GET.get("page", "1") == "1":
                # The first page, which nearly every visit asks for: its cards and the count in one query.
                first = CATALOGUE_FIRST_PAGE.objects()
                return paginate(first, request, self.per_page, count=first[0].total if first else 0)
            return paginate(self.catalogue(), request, self.per_page)

        # Lazy, like every list here: a page served from `{% pagecache %}` counts nothing.
        page = lazy(cards)
        context["treatments_page"] = page

        def groups():
            cards = list(page.object_list)
            return [
                (label, [t for t in cards if t.category == value]) for value, label in TreatmentPage.Category.choices
            ]

        context["groups"] = lazy(groups)
        return context


def paginate(items, request, per_page: int, count: int | None = None):
    """The page of `items` that `?page=` asks for; the first for anything that is not a page number.
    `count`, when the caller has already counted the items, saves the paginator its COUNT query."""
    paginator = Paginator(items, per_page)
    if count is not None:
        paginator.count = count
    try:
        return paginator.page(request.GET.get("page", 1))
    except (PageNotAnInteger, EmptyPage):
        return paginator.page(1)


class TreatmentPage(BasePage):
    """One treatment (or one use of a medicine), held as structured facts.

    Booking reads `min_retreatment_days`, `prescription_only` and `consultation_required`; prices are
    the booking services' own (`vial.booking.catalogue`), never typed on the page; follow-up reads
    `duration_months_min`; charting reads `prescription_only` and `licence`.
    """

    class Category(models.TextChoices):
        AESTHETIC = "aesthetic", "Aesthetic"
        MEDICAL = "medical", "Medical"

    class Licence(models.TextChoices):
        LICENSED = "licensed", "Licensed use"
        OFF_LABEL = "off_label", "Off-label use"
        NOT_A_MEDICINE = "not_medicine", "Not a medicine"

    patient_problem = models.CharField(
        max_length=160, help_text="The problem as a patient would say it, e.g. 'I sweat through my shirts'."
    )
    patient_phrases = models.TextField(
        blank=True,
        help_text="Other ways patients describe it, one per line. Search matches these words.",
    )
    summary = models.CharField(max_length=300, help_text="One or two sentences for cards and search results.")
    category = models.CharField(max_length=12, choices=Category.choices, default=Category.AESTHETIC)
    areas = models.TextField(help_text="Areas of the body treated, one per line (e.g. 'Underarms').")
    how_it_works = RichTextField(features=["bold", "italic", "link", "ul"])
    injection_sites = models.TextField(
        blank=True, help_text="Where it is given, in plain words (e.g. 'a grid of tiny injections in each armpit')."
    )
    procedure_minutes = models.PositiveSmallIntegerField(
        default=30, validators=[MinValueValidator(5), MaxValueValidator(240)], help_text="Time in the chair."
    )
    onset = models.CharField(max_length=100, help_text="When results show, in words, e.g. 'within a week'.")
    onset_days_max = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Latest day results are expected; used in aftercare messages."
    )
    duration_months_min = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Shortest typical effect, in months. Re-treatment reminders use this."
    )
    duration_months_max = models.PositiveSmallIntegerField(null=True, blank=True)
    min_retreatment_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Fewest days between treatments (e.g. 84 for 12 weeks). Booking refuses anything sooner.",
    )
    consultation_required = models.BooleanField(
        default=True, help_text="A consultation must come before the first treatment."
    )
    prescription_only = models.BooleanField(
        default=False,
        help_text="A prescription-only medicine: needs a prescriber's in-person assessment; not for under-18s.",
    )
    licence = models.CharField(max_length=12, choices=Licence.choices, default=Licence.NOT_A_MEDICINE)
    side_effects = models.TextField(blank=True, help_text="One per line.")
    not_suitable_for = models.TextField(blank=True, help_text="Who should not have it, one per line.")
    faqs = StreamField(FAQStreamBlock(), blank=True)
    body = StreamField(BodyBlock(), blank=True)
    reviewed_on = models.DateField(null=True, blank=True, help_text="Date of the last medical review of this page.")
    reviewed_by = models.ForeignKey(
        "staff.StaffMember", null=True, blank=True, on_delete=models.SET_NULL, related_name="reviewed_treatments"
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("patient_problem"), FieldPanel("patient_phrases"), FieldPanel("summary")],
            heading="In patients' words",
        ),
        MultiFieldPanel(
            [
                FieldPanel("category"),
                FieldPanel("areas"),
                FieldPanel("how_it_works"),
                FieldPanel("injection_sites"),
                FieldPanel("procedure_minutes"),
            ],
            heading="The treatment",
        ),
        MultiFieldPanel(
            [
                FieldPanel("onset"),
                FieldPanel("onset_days_max"),
                FieldRowPanel([FieldPanel("duration_months_min"), FieldPanel("duration_months_max")]),
                FieldPanel("min_retreatment_days"),
            ],
            heading="Timing",
        ),
        MultiFieldPanel(
            [
                FieldPanel("consultation_required"),
                FieldPanel("prescription_only"),
                FieldPanel("licence"),
                FieldPanel("side_effects"),
                FieldPanel("not_suitable_for"),
            ],
            heading="Safety and suitability",
        ),
        FieldPanel("faqs"),
        FieldPanel("body"),
        FieldPanel("hero_image"),
        FieldPanel("hero_alt"),
        FieldRowPanel([FieldPanel("reviewed_on"), FieldPanel("reviewed_by")], heading="Medical review"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("patient_problem", boost=4),
        index.SearchField("patient_phrases", boost=4),
        index.SearchField("summary", boost=2),
        index.SearchField("areas", boost=2),
        index.SearchField("how_it_works"),
        index.SearchField("injection_sites"),
        index.FilterField("category"),
    ]
    parent_page_types = ["website.TreatmentIndexPage"]
    subpage_types = []
    render_relations = ("hero_image", "reviewed_by")

    def clean(self):
        super().clean()
        if (
            self.duration_months_min
            and self.duration_months_max
            and self.duration_months_min > self.duration_months_max
        ):
            raise ValidationError({"duration_months_max": "The longest duration cannot be shorter than the shortest."})
        if self.prescription_only and self.licence == self.Licence.NOT_A_MEDICINE:
            raise ValidationError({"licence": "A prescription-only medicine is either licensed or off-label here."})

    #: What a treatment card reads (components/treatment_card.html): not the page's long fields.
    CARD_FIELDS = (*LINK_FIELDS, "slug", "category", "patient_problem", "summary", "hero_image")

    @property
    def area_list(self):
        return lines(self.areas)

    @property
    def phrase_list(self):
        return lines(self.patient_phrases)

    @property
    def side_effect_list(self):
        return lines(self.side_effects)

    @property
    def not_suitable_list(self):
        return lines(self.not_suitable_for)

    @property
    def duration_text(self) -> str:
        low, high = self.duration_months_min, self.duration_months_max
        if low and high and low != high:
            return f"{low} to {high} months"
        months = low or high
        if not months:
            return ""
        return "about a year" if months == 12 else f"about {months} month{'s' if months != 1 else ''}"

    @property
    def is_off_label(self) -> bool:
        return self.licence == self.Licence.OFF_LABEL

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["step"] = lazy(self.first_step)
        context["questions"] = lazy(lambda: chrome.page_links(request, RELATED_QUESTIONS.rows(self.pk)))

        def testimonials():
            found = TREATMENT_TESTIMONIALS.objects(self.pk)
            for testimonial in found:
                testimonial.treatment = self  # each links back to this page: no join to read it again
            return found

        context["testimonials"] = lazy(testimonials)
        return context

    def first_step(self):
        """What the call to action books and its price (`vial.booking.catalogue.first_step`).

        Read from the clinic's price list, which is set-up data like the clinic settings rather than
        this page's content: kept under the content version, which any change to a service, a
        practitioner or who gives what renews (`catalogue.pages_changed`).
        """
        from vial.booking import catalogue

        return chrome.cached(f"first-step:{self.pk}", lambda: catalogue.first_step(self.pk))

    def json_ld(self, request):
        faq = seo.faq_page(seo.faq_pairs(self.faqs), request.build_absolute_uri(self.get_url(request)))
        return [*super().json_ld(request), seo.treatment(self, request), *([faq] if faq else [])]


#: What a treatment page shows of other content, read on every render (the page cache aside): the three
#: newest live questions naming it, as links, and its three newest public reviews. SQL built once
#: (`vial.core.queries`): building it was most of what these two queries cost.
RELATED_QUESTIONS = SameQuery(
    lambda treatment: (
        QuestionPage.objects.live()
        .filter(related_treatments=treatment)
        .order_by("-date", "-pk")[:3]
        .values_list("title", "url_path")
    )
)
TREATMENT_TESTIMONIALS = SameQuery(
    lambda treatment: Testimonial.objects.public().filter(treatment=treatment).only(*Testimonial.DISPLAY_FIELDS)[:3]
)


#: The treatments list's first page of cards, each with the number of live treatments (a window count:
#: the paginator needs no COUNT query of its own), from SQL built once.
CATALOGUE_FIRST_PAGE = SameQuery(
    lambda: TreatmentIndexPage.catalogue().annotate(total=Window(Count("pk")))[: TreatmentIndexPage.per_page],
    values=0,
)


# --- Q&A blog --------------------------------------------------------------------------------


class QuestionIndexPage(BasePage):
    """The Q&A blog: patients' questions answered by the clinic's clinicians."""

    intro = models.TextField(blank=True)
    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["website.QuestionPage"]
    max_count = 1
    per_page = 10

    def posts(self):
        return (
            QuestionPage.objects.child_of(self)
            .live()
            .select_related("author")
            .prefetch_related("tags")
            .order_by("-date", "-pk")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        posts = self.posts()
        tag = query_param(request, "tag")
        if tag:
            posts = posts.filter(tags__slug=tag)
        context.update(posts=paginate(posts, request, self.per_page), tag=tag)
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        # The page repeats the tag as typed in the address ("Showing questions tagged ..."): keep it private.
        return keep_private(response) if query_param(request, "tag") else response


class QuestionPageTag(TaggedItemBase):
    content_object = ParentalKey("website.QuestionPage", on_delete=models.CASCADE, related_name="tagged_items")


class QuestionPage(BasePage):
    """One patient question and the clinic's answer."""

    question = models.TextField(help_text="The question as the patient asked it.")
    answer = StreamField(BodyBlock())
    summary = models.CharField(max_length=300, help_text="A one-sentence answer for lists and search results.")
    date = models.DateField("post date", default=date.today)
    author = models.ForeignKey("staff.StaffMember", on_delete=models.PROTECT, related_name="answers")
    related_treatments = ParentalManyToManyField("website.TreatmentPage", blank=True, related_name="questions")
    tags = ClusterTaggableManager(through=QuestionPageTag, blank=True)
    faqs = StreamField(FAQStreamBlock(), blank=True, help_text="Short follow-up questions; shown as an FAQ.")

    content_panels = Page.content_panels + [
        FieldPanel("question"),
        FieldPanel("summary"),
        FieldPanel("answer"),
        FieldPanel("faqs"),
        FieldRowPanel([FieldPanel("date"), FieldPanel("author")]),
        FieldPanel("related_treatments", widget=forms.CheckboxSelectMultiple),
        FieldPanel("tags"),
        FieldPanel("hero_image"),
        FieldPanel("hero_alt"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("question", boost=2),
        index.SearchField("summary"),
        index.SearchField("answer"),
        index.FilterField("date"),
    ]
    parent_page_types = ["website.QuestionIndexPage"]
    subpage_types = []
    render_relations = ("hero_image", "author")
    render_prefetches = (
        Prefetch("tagged_items", queryset=QuestionPageTag.objects.select_related("tag").order_by("pk")),
    )
    #: What a question card reads (components/question_card.html), with select_related("author").
    CARD_FIELDS = (*LINK_FIELDS, "date", "summary", "author__display_name", "author__credentials")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)

        def treatments():
            if getattr(request, "is_preview", False):
                # A preview shows the editor's choice, which modelcluster holds in memory: look those up.
                chosen = TreatmentPage.objects.filter(pk__in=[t.pk for t in self.related_treatments.all()])
                return chrome.page_links(request, chosen.live().order_by("path").values_list("title", "url_path"))
            return chrome.page_links(request, POST_TREATMENTS.rows(self.pk))

        context["treatments"] = lazy(treatments)
        # The tag links go to the list of questions: this page's parent, from the breadcrumb trail (no query).
        context["index_url"] = lazy(lambda: self.breadcrumb_pages[-2].url)
        return context

    @property
    def tag_list(self) -> list:
        """The post's tags in the order the editor added them (prefetched with the page by `chrome.live_page`)."""
        return [item.tag for item in self.tagged_items.all()]

    def json_ld(self, request):
        return [*super().json_ld(request), *seo.question(self, request)]


#: The live treatments a Q&A post names, as links, read on every render (SQL built once, as a treatment
#: page's related questions are).
POST_TREATMENTS = SameQuery(
    lambda post: TreatmentPage.objects.live().filter(questions=post).order_by("path").values_list("title", "url_path")
)


# --- Testimonials ----------------------------------------------------------------------------


class TestimonialQuerySet(models.QuerySet):
    def public(self):
        """Only published testimonials whose author agreed to publication are ever shown."""
        return self.filter(live=True, consent_to_publish=True).order_by("-date", "-pk")

    def for_display(self):
        """With what components/testimonial.html reads of the treatment (a link), in the same query."""
        return self.select_related("treatment").only(
            *Testimonial.DISPLAY_FIELDS, *(f"treatment__{f}" for f in LINK_FIELDS)
        )


class Testimonial(DraftStateMixin, RevisionMixin, index.Indexed, models.Model):
    """A patient's review. Shown publicly only when published *and* the patient consented."""

    author_name = models.CharField(
        max_length=60, help_text="As the patient agreed to be named, e.g. 'Sarah, Exeter'. No surnames."
    )
    quote = models.TextField(max_length=1200)
    rating = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    treatment = models.ForeignKey(
        TreatmentPage, null=True, blank=True, on_delete=models.SET_NULL, related_name="testimonials"
    )
    date = models.DateField(default=date.today)
    consent_to_publish = models.BooleanField(
        default=False, help_text="The patient agreed in writing that this review may appear on the website."
    )
    consent_recorded_on = models.DateField(null=True, blank=True)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="testimonial")

    objects = TestimonialQuerySet.as_manager()
    #: What components/testimonial.html reads (not the draft and revision fields).
    DISPLAY_FIELDS = ("author_name", "quote", "rating", "date", "treatment")
    base_form_class = AdvertisingCheckedSnippetForm  # advertising check, and no publishing without consent

    panels = [
        FieldPanel("author_name"),
        FieldPanel("quote"),
        FieldRowPanel([FieldPanel("rating"), FieldPanel("date")]),
        FieldPanel("treatment"),
        FieldRowPanel([FieldPanel("consent_to_publish"), FieldPanel("consent_recorded_on")], heading="Consent"),
    ]
    search_fields = [index.SearchField("quote"), index.SearchField("author_name")]

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.author_name} ({self.rating}/5)"

    @property
    def revisions(self):
        return self._revisions

    def clean(self):
        super().clean()
        if self.consent_to_publish and not self.consent_recorded_on:
            raise ValidationError({"consent_recorded_on": "Record the date the patient gave consent."})

    @classmethod
    def aggregate_rating(cls, treatment=None) -> dict:
        qs = cls.objects.public()
        if treatment is not None:
            qs = qs.filter(treatment=treatment)
        result = qs.aggregate(average=Avg("rating"), count=Count("pk"))
        result["average"] = round(result["average"], 1) if result["average"] is not None else None
        return result


class TestimonialIndexPage(BasePage):
    """All published testimonials, filterable by treatment, with the aggregate rating."""

    intro = models.TextField(blank=True)
    content_panels = Page.content_panels + [FieldPanel("intro")]
    max_count = 1
    subpage_types = []
    per_page = 12

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        treatments = TreatmentPage.objects.live().order_by("title").only("id", "title", "slug")
        slug = query_param(request, "treatment")
        chosen = next((t for t in treatments if t.slug == slug), None) if slug else None
        testimonials = Testimonial.objects.public().for_display()
        if chosen:
            testimonials = testimonials.filter(treatment=chosen)
        # Lazy (a page served from `{% pagecache %}` asks nothing); the rating counts the same
        # testimonials the list shows, so the paginator takes its count from there.
        rating = lazy(lambda: Testimonial.aggregate_rating(chosen) if chosen else seo.site_rating(request))
        context.update(
            treatments=treatments,
            chosen=chosen,
            testimonials=lazy(lambda: paginate(testimonials, request, self.per_page, count=rating["count"])),
            rating=rating,
        )
        return context

    def get_template(self, request, *args, **kwargs):
        # HTMX swaps only the list when the treatment filter changes.
        if is_htmx(request):
            return "website/includes/testimonial_list.html"
        return super().get_template(request, *args, **kwargs)

    def serve(self, request, *args, **kwargs):
        # One URL, two answers (the page, or the list for HTMX): no cache may hand one out for the other.
        return varies_on_htmx(super().serve(request, *args, **kwargs))


#: What the home page shows of other content, read on every render (the page cache aside): the first
#: six treatments in the catalogue's order, the three newest answers and the three newest public
#: reviews. SQL built once (`vial.core.queries`): building it was most of what these queries cost.
HOME_TREATMENTS = SameQuery(
    lambda: TreatmentPage.objects.live().only(*TreatmentPage.CARD_FIELDS).order_by("path")[:6], values=0
)
HOME_QUESTIONS = SameQuery(
    lambda: (
        QuestionPage.objects.live()
        .select_related("author")
        .only(*QuestionPage.CARD_FIELDS)
        .order_by("-date", "-pk")[:3]
    ),
    values=0,
)
HOME_TESTIMONIALS = SameQuery(lambda: Testimonial.objects.public().for_display()[:3], values=0)


# --- Accreditations and awards ---------------------------------------------------------------


class Accreditation(Orderable, models.Model):
    """A register, accreditation or award the clinic holds; shown in the footer and on a page."""

    class Kind(models.TextChoices):
        ACCREDITATION = "accreditation", "Accreditation or register"
        AWARD = "award", "Award"

    name = models.CharField(max_length=120, help_text="e.g. 'Patient service award 2023'.")
    body = models.CharField(max_length=120, help_text="Who grants it, e.g. the register or award organiser.")
    kind = models.CharField(max_length=15, choices=Kind.choices, default=Kind.ACCREDITATION)
    register_number = models.CharField(max_length=40, blank=True)
    url = models.URLField("link", blank=True)
    year = models.PositiveSmallIntegerField(validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    description = models.TextField(blank=True)
    badge = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    panels = [
        FieldPanel("name"),
        FieldPanel("body"),
        FieldPanel("kind"),
        FieldRowPanel([FieldPanel("register_number"), FieldPanel("year")]),
        FieldPanel("url"),
        FieldPanel("description"),
        FieldPanel("badge"),
    ]

    class Meta(Orderable.Meta):
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.name

    @classmethod
    def for_request(cls, request) -> list:
        """Every accreditation, read once per request however many places show them (footer, trust row)."""
        if not hasattr(request, "_vial_accreditations"):
            request._vial_accreditations = list(cls.objects.all())  # the badge image is for AccreditationsPage
        return request._vial_accreditations


class AccreditationsPage(BasePage):
    """Every accreditation and award, with register numbers patients can check."""

    intro = models.TextField(blank=True)
    content_panels = Page.content_panels + [FieldPanel("intro")]
    max_count = 1
    subpage_types = []

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["accreditations"] = lazy(lambda: list(Accreditation.objects.select_related("badge")))
        return context


# --- Locations -------------------------------------------------------------------------------


class LocationIndexPage(BasePage):
    intro = models.TextField(blank=True)
    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["website.LocationPage"]
    max_count = 1

    @cached_property
    def locations(self):
        return list(LocationPage.objects.child_of(self).live().order_by("path").prefetch_related("hours"))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["locations"] = self.locations
        return context

    def json_ld(self, request):
        return [*super().json_ld(request), *(seo.clinic(location, request) for location in self.locations)]


class LocationPage(BasePage):
    """A clinic the patient can visit: address, opening hours, map coordinates."""

    intro = models.TextField(blank=True)
    street_address = models.CharField(max_length=200)
    town = models.CharField(max_length=80)
    county = models.CharField(max_length=80, blank=True)
    postcode = models.CharField(max_length=10)
    phone = models.CharField(max_length=30)
    email = models.EmailField(blank=True)
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    directions = models.TextField(blank=True, help_text="Parking, buses, step-free access.")

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("street_address"), FieldPanel("town"), FieldPanel("county"), FieldPanel("postcode")],
            heading="Address",
        ),
        FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
        FieldPanel("directions"),
        InlinePanel("hours", heading="Opening hours", label="Day"),
    ]
    search_fields = Page.search_fields + [index.SearchField("town"), index.SearchField("postcode")]
    parent_page_types = ["website.LocationIndexPage"]
    subpage_types = []

    @cached_property
    def opening_hours(self):
        return list(self.hours.all())

    def json_ld(self, request):
        return [*super().json_ld(request), seo.clinic(self, request)]


class OpeningHours(Orderable):
    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    location = ParentalKey(LocationPage, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField(null=True, blank=True)
    closes = models.TimeField(null=True, blank=True)
    closed = models.BooleanField(default=False)

    panels = [FieldRowPanel([FieldPanel("weekday"), FieldPanel("opens"), FieldPanel("closes"), FieldPanel("closed")])]

    class Meta(Orderable.Meta):
        verbose_name_plural = "opening hours"

    def clean(self):
        if not self.closed and (self.opens is None or self.closes is None):
            raise ValidationError("Give opening and closing times, or tick 'closed'.")
        if not self.closed and self.opens >= self.closes:
            raise ValidationError({"closes": "Closing time must be after opening time."})


# --- Search synonyms -------------------------------------------------------------------------


class SearchSynonym(models.Model):
    """Editors teach search the words patients use: 'sweaty' means 'sweating', 'grinding' means 'masseter'."""

    phrase = models.CharField(
        max_length=80, unique=True, help_text="A word or short phrase patients type, e.g. 'sweaty' or 'teeth grinding'."
    )
    means = models.CharField(max_length=200, help_text="The words our pages use for it, e.g. 'sweating hyperhidrosis'.")

    panels = [FieldPanel("phrase"), FieldPanel("means")]

    class Meta:
        ordering = ["phrase"]

    def __str__(self):
        return f"{self.phrase} → {self.means}"

    def save(self, *args, **kwargs):
        self.phrase = " ".join(self.phrase.lower().split())
        super().save(*args, **kwargs)
