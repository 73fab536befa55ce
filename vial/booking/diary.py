"""Laying out the staff diary: where rota hours, appointments and blocks go on a page. Pure functions, no database.

The views (`diary_views.py`) load a day's or a week's diary in a fixed number of queries and hand
plain values to the functions here; the templates draw what comes back.

The day grid is a CSS grid whose rows are `ROW_MINUTES` of **Europe/London wall-clock time**: row 1
is the first minute shown (08:00 unless something starts earlier), so 10:00 is the same row on every
day, on the clock-change days too, and a week of one practitioner's days can stand side by side.
Times written on the page are always the clinic's local times. On 29 March 2026 the clock skips
01:00-02:00 and on 25 October 2026 it shows 01:00-02:00 twice; nothing in a clinic's day happens
then, but should an entry fall in the repeated hour it is drawn at its wall-clock time, next to
anything at the same wall-clock time, with the zone written in its label.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from math import ceil

from .availability import LONDON, Interval, wall_clock_to_utc

ROW_MINUTES = 5
LABEL_MINUTES = 30
DAY_MINUTES = 24 * 60
DEFAULT_FIRST = 8 * 60  # 08:00: the grid shows at least 08:00-18:00
DEFAULT_LAST = 18 * 60


class NonexistentTime(ValueError):
    """A local time the clock skips (spring forward), e.g. 01:30 on 29 March 2026."""


# --- Local days and times -------------------------------------------------------------------


def local(moment: datetime) -> datetime:
    return moment.astimezone(LONDON)


def local_instant(day: date, clock: time) -> datetime:
    """The instant (UTC) the clinic's clock shows `clock` on `day`: the first time, if it shows it twice.

    Raises NonexistentTime for a time in the hour the clocks skip, so staff are asked again rather
    than booked at a time they did not type.
    """
    naive = datetime.combine(day, clock)
    instant = naive.replace(tzinfo=LONDON, fold=0).astimezone(UTC)
    if instant.astimezone(LONDON).replace(tzinfo=None) != naive:
        raise NonexistentTime(
            f"{clock:%H:%M} does not exist on {long_day(day)}: the clocks go forward an hour that night. "
            "Please choose another time."
        )
    return instant


def day_interval(day: date) -> Interval:
    """The instants of one local day, midnight to midnight (23 or 25 hours on clock-change days)."""
    return Interval(wall_clock_to_utc(day, time(0)), wall_clock_to_utc(day + timedelta(days=1), time(0)))


def week_of(day: date) -> list[date]:
    """Monday to Sunday of the week holding `day`."""
    monday = day - timedelta(days=day.weekday())
    return [monday + timedelta(days=n) for n in range(7)]


def long_day(day: date) -> str:
    """e.g. 'Sunday 29 March 2026'."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def short_day(day: date) -> str:
    """e.g. 'Sun 29 Mar'."""
    return f"{day:%a} {day.day} {day:%b}"


def zone_names(day: date) -> str:
    """The clock's zone on `day`: 'GMT', 'BST', or 'GMT/BST' and 'BST/GMT' on the clock-change days."""
    span = day_interval(day)
    first = local(span.start).tzname()
    last = local(span.end - timedelta(seconds=1)).tzname()
    return first if first == last else f"{first}/{last}"


def clock_change_note(day: date) -> str:
    """What staff should know when the clocks change on `day` ('' on other days)."""
    span = day_interval(day)
    hours = (span.end - span.start) / timedelta(hours=1)
    if hours < 24:
        return "The clocks go forward at 01:00 tonight (GMT to BST): this day has 23 hours."
    if hours > 24:
        return "The clocks go back at 02:00 tonight (BST to GMT): 01:00-02:00 happens twice and this day has 25 hours."
    return ""


def minute_of_day(moment: datetime, day: date) -> int:
    """Wall-clock minutes since local midnight on `day`; 0 before the day, 1440 after it."""
    here = local(moment)
    if here.date() < day:
        return 0
    if here.date() > day:
        return DAY_MINUTES
    return here.hour * 60 + here.minute


def clock(moment: datetime) -> str:
    return f"{local(moment):%H:%M}"


def time_range(start: datetime, end: datetime, day: date | None = None) -> str:
    """'10:00–10:30' in local time; with the zone when it changes in between or the day has two zones,
    and with the date of an end (or start) that is not on `day`."""
    first, last = local(start), local(end)
    two_zones = first.tzname() != last.tzname() or (day is not None and "/" in zone_names(day))
    start_text = f"{first:%H:%M}" + (f" {first:%Z}" if two_zones else "")
    end_text = f"{last:%H:%M}" + (f" {last:%Z}" if two_zones else "")
    if day is not None and first.date() != day:
        start_text = f"{short_day(first.date())} {start_text}"
    if day is not None and last.date() != day and last != local(day_interval(day).end):
        end_text = f"{short_day(last.date())} {end_text}"
    return f"{start_text}–{end_text}"


