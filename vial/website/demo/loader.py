"""Build the demo clinic: the site tree, people, content, reviews and accreditations.

Idempotent by natural key: a page is looked up by its slug under its parent, a snippet by its name
(or author and date for reviews), and only what is missing is created. Anything already there is left
exactly as an editor may have changed it. The one exception is the demo admin's password, which is
reset on every run so the printed credentials always work.
"""

import hashlib
import io
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Site

from vial.staff.models import StaffMember

from ..models import (
    Accreditation,
    ClinicSettings,
    HomePage,
    LocationPage,
    OpeningHours,
    QuestionPage,
    SearchSynonym,
    Testimonial,
    TreatmentPage,
)
from . import artwork, clinic, pages
from .questions import DRAFT_POST, QUESTIONS
from .testimonials import NO_CONSENT_TESTIMONIAL, TESTIMONIALS
from .treatments import TREATMENTS

ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "vial-demo-admin"  # noqa: S105 - a published demo-only password, reset on every run
COLLECTION_NAME = "Demo artwork"


DEMO_HOST = "127.0.0.1"  # where `make demo` serves


def demo_port() -> int:
    """The port `make demo` serves on (`PORT`, 8000 unless set)."""
    value = os.environ.get("PORT", "")
    return int(value) if value.isdigit() else 8000


def as_lines(items: list[str]) -> str:
    return "\n".join(items)


def as_paragraphs(texts: list[str]) -> str:
    return "".join(f"<p>{text}</p>" for text in texts)


def as_faqs(pairs: list[tuple[str, str]]) -> list[tuple[str, dict]]:
    return [("faq", {"question": question, "answer": answer}) for question, answer in pairs]


def create_valid(model, **fields):
    """Create a model instance after running its validation, so bad demo data fails loudly."""
    instance = model(**fields)
    instance.full_clean()
    instance.save()
    return instance


@dataclass
class Tally:
    """How many objects of each kind were created, and how many were already there."""

    counts: dict[str, list[int]] = field(default_factory=dict)

    def record(self, kind: str, created: bool):
        self.counts.setdefault(kind, [0, 0])[0 if created else 1] += 1

    def lines(self) -> list[str]:
        return [
            f"  {kind:<18} {made:>3} created, {kept:>3} already present" for kind, (made, kept) in self.counts.items()
        ]

    @property
    def created(self) -> int:
        return sum(made for made, _ in self.counts.values())


