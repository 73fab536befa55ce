"""A small diary for booking tests: one clinic, rooms, practitioners, services and rotas.

Every test passes an explicit `now` (NOW: Monday 2 March 2026, 08:00 UTC), so nothing depends on
today's date.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.contrib.auth import get_user_model

from tests.patients.records import patient_record
from vial.booking.models import Appointment, Location, Practitioner, Room, Service, WeeklyRota
from vial.booking.services import Patient

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # Monday, GMT
MONDAY = date(2026, 3, 2)
ADULT = Patient(name="Alex Example", email="alex@example.com", date_of_birth=date(1990, 5, 17), phone="07700 900123")


#: A real-looking UK mobile for forms and the API (they refuse Ofcom's drama range, 07700 900xxx).
PHONE = "07123 456789"


def working_day(days_ahead: int) -> date:
    """A UK date this many days from today, moved off Sundays (no rota) and bank holidays (closed): for
    tests that go through the views, which take the real clock."""
    from django.utils import timezone

    from vial.booking.models import local

    return open_day(local(timezone.now()).date() + timedelta(days=days_ahead))


def open_day(day: date) -> date:
    """`day`, or the first day after it that is neither a Sunday nor a bank holiday in England."""
    from vial.booking.closed_days import bank_holidays

    closed = bank_holidays([day.year, day.year + 1])
    while day.weekday() == 6 or day in closed:
        day += timedelta(days=1)
    return day


def api_booking(service, location, start: datetime, practitioner=None, **patient) -> dict:
    """A body for POST /api/v1/bookings: ADULT's details unless `patient` says otherwise."""
    from vial.booking.models import local

    body = {
        "service": service.pk,
        "location": location.pk,
        "start": local(start).isoformat(),
        "patient": {
            "name": ADULT.name,
            "email": ADULT.email,
            "phone": PHONE,
            "date_of_birth": ADULT.date_of_birth.isoformat(),
            **patient,
        },
    }
    if practitioner is not None:
        body["practitioner"] = practitioner.pk
    return body


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A London wall-clock time as an aware UTC datetime (GMT until 29 March 2026)."""
    from vial.booking.availability import wall_clock_to_utc

    return wall_clock_to_utc(day, time(hour, minute))


@dataclass
class Diary:
    location: Location
    rooms: list[Room]
    practitioners: list[Practitioner]
    service: Service
    others: dict = field(default_factory=dict)


def make_practitioner(n: int, location: Location, services, prescriber: bool = True, days=range(6)) -> Practitioner:
    user = get_user_model().objects.create_user(username=f"practitioner{n}", password=None)
    practitioner = Practitioner.objects.create(
        user=user,
        display_name=f"Dr Test Practitioner {n}",
        is_prescriber=prescriber,
        is_injector=True,
        regulator="GMC" if prescriber else "",
        registration_number=f"{7100000 + n}" if prescriber else "",
    )
    practitioner.locations.add(location)
    practitioner.services.add(*services)
    for weekday in days:
        WeeklyRota.objects.create(
            practitioner=practitioner,
            location=location,
            weekday=weekday,
            start_time=time(9),
            end_time=time(17),
            valid_from=date(2026, 1, 1),
        )
    return practitioner


def make_diary(
    practitioners: int = 2, rooms: int = 1, treatment=None, location_name: str = "Test clinic", **service_fields
) -> Diary:
    location = Location.objects.create(name=location_name)
    room_list = [Room.objects.create(location=location, name=f"Room {n + 1}") for n in range(rooms)]
    fields = {
        "name": "General consultation",
        "kind": Service.Kind.CONSULTATION,
        "treatment": treatment,
        "duration_minutes": 30,
        "buffer_before_minutes": 5,
        "buffer_after_minutes": 10,
        "price": 50,
        "cancellation_window_hours": 24,
        "minimum_notice_hours": 2,
        "booking_horizon_days": 60,
    }
    fields.update(service_fields)
    service = Service.objects.create(**fields)
    first = Practitioner.objects.count()
    people = [make_practitioner(first + n, location, [service]) for n in range(practitioners)]
    return Diary(location=location, rooms=room_list, practitioners=people, service=service)


@pytest.fixture
def diary(db):
    return make_diary()


def seen_before(diary: Diary, patient: Patient, when: datetime = datetime(2025, 11, 4, 10, tzinfo=UTC)) -> None:
    """History: `patient` had the prescriber's consultation for the diary's treatment (completed, in the past).

    Written straight to the table: the booking services rightly refuse times in the past.
    """
    from datetime import timedelta

    consultation, _ = Service.objects.get_or_create(
        name=f"Consultation: {diary.service.treatment.title}",
        defaults={
            "kind": Service.Kind.CONSULTATION,
            "treatment": diary.service.treatment,
            "duration_minutes": 30,
            "needs_prescriber": True,
        },
    )
    Appointment.objects.create(
        service=consultation,
        practitioner=diary.practitioners[0],
        location=diary.location,
        patient=patient_record(patient.name, patient.email, patient.date_of_birth),
        patient_name=patient.name,
        patient_email=patient.email,
        patient_date_of_birth=patient.date_of_birth,
        start=when,
        end=when + timedelta(minutes=30),
        blocked_start=when,
        blocked_end=when + timedelta(minutes=30),
        status="completed",
    )
