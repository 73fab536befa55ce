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

from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from itertools import chain, compress, repeat
from operator import attrgetter, ge, itemgetter, le, lt, sub
from typing import NamedTuple
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
STEP = timedelta(minutes=15)
ONE_DAY = timedelta(days=1)
ONE_WEEK = timedelta(weeks=1)
WEEKDAYS = range(7)
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
    if value.tzinfo is UTC:
        return value
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"The availability engine needs timezone-aware datetimes, got {value!r}.")
    return value.astimezone(UTC)


_start_of = itemgetter(0)
_end_of = itemgetter(1)
# _new_tuple(Slot, fields) builds the same named tuple as Slot(*fields) without running its
# Python-level __new__, which costs more than the rest of a slot's making.
_new_tuple = tuple.__new__


def _merged_bounds(intervals: Iterable[Interval]) -> tuple[Sequence[datetime], Sequence[datetime]]:
    """Merge intervals into two parallel sequences: sorted starts and ends of disjoint intervals.

    Appointments from the database come sorted and disjoint (the exclusion constraint sees to that),
    so a few C-level passes check for that and return them as they are; anything else goes through
    one sort and one merging pass. Values keep their time zones: callers convert to UTC before doing
    arithmetic with them.
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
    return [_new_tuple(WorkingInterval, interval) for interval in _working_times(rota_rows, date_from, date_to, tz)]


def _working_times(
    rota_rows: Iterable[RotaRow], date_from: date, date_to: date, tz: ZoneInfo
) -> list[tuple[datetime, datetime, int]]:
    """`rota_intervals` as plain (start, end, location) tuples, which are all `free_slots` needs."""
    raw: list[tuple[datetime, datetime, int]] = []
    for row in rota_rows:
        if row.weekday not in WEEKDAYS:
            continue  # no date falls on it
        first = max(date_from, row.valid_from)
        last = date_to if row.valid_until is None else min(date_to, row.valid_until)
        # The row's first weekday on or after `first`, then a week at a time.
        day = first + timedelta(days=(row.weekday - first.weekday()) % 7)
        while day <= last:
            start = wall_clock_to_utc(day, row.start, tz)
            end = wall_clock_to_utc(day, row.end, tz)
            if end > start:
                raw.append((start, end, row.location_id))
            day += ONE_WEEK
    raw.sort()
    joined: list[tuple[datetime, datetime, int]] = []
    last_at: dict[int, int] = {}  # location -> index in `joined` of its latest interval
    for interval in raw:
        start, end, location_id = interval
        index = last_at.get(location_id)
        if index is not None and start <= joined[index][1]:
            if end > joined[index][1]:
                joined[index] = (joined[index][0], end, location_id)
        else:
            last_at[location_id] = len(joined)
            joined.append(interval)
    return joined


# --- Free slots --------------------------------------------------------------------------------


def _rooms_by_location(rooms: Iterable[RoomSchedule]) -> dict[int, list[RoomSchedule]]:
    """location -> its rooms, by id: the order in which a practitioner tries them."""
    by_location: dict[int, list[RoomSchedule]] = {}
    for room in sorted(rooms, key=attrgetter("room_id")):
        by_location.setdefault(room.location_id, []).append(room)
    return by_location


def _room_places(rooms: Iterable[RoomSchedule]) -> list[tuple[int, list[tuple[int, list, list]]]]:
    """[(room id, [(place, busy starts, busy ends), ...]), ...] for one location's rooms."""
    return [
        (room.room_id, [(place, *_chained_bounds(room.busy.get(place, ()))) for place in range(room.capacity)])
        for room in rooms
    ]


def _chained_bounds(intervals: Iterable[Interval]) -> tuple[Sequence[datetime], Sequence[datetime]]:
    """Sorted starts and ends of disjoint intervals, as `_merged_bounds` gives, but empty intervals may stay in.

    A room's bookings come sorted and disjoint: then their starts and ends in turn never decrease,
    and sorting that sequence (one comparison per neighbour) gives it back unchanged. That is a
    little cheaper than `_merged_bounds`' checks, and an empty interval that passes it books nothing
    (`_free_room` steps over it).
    """
    items = intervals if isinstance(intervals, list) else list(intervals)
    flat = list(chain.from_iterable(items))
    if len(flat) == 2 * len(items) and sorted(flat) == flat:
        return flat[0::2], flat[1::2]
    return _merged_bounds(items)


