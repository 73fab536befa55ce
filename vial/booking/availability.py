"""The availability engine: which appointment slots are free, as pure functions over time intervals.

No database and no Django here. The query layer (`queries.py`) loads rotas, time off and
appointments into the plain values below and calls `free_slots`; tests and benchmarks call it
directly. Every datetime is timezone-aware; the engine works and answers in UTC.

The rules, in one place:

- Intervals are half-open, ``[start, end)``: an appointment ending at 10:00 and one starting at
  10:00 do not overlap.
- An appointment *blocks* its time plus its service's buffers:
  ``[start - buffer_before, end + buffer_after)``. A new slot's blocked interval must lie inside one
  working interval of the practitioner (their rota at one location; buffers are working time) and
  must not overlap their time off or the blocked interval of any of their active appointments, at
  any location. The same blocked intervals are what the database constraint compares.
- Rooms: at a location that has rooms, a slot needs a room with a free *place* over its blocked
  interval. A room of capacity N has places 0..N-1, each holding one appointment at a time; the
  database enforces the same rule per (room, place). A location without rooms needs none.
- Slots start on a grid of ``step`` counted from the Unix epoch. Europe/London's offsets are whole
  hours, so with a step that divides an hour (5, 10, 15, 20, 30, 60 minutes) the grid is the wall
  clock's :00, :15, :30, :45.
- A slot is offered if its start lies in ``[window_start, window_end)``, is at least the service's
  minimum notice after ``now`` and no later than ``now`` plus the booking horizon.
- Rotas are Europe/London wall-clock times, expanded date by date (`rota_intervals`), so 09:00-17:00
  is eight hours on the clock-change days too. A rota time means *the first moment the clinic's
  clock shows that time*: a time that does not exist (the hour skipped in spring) means the end of
  the gap, e.g. 01:30 on 29 March 2026 is 02:00 BST; a time that happens twice (the hour repeated in
  autumn) means its first occurrence, e.g. 01:30 on 25 October 2026 is 01:30 BST.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from itertools import accumulate, chain, compress, repeat
from operator import attrgetter, ge, itemgetter, le, lt, sub
from typing import NamedTuple
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
STEP = timedelta(minutes=15)
ONE_DAY = timedelta(days=1)
ONE_SECOND = timedelta(seconds=1)
ZERO = timedelta(0)
FAR_PAST = datetime.min.replace(tzinfo=UTC)
FAR_FUTURE = datetime.max.replace(tzinfo=UTC)


class Interval(NamedTuple):
    """A half-open stretch of time ``[start, end)`` between two aware datetimes."""

    start: datetime
    end: datetime

    def overlaps(self, other: Interval) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Interval) -> bool:
        return self.start <= other.start and other.end <= self.end


class WorkingInterval(NamedTuple):
    """A stretch of a practitioner's rota at one location."""

    start: datetime
    end: datetime
    location_id: int


class RotaRow(NamedTuple):
    """One line of a weekly rota: a weekday's working hours at a location, valid between two dates.

    `weekday` counts from Monday = 0; `start` and `end` are Europe/London wall-clock times;
    `valid_until` is inclusive, None means open-ended. A one-off extra session is a row whose
    `valid_from` and `valid_until` are the same date.
    """

    location_id: int
    weekday: int
    start: time
    end: time
    valid_from: date
    valid_until: date | None = None


@dataclass(frozen=True)
class ServiceSpec:
    """What the engine needs to know about the service being booked."""

    service_id: int
    duration: timedelta
    buffer_before: timedelta = ZERO
    buffer_after: timedelta = ZERO
    minimum_notice: timedelta = ZERO
    booking_horizon: timedelta = timedelta(days=365)
    needs_prescriber: bool = False

    def blocked(self, start: datetime) -> Interval:
        """The time an appointment starting at `start` keeps its practitioner and room busy."""
        return Interval(start - self.buffer_before, start + self.duration + self.buffer_after)


