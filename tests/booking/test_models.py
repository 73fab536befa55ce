"""Model rules: prescribers' registration, services, rotas, and the database's own overlap guarantee."""

from dataclasses import replace
from datetime import date, time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from tests.factories import make_treatment
from tests.patients.records import patient_record
from vial.booking.models import Appointment, Practitioner, Room, Service, WeeklyRota, format_local
from vial.booking.state_machine import Status

from .conftest import MONDAY, at

TUESDAY = MONDAY + timedelta(days=1)
postgres_only = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="exclusion constraints are PostgreSQL's")


def test_a_prescriber_needs_a_regulator_and_registration_number(db):
    user = get_user_model().objects.create_user(username="nurse")
    practitioner = Practitioner(user=user, display_name="Nurse Test", is_prescriber=True)
    with pytest.raises(ValidationError) as error:
        practitioner.full_clean()
    assert set(error.value.message_dict) >= {"regulator", "registration_number"}
    with pytest.raises(IntegrityError), transaction.atomic():
        practitioner.save()
    practitioner.regulator, practitioner.registration_number = "NMC", "09A1234E"
    practitioner.full_clean()
    practitioner.save()
    assert practitioner.roles == ["prescriber"]


def test_a_consultation_for_a_prescription_only_treatment_needs_a_prescriber(clinic):
    treatment = make_treatment(clinic["treatments"], n=5, prescription_only=True, licence="licensed")
    service = Service(name="Consultation", kind=Service.Kind.CONSULTATION, treatment=treatment, duration_minutes=30)
    with pytest.raises(ValidationError, match="prescriber"):
        service.full_clean()
    service.needs_prescriber = True
    service.full_clean()


def test_only_consultations_can_be_general(db):
    service = Service(name="Treatment", kind=Service.Kind.TREATMENT, duration_minutes=30)
    with pytest.raises(ValidationError, match="treatment"):
        service.full_clean()


def test_rota_lines_must_not_overlap_and_must_be_at_the_practitioners_clinics(diary):
    practitioner = diary.practitioners[0]
    clash = WeeklyRota(
        practitioner=practitioner,
        location=diary.location,
        weekday=0,
        start_time=time(16),
        end_time=time(18),
        valid_from=date(2026, 6, 1),
    )
    with pytest.raises(ValidationError, match="overlaps"):
        clash.full_clean()
    clash.start_time = time(17)
    clash.full_clean()  # back to back is fine
    from vial.booking.models import Location

    elsewhere = Location.objects.create(name="Elsewhere")
    clash.location = elsewhere
    with pytest.raises(ValidationError, match="does not work at"):
        clash.full_clean()
    backwards = WeeklyRota(
        practitioner=practitioner, location=diary.location, weekday=6, start_time=time(12), end_time=time(9)
    )
    backwards.valid_from = date(2026, 1, 1)
    with pytest.raises(ValidationError, match="after the start"):
        backwards.full_clean()


def test_times_are_shown_in_london_with_the_zone_named():
    assert format_local(at(date(2026, 3, 29), 9)) == "Sun 29 Mar 2026, 09:00 BST"
    assert format_local(at(date(2026, 10, 25), 9)) == "Sun 25 Oct 2026, 09:00 GMT"


def raw_appointment(diary, start, practitioner=0, room=None, status=Status.CONFIRMED, minutes=30):
    return Appointment.objects.create(
        service=diary.service,
        practitioner=diary.practitioners[practitioner],
        location=diary.location,
        room=room,
        room_place=0 if room else None,
        patient=patient_record("Raw Insert", "raw@example.com"),
        patient_name="Raw Insert",
        patient_email="raw@example.com",
        start=start,
        end=start + timedelta(minutes=minutes),
        blocked_start=start,
        blocked_end=start + timedelta(minutes=minutes),
        status=status,
    )


