"""Reception books a returning patient from the diary without retyping them, as they would over HTTP."""

import html
from datetime import date
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from tests.booking.conftest import MONDAY, NOW, at, make_diary
from tests.factories import staff_user
from tests.patients.records import patient_record
from vial.audit.models import AuditEvent
from vial.booking import diary_views
from vial.booking.models import Appointment
from vial.staff import roles

pytestmark = pytest.mark.django_db
TUESDAY = MONDAY.replace(day=MONDAY.day + 1)


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    monkeypatch.setattr(diary_views, "now", lambda: NOW)


@pytest.fixture
def clinic():
    return make_diary()


@pytest.fixture
def tamsin():
    return patient_record("Tamsin Luscombe", "tamsin@example.com", date(1984, 6, 9), "01392 123456")


def test_reception_finds_a_returning_patient_from_the_booking_form_and_books_them(client, clinic, tamsin):
    client.force_login(staff_user(roles.RECEPTION, totp=False))
    slot = {"location": clinic.location.pk, "practitioner": clinic.practitioners[0].pk, "day": "2026-03-03"}
    form = client.get(f"{reverse('booking_diary_book')}?{urlencode(slot)}").content.decode()
    link = html.unescape(form[: form.index("Returning patient?")].rsplit('href="', 1)[1].split('"', 1)[0])
    assert link.startswith(reverse("patients_search"))

    results = client.get(link + "&q=Luskombe").content.decode()  # misspelt, as heard on the phone
    book = html.unescape(results.split("Book for Tamsin Luscombe")[0].rsplit('href="', 1)[1].split('"', 1)[0])
    page = client.get(book)
    text = page.content.decode()
    assert page.status_code == 200
    assert "Booking for Tamsin Luscombe" in text
    assert 'name="patient_name"' not in text  # nothing to retype
    assert f'name="patient" value="{tamsin.pk}"' in text

    response = client.post(
        reverse("booking_diary_book"),
        {**slot, "service": clinic.service.pk, "time": "10:00", "patient": tamsin.pk},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    appointment = Appointment.objects.get()
    assert appointment.patient == tamsin
    assert (appointment.patient_name, appointment.patient_email) == ("Tamsin Luscombe", "tamsin@example.com")
    assert appointment.start == at(TUESDAY, 10)
    actions = list(AuditEvent.objects.filter(patient=tamsin).values_list("action", "what"))
    assert ("view", "diary booking form") in actions
    assert ("create", "appointment booked") in actions


def test_the_appointment_shows_its_patient_with_a_link_to_their_page(client, clinic, tamsin):
    client.force_login(staff_user(roles.RECEPTION, totp=False))
    client.post(
        reverse("booking_diary_book"),
        {
            "location": clinic.location.pk,
            "practitioner": clinic.practitioners[0].pk,
            "service": clinic.service.pk,
            "day": "2026-03-03",
            "time": "10:00",
            "patient": tamsin.pk,
        },
    )
    appointment = Appointment.objects.get()
    page = client.get(reverse("booking_diary_appointment", args=[appointment.pk])).content.decode()
    assert f'href="{reverse("patients_page", args=[tamsin.pk])}"' in page
    assert AuditEvent.objects.filter(patient=tamsin, what="diary appointment").count() == 1


def test_a_new_patient_typed_into_the_diary_gets_a_record_and_a_returning_one_is_found(client, clinic, tamsin):
    client.force_login(staff_user(roles.RECEPTION, totp=False))
    base = {
        "location": clinic.location.pk,
        "practitioner": clinic.practitioners[0].pk,
        "service": clinic.service.pk,
        "day": "2026-03-03",
    }
    client.post(
        reverse("booking_diary_book"),
        {**base, "time": "10:00", "patient_name": "Walk In", "patient_phone": "07911 123456"},
    )
    client.post(
        reverse("booking_diary_book"),
        {**base, "time": "11:00", "patient_name": "Tamsin L", "patient_email": "TAMSIN@example.com",
         "patient_date_of_birth": "1984-06-09"},
    )  # fmt: skip
    walk_in, returning = Appointment.objects.order_by("start")
    assert walk_in.patient.preferred_name == "Walk In" and walk_in.patient != tamsin
    assert returning.patient == tamsin  # same e-mail (any capitals) and date of birth


def test_someone_who_may_not_see_patients_cannot_book_one_by_number(client, clinic, tamsin):
    user = staff_user(roles.EDITOR, totp=False)
    client.force_login(user)
    response = client.get(f"{reverse('booking_diary_book')}?patient={tamsin.pk}")
    assert response.status_code in (302, 403, 404)
    assert "Luscombe" not in response.content.decode()
