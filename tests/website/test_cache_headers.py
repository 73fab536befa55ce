"""What each public response lets caches keep (vial.core.caching), as a browser or proxy sees it."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true", "HX-Target": "testimonial-list"}


def test_the_reviews_page_and_its_fragment_vary_on_htmx(client, clinic):
    url = clinic["reviews"].url
    page = client.get(url)
    fragment = client.get(url, headers=HTMX)
    assert "HX-Request" in page["Vary"] and "HX-Request" in fragment["Vary"]
    assert page["Cache-Control"] == "public, max-age=60"
    assert "<html" in page.content.decode() and "<html" not in fragment.content.decode()
    assert "public" not in fragment.get("Cache-Control", ""), "a fragment is never for a shared cache"
    # Only htmx's own `true` asks for the fragment; any other value gets the page, never kept.
    odd = client.get(url, headers={"HX-Request": "0"})
    assert "<html" in odd.content.decode() and "public" not in odd.get("Cache-Control", "")


def test_searches_and_typed_filters_are_private_and_not_stored(client, clinic):
    for response in (
        client.get(reverse("search"), {"q": "sweaty armpits"}),
        client.get(reverse("search")),
        client.get(clinic["questions"].url, {"tag": "my worry"}),
    ):
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"
    assert client.get(clinic["questions"].url)["Cache-Control"] == "public, max-age=60"


def test_booking_pages_are_never_stored(client, clinic):
    response = client.get(reverse("booking:start"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "public" not in response["Cache-Control"]
