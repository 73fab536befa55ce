"""The availability engine against a slow, obvious reference, rooms and places included.

`free_slots` reuses one room search for a run of slots, builds rooms' bookings lazily and takes
sorted appointments as they are; the reference tries every grid time and every room in turn, so
these tests pin the whole answer (room and place choice included) to the rules in the module
docstring.
"""

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.booking.test_availability_properties import cases, working_intervals
from vial.booking.availability import (
    EPOCH,
    Interval,
    PractitionerSchedule,
    RoomSchedule,
    RotaRow,
    ServiceSpec,
    Slot,
    free_slots,
)

MONDAY = date(2026, 6, 29)
MIN = timedelta(minutes=1)


def at(hour, minute=0, day=MONDAY):
    return datetime.combine(day, time(hour, minute), tzinfo=UTC) - timedelta(hours=1)  # BST in summer


def booked(intervals):
    """Drop empty and inverted intervals: they book nothing."""
    return [i for i in intervals if i.start < i.end]


def overlaps(intervals, blocked):
    return any(i.start < blocked.end and blocked.start < i.end for i in booked(intervals))


def reference(spec, schedules, rooms, window_start, window_end, now, step):
    """Each practitioner's slots, location by location in time order, with rooms tried round robin."""
    first = window_start + (-(window_start - EPOCH)) % step
    found = []
    for schedule in schedules:
        if not schedule.may_give(spec):
            continue
        working = working_intervals(schedule, window_start, window_end)
        preferred: dict[int, int] = {}
        for location in sorted({w.location_id for w in working}):
            here = sorted((r for r in rooms if r.location_id == location), key=lambda r: r.room_id)
            candidate = first
            while candidate < window_end:
                blocked = spec.blocked(candidate)
                if (
                    now + spec.minimum_notice <= candidate <= now + spec.booking_horizon
                    and not overlaps([*schedule.busy, *schedule.time_off], blocked)
                    and any(w.location_id == location and Interval(w.start, w.end).contains(blocked) for w in working)
                ):
                    end = candidate + spec.duration
                    if not here:
                        found.append(Slot(candidate, end, schedule.practitioner_id, location))
                    else:
                        start_at = preferred.get(location, 0)
                        for offset in range(len(here)):
                            index = (start_at + offset) % len(here)
                            room = here[index]
                            place = next(
                                (p for p in range(room.capacity) if not overlaps(room.busy.get(p, ()), blocked)), None
                            )
                            if place is not None:
                                preferred[location] = index
                                found.append(
                                    Slot(candidate, end, schedule.practitioner_id, location, room.room_id, place)
                                )
                                break
                candidate += step
    return sorted(found, key=lambda s: (s.start, s.practitioner_id, s.location_id))


@settings(settings.get_profile("booking"))
@given(cases(), st.sampled_from([5, 10, 15, 30]))
def test_the_engine_gives_the_reference_answer(case, step_minutes):
    spec, schedules, rooms, window_start, window_end, now = case
    step = timedelta(minutes=step_minutes)
    slots = free_slots(spec, schedules, window_start, window_end, now, step=step, rooms=rooms)
    assert slots == reference(spec, schedules, rooms, window_start, window_end, now, step)
    assert all(type(s) is Slot and s.start.tzinfo is UTC and s.end.tzinfo is UTC for s in slots)


def schedule(practitioner_id=1, rows=None, busy=(), time_off=(), locations=(10,)):
    rows = rows or [RotaRow(10, MONDAY.weekday(), time(9), time(17), date(2026, 1, 1))]
    return PractitionerSchedule(practitioner_id, rows, {1}, set(locations), False, list(time_off), list(busy))


SPEC = ServiceSpec(1, duration=30 * MIN, buffer_after=5 * MIN)
WINDOW = (at(0), at(0) + timedelta(days=1), at(0) - timedelta(days=1))


def check(schedules, rooms=(), spec=SPEC, step=timedelta(minutes=15)):
    slots = free_slots(spec, schedules, *WINDOW, step=step, rooms=rooms)
    assert slots == reference(spec, schedules, rooms, *WINDOW, step)
    return slots


def test_empty_bookings_in_a_sorted_room_diary_book_nothing():
    room = RoomSchedule(
        100,
        10,
        1,
        {0: [Interval(at(9), at(10)), Interval(at(11), at(11)), Interval(at(12), at(12)), Interval(at(13), at(17))]},
    )
    slots = check([schedule()], [room])
    assert [s.start for s in slots if s.room_id == 100][:2] == [at(10), at(10, 15)]
    assert any(s.start == at(11) and s.room_id == 100 for s in slots)


def test_a_practitioner_keeps_a_room_until_it_is_booked_and_takes_the_first_place_again_when_it_frees():
    rooms = [
        RoomSchedule(100, 10, 2, {0: [Interval(at(10), at(11))], 1: [Interval(at(14), at(15))]}),
        RoomSchedule(200, 10, 1, {0: [Interval(at(9), at(9, 30))]}),
    ]
    slots = check([schedule()], rooms)
    by_start = {s.start: (s.room_id, s.room_place) for s in slots}
    assert by_start[at(9)] == (100, 0)
    assert by_start[at(9, 30)] == (100, 1)  # place 0 is booked from 10:00
    assert by_start[at(11)] == (100, 0)  # place 0 free again
    assert by_start[at(13, 45)] == (100, 0)


def test_all_rooms_taken_for_a_while():
    rooms = [
        RoomSchedule(100, 10, 1, {0: [Interval(at(10), at(12))]}),
        RoomSchedule(200, 10, 1, {0: [Interval(at(9, 30), at(11)), Interval(at(11, 30), at(16))]}),
    ]
    slots = check([schedule()], rooms)
    assert not [s for s in slots if at(9, 30) <= s.start < at(12)]


def test_working_intervals_at_two_locations_overlapping():
    rows = [
        RotaRow(10, MONDAY.weekday(), time(9), time(13), date(2026, 1, 1)),
        RotaRow(20, MONDAY.weekday(), time(11), time(15), date(2026, 1, 1)),
    ]
    rooms = [RoomSchedule(100, 10, 1, {0: [Interval(at(9), at(9, 45))]})]
    slots = check([schedule(rows=rows, locations=(10, 20))], rooms)
    assert {s.location_id for s in slots if s.start == at(11)} == {10, 20}


def test_the_same_practitioner_twice_and_practitioners_out_of_order():
    busy = [Interval(at(10), at(11)), Interval(at(11), at(11, 30))]
    schedules = [schedule(3, busy=busy), schedule(1), schedule(3, locations=(10, 20)), schedule(2, time_off=busy)]
    check(schedules, [RoomSchedule(100, 10, 2, {})])


def test_unsorted_overlapping_and_empty_appointments_with_time_off():
    busy = [
        Interval(at(12), at(13)),
        Interval(at(9), at(10)),
        Interval(at(9, 30), at(10, 30)),
        Interval(at(14), at(14)),
    ]
    time_off = [Interval(at(15), at(16)), Interval(at(11), at(11, 15))]
    check([schedule(busy=busy, time_off=time_off)], step=timedelta(minutes=5))
