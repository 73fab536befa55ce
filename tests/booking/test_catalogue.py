"""One source for what can be booked and what it costs (`vial.booking.catalogue`), driven as a patient would:
a treatment without services of its own, one with nothing bookable, a price change, the API's list.
The whole demo clinic is in test_catalogue_demo.py.
"""

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.factories import make_treatment

from .conftest import make_diary

ADULT = {"name": "Alex Example", "email": "alex@example.com", "phone": "07123 456789", "date_of_birth": "1990-05-17"}


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def words(node) -> str:
    return " ".join(node.get_text(" ").split())


def test_a_treatment_without_services_of_its_own_starts_with_the_general_consultation(clinic, client):
    diary = make_diary()  # only a general consultation, £50
    treatment = make_treatment(clinic["treatments"], n=5, title="Gummy smile", slug="gummy-smile")
    page = soup(client.get(treatment.url))
    assert words(page.select_one('[data-fact="price"]')) == "£50"
    assert "General consultation" in words(page.select_one(".cta"))
    start = soup(client.get(page.select_one('a[data-cta="book"]')["href"]))
    assert "Gummy smile starts with a general consultation" in words(start)
    assert [words(n) for n in start.select(".booking-service__name")] == [diary.service.name]


def test_with_nothing_bookable_the_page_says_to_phone(clinic, client):
    treatment = make_treatment(clinic["treatments"], n=6, title="Gummy smile", slug="gummy-smile")
    page = soup(client.get(treatment.url))
    assert page.select_one('a[data-cta="book"]') is None
    assert "Book by phone" in words(page.select_one(".cta"))


@pytest.mark.parametrize("query", [{}, {"from": "search"}], ids=["page cache", "rendered"])
def test_a_price_change_shows_on_the_treatment_page_at_once(clinic, client, query):
    """Both from the page cache and rendered afresh (a query string), where the price comes from the
    price list kept under the content version."""
    diary = make_diary()
    treatment = make_treatment(clinic["treatments"], n=7, title="Gummy smile", slug="gummy-smile")

    def price():
        return words(soup(client.get(treatment.url, query)).select_one('[data-fact="price"]'))

    assert price() == "£50"
    diary.service.price = Decimal("55.50")
    diary.service.save()
    assert price() == "£55.50"
    for practitioner in diary.practitioners:  # nobody left to give it: booked by phone
        practitioner.active = False
        practitioner.save()
    assert soup(client.get(treatment.url, query)).select_one('[data-fact="price"]') is None


def test_the_api_lists_only_what_the_web_flow_offers(clinic, client):
    treatment = make_treatment(clinic["treatments"], n=8, title="Gummy smile", slug="gummy-smile")
    diary = make_diary(treatment=treatment, name="Gummy smile: consultation")
    assert [row["id"] for row in client.get("/api/v1/services").json()] == [diary.service.pk]
    treatment.unpublish()
    assert client.get("/api/v1/services").json() == []
    start = soup(client.get(reverse("booking:start")))
    assert not start.select(".booking-service")
