"""Property-based tests of the availability engine (hypothesis).

Random rotas, time off, appointments, rooms and services around ordinary days and clock-change
days; the engine's answer is compared with a brute-force oracle that tries every grid time.
"""

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vial.booking.availability import (
    LONDON,
    STEP,
    Interval,
    PractitionerSchedule,
    RoomSchedule,
    RotaRow,
    ServiceSpec,
    free_slots,
    rota_intervals,
    wall_clock_to_utc,
)

DAYS = [
    date(2026, 1, 12),
    date(2026, 3, 28),  # the day before the spring change
    date(2026, 10, 24),  # the day before the autumn change
    date(2027, 3, 27),
    date(2027, 10, 30),
    date(2026, 6, 30),
]
LOCATIONS = (10, 20)
WINDOW_DAYS = 3
settings.register_profile("booking", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

minutes = st.integers(min_value=0, max_value=WINDOW_DAYS * 24 * 60)


def clock_times():
    return st.integers(min_value=0, max_value=24 * 12 - 1).map(lambda n: time(n // 12, (n % 12) * 5))


@st.composite
def rota_rows(draw, weekdays=tuple(range(7))):
    if draw(st.booleans()):  # a clinic day
        start_minutes = draw(st.integers(6 * 12, 10 * 12)) * 5
        end_minutes = min(start_minutes + draw(st.integers(2 * 12, 11 * 12)) * 5, 24 * 60 - 5)
        start, end = time(start_minutes // 60, start_minutes % 60), time(end_minutes // 60, end_minutes % 60)
    else:  # anything at all, including the clock-change hours of the night
        start, end = sorted([draw(clock_times()), draw(clock_times())])
    return RotaRow(
        location_id=draw(st.sampled_from(LOCATIONS)),
        weekday=draw(st.sampled_from(weekdays)),
        start=start,
        end=end,
        valid_from=date(2026, 1, 1),
        valid_until=draw(st.sampled_from([None, date(2026, 12, 31)])),
    )


@st.composite
def intervals(draw, base, max_length=6 * 60):
    grain = draw(st.sampled_from([1, 5, 15]))  # coarse grains make exact fits (gap == service + buffers) common
    start = base + timedelta(minutes=draw(minutes) // grain * grain)
    return Interval(start, start + timedelta(minutes=max(grain, draw(st.integers(1, max_length)) // grain * grain)))


@st.composite
def cases(draw):
    day = draw(st.sampled_from(DAYS))
    base = wall_clock_to_utc(day, time(0))
    weekdays = tuple((day + timedelta(days=n)).weekday() for n in range(WINDOW_DAYS))
    spec = ServiceSpec(
        service_id=1,
        duration=timedelta(minutes=draw(st.integers(1, 24)) * 5),
        buffer_before=timedelta(minutes=draw(st.sampled_from([0, 5, 10, 15, 20, 30]))),
        buffer_after=timedelta(minutes=draw(st.sampled_from([0, 5, 10, 15, 20, 30]))),
        minimum_notice=timedelta(hours=draw(st.sampled_from([0, 0, 1, 2, 24]))),
        booking_horizon=timedelta(days=draw(st.integers(1, 4))),
        needs_prescriber=draw(st.sampled_from([False, False, True])),
    )
    schedules = [
        PractitionerSchedule(
            practitioner_id=pid,
            rotas=draw(st.lists(rota_rows(weekdays), min_size=2, max_size=10)),
            service_ids=set(draw(st.sampled_from([{1}, {1}, {1}, {2}]))),
            location_ids=set(draw(st.sampled_from([LOCATIONS, (10,), (20,)]))),
            is_prescriber=draw(st.sampled_from([True, True, False])),
            time_off=draw(st.lists(intervals(base, max_length=24 * 60), max_size=2)),
            busy=draw(st.lists(intervals(base, max_length=120), max_size=12)),
        )
        for pid in range(1, draw(st.integers(1, 3)) + 1)
    ]
    rooms = [
        RoomSchedule(
            room_id=room_id,
            location_id=draw(st.sampled_from(LOCATIONS)),
            capacity=(capacity := draw(st.integers(1, 2))),
            busy={place: draw(st.lists(intervals(base, max_length=180), max_size=4)) for place in range(capacity)},
        )
        for room_id in range(100, 100 + draw(st.integers(0, 2)))
    ]
    now = base + timedelta(minutes=draw(st.integers(-24 * 60, 12 * 60)))
    window_start = base + timedelta(minutes=draw(st.integers(0, 24 * 60)))
    window_end = window_start + timedelta(minutes=draw(st.one_of(st.integers(0, 2 * 24 * 60), st.just(2 * 24 * 60))))
    return spec, schedules, rooms, window_start, window_end, now


def working_intervals(schedule, window_start, window_end):
    first = window_start.astimezone(LONDON).date() - timedelta(days=2)
    last = window_end.astimezone(LONDON).date() + timedelta(days=2)
    return [w for w in rota_intervals(schedule.rotas, first, last) if w.location_id in schedule.location_ids]


def room_place_free(room, place, blocked):
    return not any(Interval(*b).overlaps(blocked) for b in room.busy.get(place, ()))


def oracle(spec, schedules, rooms, window_start, window_end, now):
    """Every (start, practitioner, location) a patient could book, found by trying each grid time."""
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    candidate = window_start + (-(window_start - epoch)) % STEP
    found = set()
    while candidate < window_end:
        if now + spec.minimum_notice <= candidate <= now + spec.booking_horizon:
            blocked = spec.blocked(candidate)
            for schedule in schedules:
                if not schedule.may_give(spec):
                    continue
                clashes = [*schedule.busy, *schedule.time_off]
                if any(Interval(*c).overlaps(blocked) for c in clashes):
                    continue
                for work in working_intervals(schedule, window_start, window_end):
                    if not Interval(work.start, work.end).contains(blocked):
                        continue
                    here = [r for r in rooms if r.location_id == work.location_id]
                    if here and not any(
                        room_place_free(r, place, blocked) for r in here for place in range(r.capacity)
                    ):
                        continue
                    found.add((candidate, schedule.practitioner_id, work.location_id))
        candidate += STEP
    return found


@settings(settings.get_profile("booking"))
@given(cases())
def test_no_slot_overlaps_busy_time_or_leaves_the_rota(case):
    spec, schedules, rooms, window_start, window_end, now = case
    by_id = {s.practitioner_id: s for s in schedules}
    for slot in free_slots(spec, schedules, window_start, window_end, now, rooms=rooms):
        schedule = by_id[slot.practitioner_id]
        blocked = spec.blocked(slot.start)
        assert slot.end - slot.start == spec.duration
        assert window_start <= slot.start < window_end
        assert now + spec.minimum_notice <= slot.start <= now + spec.booking_horizon
        assert (slot.start - datetime(1970, 1, 1, tzinfo=UTC)) % STEP == timedelta(0)
        assert schedule.may_give(spec)
        assert not any(blocked.overlaps(Interval(*b)) for b in schedule.busy), "overlaps an appointment"
        assert not any(blocked.overlaps(Interval(*t)) for t in schedule.time_off), "overlaps time off"
        assert any(
            Interval(w.start, w.end).contains(blocked) and w.location_id == slot.location_id
            for w in working_intervals(schedule, window_start, window_end)
        ), "leaves the rota"
        here = [r for r in rooms if r.location_id == slot.location_id]
        if here:
            room = next(r for r in here if r.room_id == slot.room_id)
            assert 0 <= slot.room_place < room.capacity
            assert room_place_free(room, slot.room_place, blocked), "room place already in use"
        else:
            assert slot.room_id is None


@settings(settings.get_profile("booking"))
@given(cases())
def test_every_bookable_grid_time_is_offered(case):
    """Every free gap long enough for the service and its buffers yields a slot at each grid time it allows."""
    spec, schedules, rooms, window_start, window_end, now = case
    offered = {
        (s.start, s.practitioner_id, s.location_id)
        for s in free_slots(spec, schedules, window_start, window_end, now, rooms=rooms)
    }
    assert offered == oracle(spec, schedules, rooms, window_start, window_end, now)


@settings(settings.get_profile("booking"))
@given(st.lists(rota_rows(), min_size=1, max_size=6), st.sampled_from(DAYS))
def test_rota_intervals_follow_the_wall_clock(rows, day):
    """Each interval starts when the clock first shows the rota's start and ends when it first shows the end."""
    last = day + timedelta(days=WINDOW_DAYS)
    intervals = rota_intervals(rows, day, last)
    assert intervals == sorted(intervals)
    for interval in intervals:
        assert interval.start < interval.end
        local_start = interval.start.astimezone(LONDON)
        matching = [
            r
            for r in rows
            if r.weekday == local_start.weekday()
            and r.location_id == interval.location_id
            and wall_clock_to_utc(local_start.date(), r.start)
            <= interval.start
            < wall_clock_to_utc(local_start.date(), r.end)
        ]
        assert matching
    # Same-location intervals never overlap or touch (they are joined).
    for location in LOCATIONS:
        here = [i for i in intervals if i.location_id == location]
        assert all(a.end < b.start for a, b in zip(here, here[1:], strict=False))


@settings(settings.get_profile("booking"))
@given(st.sampled_from(DAYS), clock_times())
def test_wall_clock_to_utc_is_the_first_moment_the_clock_shows_that_time(day, clock):
    for d in (day, day + timedelta(days=1)):
        moment = wall_clock_to_utc(d, clock)
        shown = moment.astimezone(LONDON)
        assert (shown.date(), shown.time()) >= (d, clock)
        # A minute earlier the clock showed an earlier time (or the same time for the first time).
        before = (moment - timedelta(minutes=1)).astimezone(LONDON)
        assert (before.date(), before.time()) < (d, clock)
