"""The demo clinic loader: complete, idempotent, compliant, and every public page renders.

`load_demo` runs once per module (twice, to prove a rerun changes nothing) inside a transaction that
is rolled back afterwards, so other test modules never see the demo data.
"""

import io
import os
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import models, transaction
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from vial.enquiries.models import ContactPage
from vial.staff.models import StaffMember
from vial.website.demo.loader import demo_port
from vial.website.models import (
    Accreditation,
    ClinicSettings,
    HomePage,
    LocationPage,
    OpeningHours,
    QuestionPage,
    SearchSynonym,
    TreatmentPage,
)
from vial.website.models import (
    Testimonial as Review,
)
from vial.website.search import run_search

pytestmark = pytest.mark.django_db

# Prescription-only brands and look-alikes that must never appear in published content.
BRANDS = re.compile(
    r"botox|azzalure|bocouture|dysport|xeomin|vistabel|alluzience|letybo|nuceiva|relfydess|beautox",
    re.IGNORECASE,
)
BANNED_PHRASES = re.compile(
    r"wrinkle-relaxing injections|anti-wrinkle injections|injections for excessive sweating|#botox", re.IGNORECASE
)

# Every treatment in the clinic brief, with its licence status.
CLINIC_TREATMENTS = {
    "frown-lines": "licensed",
    "forehead-lines": "licensed",
    "crows-feet": "licensed",
    "underarm-sweating": "licensed",
    "migraine": "licensed",
    "oily-skin": "off_label",
    "nose-tip-lift": "off_label",
    "jaw-slimming-and-teeth-grinding": "off_label",
    "jowls": "off_label",
    "neck-lines": "off_label",
    "gummy-smile": "off_label",
}
TOXIN_USES = set(CLINIC_TREATMENTS) - {"gummy-smile"}  # the uses the 2017 post covers
COUNTED = [Page, Revision, Site, StaffMember, Review, Accreditation, SearchSynonym, OpeningHours, get_image_model()]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in [*COUNTED, get_user_model()]}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        first_out, second_out = io.StringIO(), io.StringIO()
        call_command("load_demo", stdout=first_out)
        first = counts()
        call_command("load_demo", stdout=second_out)
        yield {"first": first, "second": counts(), "first_out": first_out.getvalue(), "out": second_out.getvalue()}
        transaction.set_rollback(True)
    cache.clear()  # cached site chrome and site root paths would outlive the rollback


def text_of(obj) -> str:
    """Every text an editor wrote on a page or snippet: char, text, rich text and stream fields."""
    parts = []
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname)
        if isinstance(field, StreamField):
            parts.append(str(value.raw_data))
        elif isinstance(field, (models.CharField, models.TextField, RichTextField)) and value:
            parts.append(str(value))
    return "\n".join(parts)


def test_a_second_run_changes_nothing(demo):
    assert demo["first"] == demo["second"]
    assert demo["first"]["Page"] > 30
    assert " 0 created" in demo["out"] and "13 already present" in demo["out"]
    port = os.environ.get("PORT", "8000")
    assert f"Admin: http://127.0.0.1:{port}/admin/  user: admin  password: vial-demo-admin" in demo["out"]


def test_loading_the_demo_forgets_what_the_cache_kept_of_an_earlier_copy(demo):
    """`make demo`'s processes share a cache that outlives db.sqlite3: a page kept for a deleted copy must go."""
    cache.set("website:page:of-a-deleted-demo", "a page with another database's ids")
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    assert cache.get("website:page:of-a-deleted-demo") is None


def test_rerun_keeps_edits_and_restores_only_what_is_missing(demo):
    treatment = TreatmentPage.objects.get(slug="frown-lines")
    treatment.title = "Frown lines (edited)"
    treatment.save_revision().publish()
    StaffMember.objects.filter(display_name="Ravi Desai").update(job_title="Edited role")
    SearchSynonym.objects.filter(phrase="sweaty").delete()
    before = counts()

    call_command("load_demo", stdout=io.StringIO())

    assert TreatmentPage.objects.get(slug="frown-lines").title == "Frown lines (edited)"
    assert StaffMember.objects.get(display_name="Ravi Desai").job_title == "Edited role"
    assert SearchSynonym.objects.get(phrase="sweaty").means == "sweating hyperhidrosis"
    assert counts() == {**before, "SearchSynonym": before["SearchSynonym"] + 1}


def test_site_settings_and_admin(demo):
    home = HomePage.objects.get()
    site = Site.objects.get(is_default_site=True)
    # The address `make demo` serves on (PORT, 8000 unless set): canonical links and the sitemap use it.
    assert (site.hostname, site.port, site.root_page_id) == ("127.0.0.1", demo_port(), home.pk)
    assert not Page.objects.filter(depth=2).exclude(pk=home.pk).exists()  # Wagtail's welcome page is gone
    assert home.live and home.hero_image and home.intro
    details = ClinicSettings.for_site(site)
    assert (details.name, details.motto, details.region) == (
        "Vial Aesthetics",
        "Passion | Precision | Perfection",
        "South West England",
    )
    assert details.phone and details.email.endswith(".example")
    children = {page.slug: page for page in home.get_children().specific()}
    assert set(children) >= {"treatments", "questions", "reviews", "accreditations", "clinics", "contact"}
    assert isinstance(children["contact"], ContactPage)
    assert all(page.show_in_menus == (slug not in {"privacy", "complaints"}) for slug, page in children.items())
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.check_password("vial-demo-admin")
    assert StaffMember.objects.count() >= 3
    assert {c.regulator for c in StaffMember.objects.all()} >= {"GMC", "GDC", "NMC"}


