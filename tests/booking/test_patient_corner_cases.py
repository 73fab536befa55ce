"""Patients' corner cases, driven through the pages they use: a landline, an under-18, a second clinic's phone."""

import html
import re
from datetime import date

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.factories import add_child, make_treatment
from vial.booking import links
from vial.booking.availability import LONDON
from vial.booking.models import Appointment, Location
from vial.booking.state_machine import Status
from vial.website.models import ClinicSettings, LocationPage

from .conftest import make_diary

SLOT_VALUE = re.compile(r'name="slot" value="([^"]+)"')


def text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def hold(client, service, location, **details):
    """Choose the first free time and send the details, as the booking pages do."""
    times = client.get(f"{reverse('booking:times', args=[service.pk])}?location={location.pk}")
    slot = SLOT_VALUE.search(times.content.decode())[1]
    data = {"name": "Alex Example", "email": "alex@example.com", "phone": "07123 456789", "date_of_birth": "1990-05-17"}
    return client.post(
        reverse("booking:details", args=[service.pk]), {"location": location.pk, "slot": slot, **data, **details}
    )


def test_a_landline_only_patient_books_online(client, db):
    diary = make_diary()
    held = hold(client, diary.service, diary.location, phone="01392 123456")
    assert held.status_code == 302, text(held)
    appointment = Appointment.objects.get()
    assert appointment.patient_phone == "+441392123456"
    assert "Phone 01392 123456" in text(client.get(held["Location"]))


def test_a_drama_number_is_refused_with_the_reason(client, db):
    diary = make_diary()
    page = text(hold(client, diary.service, diary.location, phone="07700 900123"))
    assert "07700 900123 is one of the numbers Ofcom keeps for TV, radio and fiction" in page
    assert not Appointment.objects.exists()


def under_18_born() -> str:
    today = timezone.localdate(timezone=LONDON)
    return date(today.year - 16, 1, 1).isoformat()


@pytest.mark.parametrize(
    ("category", "says", "never_says"),
    [
        ("medical", "needs a doctor's assessment first", "Cosmetic Fillers (Children) Act"),
        ("aesthetic", "Botulinum Toxin and Cosmetic Fillers (Children) Act 2021", "doctor's assessment"),
    ],
)
def test_the_under_18_refusal_fits_medical_or_cosmetic_use(client, clinic, category, says, never_says):
    treatment = make_treatment(
        clinic["treatments"], n=3, slug=f"t-{category}", prescription_only=True, licence="licensed", category=category
    )
    diary = make_diary(treatment=treatment, name="Consultation", needs_prescriber=True)
    page = text(hold(client, diary.service, diary.location, date_of_birth=under_18_born()))
    assert "we cannot book 'Consultation'" in page and "under 18" in page
    assert says in page and never_says not in page
    assert not Appointment.objects.exists()


def test_the_appointment_page_gives_its_own_clinics_phone(client, clinic, django_capture_on_commit_callbacks):
    settings = ClinicSettings.for_site(clinic["home"].get_site())
    settings.phone = "01392 111111"  # the clinic's main number (the header and footer)
    settings.save()
    truro_page = add_child(
        clinic["clinics"],
        LocationPage(
            title="Truro clinic",
            slug="truro",
            street_address="2 Quay",
            town="Truro",
            postcode="TR1 1AA",
            phone="01872 222222",
        ),
    )
    diary = make_diary(location_name="Truro clinic")
    Location.objects.filter(pk=diary.location.pk).update(page=truro_page)
    diary.location.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        held = hold(client, diary.service, diary.location)
        appointment = Appointment.objects.get()
        client.post(held["Location"])  # confirm
    appointment.refresh_from_db()
    if appointment.status == Status.HELD:  # a first booking from this address waits for its e-mailed link
        with django_capture_on_commit_callbacks(execute=True):
            from vial.booking.services import confirm_appointment

            confirm_appointment(appointment, now=timezone.now())
    page = text(client.get(links.appointment_path(appointment, "detail")))
    assert "Please phone the clinic on 01872 222222" in page
    assert any("01872 222222" in message.body for message in mail.outbox)  # the e-mail says the same
