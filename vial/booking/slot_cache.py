"""Free times as patients browse them, kept briefly and dropped the moment the diary changes.

Many patients look at the same weeks, and the diary changes far less often than it is read. So
the free times shown to patients (the API's availability, the booking pages' lists of times) are
kept in Django's cache for `BOOKING_SLOTS_CACHE_SECONDS` (30 by default; 0 turns this off) under
the diary set-up's version (`diary_setup`) and a version for each week (Monday to Sunday, UTC) of
appointments the answer read. Any appointment saved or deleted, and any status change (each writes
a history row), replaces the versions of the weeks its time touches, on the spot and again when its
transaction commits, so the next patient sees the change; answers about other weeks stay.

What the cache cannot know is the clock: a kept answer is filtered again for the minimum notice
when served, so a time never shows once it is too close. A lapsed 10-minute hold may show as
taken, and a day just reaching the booking horizon may be missing, for at most those 30 seconds.

Booking never reads from here: `services.book_appointment` checks the slot against the database
inside its transaction, and the database constraints stand behind that. A time shown here that
has just gone is answered with the next free times.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from vial.core import versions

from . import availability
from .availability import Slot
from .diary_setup import DiarySetup, setup_version
from .models import Appointment, AppointmentStatusChange, Location, Practitioner, Service
from .queries import find_slots

VERSION_KEY = "booking:appointments-version"
SLOTS_KEY = "booking:slots"
ONE_WEEK = timedelta(weeks=1)


def week_keys(start: datetime, end: datetime) -> list[str]:
    """The version keys of the weeks (Monday to Sunday, UTC) that [start, end] touches."""
    monday = start.astimezone(UTC).date() - timedelta(days=start.astimezone(UTC).weekday())
    last = end.astimezone(UTC).date()
    keys = []
    while monday <= last:
        keys.append(f"{VERSION_KEY}:{monday.isoformat()}")
        monday += ONE_WEEK
    return keys


def free_times(
    service: Service,
    start: datetime,
    end: datetime,
    location: Location | None = None,
    practitioner: Practitioner | None = None,
    step: timedelta = availability.STEP,
    setup: DiarySetup | None = None,
) -> list[Slot]:
    """`queries.find_slots` as of now, from the cache when the diary has not changed since (see above)."""
    seconds = settings.BOOKING_SLOTS_CACHE_SECONDS
    now = timezone.now()
    if seconds <= 0:
        return find_slots(
            service, start, end, location=location, now=now, practitioner=practitioner, step=step, setup=setup
        )
    spec = service.spec
    # The versions are read before the diary is: an answer found while a change commits is kept
    # under the old versions, which the change has already replaced. The weeks are those of every
    # appointment `find_slots` may read: the window widened by the service's buffers and length.
    weeks = week_keys(start - spec.buffer_before, end + spec.duration + spec.buffer_after)
    identity = (
        setup_version(),
        *versions.current_many(weeks),
        spec,
        start.isoformat(),
        end.isoformat(),
        location.pk if location else None,
        practitioner.pk if practitioner else None,
        step,
    )
    key = f"{SLOTS_KEY}:{hashlib.md5(repr(identity).encode(), usedforsecurity=False).hexdigest()}"
    slots = cache.get(key)
    if slots is None:
        slots = find_slots(
            service, start, end, location=location, now=now, practitioner=practitioner, step=step, setup=setup
        )
        cache.set(key, slots, seconds)
        return slots
    # Sorted by start: drop those that have come inside the minimum notice since they were found.
    return slots[bisect_left(slots, now + spec.minimum_notice, key=lambda slot: slot.start) :]


def appointment_changed(instance: Appointment, **kwargs) -> None:
    versions.replace_now_and_on_commit(*week_keys(instance.blocked_start, instance.blocked_end))


def status_changed(instance: AppointmentStatusChange, **kwargs) -> None:
    appointment_changed(instance.appointment)


def connect() -> None:
    post_save.connect(appointment_changed, sender=Appointment, dispatch_uid="booking-slots-appointment-saved")
    post_delete.connect(appointment_changed, sender=Appointment, dispatch_uid="booking-slots-appointment-deleted")
    # A status change is an update() plus this history row (`state_machine.set_status`).
    post_save.connect(status_changed, sender=AppointmentStatusChange, dispatch_uid="booking-slots-status-changed")
