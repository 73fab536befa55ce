"""A receptionist's day in the diary, in the browser, on the demo clinic.

Signs in as the demo's receptionist, clicks an empty slot in a clinic's day to book a walk-in
(no e-mail address) there, finds the booking in the same day, sees that 'did not attend' is not
offered for it before it starts, and cancels it with a reason that the history keeps. On the way:
nothing covers the Book button, short appointments show in full, the week fits the page, the arrow
keys turn the days, and the day list prints on its own.
"""

import io
import re
from datetime import timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from vial.booking.availability import LONDON
from vial.booking.demo import RECEPTION_PASSWORD, RECEPTION_USERNAME
from vial.booking.models import Appointment, Practitioner
from vial.booking.state_machine import Status

from .conftest import BROWSER_TEST

pytestmark = BROWSER_TEST

PATIENT = "Wanda Walkin"
REASON = "Patient phoned: cannot get a lift"
FREE_QUARTERS = 8  # two free hours from the slot on: room for any demo consultation and its buffers


@pytest.fixture
def diary_site(site):
    """The demo clinic with its diary (clinics, practitioners, services, rotas, appointments, reception)."""
    call_command("load_booking_demo", stdout=io.StringIO())
    return site


def free_slots(page) -> list[dict[str, str]]:
    """The book-here links of the day shown: their clinic, practitioner, day and time."""
    hrefs = page.locator("a.diary-free").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    return [dict(parse_qsl(urlsplit(href).query)) | {"href": href} for href in hrefs]


def quiet_slot(slots: list[dict[str, str]]) -> dict[str, str] | None:
    """A slot after a free quarter hour and before FREE_QUARTERS more, with the same practitioner."""
    free = {(s["practitioner"], s["time"]) for s in slots}
    for slot in slots:
        hour, minute = map(int, slot["time"].split(":"))
        after = [(hour * 60 + minute + 15 * n) for n in range(-1, FREE_QUARTERS + 1)]
        if all((slot["practitioner"], f"{m // 60:02d}:{m % 60:02d}") in free for m in after):
            return slot
    return None


def quiet_day(page, site):
    """A day a week or two ahead with a quiet stretch at the first clinic, and that stretch's first slot."""
    today = timezone.now().astimezone(LONDON).date()
    for ahead in range(8, 22):
        day = today + timedelta(days=ahead)
        page.goto(f"{site}/admin/diary/?day={day:%Y-%m-%d}")
        slot = quiet_slot(free_slots(page))
        if slot:
            return day, slot
    raise AssertionError("no quiet stretch in the demo diary in the next three weeks")


