"""Find free slots: the diary's set-up (cached, see `diary_setup`) plus the live appointments, into the engine.

`find_slots` makes one query when the set-up is in the cache: the active appointments the engine
can see. Those are a practitioner's appointments that overlap one of their working intervals at a
wanted clinic, and a room's that overlap someone's working interval at its clinic (a busy interval
outside every working interval changes no slot). On PostgreSQL one statement finds them through
the exclusion constraints' GiST indexes, whatever the length of the diary's history, and returns
their times as whole microseconds since the epoch: a bigint loads many times faster than a
timestamptz. SQLite (the demo) takes a plainer query over the window.
"""

from datetime import datetime, timedelta

from django.db import connections, router
from django.db.models import Q
from django.utils import timezone

from . import availability
from .availability import EPOCH, Interval, PractitionerSchedule, RoomSchedule, Slot, WorkingInterval
from .diary_setup import DiarySetup, current_setup
from .models import Appointment, Location, Practitioner, Service
from .state_machine import BLOCKING_STATUSES, Status

ONE_MICROSECOND = timedelta(microseconds=1)
# Above this many working intervals for one practitioner (or clinic), their appointments are looked
# up over one span from the first to the last: the index walks a little more, the statement stays short.
MAX_TERMS = 8


def blocking_q(now: datetime) -> Q:
    """Appointments that keep their time busy at `now` (the database twin of `state_machine.is_blocking`)."""
    return Q(status__in=[s for s in BLOCKING_STATUSES if s != Status.HELD]) | Q(status=Status.HELD, held_until__gt=now)


# PostgreSQL: the appointments of the practitioners (first branch) and rooms (second) over their
# spans, each array row one (practitioner or room id, span start, span end). The status list is the
# exclusion constraints' condition (BLOCKING_STATUSES, checked by a test), which lets PostgreSQL
# use their GiST indexes on (practitioner or room, tstzrange). LATERAL with OFFSET 0 (which keeps
# the planner from flattening it into a join) looks each span up in the index, rather than
# hash-joining a scan of the whole table, however long the diary's history.
_BUSY_BRANCH = """
    SELECT a.* FROM unnest(%s::bigint[], %s::timestamptz[], %s::timestamptz[]) AS w(whose, span_start, span_end)
     CROSS JOIN LATERAL (
        SELECT a.id, a.practitioner_id, a.room_id, a.room_place, a.blocked_start,
               (EXTRACT(EPOCH FROM a.blocked_start) * 1000000)::bigint AS start_us,
               (EXTRACT(EPOCH FROM a.blocked_end) * 1000000)::bigint AS end_us
          FROM booking_appointment a
         WHERE a.WHOSE_COLUMN = w.whose
           AND tstzrange(a.blocked_start, a.blocked_end) && tstzrange(w.span_start, w.span_end)
           AND a.status IN ('held', 'confirmed', 'arrived', 'completed') AND (a.status <> 'held' OR a.held_until > %s)
        OFFSET 0
    ) AS a"""
# Only our own column names are put into the branches: no input reaches the SQL text.
BUSY_SQL_POSTGRESQL = (
    "SELECT practitioner_id, room_id, room_place, start_us, end_us FROM ("  # noqa: S608  # nosec B608  # our column names only
    + _BUSY_BRANCH.replace("WHOSE_COLUMN", "practitioner_id")
    + "\n     UNION"
    + _BUSY_BRANCH.replace("WHOSE_COLUMN", "room_id")
    + "\n) AS found ORDER BY blocked_start"
)


def _spans(intervals: list[WorkingInterval]) -> list[tuple[datetime, datetime]]:
    """Sorted working intervals as a few spans that cover them, joined where they touch or overlap."""
    if len(intervals) > MAX_TERMS:
        return [(intervals[0].start, max(interval.end for interval in intervals))]
    spans: list[list[datetime]] = []
    for start, end, _ in intervals:
        if spans and start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    return [(start, end) for start, end in spans]


