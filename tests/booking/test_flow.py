"""The public booking flow, driven through HTTP as a patient's browser would: pages, links, forms.

Times are real (the flow uses the clock), so tests read the free times off the pages instead of
assuming them; the test diary works Monday to Saturday, 09:00-17:00, all year.
"""

import html
import logging
import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_treatment
from tests.patients.records import patient_record
from vial.booking.forms import parse_slot_key
from vial.booking.models import Appointment, Service
from vial.booking.services import Patient, book_appointment
from vial.booking.state_machine import Status

from .conftest import make_diary

ADULT = {"name": "Alex Example", "email": "alex@example.com", "phone": "07123 456789", "date_of_birth": "1990-05-17"}
SLOT_VALUE = re.compile(r'name="slot" value="([^"]+)"')


@pytest.fixture
def sweating(clinic):
    """A prescription-only treatment with a prescriber's consultation and a treatment visit, at one clinic."""
    treatment = make_treatment(
        clinic["treatments"],
        n=2,
        title="Excessive underarm sweating",
        slug="underarm-sweating",
        prescription_only=True,
        licence="licensed",
        min_retreatment_days=112,
    )
    diary = make_diary(
        practitioners=2, treatment=treatment, name="Underarm sweating: consultation", needs_prescriber=True
    )
    visit = Service.objects.create(
        name="Underarm sweating: treatment visit",
        kind=Service.Kind.TREATMENT,
        treatment=treatment,
        duration_minutes=40,
        buffer_before_minutes=5,
        buffer_after_minutes=15,
        minimum_notice_hours=24,
        booking_horizon_days=60,
    )
    for practitioner in diary.practitioners:
        practitioner.services.add(visit)
    diary.others.update(treatment=treatment, visit=visit)
    return diary


