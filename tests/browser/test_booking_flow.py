"""Booking online in Chromium, on the demo clinic: from the underarm-sweating treatment to a confirmed time,
the confirmation e-mail with its calendar file, and cancelling through the e-mail's link.

Also: two patients racing for the same time (the second is offered the next free ones), a 16-year-old
refused a prescription-only treatment, and a patient treated five weeks ago refused with the earliest
date. The refusals run with JavaScript off: the flow must work without it.
"""

import io
import re
from datetime import UTC, date, time, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from tests.patients.records import patient_record
from vial.booking.availability import wall_clock_to_utc
from vial.booking.models import Appointment, Location, Service
from vial.booking.services import long_date
from vial.booking.state_machine import Status
from vial.website.models import TreatmentPage

from .conftest import BROWSER_TEST, RequestLog
from .test_patient import blocking_violations

pytestmark = BROWSER_TEST

TREATMENT = "/treatments/underarm-sweating/"
CONSULTATION = "Underarm sweating: consultation"
VISIT = "Underarm sweating: treatment visit"


@pytest.fixture
def booking_site(site):
    """The demo clinic with its diary (clinics, practitioners, services, rotas, appointments)."""
    call_command("load_booking_demo", stdout=io.StringIO())
    return site


def open_booking(page, site):
    """From the treatment page: its booking link if it has one yet, else the address that link points to."""
    treatment = TreatmentPage.objects.get(slug="underarm-sweating")
    page.goto(site + TREATMENT)
    link = page.locator(f'a[href="/book/?treatment={treatment.pk}"]')
    if link.count():
        link.first.click()
    else:
        page.goto(f"{site}/book/?treatment={treatment.pk}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Book: Excessive underarm sweating")


def choose_service_and_clinic(page, service_name, clinic="Exeter clinic"):
    page.get_by_role("link", name=f"Choose {service_name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a clinic")
    page.get_by_role("group", name="Where would you like to be seen?").get_by_label(clinic).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a day and time")


def choose_first_time(page):
    times = page.get_by_role("group", name=re.compile("^Free times on"))
    expect(times).to_be_visible()
    first = times.get_by_role("radio").first
    label = first.evaluate("radio => radio.labels[0].innerText").strip()
    first.check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your details")
    return label


def enter_details(page, name, email, born, phone="07123 456789"):
    page.get_by_label("Full name").fill(name)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Phone number").fill(phone)
    page.get_by_label("Date of birth").fill(born.isoformat())