def _busy_rows(
    working_of: dict[int, list[WorkingInterval]],
    rooms_working: dict[int, list[WorkingInterval]],
    load_from: datetime,
    load_to: datetime,
    now: datetime,
):
    """(practitioner, room, place, blocked start, blocked end) of the active appointments the engine can see.

    `working_of` maps practitioners, `rooms_working` rooms, to the sorted working intervals they matter in.
    """
    connection = connections[router.db_for_read(Appointment)]
    if connection.vendor == "postgresql":
        arrays = []
        for working in (working_of, rooms_working):
            whose, starts, ends = [], [], []
            for pk, intervals in working.items():
                for span_start, span_end in _spans(intervals):
                    whose.append(pk)
                    starts.append(span_start)
                    ends.append(span_end)
            arrays += [whose, starts, ends, now]
        with connection.cursor() as cursor:
            cursor.execute(BUSY_SQL_POSTGRESQL, arrays)
            rows = cursor.fetchall()
        return [
            (practitioner_id, room_id, place, EPOCH + ONE_MICROSECOND * start, EPOCH + ONE_MICROSECOND * end)
            for practitioner_id, room_id, place, start, end in rows
        ]
    return (
        Appointment.objects.filter(blocking_q(now), blocked_start__lt=load_to, blocked_end__gt=load_from)
        .filter(Q(practitioner_id__in=working_of) | Q(room_id__in=rooms_working))
        .order_by("blocked_start")
        .values_list("practitioner_id", "room_id", "room_place", "blocked_start", "blocked_end")
    )


def find_slots(
    service: Service,
    start: datetime,
    end: datetime,
    location: Location | None = None,
    now: datetime | None = None,
    practitioner: Practitioner | None = None,
    step: timedelta = availability.STEP,
    spec: availability.ServiceSpec | None = None,
    setup: DiarySetup | None = None,
) -> list[Slot]:
    """Free slots for `service` starting in [start, end), at one location or all, sorted by start.

    `spec` replaces the service's own rules (staff booking inside the online notice, say); `setup`
    the cached diary set-up (a booking passes one read fresh from the database).
    """
    now = now or timezone.now()
    setup = setup or current_setup()
    if (
        end <= start
        or service.pk not in setup.services
        or (location is not None and location.pk not in setup.locations)
    ):
        return []
    spec = spec or service.spec
    load_from = start - spec.buffer_before
    load_to = end + spec.duration + spec.buffer_after
    first_day = timezone.localtime(load_from, availability.LONDON).date() - timedelta(days=1)
    last_day = timezone.localtime(load_to, availability.LONDON).date()

    # Each practitioner's working intervals at the clinics wanted, and every clinic's: no slot's
    # blocked interval reaches outside them, so neither does any appointment the engine needs.
    givers = setup.givers(service.pk, spec.needs_prescriber, location.pk if location else None)
    working_of: dict[int, list[WorkingInterval]] = {}
    working_at: dict[int, list[WorkingInterval]] = {}
    closed_stretches: dict[int, list[Interval]] = {}  # rota time on a day its clinic is closed (`closed_days`)
    for giver in givers:
        if practitioner is not None and giver.practitioner_id != practitioner.pk:
            continue
        places = giver.location_ids if location is None else {location.pk}
        working, closed = [], []
        for interval in availability.rota_intervals(giver.rotas, first_day, last_day):
            if interval.location_id not in places:
                continue
            if setup.is_closed(interval.location_id, interval.start.astimezone(availability.LONDON).date()):
                closed.append(Interval(interval.start, interval.end))  # the engine sees it as time off
            else:
                working.append(interval)
        if closed:
            closed_stretches[giver.practitioner_id] = closed
        if working:
            working_of[giver.practitioner_id] = working
            for interval in working:
                working_at.setdefault(interval.location_id, []).append(interval)
    if not working_of:
        return []
    rooms = {
        room_id: RoomSchedule(room_id, location_id, capacity, {})
        for room_id, location_id, capacity in setup.rooms
        if location_id in working_at
    }
    for intervals in working_at.values():
        intervals.sort()
    rooms_working = {room_id: working_at[room.location_id] for room_id, room in rooms.items()}

    busy: dict[int, list[Interval]] = {}
    for practitioner_id, room_id, place, blocked_start, blocked_end in _busy_rows(
        working_of, rooms_working, load_from, load_to, now
    ):
        interval = Interval(blocked_start, blocked_end)
        if practitioner_id in working_of:
            busy.setdefault(practitioner_id, []).append(interval)
        if room_id in rooms:
            rooms[room_id].busy.setdefault(place, []).append(interval)

    schedules = [
        PractitionerSchedule(
            practitioner_id=practitioner_id,
            rotas=setup.practitioners[practitioner_id].rotas,
            service_ids={service.pk},
            location_ids=working_at.keys(),
            is_prescriber=setup.practitioners[practitioner_id].is_prescriber,
            time_off=[
                off for off in setup.time_off.get(practitioner_id, ()) if off.start < load_to and off.end > load_from
            ]
            + closed_stretches.get(practitioner_id, []),
            busy=busy.get(practitioner_id, ()),
        )
        for practitioner_id in working_of
    ]
    return availability.free_slots(spec, schedules, start, end, now, step=step, rooms=rooms.values())
