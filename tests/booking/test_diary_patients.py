"""Booking at the desk: a name and a way to reach the patient are enough; online bookings still need more.

Walk-ins and phone bookings often have no e-mail address, and only the age rule (prescription-only
treatments and their consultations) needs a date of birth. A patient without an address is sent
nothing and is never mistaken for another patient without one.
"""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import make_treatment
from vial.booking import diary_views, tasks
from vial.booking.models import Appointment, Room
from vial.booking.services import BookingError, Patient, book_appointment

from .conftest import MONDAY, NOW, at, make_diary
from .test_diary import TUESDAY, messages_of, staff_user, text


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    monkeypatch.setattr(diary_views, "now", lambda: NOW)


@pytest.fixture
def reception(client, db):
    client.force_login(staff_user("rita", "booking.view_appointment", groups=["Reception"]))
    return client


WALK_IN = {"patient_name": "Wally Walkin", "patient_email": "", "patient_phone": "07911 123456"}


def desk_booking(diary_, service=None, **changes):
    data = {
        "location": diary_.location.pk,
        "practitioner": diary_.practitioners[0].pk,
        "service": (service or diary_.service).pk,
        "day": "2026-03-03",
        "time": "10:00",
        "patient_date_of_birth": "",
        **WALK_IN,
    }
    data.update(changes)
    return data


def test_a_walk_in_needs_only_a_name_and_a_phone_and_gets_no_email(reception, diary):
    mail.outbox.clear()
    response = reception.post(reverse("booking_diary_book"), desk_booking(diary))
    assert response.status_code == 302, messages_of(response)
    appointment = Appointment.objects.get()
    assert (appointment.patient_email, appointment.patient_date_of_birth) == ("", None)
    assert appointment.patient_phone == "07911 123456"
    assert mail.outbox == []  # the confirmation task ran (tasks run at once in tests) and sent nothing
    assert tasks.send_once(appointment.pk, "confirmation") is False
    assert appointment.pk not in tasks.due_confirmations(NOW + timedelta(hours=1))
    page = text(reception.get(reverse("booking_diary_appointment", args=[appointment.pk])))
    assert "Wally Walkin" in page and "no e-mails are sent" in page


def test_an_email_alone_is_enough_too(reception, diary):
    data = desk_booking(diary, patient_phone="", patient_email="eve@example.com")
    assert reception.post(reverse("booking_diary_book"), data).status_code == 302
    assert Appointment.objects.get().patient_email == "eve@example.com"


def test_no_way_to_reach_the_patient_is_refused(reception, diary):
    response = reception.post(reverse("booking_diary_book"), desk_booking(diary, patient_phone=""))
    assert response.status_code == 400
    assert "a way to reach the patient: a phone number or an e-mail" in messages_of(response)
    assert not Appointment.objects.exists()


def test_two_patients_without_an_address_are_not_taken_for_one(reception, diary):
    Room.objects.create(location=diary.location, name="Room 2")  # two practitioners at once need two rooms
    first = desk_booking(diary, patient_date_of_birth="1970-01-01")
    second = desk_booking(diary, practitioner=diary.practitioners[1].pk, patient_name="Wendy Walkin",
                          patient_date_of_birth="1970-01-01", patient_phone="07123 456789")  # fmt: skip
    assert reception.post(reverse("booking_diary_book"), first).status_code == 302
    response = reception.post(reverse("booking_diary_book"), second)
    assert response.status_code == 302, messages_of(response)
    assert Appointment.objects.count() == 2


@pytest.fixture
def prescription_only(clinic, diary):
    treatment = make_treatment(
        clinic["treatments"], n=8, title="Frown lines", prescription_only=True, licence="licensed"
    )
    service = make_diary(treatment=treatment, name="Frown lines: consultation", location_name="Other").service
    for practitioner in diary.practitioners:
        practitioner.services.add(service)
    return service


def test_prescription_only_services_still_need_the_date_of_birth(reception, diary, prescription_only):
    response = reception.post(reverse("booking_diary_book"), desk_booking(diary, service=prescription_only))
    assert response.status_code == 400
    assert "Please give the patient's date of birth: 'Frown lines: consultation' involves a prescription-only" in (
        messages_of(response)
    )
    under_18 = desk_booking(diary, service=prescription_only, patient_date_of_birth="2010-06-01")
    assert "under 18" in messages_of(reception.post(reverse("booking_diary_book"), under_18))
    adult = desk_booking(diary, service=prescription_only, patient_date_of_birth="1980-06-01")
    assert reception.post(reverse("booking_diary_book"), adult).status_code == 302


def test_the_date_of_birth_is_the_browsers_own_date_field(reception, diary):
    """No pop-up calendar to cover the Book button: a plain typed date."""
    page = text(reception.get(reverse("booking_diary_book")))
    assert 'type="date" name="patient_date_of_birth"' in page


def test_online_bookings_still_need_an_email_and_a_date_of_birth(diary):
    start = at(MONDAY + timedelta(days=2), 10)
    no_email = Patient(name="Olive Online", email="", date_of_birth=date(1980, 1, 1), phone="07911 123456")
    with pytest.raises(BookingError, match="valid e-mail address"):
        book_appointment(diary.service, diary.practitioners[0], diary.location, start, no_email, now=NOW)
    no_birthday = Patient(name="Olive Online", email="olive@example.com", date_of_birth=None)
    with pytest.raises(BookingError, match="date of birth"):
        book_appointment(diary.service, diary.practitioners[0], diary.location, start, no_birthday, now=NOW)
    assert TUESDAY  # the diary's fixed day