@dataclass
class PractitionerSchedule:
    """One practitioner as the engine sees them.

    `busy` holds the blocked (buffer-inclusive) intervals of their active appointments at every
    location; `time_off` their leave and one-off blocks. Neither needs to be sorted or disjoint.
    """

    practitioner_id: int
    rotas: Sequence[RotaRow]
    service_ids: Collection[int]
    location_ids: Collection[int]
    is_prescriber: bool = False
    time_off: Sequence[Interval] = ()
    busy: Sequence[Interval] = ()

    def may_give(self, service: ServiceSpec) -> bool:
        return service.service_id in self.service_ids and (self.is_prescriber or not service.needs_prescriber)


@dataclass
class RoomSchedule:
    """A room: `busy` maps each place (0..capacity-1) to the blocked intervals of its appointments."""

    room_id: int
    location_id: int
    capacity: int = 1
    busy: Mapping[int, Sequence[Interval]] = field(default_factory=dict)


class Slot(NamedTuple):
    """A bookable appointment time: the appointment itself, without buffers, in UTC."""

    start: datetime
    end: datetime
    practitioner_id: int
    location_id: int
    room_id: int | None = None
    room_place: int | None = None


# --- Interval helpers --------------------------------------------------------------------------


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"The availability engine needs timezone-aware datetimes, got {value!r}.")
    return value if value.tzinfo is UTC else value.astimezone(UTC)


_start_of = itemgetter(0)
_end_of = itemgetter(1)


