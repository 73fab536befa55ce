"""The diary's set-up, read once and kept until staff change it: who works where, when, and what they give.

Finding free times needs two kinds of facts. The set-up (services, clinics, rooms, practitioners,
their rotas and time off) changes when staff edit it in the admin; the appointments change all the
time. `current_setup()` keeps the set-up in Django's cache under a version that any save or delete
of those models (or of a practitioner's clinics or services) replaces, on the spot and again when
the transaction commits, so a change is seen by the next request. Appointments are never cached:
`queries.find_slots` reads them live on every call.

A booking checks its slot against a set-up read fresh from the database (`load_setup()`), so a
change that bypassed the signals (a bulk `update()`) can never let a booking through, and the
database constraints stand behind both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from vial.core import versions

from .availability import LONDON, Interval, RotaRow
from .closed_days import closed_days
from .models import ClinicClosure, Location, Practitioner, Room, Service, TimeOff, WeeklyRota

VERSION_KEY = "booking:setup-version"
SETUP_KEY = "booking:setup"
# A safety net only (every change replaces the version at once): a change made behind the
# signals' back, such as a bulk update(), is seen within this many seconds.
SETUP_TIMEOUT = 300


@dataclass(frozen=True)
class PractitionerSetup:
    practitioner_id: int
    name: str
    is_prescriber: bool
    service_ids: frozenset[int]
    location_ids: frozenset[int]  # clinics taking online bookings only
    rotas: tuple[RotaRow, ...]


@dataclass(frozen=True)
class DiarySetup:
    """Everything availability needs besides the appointments, as plain values.

    `services` and `locations` hold the active ones; `practitioners` the active ones who give at
    least one service at an active clinic. Rotas and time off are kept whole (a few rows a month
    per person); `find_slots` picks the lines that touch its window.
    """

    services: dict[int, Service]
    locations: dict[int, Location]
    practitioners: dict[int, PractitionerSetup]
    rooms: tuple[tuple[int, int, int], ...]  # (room id, location id, capacity)
    time_off: dict[int, tuple[Interval, ...]]
    read_at: datetime
    # Per clinic, the UK dates it takes no online bookings (bank holidays, Christmas, closures):
    # last year to three years ahead, past any booking horizon. See `closed_days`.
    closed: dict[int, frozenset[date]]

    def is_closed(self, location_id: int, day: date) -> bool:
        return day in self.closed.get(location_id, ())

    def givers(
        self, service_id: int, needs_prescriber: bool, location_id: int | None = None
    ) -> list[PractitionerSetup]:
        """Practitioners who may give the service (prescribers, if it needs one), at `location_id` if given."""
        return [
            p
            for p in self.practitioners.values()
            if service_id in p.service_ids
            and (p.is_prescriber or not needs_prescriber)
            and (location_id is None or location_id in p.location_ids)
        ]


def load_setup() -> DiarySetup:
    """The set-up from the database, in nine queries."""
    read_at = timezone.now()
    services = {service.pk: service for service in Service.objects.filter(active=True)}
    locations = {location.pk: location for location in Location.objects.filter(active=True)}
    people = {
        pk: (name, prescriber)
        for pk, name, prescriber in Practitioner.objects.filter(active=True).values_list(
            "pk", "display_name", "is_prescriber"
        )
    }
    gives: dict[int, set[int]] = {}
    for practitioner_id, service_id in Practitioner.services.through.objects.filter(
        practitioner_id__in=people, service_id__in=services
    ).values_list("practitioner_id", "service_id"):
        gives.setdefault(practitioner_id, set()).add(service_id)
    works_at: dict[int, set[int]] = {}
    for practitioner_id, location_id in Practitioner.locations.through.objects.filter(
        practitioner_id__in=people, location_id__in=locations
    ).values_list("practitioner_id", "location_id"):
        works_at.setdefault(practitioner_id, set()).add(location_id)
    rotas: dict[int, list[RotaRow]] = {}
    for practitioner_id, *row in (
        WeeklyRota.objects.filter(practitioner_id__in=people, location_id__in=locations)
        .order_by("valid_from", "pk")
        .values_list("practitioner_id", "location_id", "weekday", "start_time", "end_time", "valid_from", "valid_until")
    ):
        rotas.setdefault(practitioner_id, []).append(RotaRow(*row))
    time_off: dict[int, list[Interval]] = {}
    for practitioner_id, start, end in TimeOff.objects.filter(practitioner_id__in=people).values_list(
        "practitioner_id", "start", "end"
    ):
        time_off.setdefault(practitioner_id, []).append(Interval(start, end))
    practitioners = {
        pk: PractitionerSetup(
            practitioner_id=pk,
            name=people[pk][0],
            is_prescriber=people[pk][1],
            service_ids=frozenset(gives[pk]),
            location_ids=frozenset(works_at[pk]),
            rotas=tuple(rotas.get(pk, ())),
        )
        for pk in people
        if gives.get(pk) and works_at.get(pk)
    }
    rooms = tuple(
        Room.objects.filter(location_id__in=locations).order_by("pk").values_list("pk", "location_id", "capacity")
    )
    year = read_at.astimezone(LONDON).year
    closures = ClinicClosure.objects.filter(date__year__gte=year - 1).values_list("location_id", "date", "kind")
    return DiarySetup(
        services=services,
        locations=locations,
        practitioners=practitioners,
        rooms=rooms,
        time_off={pk: tuple(intervals) for pk, intervals in time_off.items()},
        read_at=read_at,
        closed=closed_days(locations, range(year - 1, year + 4), closures),
    )


def setup_version() -> str:
    return versions.current(VERSION_KEY)


# The last set-up this process read, by version: a repeat costs one cache read, no unpickling.
_memo: dict[str, DiarySetup] = {}


def current_setup() -> DiarySetup:
    """The set-up as staff last saved it: from this process's memory or the cache, else the database."""
    version = setup_version()
    setup = _memo.get(version)
    if setup is not None and timezone.now() - setup.read_at < timedelta(seconds=SETUP_TIMEOUT):
        return setup
    key = f"{SETUP_KEY}:{version}"
    setup = cache.get(key)
    if setup is None:
        setup = load_setup()
        cache.set(key, setup, SETUP_TIMEOUT)
    _memo.clear()
    _memo[version] = setup
    return setup


def setup_changed(**kwargs) -> None:
    """A new set-up version (the memo, keyed by version, then misses too)."""
    versions.replace_now_and_on_commit(VERSION_KEY)


def connect() -> None:
    for model in (Service, Location, Room, Practitioner, WeeklyRota, TimeOff, ClinicClosure):
        post_save.connect(setup_changed, sender=model, dispatch_uid=f"booking-setup-{model.__name__}-saved")
        post_delete.connect(setup_changed, sender=model, dispatch_uid=f"booking-setup-{model.__name__}-deleted")
    for through in (Practitioner.locations.through, Practitioner.services.through):
        m2m_changed.connect(setup_changed, sender=through, dispatch_uid=f"booking-setup-{through.__name__}-changed")