def text(response) -> str:
    """The page's text, roughly as read: tags removed, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def times_url(service, location):
    return f"{reverse('booking:times', args=[service.pk])}?location={location.pk}"


def first_slot(client, service, location) -> str:
    response = client.get(times_url(service, location))
    assert response.status_code == 200
    return SLOT_VALUE.search(response.content.decode())[1]


def details_url(service):
    return reverse("booking:details", args=[service.pk])


def hold(client, service, location, slot, **details):
    """Send the details for a slot; returns the response (a redirect to the check page when held)."""
    return client.post(details_url(service), {"location": location.pk, "slot": slot, **ADULT, **details})


def test_a_patient_books_a_consultation_from_the_treatment_link(client, sweating):
    treatment, consultation = sweating.others["treatment"], sweating.service
    start = client.get(f"{reverse('booking:start')}?treatment={treatment.pk}")
    assert start.status_code == 200
    page = text(start)
    assert "Book: Excessive underarm sweating" in page
    assert "Underarm sweating: consultation" in page and "Underarm sweating: treatment visit" in page
    assert "If this is your first visit for it, book the consultation" in page
    assert "Test treatment 0" not in page  # only this treatment's services

    location_page = client.get(reverse("booking:location", args=[consultation.pk]))
    assert f'name="location" value="{sweating.location.pk}" checked' in location_page.content.decode()
    assert "<legend>Where would you like to be seen?</legend>" in location_page.content.decode()

    times = client.get(times_url(consultation, sweating.location))
    page = text(times)
    assert "Days with free times" in page and "Free times on" in page
    assert re.search(r"\d\d:\d\d (GMT|BST)", page)
    slot = SLOT_VALUE.search(times.content.decode())[1]

    details = client.get(f"{details_url(consultation)}?location={sweating.location.pk}&slot={slot}")
    assert details.status_code == 200
    assert "Hold this time and continue" in text(details)
    assert "Dr Test Practitioner" in text(details)

    held = hold(client, consultation, sweating.location, slot)
    assert held.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.status == Status.HELD
    assert appointment.patient_phone == "+447123456789"  # stored in one form, whatever was typed
    check = client.get(held["Location"])
    page = text(check)
    assert re.search(r"held until \d\d:\d\d (GMT|BST)", page)
    assert "Alex Example" in page and "07123 456789" in page and "17 May 1990" in page

    confirmed = client.post(held["Location"])
    assert confirmed.status_code == 302
    done = client.get(confirmed["Location"])
    assert "Your appointment is booked" in text(done)
    appointment.refresh_from_db()
    assert appointment.status == Status.CONFIRMED
    # A second click on Confirm (or a reload of the POST) lands on the same confirmation.
    again = client.post(held["Location"])
    assert again.status_code == 302 and again["Location"] == confirmed["Location"]
    assert Appointment.objects.count() == 1


def test_picking_a_day_with_htmx_swaps_only_the_times(client, sweating):
    service, location = sweating.service, sweating.location
    full = client.get(times_url(service, location))
    days = re.findall(r'name="day" value="([\d-]+)"', full.content.decode())
    assert len(days) >= 2
    url = f"{times_url(service, location)}&day={days[1]}"
    partial = client.get(url, headers={"HX-Request": "true", "HX-Target": "booking-slots"})
    body = partial.content.decode()
    assert "<html" not in body and "Days with free times" not in body
    assert 'hx-swap-oob="innerHTML"' in body and "free times on" in body
    assert "HX-Request" in partial["Vary"]
    # Without JavaScript the same address is the whole page, with that day chosen.
    plain = client.get(url)
    assert "<html" in plain.content.decode()
    assert f'value="{days[1]}" checked' in plain.content.decode()


def test_without_a_treatment_everything_bookable_is_listed(client, sweating):
    page = text(client.get(reverse("booking:start")))
    assert "Underarm sweating: consultation" in page and "Book an appointment" in page
    for junk in ["abc", "999999", "1%00", "%F0%9F%98%80", "9" * 40, "-1"]:
        response = client.get(f"{reverse('booking:start')}?treatment={junk}")
        assert response.status_code == 200
        assert "We could not find online booking for that treatment" in text(response)
        assert "Underarm sweating: consultation" in text(response)


def test_bad_addresses_and_query_strings_get_a_clear_page_not_an_error(client, sweating):
    service, location = sweating.service, sweating.location
    assert client.get(reverse("booking:location", args=[999999])).status_code == 404
    assert client.get("/book/99999999999999999999/").status_code == 404
    assert client.get(reverse("booking:check", args=[123])).status_code == 404
    assert client.get(reverse("booking:done", args=[123])).status_code == 404

    for junk in ["", "abc", "999999", "1%00"]:
        response = client.get(f"{reverse('booking:times', args=[service.pk])}?location={junk}")
        assert response.status_code == 200 and "Choose a clinic from the list." in text(response)

    past = client.get(f"{times_url(service, location)}&day=2020-01-06")
    assert "has passed, so here are the next free days" in text(past)
    far = client.get(f"{times_url(service, location)}&day=2099-01-01&from=2099-01-01")
    assert "can be booked up to 60 days ahead" in text(far)
    junk = client.get(f"{times_url(service, location)}&day=31-02-2026&from=%00")
    assert "We did not understand that date" in text(junk) and "Free times on" in text(junk)

    base = f"{details_url(service)}?location={location.pk}"
    assert "Choose a time from the list." in text(client.get(base))
    assert "Choose a time from the list." in text(client.get(f"{base}&slot=not-a-slot"))
    for slot in ["20200106T0900Z-1", "99991231T2359Z-1", f"{timezone.now():%Y%m%d}T0300Z-999999"]:
        response = client.get(f"{base}&slot={slot}")
        assert response.status_code == 200
        assert "that time is no longer free" in text(response)
        assert SLOT_VALUE.search(response.content.decode()) is None  # offered as links, not a form
        assert "slot=" in response.content.decode()
    assert not Appointment.objects.exists()


def test_patient_details_are_checked_before_anything_is_written(client, sweating):
    service, location = sweating.service, sweating.location
    slot = first_slot(client, service, location)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    cases = {
        "phone": ("07123", "That number is too short (5 digits)"),
        "date_of_birth": (tomorrow, "cannot be in the future"),
    }
    cases_more = [
        ({"phone": "07700 900123"}, "numbers Ofcom keeps for TV, radio and fiction"),  # the drama range
        ({"phone": "+33 6 12 34 56 78"}, "Please give a UK phone number"),
        ({"phone": "07123 456789; DROP"}, "Use only digits and spaces"),
        ({"phone": "0909 123 4567"}, "premium-rate"),
        ({"date_of_birth": "1850-01-01"}, "over 120"),
        ({"date_of_birth": "31/02/1990"}, "Enter the date of birth as day/month/year"),
        ({"email": "not-an-address"}, "Enter an e-mail address in the right format"),
        ({"name": "  "}, "Enter the full name"),
        ({"name": "\x00\x01"}, "Enter the full name"),
    ]
    for field, (value, message) in cases.items():
        cases_more.append(({field: value}, message))
    for bad, message in cases_more:
        response = hold(client, service, location, slot, **bad)
        assert response.status_code == 200, bad
        assert message in text(response), bad
        field = next(iter(bad))
        body = response.content.decode()
        assert (
            f'id="id_{field}_error"' in body
            and f"id_{field}_error"
            in re.search(rf'<input[^>]+id="id_{field}"[^>]*>|<input[^>]+name="{field}"[^>]*>', body)[0]
        )
        assert f'<a href="#id_{field}">' in body  # the summary links to the field
    assert not Appointment.objects.exists()
    # UK formats people type are accepted: +44, spaces, 27/03/1985.
    held = hold(client, service, location, slot, phone="+44 7123 456 789", date_of_birth="27/03/1985")
    assert held.status_code == 302
    assert Appointment.objects.get().patient_date_of_birth == date(1985, 3, 27)


def test_under_18s_are_refused_a_prescription_only_treatment(client, sweating):
    service, location = sweating.service, sweating.location
    slot = first_slot(client, service, location)
    sixteen = timezone.localdate().replace(year=timezone.localdate().year - 16) - timedelta(days=30)
    response = hold(client, service, location, slot, date_of_birth=sixteen.isoformat())
    assert response.status_code == 200
    page = text(response)
    assert "We cannot book this appointment" in page
    assert "we cannot book 'Underarm sweating: consultation' for anyone under 18" in page
    assert not Appointment.objects.exists()


def test_a_first_time_patient_is_sent_to_the_consultation(client, sweating):
    visit, location = sweating.others["visit"], sweating.location
    slot = first_slot(client, visit, location)
    response = hold(client, visit, location, slot)
    page = text(response)
    assert "a first visit starts with an in-person consultation" in page
    link = reverse("booking:location", args=[sweating.service.pk])
    assert f'href="{link}?location={location.pk}"' in response.content.decode()
    assert "Book ‘Underarm sweating: consultation’" in page
    assert not Appointment.objects.exists()
    consultation_page = client.get(f"{link}?location={location.pk}")
    assert f'value="{location.pk}" checked' in consultation_page.content.decode()


def test_a_treatment_too_soon_after_the_last_is_refused_with_the_earliest_date(client, sweating):
    visit, location = sweating.others["visit"], sweating.location
    treated = timezone.now() - timedelta(weeks=5)
    Appointment.objects.create(  # history, straight to the table: the services refuse past times
        service=visit,
        practitioner=sweating.practitioners[0],
        location=location,
        patient=patient_record(ADULT["name"], ADULT["email"], date(1990, 5, 17)),
        patient_name=ADULT["name"],
        patient_email=ADULT["email"],
        patient_date_of_birth=date(1990, 5, 17),
        start=treated,
        end=treated + timedelta(minutes=40),
        blocked_start=treated,
        blocked_end=treated + timedelta(minutes=40),
        status=Status.COMPLETED,
    )
    slot = first_slot(client, visit, location)
    response = hold(client, visit, location, slot)
    page = text(response)
    earliest = timezone.localdate(treated) + timedelta(days=112)
    assert "should not be repeated within 112 days" in page
    assert f"{earliest.day} {earliest:%B %Y}" in page
    assert Appointment.objects.count() == 1


def test_a_taken_slot_offers_the_next_free_times_as_buttons(client, sweating):
    service, location = sweating.service, sweating.location
    slot = first_slot(client, service, location)
    # Someone quicker takes it (the clinic has one room, so nobody else is free at that time).
    start, practitioner_id = parse_slot_key(slot)
    practitioner = next(p for p in sweating.practitioners if p.pk == practitioner_id)
    quick = Patient(name="Quick", email="quick@example.com", date_of_birth=date(1980, 1, 1))
    book_appointment(service, practitioner, location, start, quick)
    response = hold(client, service, location, slot)
    page = text(response)
    assert "is no longer available" in page and "Choose another time to hold it" in page
    body = response.content.decode()
    alternatives = re.findall(r'<button[^>]+type="submit" name="slot" value="([^"]+)"', body)
    assert alternatives and slot not in alternatives
    assert 'value="Alex Example"' in body  # what they typed is kept
    held = hold(client, service, location, alternatives[0])
    assert held.status_code == 302
    assert Appointment.objects.filter(status=Status.HELD, patient_email=ADULT["email"]).count() == 1


def test_a_lapsed_hold_cannot_be_confirmed_and_the_times_are_offered_again(client, sweating):
    service, location = sweating.service, sweating.location
    held = hold(client, service, location, first_slot(client, service, location))
    appointment = Appointment.objects.get()
    Appointment.objects.filter(pk=appointment.pk).update(held_until=timezone.now() - timedelta(seconds=1))
    page = client.get(held["Location"])
    assert "that has run out" in text(page)
    response = client.post(held["Location"])
    assert response.status_code == 200
    assert "that has run out" in text(response)
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED
    # The alternatives lead back to the details, filled in from the lapsed hold.
    link = html.unescape(re.search(r'href="(/book/\d+/details/\?[^"]+)"', response.content.decode())[1])
    details = client.get(link)
    assert 'value="Alex Example"' in details.content.decode()
    assert client.post(hold(client, service, location, re.search(r"slot=([^&]+)", link)[1])["Location"])
    assert Appointment.objects.filter(status=Status.CONFIRMED).count() == 1


def test_a_hold_is_seen_and_confirmed_only_by_the_browser_that_made_it(client, sweating):
    service, location = sweating.service, sweating.location
    held = hold(client, service, location, first_slot(client, service, location))
    stranger = Client()
    assert stranger.get(held["Location"]).status_code == 404
    assert stranger.post(held["Location"]).status_code == 404
    assert stranger.post(f"{held['Location']}release/").status_code == 404
    assert Appointment.objects.get().status == Status.HELD


def test_giving_up_a_hold_frees_the_time(client, sweating):
    service, location = sweating.service, sweating.location
    slot = first_slot(client, service, location)
    held = hold(client, service, location, slot)
    back = client.post(f"{held['Location']}release/")
    assert back.status_code == 302 and back["Location"].startswith(reverse("booking:times", args=[service.pk]))
    assert Appointment.objects.get().status == Status.CANCELLED
    assert "no longer held for you" in text(client.get(held["Location"]))


def test_going_back_to_the_details_keeps_the_hold_or_changes_them(client, sweating):
    service, location = sweating.service, sweating.location
    slot = first_slot(client, service, location)
    held = hold(client, service, location, slot)
    # The browser's Back button: the time is this browser's own hold, so the check page again.
    back = client.get(f"{details_url(service)}?location={location.pk}&slot={slot}")
    assert back.status_code == 302 and back["Location"] == held["Location"]
    # "Change the details": the hold is released and the same time comes back with the form filled in.
    change = client.post(f"{held['Location']}release/", {"then": "details"})
    form = client.get(change["Location"])
    assert 'value="Alex Example"' in form.content.decode() and f'value="{slot}"' in form.content.decode()
    again = hold(client, service, location, slot, name="Alexandra Example")
    assert again.status_code == 302
    assert Appointment.objects.get(status=Status.HELD).patient_name == "Alexandra Example"
    assert Appointment.objects.filter(status=Status.CANCELLED).count() == 1


def test_posts_need_the_csrf_token(sweating):
    browser = Client(enforce_csrf_checks=True)
    service, location = sweating.service, sweating.location
    response = hold(browser, service, location, first_slot(browser, service, location))
    assert response.status_code == 403
    assert not Appointment.objects.exists()


def test_tampered_hidden_fields_are_refused_without_writing(client, sweating):
    service, location = sweating.service, sweating.location
    slot = first_slot(client, service, location)
    other = make_diary(practitioners=1, location_name="Elsewhere", name="Other service")
    stranger_id = other.practitioners[0].pk
    tampered = re.sub(r"-\d+$", f"-{stranger_id}", slot)
    response = hold(client, service, location, tampered)
    assert response.status_code == 200 and "does not offer" in text(response)
    assert hold(client, service, other.location, slot).status_code == 200  # not a clinic for this service
    assert "Choose a clinic from the list." in text(hold(client, service, other.location, slot))
    assert "Choose a time from the list." in text(hold(client, service, location, "20261301T0900Z-1"))
    assert "not available" in text(hold(client, service, location, "99991231T2359Z-1"))
    assert client.post(details_url(other.service), {"location": location.pk, "slot": slot}).status_code == 200
    assert not Appointment.objects.exists()


def test_no_personal_details_in_the_logs(client, sweating, caplog):
    service, location = sweating.service, sweating.location
    with caplog.at_level(logging.DEBUG):
        held = hold(client, service, location, first_slot(client, service, location), name="Zebedee Quill")
        client.post(held["Location"])
        hold(client, service, location, first_slot(client, service, location), date_of_birth="2015-01-01")
    logged = caplog.text
    assert "Appointment" in logged  # the services log by id...
    for secret in ["Zebedee", "alex@example.com", "7123456789", "1990-05-17", "2015"]:
        assert secret not in logged  # ...and never the patient


def test_every_page_of_the_flow_makes_a_bounded_number_of_queries(client, sweating, django_assert_max_num_queries):
    service, location = sweating.service, sweating.location
    treatment = sweating.others["treatment"]
    slot = first_slot(client, service, location)
    pages = [
        reverse("booking:start"),
        f"{reverse('booking:start')}?treatment={treatment.pk}",
        reverse("booking:location", args=[service.pk]),
        times_url(service, location),
        f"{times_url(service, location)}&day=2099-01-01",
        f"{details_url(service)}?location={location.pk}&slot={slot}",
        f"{details_url(service)}?location={location.pk}&slot=20200106T0900Z-1",
    ]
    for url in pages:
        with django_assert_max_num_queries(15):
            assert client.get(url).status_code == 200
    held = hold(client, service, location, slot)
    with django_assert_max_num_queries(15):
        assert client.get(held["Location"]).status_code == 200
    with django_assert_max_num_queries(15):  # Back to the details of the time this browser holds
        assert client.get(pages[5]).status_code == 302
    client.post(held["Location"])
    with django_assert_max_num_queries(15):
        assert client.get(client.get(held["Location"])["Location"]).status_code == 200
