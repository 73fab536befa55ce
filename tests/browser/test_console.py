"""No console errors, with the site's real Content-Security-Policy, on every public page type and booking step.

Chromium reports each thing the CSP refuses (an inline style HTMX would add, a Gravatar image in the
admin) as a console error, so this test fails on any of them. Nothing here bypasses the CSP.
"""

import io
import re
from datetime import date

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from vial.website.models import LocationPage, QuestionPage, TreatmentPage

from .conftest import BROWSER_TEST

pytestmark = BROWSER_TEST


class Console:
    """Console errors and uncaught exceptions of one page, with the address they happened on."""

    def __init__(self, page):
        self.page = page
        self.errors: list[str] = []
        page.on("console", lambda message: message.type == "error" and self.errors.append(self.where(message.text)))
        page.on("pageerror", lambda error: self.errors.append(self.where(str(error))))

    def where(self, text: str) -> str:
        return f"{self.page.url}: {text}"


@pytest.fixture
def booking_site(site):
    call_command("load_booking_demo", stdout=io.StringIO())
    return site


def test_public_pages_and_booking_steps_log_no_console_errors(booking_site, open_context):
    site = booking_site
    page = open_context(width=1280).new_page()
    console = Console(page)
    treatment = TreatmentPage.objects.live().get(slug="underarm-sweating")
    pages = [
        "/",
        "/treatments/",
        treatment.url,
        QuestionPage.objects.live().first().url,
        "/reviews/",
        "/clinics/",
        LocationPage.objects.live().first().url,
        "/search/?q=sweating",
        "/search/?q=hyperhydrosis",
        "/contact/",
        "/privacy/",
    ]
    for path in pages:
        response = page.goto(site + path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")

    # Reviews: the treatment filter swaps the list in with HTMX.
    page.goto(site + "/reviews/")
    page.locator("form.filter select").first.select_option(index=1)
    page.wait_for_load_state("networkidle")

    # Every booking step, from the treatment page's call to action, picking a second day with HTMX.
    page.goto(site + treatment.url)
    page.locator('a[data-cta="book"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Book: {treatment.title}")
    page.locator(".booking-service a.button").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a clinic")
    page.get_by_role("group", name="Where would you like to be seen?").get_by_label("Exeter clinic").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a day and time")
    days = page.get_by_role("group", name=re.compile("^Choose a day, from")).get_by_role("radio")
    days.nth(1).check()
    day = date.fromisoformat(days.nth(1).get_attribute("value"))
    expect(page).to_have_url(re.compile(rf"day={day.isoformat()}"))
    page.wait_for_load_state("networkidle")
    page.get_by_role("group", name=re.compile("^Free times on")).get_by_role("radio").first.check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your details")
    page.get_by_label("Full name").fill("Robin Penhallow")
    page.get_by_label("E-mail address").fill("robin@example.com")
    page.get_by_label("Phone number").fill("01392 123456")
    page.get_by_label("Date of birth").fill("1986-04-02")
    page.get_by_role("button", name="Hold this time and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check and confirm")
    page.wait_for_load_state("networkidle")

    assert console.errors == []


def test_the_admin_shows_a_local_avatar(site, open_context):
    page = open_context(width=1280).new_page()
    console = Console(page)
    outside = []
    page.on("request", lambda request: "gravatar" in request.url and outside.append(request.url))
    page.goto(site + "/admin/login/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("vial-demo-admin")
    page.get_by_role("button", name=re.compile("Sign in")).click()
    page.wait_for_load_state("networkidle")
    avatar = page.locator("img.avatar, .avatar img").first
    expect(avatar).to_be_attached()
    assert "gravatar" not in (avatar.get_attribute("src") or "")
    assert avatar.evaluate("img => img.complete && img.naturalWidth > 0"), "the avatar image did not load"
    assert outside == [] and console.errors == []
