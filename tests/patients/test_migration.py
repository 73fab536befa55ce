"""Today's appointments become patients: one per e-mail address (any capitals) and date of birth."""

from datetime import UTC, date, datetime, timedelta

import pytest

from tests.migrations import migrate, migrate_to_latest

BEFORE = [("booking", "0006_staff_bookings_without_email"), ("patients", "0001_initial")]
AFTER = [("booking", "0007_appointment_patient")]


@pytest.mark.django_db(transaction=True)
def test_one_patient_booked_three_times_with_different_capitals_becomes_one_record_with_three_appointments():
    apps = migrate(BEFORE)
    try:
        Location = apps.get_model("booking", "Location")
        Service = apps.get_model("booking", "Service")
        Practitioner = apps.get_model("booking", "Practitioner")
        Appointment = apps.get_model("booking", "Appointment")
        User = apps.get_model("auth", "User")
        clinic = Location.objects.create(name="Exeter clinic")
        service = Service.objects.create(name="Consultation", kind="consultation", duration_minutes=30)
        person = Practitioner.objects.create(user=User.objects.create(username="hm"), display_name="Dr H Marsh")
        start = datetime(2026, 3, 2, 10, tzinfo=UTC)

        def book(n, name, email, dob, phone=""):
            when = start + timedelta(days=n)
            return Appointment.objects.create(
                service=service, practitioner=person, location=clinic, patient_name=name, patient_email=email,
                patient_date_of_birth=dob, patient_phone=phone, start=when, end=when + timedelta(minutes=30),
                blocked_start=when, blocked_end=when + timedelta(minutes=30), status="completed",
            )  # fmt: skip

        born = date(1984, 6, 9)
        book(0, "Tamsin Luscombe", "tamsin@example.com", born)
        book(1, "Tamsin Luscombe", "Tamsin@Example.com", born)
        book(2, "Tam Luscombe", "TAMSIN@EXAMPLE.COM", born, "01392 123456")
        book(3, "Tamsin's sister", "tamsin@example.com", date(1988, 1, 2))  # same address, another person
        book(4, "Walk-in Patient", "", None, "07123 456789")

        apps = migrate(AFTER)
        Appointment = apps.get_model("booking", "Appointment")
        Patient = apps.get_model("patients", "Patient")
        assert Patient.objects.count() == 3
        tamsin = Patient.objects.get(date_of_birth=born)
        assert tamsin.appointments.count() == 3
        assert (tamsin.preferred_name, tamsin.phone) == ("Tam Luscombe", "01392 123456")  # the newest booking's
        assert not Appointment.objects.filter(patient__isnull=True).exists()
        walk_in = Appointment.objects.get(patient_email="").patient
        assert walk_in.preferred_name == "Walk-in Patient"
    finally:
        migrate_to_latest()