def _merged_bounds(intervals: Iterable[Interval]) -> tuple[Sequence[datetime], Sequence[datetime]]:
    """Merge intervals into two parallel sequences: sorted starts and ends of disjoint intervals.

    The engine's hot spot. Appointments from the database come sorted and disjoint (the exclusion
    constraint sees to that), so a few C-level passes check for that and return them as they are;
    anything else goes through one sort and one merging pass. Values keep their time zones: callers
    convert to UTC before doing arithmetic with them.
    """
    items = intervals if isinstance(intervals, list) else list(intervals)
    if not items:
        return [], []
    # map(itemgetter) rather than zip(*items), which would make a (garbage-collected) iterator per interval.
    starts = list(map(_start_of, items))
    ends = list(map(_end_of, items))
    # Each non-empty and ending no later than the next starts: then they are sorted too.
    later_starts = starts[1:]
    if all(map(le, ends, later_starts)) and all(map(lt, starts, ends)):
        return starts, ends
    if not all(map(le, starts, later_starts)):
        items = sorted(items, key=_start_of)
    merged_starts: list[datetime] = []
    merged_ends: list[datetime] = []
    current_end = None
    for start, end in items:
        if current_end is not None and start <= current_end:
            if end > current_end:
                merged_ends[-1] = current_end = end
            continue
        if end <= start:
            continue
        merged_starts.append(start)
        merged_ends.append(end)
        current_end = end
    return merged_starts, merged_ends


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, disjoint intervals covering the same time (overlapping or touching ones joined), in UTC.

    Empty and inverted intervals are dropped.
    """
    starts, ends = _merged_bounds(intervals)
    return [Interval(_utc(start), _utc(end)) for start, end in zip(starts, ends, strict=True)]


def _free_parts(start: datetime, end: datetime, cut_starts: list, cut_ends: list):
    """The parts of [start, end) outside the sorted, disjoint cuts (given as two parallel lists)."""
    index = bisect_right(cut_ends, start)
    cursor = start
    count = len(cut_starts)
    while index < count and cut_starts[index] < end:
        if cut_starts[index] > cursor:
            yield cursor, cut_starts[index]
        if cut_ends[index] > cursor:
            cursor = cut_ends[index]
        index += 1
    if cursor < end:
        yield cursor, end


def subtract(intervals: Iterable[Interval], cuts: Iterable[Interval]) -> list[Interval]:
    """The time in `intervals` not covered by any of `cuts`, as sorted, disjoint intervals."""
    starts, ends = _merged_bounds(cuts)
    return [
        Interval(_utc(free_start), _utc(free_end))
        for interval in merge(intervals)
        for free_start, free_end in _free_parts(interval.start, interval.end, starts, ends)
    ]


def ceil_to_grid(moment: datetime, step: timedelta = STEP) -> datetime:
    """The first grid time (a multiple of `step` after the Unix epoch) at or after `moment`."""
    remainder = (moment - EPOCH) % step
    return moment + (step - remainder) if remainder else moment


# --- Rotas: wall-clock times to instants -------------------------------------------------------


@lru_cache(maxsize=16384)
def wall_clock_to_utc(day: date, clock: time, tz: ZoneInfo = LONDON) -> datetime:
    """The instant (UTC) when the clinic's clock first shows `clock` on `day`.

    An ambiguous time (autumn) gives its first occurrence; a time in the spring gap gives the end of
    the gap, the first instant at which the clock shows that time or later.
    """
    naive = datetime.combine(day, clock)
    first = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if first.astimezone(tz).replace(tzinfo=None) == naive:
        return first  # exists; fold=0 is the first occurrence when it happens twice
    # In a gap: fold=1 reads it with the offset after the change (an instant before the change),
    # fold=0 with the offset before it (an instant after). The change lies between: find it.
    before = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    after = first
    offset_after = after.astimezone(tz).utcoffset()
    while after - before > ONE_SECOND:
        middle = before + ONE_SECOND * (((after - before) // ONE_SECOND) // 2)
        if middle.astimezone(tz).utcoffset() == offset_after:
            after = middle
        else:
            before = middle
    return after


def rota_intervals(
    rota_rows: Iterable[RotaRow], date_from: date, date_to: date, tz: ZoneInfo = LONDON
) -> list[WorkingInterval]:
    """A practitioner's rota rows expanded into working intervals (UTC) for each date, inclusive.

    Overlapping or back-to-back rows at the same location are joined, so a slot may run across
    them; intervals at different locations stay apart. Sorted by start.
    """
    by_weekday: dict[int, list[RotaRow]] = {}
    for row in rota_rows:
        by_weekday.setdefault(row.weekday, []).append(row)
    raw: list[WorkingInterval] = []
    day = date_from
    while day <= date_to:
        for row in by_weekday.get(day.weekday(), ()):
            if row.valid_from <= day and (row.valid_until is None or day <= row.valid_until):
                start = wall_clock_to_utc(day, row.start, tz)
                end = wall_clock_to_utc(day, row.end, tz)
                if end > start:
                    raw.append(WorkingInterval(start, end, row.location_id))
        day += ONE_DAY
    raw.sort()
    joined: list[WorkingInterval] = []
    last_at: dict[int, int] = {}  # location -> index in `joined` of its latest interval
    for interval in raw:
        index = last_at.get(interval.location_id)
        if index is not None and interval.start <= joined[index].end:
            if interval.end > joined[index].end:
                joined[index] = joined[index]._replace(end=interval.end)
        else:
            last_at[interval.location_id] = len(joined)
            joined.append(interval)
    return joined


# --- Free slots --------------------------------------------------------------------------------


def _room_index(rooms: Iterable[RoomSchedule]) -> dict[int, list[tuple[int, list[tuple[int, list, list]]]]]:
    """location -> [(room id, [(place, busy starts, busy ends), ...]), ...], rooms by id."""
    index: dict[int, list] = {}
    for room in sorted(rooms, key=lambda r: r.room_id):
        places = []
        for place in range(room.capacity):
            places.append((place, *_merged_bounds(room.busy.get(place, ()))))
        index.setdefault(room.location_id, []).append((room.room_id, places))
    return index


def _free_room(rooms, start: datetime, end: datetime, first: int = 0) -> tuple[int, tuple[int, int] | None]:
    """The first (room, place) free over [start, end), trying rooms from index `first` round, or None.

    Returns (index of the room in `rooms`, (room id, place) or None); callers pass the index back as
    `first` for the next slot, so a practitioner tends to keep the same room through a session.
    """
    count = len(rooms)
    for offset in range(count):
        index = (first + offset) % count
        room_id, places = rooms[index]
        for place, starts, ends in places:
            position = bisect_right(ends, start)
            if position == len(ends) or starts[position] >= end:
                return index, (room_id, place)
    return first, None


_slot_order = attrgetter("start", "practitioner_id", "location_id")


def free_slots(
    service: ServiceSpec,
    practitioner_schedules: Iterable[PractitionerSchedule],
    window_start: datetime,
    window_end: datetime,
    now: datetime,
    step: timedelta = STEP,
    rooms: Iterable[RoomSchedule] = (),
    location_ids: Collection[int] | None = None,
    tz: ZoneInfo = LONDON,
) -> list[Slot]:
    """Every free slot for `service` starting in [window_start, window_end), sorted by start.

    Only practitioners who may give the service (and are prescribers, if it needs one) are
    considered, at locations they work at (and in `location_ids`, if given). See the module
    docstring for the rules.
    """
    if step <= ZERO:
        raise ValueError("The slot step must be positive.")
    window_start, window_end, now = _utc(window_start), _utc(window_end), _utc(now)
    earliest = max(window_start, now + service.minimum_notice)
    horizon_end = now + service.booking_horizon
    last_start = min(window_end - timedelta.resolution, horizon_end)
    if earliest > last_start:
        return []
    before, duration, after = service.buffer_before, service.duration, service.buffer_after
    tail = duration + after
    need = before + tail
    first_day = (earliest - before).astimezone(tz).date() - ONE_DAY
    last_day = (last_start + tail).astimezone(tz).date()
    rooms_at = _room_index(rooms)
    wanted = None if location_ids is None else set(location_ids)

    slots: list[Slot] = []
    append = slots.append
    for schedule in practitioner_schedules:
        if not schedule.may_give(service):
            continue
        locations = set(schedule.location_ids) if wanted is None else wanted.intersection(schedule.location_ids)
        if not locations:
            continue
        working = [w for w in rota_intervals(schedule.rotas, first_day, last_day, tz) if w.location_id in locations]
        if not working:
            continue
        working = [
            w
            for w in working
            if w.end - w.start >= need and w.end >= earliest + tail and w.start <= last_start - before
        ]
        if not working:
            continue
        working_starts = [w.start for w in working]
        # Working intervals at different clinics may overlap (a rota mistake): bisect on the running
        # maximum of their ends, which never decreases.
        working_reach = list(accumulate((w.end for w in working), max))
        cut_starts, cut_ends = _merged_bounds(chain(schedule.time_off, schedule.busy))
        # The gaps between appointments and time off, found with C-level passes: only gaps long
        # enough for the service and its buffers reach the Python loop below.
        gap_starts = [FAR_PAST, *cut_ends]
        gap_ends = [*cut_starts, FAR_FUTURE]
        wide = compress(range(len(gap_starts)), map(ge, map(sub, gap_ends, gap_starts), repeat(need)))
        practitioner_id = schedule.practitioner_id
        preferred_room: dict[int, int] = {}
        for gap in wide:
            gap_start, gap_end = gap_starts[gap], gap_ends[gap]
            index = bisect_right(working_reach, gap_start)
            while index < len(working) and working_starts[index] < gap_end:
                start, end, location_id = working[index]
                index += 1
                free_start = gap_start if gap_start > start else start
                free_end = gap_end if gap_end < end else end
                if free_end - free_start < need:
                    continue
                lo = _utc(free_start) + before
                if lo < earliest:
                    lo = earliest
                latest = _utc(free_end) - tail
                if latest > last_start:
                    latest = last_start
                if lo > latest:
                    continue
                location_rooms = rooms_at.get(location_id)
                room_index = preferred_room.get(location_id, 0)
                slot_start = ceil_to_grid(lo, step)
                while slot_start <= latest:
                    slot_end = slot_start + duration
                    if location_rooms is None:
                        append(Slot(slot_start, slot_end, practitioner_id, location_id))
                    else:
                        room_index, room = _free_room(location_rooms, slot_start - before, slot_end + after, room_index)
                        if room is not None:
                            append(Slot(slot_start, slot_end, practitioner_id, location_id, *room))
                    slot_start += step
                preferred_room[location_id] = room_index
    slots.sort(key=_slot_order)
    return slots