@postgres_only
def test_postgres_refuses_overlapping_active_appointments_for_a_practitioner(diary):
    raw_appointment(diary, at(TUESDAY, 10))
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        raw_appointment(diary, at(TUESDAY, 10, 15))
    assert error.value.__cause__.sqlstate == "23P01"
    raw_appointment(diary, at(TUESDAY, 10, 30))  # back to back
    raw_appointment(diary, at(TUESDAY, 10), practitioner=1)  # someone else
    raw_appointment(diary, at(TUESDAY, 10), status=Status.CANCELLED)  # not active


@postgres_only
def test_postgres_refuses_overlapping_active_appointments_in_a_room(diary):
    room = diary.rooms[0]
    raw_appointment(diary, at(TUESDAY, 10), room=room)
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_appointment(diary, at(TUESDAY, 10, 15), practitioner=1, room=room)
    raw_appointment(diary, at(TUESDAY, 10, 30), practitioner=1, room=room)


@postgres_only
def test_the_database_refuses_what_the_check_missed(diary, monkeypatch):
    """Two bookings that both passed the engine's check (as in a race): PostgreSQL refuses the second."""
    from vial.booking import services
    from vial.booking.availability import Slot

    from .conftest import ADULT, NOW

    start = at(TUESDAY, 10)
    first = services.book_appointment(diary.service, diary.practitioners[0], diary.location, start, ADULT, now=NOW)
    stale = [Slot(start, start + timedelta(minutes=30), diary.practitioners[0].pk, diary.location.pk, None, None)]
    monkeypatch.setattr(services, "find_slots", lambda *args, **kwargs: stale if "practitioner" in kwargs else [])
    someone_else = replace(ADULT, email="sam@example.com")
    with pytest.raises(services.SlotUnavailable) as refused:
        services.book_appointment(diary.service, diary.practitioners[0], diary.location, start, someone_else, now=NOW)
    assert refused.value.caught_by_database
    assert list(Appointment.objects.values_list("pk", flat=True)) == [first.pk]


@postgres_only
def test_the_database_refuses_one_patient_in_two_places_when_the_check_missed(diary, monkeypatch):
    """The same patient with two practitioners at once, both checks passed (as in a race): refused."""
    from vial.booking import services

    from .conftest import ADULT, NOW

    start = at(TUESDAY, 10)
    first = services.book_appointment(diary.service, diary.practitioners[0], diary.location, start, ADULT, now=NOW)
    monkeypatch.setattr(services, "check_patient_free", lambda *args: None)
    Room.objects.create(location=diary.location, name="Second room")
    with pytest.raises(services.AlreadyBooked):
        services.book_appointment(
            diary.service,
            diary.practitioners[1],
            diary.location,
            start,
            replace(ADULT, email="ALEX@example.com"),
            now=NOW,
        )
    assert list(Appointment.objects.values_list("pk", flat=True)) == [first.pk]


@postgres_only
def test_the_constraints_exist_in_postgres(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT conname FROM pg_constraint WHERE contype = 'x' ORDER BY conname")
        names = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'btree_gist'")
        assert cursor.fetchone()
    assert {"booking_no_practitioner_overlap", "booking_no_room_overlap", "booking_no_patient_overlap"} <= set(names)


def test_an_appointment_must_end_after_it_starts(diary):
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_appointment(diary, at(TUESDAY, 10), minutes=0)


def test_model_validation_runs_on_sqlite_and_postgres(diary):
    """The PostgreSQL-only constraint class validates on PostgreSQL and stays quiet elsewhere."""
    raw_appointment(diary, at(TUESDAY, 10))
    overlapping = Appointment(
        service=diary.service,
        practitioner=diary.practitioners[0],
        location=diary.location,
        patient_name="Check",
        patient_email="check@example.com",
        start=at(TUESDAY, 10, 15),
        end=at(TUESDAY, 10, 45),
        blocked_start=at(TUESDAY, 10, 15),
        blocked_end=at(TUESDAY, 10, 45),
        status=Status.CONFIRMED,
    )
    if connection.vendor == "postgresql":
        with pytest.raises(ValidationError, match="already has an appointment"):
            overlapping.validate_constraints()
    else:
        overlapping.validate_constraints()