class DemoLoader:
    def __init__(self):
        self.tally = Tally()
        self._collection = None

    # --- generic helpers ---------------------------------------------------------------------

    def ensure(self, kind: str, model, lookup: dict, build: Callable[[], object]):
        """Return the object matching `lookup`, building it only if it is missing."""
        existing = model.objects.filter(**lookup).first()
        self.tally.record(kind, existing is None)
        return existing if existing is not None else build()

    def ensure_page(self, kind: str, parent: Page, slug: str, build: Callable[[], Page], *, publish: bool = True):
        """Return the child of `parent` with this slug, creating (and publishing) it if missing."""
        existing = parent.get_children().filter(slug=slug).first()
        self.tally.record(kind, existing is None)
        if existing is not None:
            return existing.specific
        page = build()
        page.slug = slug
        parent.add_child(instance=page)
        revision = page.save_revision()
        if publish:
            revision.publish()
        return page

    @property
    def collection(self) -> Collection:
        if self._collection is None:
            root = Collection.get_first_root_node()
            self._collection = root.get_children().filter(name=COLLECTION_NAME).first() or root.add_child(
                name=COLLECTION_NAME
            )
        return self._collection

    def image(self, title: str, art: artwork.Artwork, filename: str):
        """Save generated artwork as a Wagtail image in the demo collection."""
        image = get_image_model()(
            title=title,
            file=ImageFile(io.BytesIO(art.png), name=filename),
            width=art.width,
            height=art.height,
            file_size=len(art.png),
            file_hash=hashlib.sha1(art.png, usedforsecurity=False).hexdigest(),
            collection=self.collection,
        )
        image.save()
        self.tally.record("Images", True)
        return image

    def hero(self, slug: str, title: str) -> dict:
        """Hero image fields for a page: its own artwork, seeded by the slug."""
        art = artwork.artwork(slug)
        return {"hero_image": self.image(f"Artwork: {title}", art, f"demo-{slug}.png"), "hero_alt": art.description}

    # --- the site ----------------------------------------------------------------------------

    def run(self, out: Callable[[str], object] = print):
        wagtail_log = logging.getLogger("wagtail")
        level = wagtail_log.level
        wagtail_log.setLevel(logging.WARNING)  # one line per created page is noise here; a summary follows
        try:
            self.load()
        finally:
            wagtail_log.setLevel(level)
        call_command("update_index", stdout=io.StringIO())
        out("Demo clinic loaded:")
        for line in self.tally.lines():
            out(line)
        out(f"Admin: http://{DEMO_HOST}:{demo_port()}/admin/  user: {ADMIN_USERNAME}  password: {ADMIN_PASSWORD}")

    def load(self):
        with transaction.atomic():
            home = self.home()
            site = self.site(home)
            self.settings(site)
            clinicians = self.clinicians()
            sections = self.sections(home)
            catalogue = self.treatments(sections["treatments"], clinicians)
            self.locations(sections["clinics"])
            self.questions(sections["questions"], clinicians, catalogue)
            self.testimonials(catalogue)
            self.accreditations()
            self.synonyms()
            self.admin()

    def home(self) -> HomePage:
        home = HomePage.objects.first()
        self.tally.record("Home page", home is None)
        if home is not None:
            return home
        root = Page.get_first_root_node()
        for page in root.get_children().not_type(HomePage):  # Wagtail's welcome page
            page.delete()
        data = pages.HOME
        home = HomePage(
            title=data["title"], slug=data["slug"], intro=data["intro"], body=data["body"], **self.hero("home", "Home")
        )
        root.add_child(instance=home)
        home.save_revision().publish()
        return home

    def site(self, home: HomePage) -> Site:
        """The default Site at the address `make demo` serves (127.0.0.1:$PORT): canonical links, og:url
        and the sitemap are built from it."""
        address = {"hostname": DEMO_HOST, "port": demo_port()}
        site = Site.objects.filter(is_default_site=True).first() or Site.objects.filter(**address).first()
        created = site is None
        site = site or Site(**address)
        site.hostname, site.port = DEMO_HOST, demo_port()
        site.root_page, site.is_default_site, site.site_name = home, True, clinic.SETTINGS["name"]
        site.save()
        Site.objects.exclude(pk=site.pk).filter(is_default_site=True).update(is_default_site=False)
        self.tally.record("Site", created)
        return site

    def settings(self, site: Site):
        """Fill clinic details that are still blank; never overwrite what an editor has set."""
        details = ClinicSettings.for_site(site)
        missing = {name: value for name, value in clinic.SETTINGS.items() if not getattr(details, name)}
        for name, value in missing.items():
            setattr(details, name, value)
        if missing:
            details.save()
        self.tally.record("Clinic details", bool(missing))

    def clinicians(self) -> dict[str, StaffMember]:
        """The clinicians who write and review, as staff members (booking's demo gives some a login)."""
        made = {}
        for data in clinic.CLINICIANS:
            fields = {"display_name": data["name"], "job_title": data["role"]}
            fields |= {k: v for k, v in data.items() if k not in ("name", "role")}
            build = partial(create_valid, StaffMember, **fields)
            made[data["name"]] = self.ensure("Clinicians", StaffMember, {"display_name": data["name"]}, build)
        return made

    def sections(self, home: HomePage) -> dict[str, Page]:
        made = {}
        for label, slug, title, in_menu, fields in pages.SECTIONS:
            model = apps.get_model(label)
            build = partial(model, title=title, show_in_menus=in_menu, **fields)
            made[slug] = self.ensure_page("Section pages", home, slug, build)
        return made

    # --- content -----------------------------------------------------------------------------

    def build_treatment(self, data: dict, clinicians: dict[str, StaffMember]) -> TreatmentPage:
        fields = {
            **data,
            **{name: as_lines(data[name]) for name in ("patient_phrases", "areas", "side_effects", "not_suitable_for")},
            "how_it_works": as_paragraphs(data["how_it_works"]),
            "faqs": as_faqs(data["faqs"]),
            "reviewed_by": clinicians[data["reviewed_by"]],
            **self.hero(data["slug"], data["title"]),
        }
        return TreatmentPage(show_in_menus=False, **fields)

    def treatments(self, index: Page, clinicians: dict[str, StaffMember]) -> dict[str, TreatmentPage]:
        return {
            data["slug"]: self.ensure_page(
                "Treatments", index, data["slug"], partial(self.build_treatment, data, clinicians)
            )
            for data in TREATMENTS
        }

    @staticmethod
    def build_location(data: dict) -> LocationPage:
        fields = {key: value for key, value in data.items() if key != "hours"}
        location = LocationPage(show_in_menus=False, **fields)
        location.hours = [
            OpeningHours(weekday=day, sort_order=day, opens=times[0], closes=times[1])
            if times
            else OpeningHours(weekday=day, sort_order=day, closed=True)
            for day, times in enumerate(data["hours"])
        ]
        return location

    def locations(self, index: Page):
        for data in clinic.LOCATIONS:
            self.ensure_page("Clinics", index, data["slug"], partial(self.build_location, data))

    def build_question(self, data: dict, clinicians: dict, catalogue: dict, *, live: bool = True) -> QuestionPage:
        post = QuestionPage(
            title=data["title"],
            question=data["question"],
            summary=data["summary"],
            answer=data["answer"],
            faqs=as_faqs(data["faqs"]),
            date=data["date"],
            author=clinicians[data["author"]],
            live=live,
            show_in_menus=False,
            **(self.hero(data["slug"], data["title"]) if live else {}),
        )
        post.related_treatments.set([catalogue[slug] for slug in data["related"]])
        post.tags.add(*data["tags"])
        return post

    def questions(self, index: Page, clinicians: dict, catalogue: dict):
        for data in QUESTIONS:
            build = partial(self.build_question, data, clinicians, catalogue)
            self.ensure_page("Q&A posts", index, data["slug"], build)
        draft = DRAFT_POST
        build = partial(self.build_question, draft, clinicians, catalogue, live=False)
        self.ensure_page("Draft posts", index, draft["slug"], build, publish=False)

    @staticmethod
    def build_testimonial(data: dict, catalogue: dict, *, consent: bool) -> Testimonial:
        fields = {**data, "treatment": catalogue.get(data["treatment"])}
        review = create_valid(
            Testimonial, consent_to_publish=consent, consent_recorded_on=data["date"] if consent else None, **fields
        )
        review.save_revision().publish()
        return review

    def testimonials(self, catalogue: dict):
        reviews = [(data, True) for data in TESTIMONIALS]
        reviews.append((NO_CONSENT_TESTIMONIAL, False))
        for data, consent in reviews:
            lookup = {"author_name": data["author_name"], "date": data["date"]}
            build = partial(self.build_testimonial, data, catalogue, consent=consent)
            self.ensure("Testimonials", Testimonial, lookup, build)

    def build_accreditation(self, data: dict, order: int) -> Accreditation:
        fields = {key: value for key, value in data.items() if key != "badge"}
        art = artwork.badge(data["badge"], award=data["kind"] == Accreditation.Kind.AWARD)
        badge = self.image(f"Badge: {data['name']}", art, f"demo-badge-{order}.png")
        return create_valid(Accreditation, sort_order=order, badge=badge, **fields)

    def accreditations(self):
        for order, data in enumerate(clinic.ACCREDITATIONS):
            build = partial(self.build_accreditation, data, order)
            self.ensure("Accreditations", Accreditation, {"name": data["name"]}, build)

    def synonyms(self):
        for phrase, means in clinic.SEARCH_SYNONYMS.items():
            build = partial(create_valid, SearchSynonym, phrase=phrase, means=means)
            self.ensure("Search synonyms", SearchSynonym, {"phrase": phrase}, build)

    def admin(self):
        """A demo superuser whose password is reset to the published one on every run."""
        user, created = get_user_model().objects.get_or_create(
            username=ADMIN_USERNAME, defaults={"email": "admin@vial-clinic.example"}
        )
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(ADMIN_PASSWORD)
        user.save()
        self.tally.record("Demo admin", created)
