"""Sending a patient's appointment e-mails through the tasks queue, each at most once.

How it fits together:

- `services.py` registers, on commit, `send_confirmation.enqueue(id)` when an appointment becomes
  confirmed (booked, confirmed from a hold, or the new appointment of a move) and
  `schedule_reminder(id, start)`; and `send_cancellation.enqueue(id)` when a confirmed appointment is
  cancelled (not when it is moved: the new confirmation says so and updates the calendar entry).
  Nothing is queued if the transaction rolls back. Tasks take ids only, so the queue holds no personal data.
- Reminders, 24 hours before the start, are sent two ways that cannot both succeed:
  1. `schedule_reminder` queues `send_reminder` with `run_after = start - 24 h` when the backend can
     defer tasks (the database backend can; the immediate backend used in tests cannot);
  2. `send_due_reminders` (a task, and `manage.py send_due_reminders` for cron every 10-15 minutes)
     sends every reminder that is due and not sent, whatever happened to the deferred task (queue
     lost, worker down, appointment moved). It also sends confirmations that never went out (the
     queue was down at booking time). Safe to run as often as you like, by several workers at once.
- "At most once": before sending, a task claims the message with a conditional UPDATE of the
  appointment's `confirmation_sent_at` / `reminder_sent_at` / `cancellation_sent_at`
  (`filter(pk=..., <field>__isnull=True, <still due>).update(<field>=now) == 1`). Only the one UPDATE
  that changes the row wins, on SQLite and PostgreSQL alike, so two workers never both send. If the
  mail server refuses the message the claim is released, so the next run tries again (a server that
  accepts a message and then fails to say so could, rarely, cause a second copy: the price of never
  losing one).
- A confirmation sent less than 24 hours before the start also counts as the reminder. Reminders go
  only for appointments still confirmed and still ahead, so a cancelled or moved appointment (moved
  means cancelled, plus a new appointment with its own reminder) is never reminded.
- Logs name appointment ids only; errors are re-raised without the mail server's text, which can
  contain the patient's address.
"""

import logging
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from . import messages
from .models import Appointment
from .state_machine import Status

logger = logging.getLogger(__name__)

REMINDER_LEAD = timedelta(hours=24)
#: `send_due_reminders` leaves a new booking's confirmation to its own task for this long.
CONFIRMATION_GRACE = timedelta(minutes=10)


class MessageNotSent(Exception):
    """Sending failed; the claim was released so a later run can try again."""


def _confirmation_due(now: datetime) -> Q:
    return Q(status=Status.CONFIRMED, end__gt=now)


def _reminder_due(now: datetime) -> Q:
    """Confirmed (and its confirmation sent), starting within the next 24 hours, not yet started."""
    return Q(
        status=Status.CONFIRMED,
        confirmation_sent_at__isnull=False,
        start__gt=now,
        start__lte=now + REMINDER_LEAD,
    )


def _cancellation_due(now: datetime) -> Q:
    """Cancelled, not moved (the new appointment's confirmation tells the patient), and not already over."""
    return Q(status=Status.CANCELLED, end__gt=now, moved_to__isnull=True)


def _address_check_due(now: datetime) -> Q:
    """Still held, waiting for the patient to confirm their new e-mail address."""
    return Q(status=Status.HELD, held_until__gt=now)


KINDS = {
    # kind: (the field that records it, when it is still due, what builds the e-mail)
    "address check": ("address_check_sent_at", _address_check_due, messages.address_check_email),
    "confirmation": ("confirmation_sent_at", _confirmation_due, messages.confirmation_email),
    "reminder": ("reminder_sent_at", _reminder_due, messages.reminder_email),
    "cancellation": ("cancellation_sent_at", _cancellation_due, messages.cancellation_email),
}