def test_every_clinic_treatment_has_structured_facts(demo):
    pages = {page.slug: page for page in TreatmentPage.objects.live()}
    for slug, licence in CLINIC_TREATMENTS.items():
        page = pages[slug]
        assert page.onset and page.onset_days_max, slug
        assert page.duration_months_min and page.duration_months_max, slug
        assert page.prescription_only is True and page.consultation_required is True, slug
        assert page.licence == licence, slug
        assert page.min_retreatment_days and page.phrase_list and page.area_list and page.how_it_works, slug
        assert page.side_effect_list and "Anyone under 18" in page.not_suitable_list, slug
        assert page.faqs and page.reviewed_on and page.reviewed_by and page.hero_image and page.hero_alt, slug
    sweating = pages["underarm-sweating"]
    assert (sweating.category, sweating.onset_days_max, sweating.min_retreatment_days) == ("medical", 7, 112)
    assert (sweating.duration_months_min, sweating.duration_months_max) == (4, 7)
    assert (pages["migraine"].category, pages["migraine"].min_retreatment_days) == ("medical", 84)
    for slug in ("dermal-filler", "skin-peel"):
        assert pages[slug].prescription_only is False and pages[slug].licence == "not_medicine"
        assert pages[slug].consultation_required and pages[slug].onset and pages[slug].duration_months_min


def test_question_posts_and_the_draft(demo):
    original = QuestionPage.objects.get(date="2017-08-24")
    assert original.live
    assert {t.slug for t in original.related_treatments.all()} == TOXIN_USES
    assert original.tags.exists() and original.author and original.faqs
    assert "hyperhidrosis" in str(original.answer.raw_data)
    others = QuestionPage.objects.live().exclude(pk=original.pk)
    assert others.count() >= 3
    assert all(post.author_id and post.related_treatments.exists() and post.tags.exists() for post in others)
    assert len({post.date for post in others}) == others.count()
    draft = QuestionPage.objects.get(slug="summer-offer-draft")
    assert not draft.live and draft.latest_revision is not None
    draft_text = text_of(draft)
    assert BRANDS.search(draft_text) and BANNED_PHRASES.search(draft_text)  # it exists to trigger warnings


def test_reviews_clinics_and_accreditations(demo):
    public = Review.objects.public()
    assert public.count() >= 12
    assert {r.rating for r in public} >= {3, 4, 5}
    assert all(r.consent_recorded_on and r.live for r in public)
    withheld = Review.objects.get(consent_to_publish=False)
    assert withheld.live and withheld not in public
    locations = LocationPage.objects.live()
    assert locations.count() >= 2
    for location in locations:
        hours = list(location.hours.order_by("weekday"))
        assert [h.weekday for h in hours] == list(range(7))
        assert hours[6].closed and all(h.closed or h.opens < h.closes for h in hours)
    assert Accreditation.objects.filter(kind="accreditation").exclude(register_number="").count() >= 3
    assert Accreditation.objects.filter(kind="award").exists()
    assert not Accreditation.objects.filter(badge__isnull=True).exists()


def test_published_text_names_no_prescription_only_brand(demo):
    texts = [text_of(page) for page in Page.objects.live().specific()]
    texts += [text_of(review) for review in Review.objects.public()]
    texts += [text_of(item) for item in Accreditation.objects.all()]
    texts += [text_of(person) for person in StaffMember.objects.all()]
    for text in texts:
        assert not BRANDS.search(text), text[:80]
        assert not BANNED_PHRASES.search(text), text[:80]


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/treatments/",
        "/treatments/underarm-sweating/",
        "/treatments/migraine/",
        "/questions/",
        "/questions/beyond-wrinkles-medical-uses/",
        "/reviews/",
        "/accreditations/",
        "/clinics/",
        "/clinics/exeter/",
        "/privacy/",
        "/complaints/",
    ],
)
def test_public_pages_render_without_brand_names(client, demo, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert not BRANDS.search(html)
    assert "Karen" not in html  # the review without consent


def test_draft_is_not_public(client, demo):
    assert client.get("/questions/summer-offer-draft/").status_code == 404


@pytest.mark.parametrize(
    ("phrase", "slug"),
    [
        ("I sweat too much", "underarm-sweating"),
        ("sweaty armpits", "underarm-sweating"),
        ("grinding my teeth", "jaw-slimming-and-teeth-grinding"),
        ("headaches every week", "migraine"),
        ("droopy nose tip", "nose-tip-lift"),
        ("oily forehead", "oily-skin"),
        ("lines on my neck", "neck-lines"),
    ],
)
def test_patients_words_find_the_right_treatment_first(demo, phrase, slug):
    _query, treatments, _questions = run_search(phrase)
    assert treatments and treatments[0].slug == slug


def test_compliance_checker_passes_live_content_and_flags_the_draft(demo):
    from vial.compliance.content import check_segments, segments_of_instance
    from vial.compliance.models import active_rules
    from vial.compliance.report import live_findings

    assert [(row.title, row.field, row.phrase) for row in live_findings()] == []
    draft = QuestionPage.objects.get(slug="summer-offer-draft")
    phrases = {found.finding.phrase.lower() for found in check_segments(segments_of_instance(draft), active_rules())}
    assert phrases >= {"botox", "#botox", "beautox", "wrinkle-relaxing injections", "injections for excessive sweating"}
