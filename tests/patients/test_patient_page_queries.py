"""The patient page costs the same number of queries however long the patient's history is."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.booking.conftest import make_diary
from tests.patients.records import patient_record
from vial.booking.models import Appointment, AppointmentStatusChange, Location, Service
from vial.enquiries.models import Enquiry
from vial.patients.models import DetailsChange

pytestmark = pytest.mark.django_db

FIRST_VISIT = datetime(2025, 1, 6, 10, tzinfo=UTC)
STEPS = [("", "held"), ("held", "confirmed"), ("confirmed", "completed")]


def history(patient, appointments: int, enquiries: int, changes: int, diaries, staff) -> None:
    """Past appointments (each with its status moves, by different staff), enquiries and corrections."""
    for n in range(appointments):
        diary = diaries[n % len(diaries)]
        start = FIRST_VISIT + timedelta(days=7 * n, hours=patient.pk % 6)  # one patient at a time (PostgreSQL)
        appointment = Appointment.objects.create(
            service=diary.service,
            practitioner=diary.practitioners[n % len(diary.practitioners)],
            location=diary.location,
            patient=patient,
            patient_name=patient.preferred_name,
            patient_email=patient.email,
            patient_date_of_birth=patient.date_of_birth,
            start=start,
            end=start + timedelta(minutes=30),
            blocked_start=start,
            blocked_end=start + timedelta(minutes=30),
            status="completed",
            confirmation_sent_at=start - timedelta(days=3),
            reminder_sent_at=start - timedelta(days=1),
        )
        for step, (before, after) in enumerate(STEPS):
            AppointmentStatusChange.objects.create(
                appointment=appointment,
                from_status=before,
                to_status=after,
                at=start - timedelta(days=3 - step),
                by=staff[(n + step) % len(staff)],
                note=f"step {step}",
            )
    for n in range(enquiries):
        Enquiry.objects.create(
            name=patient.preferred_name,
            email=patient.email,
            message=f"Question {n}",
            consent_to_contact=True,
            patient=patient,
        )
    for n in range(changes):
        DetailsChange.objects.create(
            patient=patient,
            by=staff[n % len(staff)],
            changes={"phone": [f"0790000000{n}", f"0790000001{n}"]},
            reason=f"phoned in ({n})",
        )


def test_the_patient_page_makes_the_same_queries_with_1_or_30_appointments(client, django_assert_num_queries):
    diaries = [make_diary(practitioners=2), make_diary(practitioners=1, location_name="Second clinic", name="Review")]
    assert Location.objects.count() == 2 and Service.objects.count() == 2
    staff = [get_user_model().objects.create_user(username=f"reception{n}", password=None) for n in range(3)]
    short = patient_record("Ada Short", "ada@example.com", date(1980, 1, 2))
    long = patient_record("Bea Long", "bea@example.com", date(1981, 3, 4))
    history(short, appointments=1, enquiries=0, changes=0, diaries=diaries, staff=staff)
    history(long, appointments=30, enquiries=5, changes=5, diaries=diaries, staff=staff)
    warm = patient_record("Cy Warm", "cy@example.com", date(1982, 5, 6))
    client.force_login(get_user_model().objects.create_superuser("manager", "manager@example.com", None))
    assert client.get(f"/admin/patients/{warm.pk}/").status_code == 200  # the session and the site, once

    with CaptureQueriesContext(connection) as one:
        response = client.get(f"/admin/patients/{short.pk}/")
    assert response.status_code == 200
    assert response.content.decode().count("step 2") == 1
    with django_assert_num_queries(len(one)):
        response = client.get(f"/admin/patients/{long.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    # Everything is on the page: 30 visits with 3 moves each, their e-mails, 5 enquiries, 5 corrections.
    assert page.count("step 2") == 30
    assert page.count("Reminder e-mail sent") == 30
    assert page.count("Enquiry:") == 5
    assert page.count("Details corrected by reception") == 5
    assert "Second clinic" in page and "Review" in page