def send_once(appointment_id: int, kind: str, now: datetime | None = None) -> bool:
    """Claim and send one message. True if this call sent it; False if it was sent already or is not due."""
    now = now or timezone.now()
    field, due, build = KINDS[kind]
    unsent = Appointment.objects.filter(due(now), pk=appointment_id, **{f"{field}__isnull": True})
    unsent = unsent.exclude(patient_email="")  # booked at the desk without an address: nothing to send
    # Read first: a message already sent or no longer due costs no write (and no SQLite write lock).
    claimed = unsent.exists() and unsent.update(**{field: now}) == 1
    if not claimed:
        logger.info("Appointment %s: %s not sent (already sent, not due, or no address)", appointment_id, kind)
        return False
    appointment = Appointment(pk=appointment_id)
    try:
        build(appointment, now).send()
    except Exception as error:
        Appointment.objects.filter(pk=appointment_id, **{field: now}).update(**{field: None})
        logger.warning("Appointment %s: %s failed (%s); will try again", appointment_id, kind, type(error).__name__)
        raise MessageNotSent(f"The {kind} for appointment {appointment_id} failed: {type(error).__name__}") from None
    if kind == "confirmation":
        # Close enough to the start: the confirmation is the reminder.
        Appointment.objects.filter(
            pk=appointment_id, reminder_sent_at__isnull=True, start__lte=now + REMINDER_LEAD
        ).update(reminder_sent_at=now)
    logger.info("Appointment %s: %s sent", appointment_id, kind)
    return True


@task()
def send_confirmation(appointment_id: int) -> bool:
    """E-mail the confirmation (with the .ics) of a confirmed appointment, once."""
    return send_once(appointment_id, "confirmation")


@task()
def send_address_check(appointment_id: int) -> bool:
    """E-mail the link that confirms a booking made with a new e-mail address, once."""
    return send_once(appointment_id, "address check")


@task()
def send_reminder(appointment_id: int) -> bool:
    """E-mail the reminder of a confirmed appointment starting within 24 hours, once."""
    return send_once(appointment_id, "reminder")


@task()
def send_cancellation(appointment_id: int) -> bool:
    """E-mail the notice (with a METHOD:CANCEL .ics) that an appointment was cancelled, once."""
    return send_once(appointment_id, "cancellation")


def schedule_reminder(appointment_id: int, start: datetime, now: datetime | None = None) -> bool:
    """Queue the reminder to run 24 hours before `start`, if the backend can defer tasks and that is ahead.

    Only an optimisation of when it arrives: `send_due_reminders` sends it anyway if this is
    lost, and `send_reminder` checks again that it is due when it runs.
    """
    now = now or timezone.now()
    run_after = start - REMINDER_LEAD
    if run_after <= now or not send_reminder.get_backend().supports_defer:
        return False
    send_reminder.using(run_after=run_after).enqueue(appointment_id)
    return True


def due_confirmations(now: datetime) -> list[int]:
    """Confirmed appointments still ahead whose confirmation never went out (past the grace period)."""
    return list(
        Appointment.objects.filter(
            _confirmation_due(now),
            confirmation_sent_at__isnull=True,
            start__gt=now,
            created_at__lte=now - CONFIRMATION_GRACE,
        )
        .exclude(patient_email="")  # no address, nothing to send (so never a reminder either)
        .order_by("start")
        .values_list("pk", flat=True)
    )


def due_address_checks(now: datetime) -> list[int]:
    """Bookings still waiting for a new address to be confirmed whose link never went out (queue down)."""
    return list(
        Appointment.objects.filter(
            _address_check_due(now),
            address_check_asked_at__lte=now - timedelta(minutes=1),
            address_check_sent_at__isnull=True,
        ).values_list("pk", flat=True)
    )


def due_reminders(now: datetime) -> list[int]:
    return list(
        Appointment.objects.filter(_reminder_due(now), reminder_sent_at__isnull=True)
        .order_by("start")
        .values_list("pk", flat=True)
    )


def send_due(now: datetime | None = None) -> dict[str, int]:
    """Send every due confirmation that was missed, then every due reminder. Returns the counts."""
    now = now or timezone.now()
    counts = {"confirmations": 0, "reminders": 0, "address checks": 0, "failed": 0}

    def send(ids, kind, counter):
        for appointment_id in ids:
            try:
                counts[counter] += send_once(appointment_id, kind, now)
            except MessageNotSent:
                counts["failed"] += 1

    send(due_address_checks(now), "address check", "address checks")
    send(due_confirmations(now), "confirmation", "confirmations")
    send(due_reminders(now), "reminder", "reminders")  # after: a late confirmation also counts as the reminder
    if any(counts.values()):
        logger.info(
            "Due messages: %s confirmations, %s reminders sent, %s failed",
            counts["confirmations"],
            counts["reminders"],
            counts["failed"],
        )
    return counts


@task()
def send_due_reminders() -> dict[str, int]:
    """Send every reminder that is due and missed confirmations (see the module's docstring). Idempotent."""
    return send_due()
