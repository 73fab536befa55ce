"""Every public page type renders in a bounded number of queries, however much content exists.

Counted with the page cache OFF (`WEBSITE_PAGE_CACHE = False`), so a request is never answered by
`{% pagecache %}` (which makes 0 queries and would hide any cost): each page is counted

- cold: Django's cache and the content-type cache emptied just before the request (a first visit
  after a deploy, or after a publish moved every key on);
- uncached: the small set-up caches warm (Site, routing, header, menu, settings, a treatment's price,
  the trust row, the clinic rating), the page rendered afresh
  (a preview, a filtered list, any page whose fragment expired).

Each count is taken on the small test clinic and again after the content grew to ten times the demo's
(every treatment with a hero image, so an image looked up per card would show): the counts must be the
same, so an N+1 query fails here.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from tests.factories import ClinicianFactory, make_question, make_testimonial, make_treatment
from vial.website.models import Accreditation

MAX_QUERIES = 12

PAGES = ["home", "treatments", "questions", "reviews", "clinics", "location", "treatment", "post", "contact"]
# The reviews filter names the clinic's own treatment, there before and after the content grows (a slug
# that only the grown content has would compare a filtered page with an unfiltered one).
LISTS = ["/treatments/?page=2", "/questions/?page=2", "/reviews/?page=2", "/reviews/?treatment=test-treatment-0"]
SEARCH = "/search/?q=test+treatment+sweating"


@pytest.fixture
def no_page_cache(settings, tmp_path, clinic, client):
    """The page cache off, and the clinic's home page, treatment and post with a hero image (og:image, renditions)."""
    settings.WEBSITE_PAGE_CACHE = False
    settings.MEDIA_ROOT = tmp_path
    clinic["image"] = Image.objects.create(title="Hero", file=get_test_image_file())
    for key in ("home", "treatment", "post"):
        clinic[key].hero_image = clinic["image"]
        clinic[key].save_revision().publish()
    client.get("/")  # the first visit creates the clinic's settings row (a change that moves the content version)


def grow_tenfold(clinic):
    """Ten times the demo's content: 130 treatments (each with a hero image), 60 posts, 150 testimonials,
    40 accreditations. The demo has 13 treatments, 6 posts, 15 testimonials and 5 accreditations."""
    image = clinic["image"]
    authors = [ClinicianFactory() for _ in range(3)]
    treatments = [
        make_treatment(
            clinic["treatments"],
            n,
            revision=False,
            category="medical" if n % 3 else "aesthetic",
            hero_image=image,
        )
        for n in range(1, 130)
    ]
    for n in range(1, 60):
        make_question(clinic["questions"], authors[n % 3], n, treatments=treatments[n : n + 3], revision=False)
    for n in range(1, 150):
        make_testimonial(treatments[n % 20], n, rating=1 + n % 5, revision=False)
    Accreditation.objects.bulk_create(Accreditation(name=f"Register {n}", body="Body", year=2020) for n in range(40))
    from vial.website import chrome

    chrome.clear()  # bulk content skips the publish signals that move the content version


def count_queries(client, url: str, cold: bool) -> int:
    """The queries one GET of `url` makes (after a warming GET that creates settings rows and renditions)."""
    assert client.get(url).status_code == 200
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    assert len(ctx.captured_queries) <= MAX_QUERIES, f"{url}: {len(ctx.captured_queries)} queries:\n" + "\n".join(
        q["sql"] for q in ctx.captured_queries
    )
    return len(ctx.captured_queries)


def counts(client, urls, cold):
    return {url: count_queries(client, url, cold) for url in urls}


@pytest.mark.parametrize("cold", [True, False], ids=["cold", "uncached"])
def test_every_public_page_is_bounded_and_does_not_grow_with_content(client, clinic, no_page_cache, cold):
    urls = [clinic[key].url for key in PAGES] + LISTS + [SEARCH]
    small = counts(client, urls, cold)
    grow_tenfold(clinic)
    big = counts(client, urls, cold)
    assert big == small


def test_an_uncached_page_really_queries(client, clinic, no_page_cache, django_assert_max_num_queries):
    """The counts above are of real renders: with the page cache off a repeat visit still asks the database."""
    url = clinic["treatment"].url
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    assert len(ctx.captured_queries) > 0


def test_the_treatments_list_shows_a_page_of_cards_at_a_time(client, clinic, no_page_cache):
    grow_tenfold(clinic)
    first = client.get(clinic["treatments"].url).content.decode()
    assert first.count('class="card treatment-card"') == clinic["treatments"].specific.per_page
    assert "More treatments" in first
    last = client.get(clinic["treatments"].url + "?page=6").content.decode()
    assert last.count('class="card treatment-card"') == 130 - 5 * 24
    assert "Previous treatments" in last
    # Aesthetic treatments come before medical ones, across pages.
    assert "Aesthetic treatments" in first and "Aesthetic treatments" not in last


def test_the_first_page_of_treatments_is_the_same_however_it_is_asked_for(client, clinic, no_page_cache):
    """The first page (cards and count in one query) matches the paginator's own first page (`?page=x`)."""

    def cards_and_pages(url):
        html = client.get(url).content.decode()
        return html[html.index("<main") : html.index("</main>")]

    grow_tenfold(clinic)
    url = clinic["treatments"].url
    first = cards_and_pages(url)
    assert first == cards_and_pages(url + "?page=1") == cards_and_pages(url + "?page=x")
    assert "More treatments" in first and "?page=2" in first
    for page in clinic["treatments"].get_children().live():
        page.unpublish()
    empty = cards_and_pages(url)
    assert 'class="card treatment-card"' not in empty and "More treatments" not in empty


def test_a_first_visit_looks_up_only_its_own_page_s_image(client, clinic, no_page_cache):
    """The home page is cached with the Site that every request reads: its og:image is looked up when the
    home page renders, not on every page's first visit (which would cost each cold page a query)."""
    url = clinic["treatments"].url  # a page without a hero image of its own
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    assert not [q for q in ctx.captured_queries if "wagtailimages_rendition" in q["sql"]]