def _free_room(
    rooms, start: datetime, end: datetime, first: int = 0
) -> tuple[int, int | None, int | None, datetime, datetime]:
    """The first (room, place) free over [start, end), trying rooms round from index `first`, and how long that holds.

    Returns (index of the room in `rooms`, room id, place, free_until, taken_until); with no place
    free, room id and place are None and the index is `first` again. Callers pass the index back as
    `first` for the next slot, so a practitioner tends to keep the same room through a session.

    A later [start, end) gets the same answer from a search starting at the room returned while
    end <= free_until (the place found is not booked before then) and start < taken_until (no place
    tried before it comes free before then), so callers only search again when one of these fails.
    """
    taken_until = FAR_FUTURE
    count = len(rooms)
    for offset in range(count):
        index = (first + offset) % count
        room_id, places = rooms[index]
        for place, starts, ends in places:
            position = bisect_right(ends, start)  # the first booking ending after `start`
            while position < len(ends) and starts[position] == ends[position]:
                position += 1  # an empty booking (see _chained_bounds)
            if position == len(ends):
                return index, room_id, place, FAR_FUTURE, taken_until
            if starts[position] >= end:
                return index, room_id, place, starts[position], taken_until
            if ends[position] < taken_until:
                taken_until = ends[position]
    return first, None, None, FAR_FUTURE, taken_until


def _long_gaps(busy: Iterable[Interval], need: timedelta) -> tuple[list[datetime], list[datetime]]:
    """The gaps between appointments lasting at least `need`, as sorted starts and ends in UTC.

    The first gap runs from the beginning of time, the last to its end. Like `_merged_bounds`, a few
    C-level passes take appointments that come sorted and disjoint as they are, and only the long
    gaps reach Python code.
    """
    items = busy if isinstance(busy, list) else list(busy)
    gap_starts = [FAR_PAST, *map(_end_of, items)]
    gap_ends = [*map(_start_of, items), FAR_FUTURE]
    lengths = list(map(sub, gap_ends, gap_starts))
    # No gap of negative length and no empty or inverted appointment: sorted and disjoint.
    if min(lengths) < ZERO or not all(map(lt, gap_ends, gap_starts[1:])):
        starts, ends = _merged_bounds(items)
        gap_starts = [FAR_PAST, *ends]
        gap_ends = [*starts, FAR_FUTURE]
        lengths = list(map(sub, gap_ends, gap_starts))
    long_enough = list(map(ge, lengths, repeat(need)))
    return list(map(_utc, compress(gap_starts, long_enough))), list(map(_utc, compress(gap_ends, long_enough)))


def _without_time_off(
    working: list[tuple[datetime, datetime, int]], time_off: Iterable[Interval]
) -> list[tuple[datetime, datetime, int]]:
    """The working times with the time off cut out (UTC), each piece keeping its location, in the same order."""
    off_starts, off_ends = _merged_bounds(time_off)
    if not off_starts:
        return working
    return [
        (_utc(free_start), _utc(free_end), location_id)
        for start, end, location_id in working
        for free_start, free_end in _free_parts(start, end, off_starts, off_ends)
    ]