def test_reception_books_by_clicking_an_empty_slot_and_cancels_with_a_reason(diary_site, open_context):
    site = diary_site
    page = open_context(width=1280, height=900).new_page()
    page.goto(site + "/admin/login/")
    page.get_by_label("Username").fill(RECEPTION_USERNAME)
    page.get_by_label("Password").fill(RECEPTION_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # Signed in, the receptionist lands on today's list, with the way into today's diary.
    expect(page.get_by_role("heading", name=re.compile(r"^Today: "))).to_be_visible()
    expect(page.get_by_role("link", name="Open today's diary")).to_be_visible()

    day, slot = quiet_day(page, site)
    diary_url = f"{site}/admin/diary/?location={slot['location']}&day={day:%Y-%m-%d}&view=day"  # this one
    practitioner = Practitioner.objects.get(pk=slot["practitioner"])
    service = practitioner.services.filter(active=True).order_by("duration_minutes", "pk").first()  # 15 minutes

    # Click the empty slot: the form opens with the clinic, practitioner, day and time filled in.
    page.locator(f'a.diary-free[href="{slot["href"]}"]').click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("New appointment")
    expect(page.get_by_label("Practitioner")).to_have_value(str(practitioner.pk))
    expect(page.get_by_label("Clinic")).to_have_value(slot["location"])
    expect(page.get_by_label("Day")).to_have_value(slot["day"])
    expect(page.get_by_label("Time")).to_have_value(slot["time"])

    # A walk-in: a name and a phone number, no e-mail; the date of birth only where the service needs it.
    page.get_by_label("Service").select_option(str(service.pk))
    page.get_by_label("Patient name").fill(PATIENT)
    page.get_by_label("Patient's phone").fill("07123 456789")
    page.get_by_label("Patient's date of birth").fill("1961-04-12")
    book = page.get_by_role("button", name="Book", exact=True)
    book.click()  # nothing covers the button (Playwright refuses to click a covered one)

    # Back on the same clinic and day, with the booking in it.
    expect(page.get_by_text(re.compile(r"Booked .* at "))).to_be_visible()
    assert page.url == diary_url
    entry = page.locator("a.diary-entry", has_text=PATIENT)
    expect(entry).to_be_visible()
    # Every appointment shows in full, the 15-minute ones too (nothing clipped).
    clipped = page.locator(".diary-entry").evaluate_all(
        "entries => entries.filter(e => e.scrollHeight > e.clientHeight + 1).map(e => e.innerText)"
    )
    assert clipped == []
    appointment = Appointment.objects.get(patient_name=PATIENT)
    assert appointment.patient_email == "" and appointment.status == Status.CONFIRMED
    assert appointment.start.astimezone(LONDON).strftime("%H:%M") == slot["time"]

    # Its page: 'did not attend' is not offered before it starts; cancelling asks for a reason first.
    entry.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Appointment")
    expect(page.get_by_text("Mark did not attend")).to_have_count(0)
    expect(page.get_by_text("can be marked once the appointment has started")).to_be_visible()
    confirm = page.get_by_role("button", name="Confirm cancellation")
    expect(confirm).to_be_hidden()
    page.get_by_text("Cancel this appointment…").click()
    expect(confirm).to_be_visible()
    page.get_by_label("Reason for cancelling").fill(REASON)
    confirm.click()

    # Back on the same diary day; the booking has gone from it and its history keeps the reason.
    expect(page.get_by_text(re.compile(r"Cancelled the appointment at "))).to_be_visible()
    assert page.url == diary_url
    expect(page.locator("a.diary-entry", has_text=PATIENT)).to_have_count(0)
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED

    # The week fits the page's width: seven days side by side, no sideways scrolling.
    page.get_by_role("link", name="Week view").click()
    region = page.get_by_role("region", name="Week")
    sizes = region.evaluate("r => [r.scrollWidth, r.clientWidth, r.querySelector('table').offsetWidth]")
    assert sizes[0] <= sizes[1] and sizes[2] >= sizes[1] - 2, sizes

    # Keys: → the next week, D back to the day view, ← the day before.
    page.wait_for_load_state()
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(rf"day={day + timedelta(days=7):%Y-%m-%d}&view=week"))
    page.wait_for_load_state()
    page.keyboard.press("d")
    expect(page).to_have_url(re.compile(rf"day={day + timedelta(days=7):%Y-%m-%d}&view=day"))
    page.wait_for_load_state()
    page.keyboard.press("ArrowLeft")
    expect(page).to_have_url(re.compile(rf"day={day + timedelta(days=6):%Y-%m-%d}&view=day"))

    # The day list prints without the admin around it, or its own links and buttons.
    page.get_by_role("link", name="Print day list").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{day + timedelta(days=6):%A %-d %B %Y}")
    expect(page.get_by_role("button", name="Print")).to_be_visible()  # the script shows it
    busy = Appointment.objects.filter(status=Status.CONFIRMED, location_id=slot["location"]).earliest("start")
    page.goto(f"{site}/admin/diary/print/?location={slot['location']}&day={busy.local_start:%Y-%m-%d}")
    page.emulate_media(media="print")
    expect(page.get_by_role("link", name="← Back to the diary")).to_be_hidden()
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    expect(page.get_by_role("table").get_by_text(busy.patient_name).first).to_be_visible()
    assert appointment.status_changes.last().note == f"Cancelled by staff: {REASON}"
