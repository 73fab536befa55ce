"""The page fragment cache: pages are served from it, and never stale after editors publish."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from tests.factories import make_testimonial, make_treatment

pytestmark = pytest.mark.django_db


def test_a_repeat_visit_to_a_treatment_page_is_served_from_the_cache(clinic, client, django_assert_num_queries):
    url = clinic["treatment"].url
    client.get(url)  # creates the clinic's settings row, which (as any change) moves the content version
    first = client.get(url)
    assert first.status_code == 200
    # The Site, the routed page and its HTML all come from the cache.
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.content == first.content


def test_publishing_a_page_refreshes_every_page_that_shows_it(clinic, client):
    home = client.get("/").content.decode()
    assert "Botox-free brow" not in home
    make_treatment(clinic["treatments"], n=7, title="Botox-free brow lift alternative")
    assert "Botox-free brow lift alternative" in client.get("/").content.decode()
    assert "Botox-free brow lift alternative" in client.get(clinic["treatments"].url).content.decode()


def test_unpublishing_a_page_takes_it_off_the_cached_menu_and_lists(clinic, client):
    assert "Test treatment 0" in client.get(clinic["treatments"].url).content.decode()
    clinic["treatment"].unpublish()
    assert "Test treatment 0" not in client.get(clinic["treatments"].url).content.decode()
    assert client.get(clinic["treatment"].url).status_code == 404


def test_publishing_a_testimonial_refreshes_the_pages_that_quote_it(clinic, client):
    client.get("/")
    client.get(clinic["reviews"].url)
    make_testimonial(clinic["treatment"], n=9, quote="The calmest clinic I have been to.")
    assert "The calmest clinic I have been to." in client.get("/").content.decode()
    assert "The calmest clinic I have been to." in client.get(clinic["reviews"].url).content.decode()


def test_filtered_and_paginated_views_are_not_taken_from_the_cache(clinic, client):
    other = make_treatment(clinic["treatments"], n=8, title="Another treatment")
    make_testimonial(other, n=1, quote="Only about the other one.")
    client.get(clinic["reviews"].url)
    filtered = client.get(clinic["reviews"].url, {"treatment": clinic["treatment"].slug}).content.decode()
    assert "Only about the other one." not in filtered


def test_pages_with_forms_are_rendered_for_each_visitor(clinic, client):
    first = client.get(clinic["contact"].url)
    second = client.get(clinic["contact"].url)
    assert first.status_code == second.status_code == 200
    assert b"csrfmiddlewaretoken" in second.content
    assert first.content != second.content  # each visitor gets their own CSRF token


def test_a_page_made_private_is_private_at_once(clinic, client):
    url = clinic["treatment"].url
    assert client.get(url).status_code == 200
    restriction = PageViewRestriction.objects.create(page=clinic["treatment"], restriction_type="groups")
    restriction.groups.add(Group.objects.create(name="Staff only"))
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response.headers["Location"]
    restriction.delete()
    assert client.get(url).status_code == 200