_slot_order = itemgetter(0, 2, 3)  # start, practitioner, location
_start_and_location = itemgetter(0, 3)


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
    # A stretch of working time can hold a slot only if it is long enough, ends after the earliest
    # slot could and starts before the latest slot's buffer does.
    earliest_end = earliest + tail
    latest_blocked_start = last_start - before
    far_taken = FAR_FUTURE - before  # a room place taken until later is taken for good (and + before would overflow)
    first_day = (earliest - before).astimezone(tz).date() - ONE_DAY
    last_day = (last_start + tail).astimezone(tz).date()
    rooms_at = _rooms_by_location(rooms)
    room_places: dict[int, list] = {}  # location -> _room_places, built when a slot there first needs a room
    wanted = None if location_ids is None else set(location_ids)
    # Practitioners in id order, each one's slots in order of start (and location): then, with one
    # schedule per practitioner, a sort by start alone puts the answer in (start, practitioner,
    # location) order.
    schedules = sorted(practitioner_schedules, key=attrgetter("practitioner_id"))
    one_each = len({schedule.practitioner_id for schedule in schedules}) == len(schedules)

    slots: list[Slot] = []
    append = slots.append
    for schedule in schedules:
        if not schedule.may_give(service):
            continue
        locations = set(schedule.location_ids) if wanted is None else wanted.intersection(schedule.location_ids)
        if not locations:
            continue
        working = [w for w in _working_times(schedule.rotas, first_day, last_day, tz) if w[2] in locations]
        if working and schedule.time_off:
            # Time off only shortens working time: cutting it out here leaves the appointments sorted
            # and disjoint (as the database returns them), so they need no sorting or merging.
            working = _without_time_off(working, schedule.time_off)
        # w is (start, end, location): keeping the tuples, rather than unpacking and rebuilding them, spares the GC.
        working = [w for w in working if w[1] - w[0] >= need and w[1] >= earliest_end and w[0] <= latest_blocked_start]
        if not working:
            continue
        gap_starts, gap_ends = _long_gaps(schedule.busy, need)
        gap_count = len(gap_starts)
        practitioner_id = schedule.practitioner_id
        preferred_room: dict[int, int] = {}  # location -> index of the room last used there
        first_slot = len(slots)
        previous_start = FAR_PAST  # the last slot start tried so far for this practitioner
        in_order = True
        # Each location's working intervals come in order and never overlap, so the slots at a
        # location come in increasing order: the room search relies on it.
        for start, end, location_id in working:
            # Only gaps overlapping the working interval by `need` or more can hold a slot in it.
            gap = bisect_left(gap_ends, start + need)
            last_gap_start = end - need
            while gap < gap_count and gap_starts[gap] <= last_gap_start:
                gap_start, gap_end = gap_starts[gap], gap_ends[gap]
                gap += 1
                # Slots start in [lo, latest]: their blocked interval lies inside both the gap and
                # the working interval (when these overlap by less than `need`, lo > latest).
                lo = (gap_start if gap_start > start else start) + before
                if lo < earliest:
                    lo = earliest
                latest = (gap_end if gap_end < end else end) - tail
                if latest > last_start:
                    latest = last_start
                if lo > latest:
                    continue
                slot_start = ceil_to_grid(lo, step)
                if slot_start > latest:
                    continue
                if slot_start <= previous_start:
                    in_order = False  # working intervals at two locations overlap (a rota mistake)
                location_rooms = room_places.get(location_id)
                if location_rooms is None and location_id in rooms_at:
                    location_rooms = room_places[location_id] = _room_places(rooms_at[location_id])
                if location_rooms is None:  # a location without rooms
                    while slot_start <= latest:
                        slot_end = slot_start + duration
                        append(_new_tuple(Slot, (slot_start, slot_end, practitioner_id, location_id, None, None)))
                        slot_start += step
                    previous_start = slot_start - step
                    continue
                room_index = preferred_room.get(location_id, 0)
                fits_until = FAR_PAST  # search for the first slot
                taken_from = FAR_FUTURE
                while slot_start <= latest:
                    slot_end = slot_start + duration
                    # Slots come in increasing order: the last search's answer holds for this one too
                    # unless its room place is booked by the end of this one or a place the search
                    # tries first comes free by its start (see _free_room).
                    if slot_start > fits_until or slot_start >= taken_from:
                        room_index, room_id, place, free_until, taken_until = _free_room(
                            location_rooms, slot_start - before, slot_end + after, room_index
                        )
                        fits_until = _utc(free_until) - tail
                        taken_from = _utc(taken_until) + before if taken_until < far_taken else FAR_FUTURE
                    if room_id is not None:
                        append(_new_tuple(Slot, (slot_start, slot_end, practitioner_id, location_id, room_id, place)))
                    slot_start += step
                previous_start = slot_start - step
                preferred_room[location_id] = room_index
        if not in_order:
            slots[first_slot:] = sorted(slots[first_slot:], key=_start_and_location)
    # Sorting is stable: slots starting together stay in (practitioner, location) order.
    slots.sort(key=_start_of if one_each else _slot_order)
    return slots