# --- The day grid ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """Something to draw: an appointment, a block of time off, or a stretch of rota ('working')."""

    kind: str
    start: datetime
    end: datetime
    obj: object = None
    label: str = ""


@dataclass(frozen=True)
class Placed:
    """An entry's place in a column: grid rows (1-based) and, where entries overlap, a lane."""

    entry: Entry
    day: date
    row: int
    span: int
    lane: int = 0
    lanes: int = 1
    starts_before: bool = False  # began before the part of the day shown
    ends_after: bool = False

    @property
    def style(self) -> str:
        """The CSS grid placement: full width, or one lane of the overlapping group."""
        column = "1 / -1" if self.lanes == 1 else f"{self.lane + 1} / span 1"
        return f"grid-row: {self.row} / span {self.span}; grid-column: {column};"

    @property
    def time_label(self) -> str:
        return time_range(self.entry.start, self.entry.end, self.day)


@dataclass(frozen=True)
class Row:
    index: int  # 1-based grid row
    minute: int  # wall-clock minutes since midnight
    label: str  # 'HH:MM' on the half hour, '' otherwise

    @property
    def is_hour(self) -> bool:
        return self.minute % 60 == 0


@dataclass
class ColumnSource:
    """One column's content before layout: whose (`key`, `label`, `obj`), which day, and what happens in it."""

    key: object
    label: str
    day: date
    working: Sequence[Entry] = ()
    entries: Sequence[Entry] = ()
    obj: object = None
    free: Sequence[Entry] = ()  # free slots to click to book: see `free_slots`


@dataclass
class Column:
    key: object
    label: str
    day: date
    working: list[Placed]
    entries: list[Placed]
    lanes: int
    obj: object = None
    free: list[Placed] = field(default_factory=list)

    @property
    def lane_style(self) -> str:
        return f"grid-template-columns: repeat({self.lanes}, minmax(0, 1fr));"


@dataclass
class DayGrid:
    first_minute: int
    last_minute: int
    rows: list[Row]
    columns: list[Column] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return len(self.rows)

    @property
    def rows_style(self) -> str:
        return f"grid-template-rows: repeat({self.row_count}, var(--diary-row));"


def _span_minutes(entry: Entry, day: date) -> tuple[int, int]:
    """Where an entry starts and ends on `day`'s wall clock, in minutes since midnight.

    Across the repeated autumn hour the wall clock runs backwards, so a wall-clock end before the
    start is replaced by the start plus the entry's real length.
    """
    start = minute_of_day(entry.start, day)
    end = minute_of_day(entry.end, day)
    if end <= start:
        length = ceil((entry.end - entry.start) / timedelta(minutes=1))
        end = min(DAY_MINUTES, start + max(length, 1))
    return start, end


def touches(entry: Entry, day: date) -> bool:
    span = day_interval(day)
    return entry.start < span.end and entry.end > span.start


def grid_bounds(columns: Iterable[ColumnSource], default=(DEFAULT_FIRST, DEFAULT_LAST)) -> tuple[int, int]:
    """The wall-clock minutes the grid shows: the default hours, widened to whole hours to hold everything."""
    first, last = default
    for column in columns:
        for entry in (*column.working, *column.entries):
            if not touches(entry, column.day):
                continue
            start, end = _span_minutes(entry, column.day)
            first, last = min(first, start), max(last, end)
    first = first // 60 * 60
    last = min(DAY_MINUTES, ceil(last / 60) * 60)
    return first, last


def grid_rows(first_minute: int, last_minute: int) -> list[Row]:
    return [
        Row(
            index=n + 1,
            minute=minute,
            label=f"{minute // 60:02d}:{minute % 60:02d}" if minute % LABEL_MINUTES == 0 else "",
        )
        for n, minute in enumerate(range(first_minute, last_minute, ROW_MINUTES))
    ]


