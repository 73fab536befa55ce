"""One source for what can be booked and what it costs (`vial.booking.catalogue`), driven as a patient would.

Every treatment page of the demo clinic leads to a first step someone can book, and the price the
page shows is the price the booking steps show: both read the same `Service` row.
"""

import io
import re
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from tests.factories import make_treatment
from vial.booking import diary_setup
from vial.booking.models import Service
from vial.website.models import TreatmentPage

from .conftest import make_diary

ADULT = {"name": "Alex Example", "email": "alex@example.com", "phone": "07123 456789", "date_of_birth": "1990-05-17"}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The whole demo clinic: its pages (`load_demo`) and its diary (`load_booking_demo`)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        call_command("load_booking_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)
    cache.clear()
    diary_setup._memo.clear()


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def words(node) -> str:
    return " ".join(node.get_text(" ").split())


def test_every_demo_treatment_page_leads_to_a_bookable_first_step(demo, client):
    treatments = list(TreatmentPage.objects.live().order_by("path"))
    assert len(treatments) == 13
    for treatment in treatments:
        page = soup(client.get(treatment.url))
        cta = page.select_one('a[data-cta="book"]')
        assert cta is not None, f"{treatment.title}: no Book link"
        price = words(page.select_one('[data-fact="price"]'))
        start = soup(client.get(cta["href"]))
        assert "could not find online booking" not in words(start), treatment.title
        choices = start.select(".booking-service")
        assert choices, f"{treatment.title}: nothing to choose"
        first = choices[0]
        assert price in words(first.select_one(".booking-service__meta")), treatment.title  # the same price
        location_step = soup(client.get(first.select_one("a.button")["href"]))
        assert location_step.select('input[name="location"]'), f"{treatment.title}: no clinic to choose"


def test_the_check_step_shows_the_price_the_treatment_page_shows(demo, client):
    treatment = TreatmentPage.objects.get(slug="underarm-sweating")
    page = soup(client.get(treatment.url))
    price = words(page.select_one('[data-fact="price"]'))
    consultation = Service.objects.get(name="Underarm sweating: consultation")
    assert price == f"£{consultation.price:.0f}"

    start = soup(client.get(page.select_one('a[data-cta="book"]')["href"]))
    location_url = start.select_one(".booking-service a.button")["href"]
    assert location_url == reverse("booking:location", args=[consultation.pk])
    location_step = soup(client.get(location_url))
    clinic = location_step.select_one('input[name="location"]')["value"]
    times = soup(client.get(f"{reverse('booking:times', args=[consultation.pk])}?location={clinic}"))
    slot = times.select_one('input[name="slot"]')["value"]
    held = client.post(reverse("booking:details", args=[consultation.pk]), {"location": clinic, "slot": slot, **ADULT})
    assert held.status_code == 302, words(soup(held)) if held.status_code == 200 else held.status_code
    check = soup(client.get(held["Location"]))
    facts = {words(row.dt): words(row.dd) for row in check.select(".booking-facts > div")}
    assert facts["Price"] == price


def test_a_deposit_is_named_where_the_service_takes_one(demo, client):
    visit = Service.objects.get(name="Underarm sweating: treatment visit")
    assert visit.deposit_required
    start = soup(client.get(f"{reverse('booking:start')}?treatment={visit.treatment_id}"))
    row = next(r for r in start.select(".booking-service") if visit.name in words(r))
    assert re.search(r"£250 · deposit at booking", words(row))


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


def test_a_price_change_shows_on_the_cached_treatment_page_at_once(clinic, client):
    diary = make_diary()
    treatment = make_treatment(clinic["treatments"], n=7, title="Gummy smile", slug="gummy-smile")
    assert words(soup(client.get(treatment.url)).select_one('[data-fact="price"]')) == "£50"
    diary.service.price = Decimal("55.50")
    diary.service.save()
    assert words(soup(client.get(treatment.url)).select_one('[data-fact="price"]')) == "£55.50"


def test_the_api_lists_only_what_the_web_flow_offers(clinic, client):
    treatment = make_treatment(clinic["treatments"], n=8, title="Gummy smile", slug="gummy-smile")
    diary = make_diary(treatment=treatment, name="Gummy smile: consultation")
    assert [row["id"] for row in client.get("/api/v1/services").json()] == [diary.service.pk]
    treatment.unpublish()
    assert client.get("/api/v1/services").json() == []
    start = soup(client.get(reverse("booking:start")))
    assert not start.select(".booking-service")
