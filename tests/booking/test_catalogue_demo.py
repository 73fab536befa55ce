"""On the whole demo clinic (`vial.booking.catalogue`), as a patient: every treatment page leads to a first step
someone can book, and the price the page shows is the price the booking steps show (the same `Service` row).
"""

import io
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from vial.booking import diary_setup
from vial.booking.models import Service
from vial.website.models import TreatmentPage

from .test_catalogue import ADULT, soup, words


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


def test_every_demo_treatment_page_leads_to_a_bookable_first_step(demo, db, client):
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


def test_the_check_step_shows_the_price_the_treatment_page_shows(demo, db, client):
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


def test_a_deposit_is_named_where_the_service_takes_one(demo, db, client):
    visit = Service.objects.get(name="Underarm sweating: treatment visit")
    assert visit.deposit_required
    start = soup(client.get(f"{reverse('booking:start')}?treatment={visit.treatment_id}"))
    row = next(r for r in start.select(".booking-service") if visit.name in words(r))
    assert re.search(r"£250 · deposit at booking", words(row))
