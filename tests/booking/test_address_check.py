"""A booking made online with a new e-mail address waits for the click on the link sent to that address.

Driven as a patient would: the web flow's confirm button, the API, then the e-mailed link (opened,
which changes nothing, then confirmed); and as someone typing another person's address would: the
booking never confirms and the time goes back to the diary.
"""

import json
import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from vial.booking.forms import slot_key
from vial.booking.models import Appointment, local
from vial.booking.services import ADDRESS_CHECK_MINUTES, Patient, book_appointment
from vial.booking.state_machine import Status

from .conftest import ADULT, PHONE, api_booking, at, make_diary, working_day

LINK = re.compile(r"https?://\S+/appointment/(\S+?)/confirm/")


DAY = working_day(4)


@pytest.fixture(autouse=True)
def check_new_addresses(settings):
    settings.BOOKING_CHECK_NEW_ADDRESSES = True


def hold_and_confirm(client, diary, start, email=ADULT.email):
    url = reverse("booking:details", args=[diary.service.pk])
    slot = slot_key(start, diary.practitioners[0].pk)
    client.get(url, {"location": diary.location.pk, "slot": slot})
    form = {
        "location": diary.location.pk,
        "slot": slot,
        "name": ADULT.name,
        "email": email,
        "phone": PHONE,
        "date_of_birth": ADULT.date_of_birth.isoformat(),
    }
    held = client.post(url, form)
    assert held.status_code == 302, held.content.decode()[:500]
    return client.post(held.url), held.url


def confirm_path(message) -> str:
    return "/appointment/" + LINK.search(message.body)[1] + "/confirm/"


@pytest.mark.django_db
def test_a_new_address_confirms_the_web_booking_by_the_emailed_link(client, django_capture_on_commit_callbacks):
    diary = make_diary()
    with django_capture_on_commit_callbacks(execute=True):
        confirmed, check_url = hold_and_confirm(client, diary, at(DAY, 10))
    assert confirmed.status_code == 302 and confirmed.url == check_url
    page = client.get(check_url).content.decode()
    assert "please check your e-mail" in page
    appointment = Appointment.objects.get()
    assert appointment.status == Status.HELD
    waited = appointment.held_until - timezone.now()
    assert timedelta(minutes=ADDRESS_CHECK_MINUTES - 1) < waited <= timedelta(minutes=ADDRESS_CHECK_MINUTES)

    [message] = mail.outbox
    assert message.to == [ADULT.email]
    assert message.subject.startswith("Please confirm your appointment")
    assert "General consultation" not in message.subject  # no health detail on a lock screen
    link = confirm_path(message)

    # Opening the link (as a mail scanner would) changes nothing...
    opened = client.get(link)
    assert opened.status_code == 200
    assert "Confirm my appointment" in opened.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == Status.HELD
    # ...pressing its button confirms, and the usual confirmation with the calendar file follows.
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(link)
    assert done.status_code == 302 and "confirmed=1" in done.url
    assert "your appointment is confirmed" in client.get(done.url).content.decode()
    appointment.refresh_from_db()
    assert appointment.status == Status.CONFIRMED
    assert mail.outbox[-1].subject.startswith("Appointment confirmed")


@pytest.mark.django_db
def test_a_second_click_on_confirm_neither_extends_nor_resends(client, django_capture_on_commit_callbacks):
    diary = make_diary()
    with django_capture_on_commit_callbacks(execute=True):
        _, check_url = hold_and_confirm(client, diary, at(DAY, 10))
    first_deadline = Appointment.objects.get().held_until
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(check_url)
    assert again.status_code == 302
    assert Appointment.objects.get().held_until == first_deadline
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_an_address_confirmed_before_books_at_once(client, django_capture_on_commit_callbacks):
    diary = make_diary()
    earlier = book_appointment(diary.service, diary.practitioners[0], diary.location, at(DAY, 11), ADULT)
    assert earlier.status == Status.CONFIRMED  # staff and the services book for certain
    confirmed, _ = hold_and_confirm(client, diary, at(DAY + timedelta(days=1), 10), email=ADULT.email.upper())
    assert confirmed.status_code == 302 and "/booked/" in confirmed.url


@pytest.mark.django_db
def test_the_api_answers_202_and_the_link_confirms(client, django_capture_on_commit_callbacks):
    diary = make_diary()
    body = api_booking(diary.service, diary.location, at(DAY, 10), email="new.patient@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/bookings", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 202, response.content
    answer = response.json()
    assert answer["status"] == "held"
    assert "new.patient@example.com" in answer["message"]
    assert answer["confirm_by"]
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(confirm_path(mail.outbox[0])).status_code == 302
    assert Appointment.objects.get().status == Status.CONFIRMED


@pytest.mark.django_db
def test_an_unconfirmed_booking_lapses_and_the_time_goes_back(client, django_capture_on_commit_callbacks):
    diary = make_diary(practitioners=1)
    with django_capture_on_commit_callbacks(execute=True):
        hold_and_confirm(client, diary, at(DAY, 10), email="someone.else@example.com")
    Appointment.objects.update(held_until=timezone.now() - timedelta(minutes=1))  # 30 minutes went by

    late = client.post(confirm_path(mail.outbox[0]))
    assert late.status_code == 409
    assert "not confirmed in time" in late.content.decode()
    assert Appointment.objects.get().status == Status.HELD  # lapsed: the engine and bookings ignore it

    free = client.get(
        "/api/v1/availability",
        {"service": diary.service.pk, "location": diary.location.pk, "start": DAY, "end": DAY},
    ).json()["slots"]
    assert local(at(DAY, 10)).isoformat() in {slot["start"] for slot in free}
    other = Patient(name="Bea Other", email="bea@example.com", date_of_birth=date(1985, 1, 9))
    taken = book_appointment(diary.service, diary.practitioners[0], diary.location, at(DAY, 10), other)
    assert taken.status == Status.CONFIRMED


@pytest.mark.django_db
def test_staff_bookings_never_wait(client):
    from .test_diary import staff_user

    diary = make_diary()
    client.force_login(staff_user("rita", "booking.view_appointment", groups=["Reception"]))
    start = local(at(DAY, 10))
    response = client.post(
        reverse("booking_diary_book"),
        {
            "location": diary.location.pk,
            "practitioner": diary.practitioners[0].pk,
            "service": diary.service.pk,
            "day": start.date().isoformat(),
            "time": start.strftime("%H:%M"),
            "patient_name": "Walk In",
            "patient_email": "walk.in@example.com",
            "patient_phone": PHONE,
            "patient_date_of_birth": "1980-02-02",
        },
    )
    assert response.status_code == 302
    assert Appointment.objects.get().status == Status.CONFIRMED
