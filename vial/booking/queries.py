"""Load what the availability engine needs in a fixed number of queries, and call it.

`find_slots` makes six queries whatever the size of the window or the diary: practitioners, their
locations, rotas, time off, rooms, and the active appointments that could touch the window.

Loading appointments is most of a request's cost, so only those the engine can see are loaded: a
practitioner's appointments that overlap one of their working intervals at a wanted location, and a
room's that overlap someone's working interval at its location (a busy interval outside every
working interval changes no slot). On PostgreSQL their times come as whole microseconds since the
epoch: a bigint loads many times faster than a timestamptz.
"""

from datetime import datetime, timedelta

from django.db import connections, router
from django.db.models import BigIntegerField, Func, Q
from django.utils import timezone

from . import availability
from .availability import EPOCH, Interval, PractitionerSchedule, RoomSchedule, RotaRow, Slot, WorkingInterval
from .models import Appointment, Location, Practitioner, Room, Service, TimeOff, WeeklyRota
from .state_machine import BLOCKING_STATUSES, Status


def blocking_q(now: datetime) -> Q:
    """Appointments that keep their time busy at `now` (the database twin of `state_machine.is_blocking`)."""
    return Q(status__in=[s for s in BLOCKING_STATUSES if s != Status.HELD]) | Q(status=Status.HELD, held_until__gt=now)


ONE_MICROSECOND = timedelta(microseconds=1)
# Above this many working intervals for one practitioner (or location), its appointments are loaded
# for one span from the first to the last instead: a long OR costs more to build than it saves.
MAX_TERMS = 8


class EpochMicroseconds(Func):
    """A PostgreSQL timestamptz as whole microseconds since the Unix epoch (exact: EXTRACT gives numeric)."""

    template = "(EXTRACT(EPOCH FROM %(expressions)s) * 1000000)::bigint"
    output_field = BigIntegerField()


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