def test_a_patient_books_from_the_treatment_page(booking_site, open_context):
    context = open_context(width=1280, bypass_csp=True)  # axe is injected as a script
    page = context.new_page()
    requests = RequestLog(booking_site)
    page.on("request", requests)
    problems = []

    open_booking(page, booking_site)
    choose_service_and_clinic(page, CONSULTATION)
    problems += blocking_violations(page)

    # Picking another day swaps in its times without reloading the page (HTMX), and the address follows.
    # A day at least three days ahead, so the booking can still be changed online (the consultation's
    # cancellation window is 48 hours) and its e-mail carries the link for that.
    days = page.get_by_role("group", name=re.compile("^Choose a day, from"))
    radios = days.get_by_role("radio")
    soonest = timezone.localdate() + timedelta(days=3)
    second = next(
        radios.nth(n)
        for n in range(1, radios.count())
        if date.fromisoformat(radios.nth(n).get_attribute("value")) >= soonest
    )
    day = second.get_attribute("value")
    page.evaluate("window.__same_page = true")
    second.check()
    heading = long_date(date.fromisoformat(day), weekday=True)
    expect(page.get_by_role("heading", name=f"Free times on {heading}")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"day={day}"))
    assert page.evaluate("window.__same_page === true"), "the page reloaded instead of swapping the times"

    chosen = choose_first_time(page)
    expect(page.get_by_text(heading + " at " + chosen)).to_be_visible()

    # A mistake first: the error is announced, listed and linked to the field.
    enter_details(page, "Robin Penhallow", "robin@example.com", date(1986, 4, 2), phone="07123")
    page.get_by_role("button", name="Hold this time and continue").click()
    expect(page.get_by_role("alert")).to_contain_text("That number is too short")
    phone = page.get_by_label("Phone number")
    expect(phone).to_have_attribute("aria-invalid", "true")
    expect(phone).to_have_accessible_description(re.compile("That number is too short"))
    problems += blocking_violations(page)
    phone.fill("07123 456789")
    page.get_by_role("button", name="Hold this time and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check and confirm")
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"held until \d\d:\d\d (GMT|BST)"))
    expect(page.get_by_text("Robin Penhallow")).to_be_visible()
    problems += blocking_violations(page)
    page.get_by_role("button", name="Confirm the booking").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your appointment is booked")
    expect(page.get_by_role("status")).to_contain_text(f"{heading} at {chosen}")
    problems += blocking_violations(page)
    appointment = Appointment.objects.get(patient_email="robin@example.com")
    assert appointment.status == Status.CONFIRMED and appointment.service.name == CONSULTATION
    assert appointment.patient_phone == "+447123456789"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280

    # The confirmation e-mail (sent through the task queue once the booking committed) carries the
    # time in UK local time with the zone named, a calendar file, and the signed link to cancel.
    confirmations = [m for m in mail.outbox if m.to == ["robin@example.com"]]
    assert len(confirmations) == 1, [m.subject for m in mail.outbox]
    email = confirmations[0]
    assert re.search(r"\d\d:\d\d (GMT|BST)", email.subject)
    calendar = next(part for part in email.attachments if part.get_filename() == "appointment.ics")
    event = Calendar.from_ical(calendar.get_payload(decode=True)).walk("VEVENT")[0]
    assert event.decoded("DTSTART").astimezone(UTC) == appointment.start
    link = re.search(r"https?://[^/\s]+(/appointment/[^\s\"<>]+)", email.body).group(1)
    page.goto(booking_site + link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your appointment")
    page.get_by_role("link", name="Cancel this appointment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cancel your appointment?")
    page.get_by_role("button", name="Yes, cancel it").click()
    expect(page.locator("main")).to_contain_text("cancelled")
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED
    assert requests.external() == [], f"requests left the server: {requests.external()}"
    assert not problems, "\n".join(problems)


def test_a_second_patient_racing_for_the_same_time_is_offered_the_next_ones(booking_site, open_context):
    first, second = open_context(width=1280).new_page(), open_context(width=360, height=800).new_page()
    for page in (first, second):
        open_booking(page, booking_site)
        choose_service_and_clinic(page, CONSULTATION)
    chosen = choose_first_time(first)
    assert choose_first_time(second) == chosen  # both are on the details page of the same time

    enter_details(first, "Morwenna Hext", "morwenna@example.com", date(1979, 8, 30))
    first.get_by_role("button", name="Hold this time and continue").click()
    expect(first.get_by_role("status")).to_contain_text("held until")

    enter_details(second, "Jory Vosper", "jory@example.com", date(1992, 1, 11))
    second.get_by_role("button", name="Hold this time and continue").click()
    expect(second.get_by_role("alert")).to_contain_text("is no longer available")
    offered = second.get_by_role("group", name="Choose another time to hold it").get_by_role("button")
    expect(offered.first).to_be_visible()
    assert offered.count() >= 1
    next_time = offered.first.inner_text()
    expect(second.get_by_label("Full name")).to_have_value("Jory Vosper")  # nothing to type again
    offered.first.click()
    expect(second.get_by_role("status")).to_contain_text("held until")
    second.get_by_role("button", name="Confirm the booking").click()
    expect(second.get_by_role("heading", level=1)).to_have_text("Your appointment is booked")
    assert next_time.split(" with ")[0] in second.get_by_role("status").inner_text()

    first.get_by_role("button", name="Confirm the booking").click()
    expect(first.get_by_role("heading", level=1)).to_have_text("Your appointment is booked")
    mine, theirs = (Appointment.objects.get(patient_email=e) for e in ("morwenna@example.com", "jory@example.com"))
    assert mine.status == theirs.status == Status.CONFIRMED
    assert (mine.start, mine.practitioner_id) != (theirs.start, theirs.practitioner_id)


def test_a_16_year_old_is_refused_a_prescription_only_treatment(booking_site, open_context):
    page = open_context(width=360, height=800, java_script_enabled=False).new_page()
    open_booking(page, booking_site)
    choose_service_and_clinic(page, CONSULTATION)
    choose_first_time(page)
    today = timezone.localdate()
    sixteen = today.replace(year=today.year - 16) - timedelta(days=40)
    enter_details(page, "Kit Tremayne", "kit@example.com", sixteen)
    page.get_by_role("button", name="Hold this time and continue").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("We cannot book this appointment")
    expect(alert).to_contain_text("for anyone under 18")
    assert not Appointment.objects.filter(patient_email="kit@example.com").exists()


def test_a_patient_treated_five_weeks_ago_is_refused_with_the_earliest_date(booking_site, open_context):
    visit = Service.objects.get(name=VISIT)
    exeter = Location.objects.get(name="Exeter clinic")
    practitioner = visit.practitioners.filter(locations=exeter).first()
    treated_on = timezone.localdate() - timedelta(weeks=5)
    treated = wall_clock_to_utc(treated_on, time(3))  # outside the rota: no clash with demo appointments
    Appointment.objects.create(  # history, straight to the table: the services rightly refuse past times
        service=visit,
        practitioner=practitioner,
        location=exeter,
        patient=patient_record("Tamsin Luscombe", "tamsin@example.com", date(1984, 6, 9)),
        patient_name="Tamsin Luscombe",
        patient_email="tamsin@example.com",
        patient_date_of_birth=date(1984, 6, 9),
        start=treated,
        end=treated + timedelta(minutes=40),
        blocked_start=treated,
        blocked_end=treated + timedelta(minutes=40),
        status=Status.COMPLETED,
    )

    page = open_context(width=1280, java_script_enabled=False).new_page()
    open_booking(page, booking_site)
    choose_service_and_clinic(page, VISIT)
    choose_first_time(page)
    enter_details(page, "Tamsin Luscombe", "tamsin@example.com", date(1984, 6, 9))
    page.get_by_role("button", name="Hold this time and continue").click()
    earliest = long_date(treated_on + timedelta(days=visit.treatment.min_retreatment_days), weekday=True)
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("should not be repeated within 112 days")
    expect(alert).to_contain_text(f"the earliest date we can book is {earliest}")
    assert Appointment.objects.filter(patient_email="tamsin@example.com").count() == 1
