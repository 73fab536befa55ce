"""The privacy notice and the complaints procedure: linked from the footer and from every form that takes details."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.factories import add_child
from vial.website.models import StandardPage


@pytest.fixture
def legal(clinic):
    for slug, title in [("privacy", "Privacy notice"), ("complaints", "Complaints procedure")]:
        add_child(clinic["home"], StandardPage(title=title, slug=slug, intro=f"Our {title.lower()}.", body=[]))
    return clinic


def legal_hrefs(html: bytes, selector: str) -> list[str]:
    node = BeautifulSoup(html, "html.parser").select_one(selector)
    assert node is not None, selector
    return [a["href"] for a in node.select(".legal-links a")]


def test_the_footer_links_both_on_every_page(client, legal):
    for url in ["/", legal["treatments"].url, legal["contact"].url]:
        assert legal_hrefs(client.get(url).content, ".site-footer") == ["/privacy/", "/complaints/"]
    assert client.get("/privacy/").status_code == 200 and client.get("/complaints/").status_code == 200


def test_the_contact_forms_consent_links_both(client, legal):
    response = client.get(legal["contact"].url)
    assert legal_hrefs(response.content, ".enquiry-form__consent") == ["/privacy/", "/complaints/"]


def test_the_booking_details_form_links_both(client, legal):
    from tests.booking.conftest import make_diary

    diary = make_diary()
    times = client.get(f"{reverse('booking:times', args=[diary.service.pk])}?location={diary.location.pk}")
    slot = BeautifulSoup(times.content, "html.parser").select_one('input[name="slot"]')["value"]
    details = client.get(
        f"{reverse('booking:details', args=[diary.service.pk])}?location={diary.location.pk}&slot={slot}"
    )
    assert legal_hrefs(details.content, "form.booking-form") == ["/privacy/", "/complaints/"]
