"""In Chromium, as a patient: every treatment page's Book button leads to a bookable first step, at the price
the page shows; Christmas Day and Boxing Day are never offered."""

import io
import re
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from vial.booking.availability import LONDON
from vial.booking.models import Location, Service
from vial.website.models import TreatmentPage

from .conftest import BROWSER_TEST

pytestmark = BROWSER_TEST


@pytest.fixture
def booking_site(site):
    call_command("load_booking_demo", stdout=io.StringIO())
    return site


def test_every_treatment_page_leads_to_a_bookable_first_step(booking_site, open_context):
    page = open_context(width=1280).new_page()
    treatments = list(TreatmentPage.objects.live().order_by("path").values_list("title", "url_path"))
    assert len(treatments) == 13
    for title, _ in treatments:
        page.goto(booking_site + "/treatments/")
        page.get_by_role("link", name=title, exact=True).first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        price = page.locator('[data-fact="price"]').inner_text().strip()
        page.locator('a[data-cta="book"]').click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Book: {title}")
        expect(page.get_by_text("could not find online booking")).to_have_count(0)
        first = page.locator(".booking-service").first
        expect(first.locator(".booking-service__meta")).to_contain_text(price)
        first.get_by_role("link").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Choose a clinic")
        expect(
            page.get_by_role("group", name="Where would you like to be seen?").get_by_role("radio")
        ).not_to_have_count(0)


def test_christmas_and_boxing_day_are_not_offered(booking_site, open_context):
    today = timezone.localdate(timezone=LONDON)
    christmas = date(today.year, 12, 25)
    if christmas <= today + timedelta(days=1):
        christmas = date(today.year + 1, 12, 25)
    service = Service.objects.get(name="General consultation")
    service.booking_horizon_days = 400
    service.save()
    exeter = Location.objects.get(name__startswith="Exeter")
    page = open_context(width=1280).new_page()
    page.goto(f"{booking_site}/book/{service.pk}/times/?location={exeter.pk}&from={christmas - timedelta(days=3)}")
    days = page.get_by_role("group", name=re.compile("^Choose a day, from"))
    expect(days.get_by_role("radio").first).to_be_attached()
    offered = {
        days.get_by_role("radio").nth(n).get_attribute("value") for n in range(days.get_by_role("radio").count())
    }
    assert christmas.isoformat() not in offered and (christmas + timedelta(days=1)).isoformat() not in offered
    assert (christmas - timedelta(days=1)).isoformat() in offered or christmas.weekday() == 0  # Christmas Eve is open
    page.goto(f"{booking_site}/book/{service.pk}/times/?location={exeter.pk}&day={christmas}")
    expect(page.get_by_text(re.compile("There are no free times on .*25 December"))).to_be_visible()