def place(entries: Iterable[Entry], day: date, first_minute: int, last_minute: int) -> list[Placed]:
    """Grid rows for each entry of one column on `day`, and lanes for entries that overlap.

    Entries are sorted by start (then longest first); each group of entries that overlap one
    another, directly or through a chain, shares lanes, each entry taking the first lane free at
    its start. Entries on other days, or wholly outside the rows shown, are left out.
    """
    bounds = day_interval(day)
    spans = []
    for entry in entries:
        if not touches(entry, day):
            continue
        start, end = _span_minutes(entry, day)
        if end <= first_minute or start >= last_minute:
            continue
        shown_start, shown_end = max(start, first_minute), min(end, last_minute)
        row = (shown_start - first_minute) // ROW_MINUTES + 1
        end_row = max(ceil((shown_end - first_minute) / ROW_MINUTES) + 1, row + 1)
        before = entry.start < bounds.start or start < shown_start
        after = entry.end > bounds.end or end > shown_end
        spans.append((row, end_row, entry, before, after))
    spans.sort(key=lambda s: (s[0], -s[1], s[2].start))

    placed: list[Placed] = []
    group: list[tuple[int, int, Entry, bool, bool, int]] = []  # a span and its lane
    group_end = 0

    def close_group():
        lanes = max((g[5] for g in group), default=-1) + 1
        for row, end_row, entry, before, after, lane in group:
            placed.append(Placed(entry, day, row, end_row - row, lane, lanes, before, after))
        group.clear()

    for row, end_row, entry, before, after in spans:
        if group and row >= group_end:
            close_group()
            group_end = 0
        busy_lanes = {g[5] for g in group if g[1] > row}
        lane = next(n for n in range(len(group) + 1) if n not in busy_lanes)
        group.append((row, end_row, entry, before, after, lane))
        group_end = max(group_end, end_row)
    close_group()
    return placed


def day_grid(columns: Sequence[ColumnSource], default=(DEFAULT_FIRST, DEFAULT_LAST)) -> DayGrid:
    """Lay out columns side by side on one set of wall-clock rows (practitioners on a day, or days of a week)."""
    first, last = grid_bounds(columns, default)
    grid = DayGrid(first, last, grid_rows(first, last))
    for source in columns:
        working = [
            Placed(p.entry, p.day, p.row, p.span, 0, 1, p.starts_before, p.ends_after)
            for p in place(source.working, source.day, first, last)
        ]
        entries = place(source.entries, source.day, first, last)
        lanes = max((p.lanes for p in entries), default=1)
        free = place(source.free, source.day, first, last)
        grid.columns.append(Column(source.key, source.label, source.day, working, entries, lanes, source.obj, free))
    return grid


SLOT_MINUTES = 15


def free_slots(
    working: Iterable[Entry], busy: Iterable[Entry], not_before: datetime | None = None, minutes: int = SLOT_MINUTES
) -> list[Entry]:
    """The free stretches of working time, cut on the clock's quarter hours: the diary's empty slots to click.

    A slot is `minutes` long, inside one stretch of `working` (each slot keeps that stretch's `obj`
    and `label`, e.g. its clinic), touches nothing in `busy` (appointments, time off) and starts at
    or after `not_before`. Whether a service fits there is the booking engine's business: a slot
    only says where to start the booking form.
    """
    busy = [(b.start, b.end) for b in busy]
    step = timedelta(minutes=minutes)
    slots = []
    for stretch in working:
        start_local = local(stretch.start)
        offset = -(start_local.hour * 60 + start_local.minute) % minutes
        start = stretch.start.replace(second=0, microsecond=0) + timedelta(minutes=offset)
        while start + step <= stretch.end:
            end = start + step
            if (not_before is None or start >= not_before) and not any(s < end and e > start for s, e in busy):
                slots.append(Entry("free", start, end, stretch.obj, stretch.label))
            start = end
    return slots


# --- The week table -------------------------------------------------------------------------


@dataclass
class Cell:
    day: date
    working: list[Entry]
    entries: list[Entry]

    @property
    def working_label(self) -> str:
        """e.g. '09:00–13:00, 14:00–17:30'."""
        return ", ".join(time_range(w.start, w.end, self.day) for w in self.working)

    def labelled(self) -> list[tuple[str, Entry]]:
        return [(time_range(e.start, e.end, self.day), e) for e in self.entries]


@dataclass
class WeekRow:
    key: object
    label: str
    cells: list[Cell]
    obj: object = None


def on_day(entries: Iterable[Entry], day: date) -> list[Entry]:
    """The entries that touch local `day`, by start time."""
    return sorted((e for e in entries if touches(e, day)), key=lambda e: (e.start, e.end))


def week_table(days: Sequence[date], rows: Iterable[tuple[object, str, Sequence[Entry], Sequence[Entry], object]]):
    """One row per (key, label, working, entries, obj), one cell per day: what happens in each day, in order."""
    return [
        WeekRow(key, label, [Cell(day, on_day(working, day), on_day(entries, day)) for day in days], obj)
        for key, label, working, entries, obj in rows
    ]
