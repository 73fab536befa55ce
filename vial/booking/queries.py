"""Load what the availability engine needs in a fixed number of queries, and call it.

`find_slots` makes six queries whatever the size of the window or the diary: practitioners, their
locations, rotas, time off, rooms, and the active appointments that could touch the window.
"""

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from . import availability
from .availability import Interval, PractitionerSchedule, RoomSchedule, RotaRow, Slot
from .models import Appointment, Location, Practitioner, Room, Service, TimeOff, WeeklyRota
from .state_machine import BLOCKING_STATUSES, Status


def blocking_q(now: datetime) -> Q:
    """Appointments that keep their time busy at `now` (the database twin of `state_machine.is_blocking`)."""
    return Q(status__in=[s for s in BLOCKING_STATUSES if s != Status.HELD]) | Q(status=Status.HELD, held_until__gt=now)


def find_slots(
    service: Service,
    start: datetime,
    end: datetime,
    location: Location | None = None,
    now: datetime | None = None,
    practitioner: Practitioner | None = None,
    step: timedelta = availability.STEP,
) -> list[Slot]:
    """Free slots for `service` starting in [start, end), at one location or all, sorted by start."""
    now = now or timezone.now()
    if not service.active or end <= start or (location is not None and not location.active):
        return []
    spec = service.spec
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

    busy: dict[int, list[Interval]] = {}
    appointments = (
        Appointment.objects.filter(blocking_q(now), blocked_start__lt=load_to, blocked_end__gt=load_from)
        .filter(Q(practitioner_id__in=locations_of) | Q(room_id__in=rooms))
        .order_by("blocked_start")
        .values_list("practitioner_id", "room_id", "room_place", "blocked_start", "blocked_end")
    )
    for practitioner_id, room_id, place, blocked_start, blocked_end in appointments:
        interval = Interval(blocked_start, blocked_end)
        if practitioner_id in locations_of:
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
        if practitioner_id in rotas
    ]
    return availability.free_slots(spec, schedules, start, end, now, step=step, rooms=rooms.values())
