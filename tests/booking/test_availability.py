"""The availability engine on its own: plain values in, slots out, no database."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from vial.booking.availability import (
    LONDON,
    Interval,
    PractitionerSchedule,
    RoomSchedule,
    RotaRow,
    ServiceSpec,
    free_slots,
    merge,
    rota_intervals,
    subtract,
    wall_clock_to_utc,
)

MIN = timedelta(minutes=1)
SUNDAY = 6
CLOCK_CHANGE_SUNDAYS = [
    date(2026, 3, 29),  # clocks go forward: 01:00 GMT -> 02:00 BST
    date(2026, 10, 25),  # clocks go back: 02:00 BST -> 01:00 GMT
    date(2027, 3, 28),
    date(2027, 10, 31),
]


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def london(*args):
    return datetime(*args, tzinfo=LONDON)


def service(duration=30, before=0, after=0, notice_hours=0, horizon_days=365, needs_prescriber=False, service_id=1):
    return ServiceSpec(
        service_id=service_id,
        duration=timedelta(minutes=duration),
        buffer_before=timedelta(minutes=before),
        buffer_after=timedelta(minutes=after),
        minimum_notice=timedelta(hours=notice_hours),
        booking_horizon=timedelta(days=horizon_days),
        needs_prescriber=needs_prescriber,
    )


def practitioner(pid=1, rotas=None, busy=(), time_off=(), services=(1,), locations=(10,), prescriber=False):
    if rotas is None:
        rotas = [RotaRow(10, weekday, time(9), time(17), date(2026, 1, 1)) for weekday in range(7)]
    return PractitionerSchedule(
        practitioner_id=pid,
        rotas=rotas,
        service_ids=set(services),
        location_ids=set(locations),
        is_prescriber=prescriber,
        time_off=list(time_off),
        busy=list(busy),
    )


def day_window(day):
    start = wall_clock_to_utc(day, time(0))
    return start, wall_clock_to_utc(day + timedelta(days=1), time(0))


def slots_on(day, schedules, spec=None, **kwargs):
    start, end = day_window(day)
    kwargs.setdefault("now", start - timedelta(days=1))
    return free_slots(spec or service(), schedules, start, end, **kwargs)


def local_times(slots):
    return [s.start.astimezone(LONDON).strftime("%H:%M") for s in slots]


# --- Interval helpers ------------------------------------------------------------------------


def test_merge_joins_overlapping_and_touching_and_drops_empty():
    a = Interval(utc(2026, 1, 5, 9), utc(2026, 1, 5, 10))
    b = Interval(utc(2026, 1, 5, 9, 30), utc(2026, 1, 5, 11))
    c = Interval(utc(2026, 1, 5, 11), utc(2026, 1, 5, 12))  # touches b
    d = Interval(utc(2026, 1, 5, 14), utc(2026, 1, 5, 14))  # empty
    e = Interval(utc(2026, 1, 5, 13), utc(2026, 1, 5, 13, 30))
    assert merge([c, e, a, d, b]) == [Interval(utc(2026, 1, 5, 9), utc(2026, 1, 5, 12)), e]


def test_merge_answers_in_utc():
    merged = merge([Interval(london(2026, 7, 1, 9), london(2026, 7, 1, 10))])
    assert merged == [Interval(utc(2026, 7, 1, 8), utc(2026, 7, 1, 9))]
    assert merged[0].start.tzinfo is UTC


def test_subtract():
    day = Interval(utc(2026, 1, 5, 9), utc(2026, 1, 5, 17))
    cuts = [Interval(utc(2026, 1, 5, 8), utc(2026, 1, 5, 9, 30)), Interval(utc(2026, 1, 5, 12), utc(2026, 1, 5, 13))]
    assert subtract([day], cuts) == [
        Interval(utc(2026, 1, 5, 9, 30), utc(2026, 1, 5, 12)),
        Interval(utc(2026, 1, 5, 13), utc(2026, 1, 5, 17)),
    ]
    assert subtract([day], []) == [day]
    assert subtract([day], [day]) == []


# --- Rotas and clock changes -----------------------------------------------------------------


def test_rota_in_winter_and_summer():
    rows = [RotaRow(10, 0, time(9), time(17), date(2026, 1, 1))]
    winter = rota_intervals(rows, date(2026, 1, 5), date(2026, 1, 5))
    summer = rota_intervals(rows, date(2026, 7, 6), date(2026, 7, 6))
    assert winter == [(utc(2026, 1, 5, 9), utc(2026, 1, 5, 17), 10)]
    assert summer == [(utc(2026, 7, 6, 8), utc(2026, 7, 6, 16), 10)]


@pytest.mark.parametrize("day", CLOCK_CHANGE_SUNDAYS)
def test_rota_is_eight_hours_on_clock_change_days(day):
    rows = [RotaRow(10, SUNDAY, time(9), time(17), date(2026, 1, 1))]
    [interval] = rota_intervals(rows, day, day)
    assert interval.end - interval.start == timedelta(hours=8)
    assert interval.start.astimezone(LONDON).time() == time(9)
    assert interval.end.astimezone(LONDON).time() == time(17)


@pytest.mark.parametrize("day", CLOCK_CHANGE_SUNDAYS)
def test_slots_on_clock_change_days_follow_the_wall_clock(day):
    slots = slots_on(day, [practitioner()])
    times = local_times(slots)
    assert times[0] == "09:00"
    assert times[-1] == "16:30"
    assert len(times) == 31  # 09:00, 09:15 ... 16:30
    assert all(s.end - s.start == timedelta(minutes=30) for s in slots)


def test_a_time_in_the_spring_gap_means_the_end_of_the_gap():
    # 01:30 does not exist on 29 March 2026: the clock jumps from 01:00 GMT to 02:00 BST (01:00 UTC).
    assert wall_clock_to_utc(date(2026, 3, 29), time(1, 30)) == utc(2026, 3, 29, 1)
    assert wall_clock_to_utc(date(2026, 3, 29), time(1, 0)) == utc(2026, 3, 29, 1)
    assert wall_clock_to_utc(date(2026, 3, 29), time(2, 0)) == utc(2026, 3, 29, 1)
    assert wall_clock_to_utc(date(2027, 3, 28), time(1, 59)) == utc(2027, 3, 28, 1)


def test_a_repeated_autumn_time_means_its_first_occurrence():
    # 01:30 happens twice on 25 October 2026: first in BST (00:30 UTC), then in GMT (01:30 UTC).
    assert wall_clock_to_utc(date(2026, 10, 25), time(1, 30)) == utc(2026, 10, 25, 0, 30)
    assert wall_clock_to_utc(date(2026, 10, 25), time(2, 0)) == utc(2026, 10, 25, 2)
    assert wall_clock_to_utc(date(2027, 10, 31), time(1, 0)) == utc(2027, 10, 31, 0)


def test_night_rota_across_the_spring_gap():
    rows = [RotaRow(10, SUNDAY, time(0, 30), time(3), date(2026, 1, 1))]
    [interval] = rota_intervals(rows, date(2026, 3, 29), date(2026, 3, 29))
    assert (interval.start, interval.end) == (utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 2))  # 1.5 hours worked


def test_night_rota_across_the_autumn_repeat():
    rows = [RotaRow(10, SUNDAY, time(0, 30), time(3), date(2026, 1, 1))]
    [interval] = rota_intervals(rows, date(2026, 10, 25), date(2026, 10, 25))
    assert interval.end - interval.start == timedelta(hours=3, minutes=30)  # the hour from 01:00 happens twice


def test_rota_validity_dates_and_one_off_sessions():
    rows = [
        RotaRow(10, 0, time(9), time(12), date(2026, 1, 12), date(2026, 1, 19)),  # two Mondays
        RotaRow(20, 5, time(10), time(14), date(2026, 1, 17), date(2026, 1, 17)),  # a one-off Saturday
    ]
    intervals = rota_intervals(rows, date(2026, 1, 1), date(2026, 1, 31))
    assert [(i.start.date(), i.location_id) for i in intervals] == [
        (date(2026, 1, 12), 10),
        (date(2026, 1, 17), 20),
        (date(2026, 1, 19), 10),
    ]


def test_back_to_back_rota_rows_join_at_one_location_only():
    rows = [
        RotaRow(10, 0, time(9), time(13), date(2026, 1, 1)),
        RotaRow(10, 0, time(13), time(17), date(2026, 1, 1)),
        RotaRow(20, 0, time(17), time(19), date(2026, 1, 1)),
    ]
    intervals = rota_intervals(rows, date(2026, 1, 5), date(2026, 1, 5))
    assert intervals == [(utc(2026, 1, 5, 9), utc(2026, 1, 5, 17), 10), (utc(2026, 1, 5, 17), utc(2026, 1, 5, 19), 20)]
    slots = slots_on(date(2026, 1, 5), [practitioner(rotas=rows, locations=(10, 20))], spec=service(duration=60))
    assert "12:30" in local_times(slots)  # runs across the join at 13:00
    assert not any(s.start < utc(2026, 1, 5, 17) < s.end for s in slots)  # never across a change of clinic


# --- Free slots ------------------------------------------------------------------------------


def test_existing_appointments_block_with_both_sets_of_buffers():
    # Existing 10:00-10:30 with 10 min before and after blocks 09:50-10:40.
    busy = [Interval(utc(2026, 1, 5, 9, 50), utc(2026, 1, 5, 10, 40))]
    spec = service(duration=30, before=5, after=10)
    slots = slots_on(date(2026, 1, 5), [practitioner(busy=busy)], spec=spec)
    times = local_times(slots)
    # Before it: the new blocked time [s-5, s+40) must fit between 09:00 and 09:50: 09:05 <= s <= 09:10,
    # and there is no grid time there. After it: s - 5 >= 10:40, so 10:45 first.
    assert times[0] == "10:45"
    # At the end of the day s + 40 <= 17:00, so 16:15 last.
    assert times[-1] == "16:15"
    for slot in slots:
        assert not spec.blocked(slot.start).overlaps(busy[0])


def test_back_to_back_appointments_are_allowed():
    busy = [Interval(utc(2026, 1, 5, 9), utc(2026, 1, 5, 10))]
    slots = slots_on(date(2026, 1, 5), [practitioner(busy=busy)])
    assert local_times(slots)[0] == "10:00"


def test_a_gap_exactly_the_right_size_yields_a_slot():
    # The new appointment blocks 45 minutes: [start - 5, start + 40).
    busy = [Interval(utc(2026, 1, 5, 9), utc(2026, 1, 5, 10)), Interval(utc(2026, 1, 5, 10, 40), utc(2026, 1, 5, 17))]
    spec = service(duration=30, before=5, after=10)
    assert local_times(slots_on(date(2026, 1, 5), [practitioner(busy=busy)], spec=spec)) == []
    busy[0] = Interval(utc(2026, 1, 5, 9), utc(2026, 1, 5, 9, 55))
    assert local_times(slots_on(date(2026, 1, 5), [practitioner(busy=busy)], spec=spec)) == ["10:00"]


def test_time_off_blocks():
    off = [Interval(utc(2026, 1, 5, 12), utc(2026, 1, 5, 14))]
    times = local_times(slots_on(date(2026, 1, 5), [practitioner(time_off=off)]))
    assert "11:30" in times and "11:45" not in times and "13:45" not in times and "14:00" in times


def test_minimum_notice_and_horizon():
    now = utc(2026, 1, 5, 10, 7)
    spec = service(notice_hours=2, horizon_days=1)
    start, end = utc(2026, 1, 5), utc(2026, 1, 8)
    slots = free_slots(spec, [practitioner()], start, end, now)
    assert slots[0].start == utc(2026, 1, 5, 12, 15)  # 12:07 rounded up to the grid
    assert slots[-1].start == utc(2026, 1, 6, 10)  # now + 1 day = 10:07; the last grid time before it


def test_window_is_start_inclusive_end_exclusive():
    slots = free_slots(service(), [practitioner()], utc(2026, 1, 5, 10), utc(2026, 1, 5, 11), utc(2026, 1, 1))
    assert [s.start for s in slots] == [
        utc(2026, 1, 5, 10),
        utc(2026, 1, 5, 10, 15),
        utc(2026, 1, 5, 10, 30),
        utc(2026, 1, 5, 10, 45),
    ]


def test_skills_prescribers_and_locations():
    day = date(2026, 1, 5)
    doctor = practitioner(pid=1, prescriber=True)
    nurse = practitioner(pid=2)
    other_service = practitioner(pid=3, services=(99,))
    assert {s.practitioner_id for s in slots_on(day, [doctor, nurse, other_service])} == {1, 2}
    assert {s.practitioner_id for s in slots_on(day, [doctor, nurse], spec=service(needs_prescriber=True))} == {1}
    elsewhere = practitioner(pid=4, locations=(20,))  # rota at 10, but does not work there
    assert slots_on(day, [elsewhere]) == []
    assert slots_on(day, [doctor], location_ids={20}) == []


def test_rooms_limit_slots():
    day = date(2026, 1, 5)
    first, second = practitioner(pid=1), practitioner(pid=2)
    room_busy = {0: [Interval(utc(2026, 1, 5, 9), utc(2026, 1, 5, 12))]}
    one_room = [RoomSchedule(room_id=7, location_id=10, capacity=1, busy=room_busy)]
    slots = slots_on(day, [first, second], rooms=one_room)
    assert local_times(slots)[0] == "12:00"
    assert {s.room_id for s in slots} == {7} and {s.room_place for s in slots} == {0}
    # A room for two takes the second patient in its other place.
    two_chairs = [RoomSchedule(room_id=7, location_id=10, capacity=2, busy=room_busy)]
    slots = slots_on(day, [first], rooms=two_chairs)
    assert (local_times(slots)[0], slots[0].room_place) == ("09:00", 1)


def test_location_without_rooms_needs_none():
    rooms = [RoomSchedule(room_id=7, location_id=20, capacity=1)]
    assert len(slots_on(date(2026, 1, 5), [practitioner()], rooms=rooms)) == 31


def test_accepts_local_times_and_unsorted_overlapping_input():
    busy_utc = [Interval(utc(2026, 7, 6, 11), utc(2026, 7, 6, 12)), Interval(utc(2026, 7, 6, 9), utc(2026, 7, 6, 10))]
    busy_local = [Interval(b.start.astimezone(LONDON), b.end.astimezone(LONDON)) for b in busy_utc]
    overlapping = [*busy_utc, Interval(utc(2026, 7, 6, 9, 30), utc(2026, 7, 6, 11, 30))]
    day = date(2026, 7, 6)
    expected = slots_on(day, [practitioner(busy=busy_utc)])
    assert slots_on(day, [practitioner(busy=busy_local)]) == expected
    merged = slots_on(day, [practitioner(busy=overlapping)])
    assert all(s.start >= utc(2026, 7, 6, 12) or s.end <= utc(2026, 7, 6, 9) for s in merged)
    assert all(s.start.tzinfo is UTC for s in expected)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        free_slots(service(), [practitioner()], datetime(2026, 1, 5), datetime(2026, 1, 6), utc(2026, 1, 1))


def test_empty_and_inverted_windows():
    assert free_slots(service(), [practitioner()], utc(2026, 1, 6), utc(2026, 1, 5), utc(2026, 1, 1)) == []
    assert free_slots(service(), [], utc(2026, 1, 5), utc(2026, 1, 6), utc(2026, 1, 1)) == []


def test_results_are_sorted_by_time_then_practitioner():
    slots = slots_on(date(2026, 1, 5), [practitioner(pid=2), practitioner(pid=1)])
    assert slots == sorted(slots, key=lambda s: (s.start, s.practitioner_id))
    assert [s.practitioner_id for s in slots[:2]] == [1, 2]
