"""An appointment's status, the moves allowed between statuses, and `set_status`, the one way to move.

    held ──► confirmed ──► arrived ──► completed
      │          │
      │          ├──► cancelled
      │          └──► no_show
      └──► cancelled   (the patient gave up, or the 10-minute hold expired)

A patient who arrived was not a no-show, and their visit ends as completed even if they were not
treated (the clinical record says why). Cancelled, no-show and completed are final: a mistaken
no-show is corrected by booking again, because the time it freed may already be someone else's.
"""

from datetime import datetime

from django.db import models, transaction

from vial.audit.log import SYSTEM, Action, record


class Status(models.TextChoices):
    HELD = "held", "Held (awaiting confirmation)"
    CONFIRMED = "confirmed", "Confirmed"
    ARRIVED = "arrived", "Arrived"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"
    NO_SHOW = "no_show", "Did not attend"


#: Every allowed move, written out. Anything not listed is refused.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.HELD: frozenset({Status.CONFIRMED, Status.CANCELLED}),
    Status.CONFIRMED: frozenset({Status.ARRIVED, Status.CANCELLED, Status.NO_SHOW}),
    Status.ARRIVED: frozenset({Status.COMPLETED}),
    Status.COMPLETED: frozenset(),
    Status.CANCELLED: frozenset(),
    Status.NO_SHOW: frozenset(),
}

#: Statuses whose appointments keep their practitioner and room busy, in the engine and in the
#: database constraint. A hold counts only until `held_until` (see `is_blocking`); the database
#: counts it until it is released, which `services.release_expired_holds` does before booking.
#: Completed visits keep their time: marking one completed early must not free the rest of it.
BLOCKING_STATUSES: tuple[str, ...] = (Status.HELD, Status.CONFIRMED, Status.ARRIVED, Status.COMPLETED)


class IllegalTransition(Exception):
    """A status move that the list of allowed moves does not contain."""


def label(status: str) -> str:
    try:
        return Status(status).label.lower()
    except ValueError:
        return repr(status)


def is_blocking(status: str, held_until: datetime | None, now: datetime) -> bool:
    """Does an appointment in this status keep its time busy at `now`?"""
    if status == Status.HELD:
        return held_until is not None and held_until > now
    return status in BLOCKING_STATUSES


def check_transition(old: str, new: str) -> None:
    if new not in TRANSITIONS.get(old, frozenset()):
        allowed = ", ".join(sorted(label(s) for s in TRANSITIONS.get(old, ()))) or "nothing: it is final"
        raise IllegalTransition(
            f"An appointment that is {label(old)} cannot become {label(new)}. From {label(old)} it can become: "
            f"{allowed}."
        )


def set_status(appointment, new_status: str, by=None, note: str = ""):
    """Move `appointment` to `new_status` and write a history row and an audit row, in one transaction.

    `by` is the staff user who acted, or a text naming who else did (the patient by their e-mailed link,
    the booking website); None is the system (a hold that ran out).

    The row is locked and its status re-read first, so two people acting on the same appointment at
    once cannot both move it. Raises IllegalTransition (and writes nothing) for a move not in
    TRANSITIONS. Updates and returns `appointment`.
    """
    model = type(appointment)
    with transaction.atomic():
        current = model.objects.select_for_update().only("pk", "status").get(pk=appointment.pk)
        old = current.status
        check_transition(old, new_status)
        model.objects.filter(pk=appointment.pk).update(status=new_status)
        staff = by if getattr(by, "is_authenticated", False) else None
        appointment.status_changes.create(from_status=old, to_status=new_status, by=staff, note=note)
        detail = f"{Status(old).label} to {Status(new_status).label}"
        record(by or SYSTEM, Action.CHANGE, "appointment status", appointment.patient_id, ["status"], detail)
    appointment.status = new_status
    return appointment
