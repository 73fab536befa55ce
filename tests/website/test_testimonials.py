"""Only published testimonials with the patient's consent are ever public."""

from bs4 import BeautifulSoup

from tests.factories import make_testimonial, make_treatment


def quotes(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [q.get_text(strip=True) for q in soup.select(".testimonial blockquote")]


def test_unconsented_and_draft_testimonials_never_show(client, clinic):
    make_testimonial(clinic["treatment"], 2, quote="No consent given", consent_to_publish=False)
    draft = make_testimonial(clinic["treatment"], 3, quote="Still a draft")
    draft.unpublish()
    for url in (clinic["reviews"].url, clinic["home"].url, clinic["treatment"].url):
        shown = quotes(client.get(url))
        assert "Kind, careful and clear." in shown
        assert "No consent given" not in shown
        assert "Still a draft" not in shown


def test_filter_by_treatment_and_aggregate_rating(client, clinic):
    other = make_treatment(clinic["treatments"], 9, title="Skin peel", slug="skin-peel")
    make_testimonial(other, 4, quote="Peel was great", rating=3)
    all_reviews = client.get(clinic["reviews"].url)
    assert set(quotes(all_reviews)) == {"Kind, careful and clear.", "Peel was great"}
    assert "4.0 out of 5" in all_reviews.content.decode()
    assert "from 2 reviews" in all_reviews.content.decode()

    filtered = client.get(clinic["reviews"].url, {"treatment": "skin-peel"})
    assert quotes(filtered) == ["Peel was great"]
    assert "3.0 out of 5" in filtered.content.decode()
    assert "from 1 review" in filtered.content.decode()


def test_htmx_filter_returns_only_the_list(client, clinic):
    response = client.get(clinic["reviews"].url, {"treatment": clinic["treatment"].slug}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert quotes(response) == ["Kind, careful and clear."]


def test_unknown_treatment_filter_shows_everything(client, clinic):
    assert quotes(client.get(clinic["reviews"].url, {"treatment": "nope"})) == ["Kind, careful and clear."]


def test_consent_needs_a_date(clinic):
    import pytest
    from django.core.exceptions import ValidationError

    testimonial = make_testimonial(clinic["treatment"], 5, revision=False)
    testimonial.consent_recorded_on = None
    with pytest.raises(ValidationError):
        testimonial.full_clean()


def test_the_clinic_rating_follows_a_publish_and_an_unpublish_on_the_uncached_path(client, clinic):
    """The clinic-wide rating is kept under the content version: a rendered page (a query string
    bypasses the page cache) shows the new figure at once."""

    def summary():
        page = BeautifulSoup(client.get(clinic["home"].url, {"from": "search"}).content, "html.parser")
        return page.select_one(".rating-summary").get_text(" ", strip=True)

    assert "5.0 out of 5 from 1 review" in summary()
    added = make_testimonial(clinic["treatment"], 5, quote="Fine", rating=2)
    assert "3.5 out of 5 from 2 reviews" in summary()
    added.unpublish()
    assert "5.0 out of 5 from 1 review" in summary()
