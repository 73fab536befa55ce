"""Structured data, sitemap, feeds, robots and sharing tags, read the way a crawler reads them."""

import json
import re

import feedparser
import pytest
from bs4 import BeautifulSoup
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from tests.factories import make_testimonial


def json_ld(response) -> list[dict]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [json.loads(tag.string) for tag in soup.find_all("script", type="application/ld+json")]


def types(blocks) -> set[str]:
    return {block["@type"] for block in blocks}


EXPECTED_TYPES = {
    "home": {"MedicalOrganization"},
    "treatments": {"BreadcrumbList"},
    "questions": {"BreadcrumbList"},
    "reviews": {"BreadcrumbList"},
    "clinics": {"BreadcrumbList", "MedicalClinic"},
    "location": {"BreadcrumbList", "MedicalClinic"},
    "treatment": {"BreadcrumbList", "MedicalProcedure"},
    "post": {"BreadcrumbList", "BlogPosting", "FAQPage"},
    "contact": {"BreadcrumbList"},
}


@pytest.mark.parametrize("key", EXPECTED_TYPES)
def test_every_page_type_carries_its_json_ld(client, clinic, key):
    blocks = json_ld(client.get(clinic[key].url))
    assert EXPECTED_TYPES[key] <= types(blocks)
    for block in blocks:
        assert block["@context"] == "https://schema.org"


def test_clinic_json_ld_has_opening_hours_and_rating(client, clinic):
    make_testimonial(clinic["treatment"], 2, rating=4)
    [clinic_ld] = [b for b in json_ld(client.get(clinic["location"].url)) if b["@type"] == "MedicalClinic"]
    assert clinic_ld["openingHoursSpecification"] == [
        {"@type": "OpeningHoursSpecification", "dayOfWeek": "Monday", "opens": "09:00", "closes": "17:00"}
    ]
    assert clinic_ld["address"]["postalCode"] == "EX1 1AA"
    assert clinic_ld["aggregateRating"]["ratingValue"] == 4.5
    assert clinic_ld["aggregateRating"]["reviewCount"] == 2


def test_medical_treatment_is_a_therapy_with_facts(client, clinic):
    treatment = clinic["treatment"]
    treatment.category = "medical"
    treatment.side_effects = "Tenderness where injected"
    treatment.save_revision().publish()
    [therapy] = [b for b in json_ld(client.get(treatment.url)) if b["@type"] == "MedicalTherapy"]
    assert therapy["name"] == treatment.title
    assert therapy["adverseOutcome"][0]["name"] == "Tenderness where injected"


def test_breadcrumbs_follow_the_tree(client, clinic):
    [crumbs] = [b for b in json_ld(client.get(clinic["treatment"].url)) if b["@type"] == "BreadcrumbList"]
    names = [item["name"] for item in crumbs["itemListElement"]]
    assert names == ["Home", "Treatments", clinic["treatment"].title]
    assert crumbs["itemListElement"][2]["item"].endswith(clinic["treatment"].url)


def test_json_ld_cannot_break_out_of_its_script(client, clinic):
    treatment = clinic["treatment"]
    treatment.summary = "</script><script>alert(1)</script>"
    treatment.save_revision().publish()
    html = client.get(treatment.url).content.decode()
    assert "</script><script>alert(1)" not in html
    assert json_ld(client.get(treatment.url))  # still parses


def test_sitemap_lists_every_live_page_and_no_draft(client, clinic):
    from wagtail.models import Page

    draft = clinic["post"]
    draft.unpublish()
    body = client.get("/sitemap.xml").content.decode()
    locs = set(re.findall(r"<loc>([^<]+)</loc>", body))
    live = Page.objects.live().filter(depth__gt=1)
    assert {page.full_url for page in live} <= locs
    assert draft.full_url not in locs


def test_feeds_parse_and_list_posts(client, clinic):
    for url in ("/feeds/questions.rss", "/feeds/questions.atom"):
        response = client.get(url)
        assert response.status_code == 200
        feed = feedparser.parse(response.content)
        assert not feed.bozo, feed.bozo_exception
        assert [entry.title for entry in feed.entries] == [clinic["post"].title]
        assert feed.entries[0].link.endswith(clinic["post"].url)


def test_robots_points_to_the_sitemap(client, clinic):
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Disallow: /admin/" in body


def test_canonical_and_opengraph(client, clinic):
    soup = BeautifulSoup(client.get(clinic["treatment"].url).content, "html.parser")
    assert soup.find("link", rel="canonical")["href"].endswith(clinic["treatment"].url)
    assert soup.find("meta", property="og:title")["content"] == clinic["treatment"].title
    assert soup.find("meta", attrs={"name": "description"})["content"] == clinic["treatment"].summary


def test_unknown_url_gets_the_custom_404(client, clinic):
    response = client.get("/no-such-page/at-all/")
    assert response.status_code == 404
    assert "We can’t find that page" in response.content.decode()


def test_500_page_is_plain_and_helpful(client, clinic, settings):
    from django.views.defaults import server_error

    response = server_error(client.get("/").wsgi_request)
    assert response.status_code == 500
    assert "Sorry, something went wrong" in response.content.decode()


@pytest.mark.parametrize("key", ["home", "treatment", "post"])
def test_a_hero_image_is_shared_cropped_for_social_media(client, clinic, key, settings, tmp_path):
    """og:image is the hero image's 1200x630 rendition, the same from the page cache and from a fresh render."""
    settings.MEDIA_ROOT = tmp_path
    image = Image.objects.create(title="Hero", file=get_test_image_file())
    page = clinic[key]
    page.hero_image = image
    page.save_revision().publish()
    expected = f'<meta property="og:image" content="http://testserver{image.get_rendition("fill-1200x630").url}">'
    for query in ("", "", "?utm_source=newsletter"):  # rendered and kept, served from the page cache, rendered afresh
        assert expected in client.get(page.url + query).content.decode()
    assert 'property="og:image"' not in client.get(clinic["treatments"].url).content.decode()


def test_a_post_lists_its_tags_in_the_order_they_were_added_each_linking_to_its_questions(client, clinic):
    post = clinic["post"]
    post.tags.add("zebra crossing")
    post.tags.add("apple")
    post.save_revision().publish()
    for query in ("", "?utm_source=newsletter"):
        soup = BeautifulSoup(client.get(post.url + query).content, "html.parser")
        links = [(a["href"], a.text) for a in soup.select("p.tags a")]
        questions = clinic["questions"].url
        assert links == [(f"{questions}?tag=zebra-crossing", "zebra crossing"), (f"{questions}?tag=apple", "apple")]


def test_each_page_describes_itself_to_search_engines(client, clinic):
    def description(page):
        soup = BeautifulSoup(client.get(page.url).content, "html.parser")
        return soup.find("meta", attrs={"name": "description"})["content"]

    treatment, home, reviews = clinic["treatment"], clinic["home"], clinic["reviews"]
    assert description(treatment) == treatment.summary  # a page type with a summary
    assert "Medical and aesthetic treatments across" in description(home)  # one without: the clinic's line
    reviews.search_description = "What patients say about us, in their words."
    reviews.save_revision().publish()
    assert description(reviews) == "What patients say about us, in their words."  # the editor's, first
    treatment.search_description = "Sweating less, explained."
    treatment.save_revision().publish()
    assert description(treatment) == "Sweating less, explained."