def find_slots(
    service: Service,
    start: datetime,
    end: datetime,
    location: Location | None = None,
    now: datetime | None = None,
    practitioner: Practitioner | None = None,
    step: timedelta = availability.STEP,
    spec: availability.ServiceSpec | None = None,
) -> list[Slot]:
    """Free slots for `service` starting in [start, end), at one location or all, sorted by start.

    `spec` replaces the service's own rules (staff booking inside the online notice, say).
    """
    now = now or timezone.now()
    if not service.active or end <= start or (location is not None and not location.active):
        return []
    spec = spec or service.spec
    load_from = start - spec.buffer_before
    load_to = end + spec.duration + spec.buffer_after

    practitioners = Practitioner.objects.filter(active=True, services=service)
    if spec.needs_prescriber:
        practitioners = practitioners.filter(is_prescriber=True)
    if practitioner is not None:
        practitioners = practitioners.filter(pk=practitioner.pk)
    prescriber = dict(practitioners.values_list("pk", "is_prescriber"))
    if not prescriber:
        return []

    links = Practitioner.locations.through.objects.filter(practitioner_id__in=prescriber, location__active=True)
    if location is not None:
        links = links.filter(location_id=location.pk)
    locations_of: dict[int, set[int]] = {}
    for practitioner_id, location_id in links.values_list("practitioner_id", "location_id"):
        locations_of.setdefault(practitioner_id, set()).add(location_id)
    if not locations_of:
        return []
    location_ids = set().union(*locations_of.values())

    first_day = timezone.localtime(load_from, availability.LONDON).date() - timedelta(days=1)
    last_day = timezone.localtime(load_to, availability.LONDON).date()
    rotas: dict[int, list[RotaRow]] = {}
    rota_rows = (
        WeeklyRota.objects.filter(practitioner_id__in=locations_of, location_id__in=location_ids)
        .filter(valid_from__lte=last_day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=first_day))
        .values_list("practitioner_id", "location_id", "weekday", "start_time", "end_time", "valid_from", "valid_until")
    )
    for practitioner_id, *row in rota_rows:
        rotas.setdefault(practitioner_id, []).append(RotaRow(*row))

    time_off: dict[int, list[Interval]] = {}
    for practitioner_id, off_start, off_end in TimeOff.objects.filter(
        practitioner_id__in=locations_of, start__lt=load_to, end__gt=load_from
    ).values_list("practitioner_id", "start", "end"):
        time_off.setdefault(practitioner_id, []).append(Interval(off_start, off_end))

    rooms = {
        room_id: RoomSchedule(room_id, location_id, capacity, {})
        for room_id, location_id, capacity in Room.objects.filter(location_id__in=location_ids).values_list(
            "pk", "location_id", "capacity"
        )
    }

    # Each practitioner's working intervals at the locations wanted, and every location's: no slot's
    # blocked interval reaches outside them, so neither does any appointment the engine needs.
    working_of: dict[int, list[WorkingInterval]] = {}
    working_at: dict[int, list[WorkingInterval]] = {}
    for practitioner_id, practitioner_locations in locations_of.items():
        working = [
            interval
            for interval in availability.rota_intervals(rotas.get(practitioner_id, ()), first_day, last_day)
            if interval.location_id in practitioner_locations
        ]
        if working:
            working_of[practitioner_id] = working
            for interval in working:
                working_at.setdefault(interval.location_id, []).append(interval)
    if not working_of:
        return []
    # One condition per span, naming everyone (and every room) it applies to: colleagues often share
    # their hours, and a short OR is what keeps building the query cheap.
    who: dict[tuple[datetime, datetime], tuple[list[int], list[int]]] = {}
    for practitioner_id, working in working_of.items():
        for span in _spans(working):
            who.setdefault(span, ([], []))[0].append(practitioner_id)
    for location_id, working in working_at.items():
        location_rooms = [room_id for room_id, room in rooms.items() if room.location_id == location_id]
        if location_rooms:
            working.sort()
            for span in _spans(working):
                who.setdefault(span, ([], []))[1].extend(location_rooms)
    wanted = Q()
    for (span_start, span_end), (practitioner_ids, room_ids) in who.items():
        whose = Q(practitioner_id__in=practitioner_ids) if practitioner_ids else Q()
        if room_ids:
            whose |= Q(room_id__in=room_ids)
        wanted |= Q(blocked_start__lt=span_end, blocked_end__gt=span_start) & whose

    busy: dict[int, list[Interval]] = {}
    appointments = (
        Appointment.objects.filter(blocking_q(now), blocked_start__lt=load_to, blocked_end__gt=load_from)
        .filter(wanted)
        .order_by("blocked_start")
    )
    if connections[router.db_for_read(Appointment)].vendor == "postgresql":
        rows = appointments.values_list(
            "practitioner_id",
            "room_id",
            "room_place",
            EpochMicroseconds("blocked_start"),
            EpochMicroseconds("blocked_end"),
        )
        rows = (
            (practitioner_id, room_id, place, EPOCH + ONE_MICROSECOND * start, EPOCH + ONE_MICROSECOND * end)
            for practitioner_id, room_id, place, start, end in rows
        )
    else:
        rows = appointments.values_list("practitioner_id", "room_id", "room_place", "blocked_start", "blocked_end")
    for practitioner_id, room_id, place, blocked_start, blocked_end in rows:
        interval = Interval(blocked_start, blocked_end)
        if practitioner_id in working_of:
            busy.setdefault(practitioner_id, []).append(interval)
        if room_id in rooms:
            rooms[room_id].busy.setdefault(place, []).append(interval)

    schedules = [
        PractitionerSchedule(
            practitioner_id=practitioner_id,
            rotas=rotas.get(practitioner_id, ()),
            service_ids={service.pk},
            location_ids=practitioner_locations,
            is_prescriber=prescriber[practitioner_id],
            time_off=time_off.get(practitioner_id, ()),
            busy=busy.get(practitioner_id, ()),
        )
        for practitioner_id, practitioner_locations in locations_of.items()
        if practitioner_id in working_of
    ]
    return availability.free_slots(spec, schedules, start, end, now, step=step, rooms=rooms.values())
