"""Free times kept for patients browsing: served again without reading the diary, dropped as soon as it changes."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.patients.records import patient_record
from vial.booking import slot_cache
from vial.booking.models import Appointment, TimeOff
from vial.booking.services import SlotUnavailable, book_appointment, cancel_appointment
from vial.booking.slot_cache import free_times
from vial.booking.state_machine import Status

from .conftest import ADULT, at, open_day
from .test_api import DAY, booking_json, post


def availability(client, diary) -> dict:
    response = client.get(
        "/api/v1/availability",
        {"service": diary.service.pk, "location": diary.location.pk, "start": DAY, "end": DAY},
    )
    assert response.status_code == 200, response.content
    assert response["Cache-Control"].startswith("max-age=0")  # never kept by a shared cache
    return json.loads(response.content)


def free_at(answer: dict, practitioner) -> set[str]:
    return {slot["start"] for slot in answer["slots"] if slot["practitioner"]["id"] == practitioner.pk}


def test_a_repeated_search_reads_nothing_from_the_database(diary, client, django_assert_num_queries):
    first = availability(client, diary)
    # One read: whether the service is still open for online booking (a withdrawn one stops at once).
    with django_assert_num_queries(1):
        again = availability(client, diary)
    assert again == first and first["slots"]


def test_a_booking_takes_its_time_out_of_the_next_answer_and_a_cancellation_puts_it_back(diary, client):
    first = diary.practitioners[0]
    before = availability(client, diary)
    start = at(DAY, 10)
    assert start.astimezone(timezone.get_current_timezone()).isoformat() in free_at(before, first)
    response = post(client, "/api/v1/bookings", booking_json(diary, start, practitioner=0))
    assert response.status_code == 201, response.content
    after = availability(client, diary)
    assert free_at(after, first) < free_at(before, first)
    assert json.loads(response.content)["start"] not in free_at(after, first)

    cancel_appointment(Appointment.objects.get(), notify=False)  # a status change: an update plus a history row
    assert free_at(availability(client, diary), first) == free_at(before, first)


def test_staff_changes_to_the_set_up_are_seen_at_once(diary, client):
    first = diary.practitioners[0]
    assert free_at(availability(client, diary), first)
    TimeOff.objects.create(practitioner=first, start=at(DAY, 0), end=at(DAY, 23), reason="Course")
    assert free_at(availability(client, diary), first) == set()


def test_a_kept_answer_loses_the_times_that_came_inside_the_notice(diary, monkeypatch, django_assert_num_queries):
    window = (at(DAY, 0), at(DAY + timedelta(days=1), 0))
    found = free_times(diary.service, *window, location=diary.location)
    assert found[0].start == at(DAY, 9, 15)  # the rota starts at 9, the 5-minute buffer first
    # Two hours' notice: at 07:20 on the day, 09:15 is too close and 09:30 the first time left.
    later = at(DAY, 7, 20)
    monkeypatch.setattr(slot_cache.timezone, "now", lambda: later)
    with django_assert_num_queries(0):
        kept = free_times(diary.service, *window, location=diary.location)
    assert kept[0].start == at(DAY, 9, 30)
    assert kept == [slot for slot in found if slot.start >= at(DAY, 9, 20)]


def test_the_cache_can_be_turned_off(diary, settings, django_assert_num_queries):
    settings.BOOKING_SLOTS_CACHE_SECONDS = 0
    window = (at(DAY, 0), at(DAY + timedelta(days=1), 0))
    free_times(diary.service, *window, location=diary.location)
    with django_assert_num_queries(1):  # the appointments, every time
        free_times(diary.service, *window, location=diary.location)


def test_a_booking_never_trusts_the_cache(diary):
    """A time taken behind the signals' back (a bulk insert) still shows here; booking it is refused."""
    first = diary.practitioners[0]
    start = at(DAY, 11)
    window = (at(DAY, 0), at(DAY + timedelta(days=1), 0))
    assert any(s.start == start and s.practitioner_id == first.pk for s in free_times(diary.service, *window))
    Appointment.objects.bulk_create(
        [
            Appointment(
                service=diary.service,
                practitioner=first,
                location=diary.location,
                patient=patient_record("Someone Else", "someone@example.com"),
                patient_name="Someone Else",
                start=start,
                end=start + timedelta(minutes=30),
                blocked_start=start - timedelta(minutes=5),
                blocked_end=start + timedelta(minutes=40),
                status=Status.CONFIRMED,
            )
        ]
    )
    assert any(s.start == start and s.practitioner_id == first.pk for s in free_times(diary.service, *window))
    with pytest.raises(SlotUnavailable):
        book_appointment(diary.service, first, diary.location, start, ADULT)


def test_a_booking_drops_only_the_answers_about_its_own_week(diary, django_assert_num_queries):
    this_week = (at(DAY, 0), at(DAY + timedelta(days=1), 0))
    free_times(diary.service, *this_week, location=diary.location)
    three_weeks_on = open_day(DAY + timedelta(weeks=3))
    book_appointment(diary.service, diary.practitioners[0], diary.location, at(three_weeks_on, 10), ADULT)
    with django_assert_num_queries(0):  # still kept: nothing changed that week
        free_times(diary.service, *this_week, location=diary.location)
    book_appointment(diary.service, diary.practitioners[0], diary.location, at(DAY, 10), ADULT)
    with django_assert_num_queries(1):
        found = free_times(diary.service, *this_week, location=diary.location)
    assert not any(s.start == at(DAY, 10) and s.practitioner_id == diary.practitioners[0].pk for s in found)
