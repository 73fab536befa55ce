"""Business actions for the diary: book (or hold) an appointment, confirm a hold, cancel, release lapsed holds.

Double booking is impossible in the database, not only here:

- PostgreSQL: exclusion constraints refuse two active appointments whose blocked times overlap for
  the same practitioner or the same room place (`Appointment.Meta.constraints`). Two bookings that
  pass the check at the same moment meet there; the loser gets SQLSTATE 23P01 and `SlotUnavailable`.
- SQLite: every transaction begins with `BEGIN IMMEDIATE` (settings), which takes the database's
  write lock, so the check and the insert below run one booking at a time.

Logs name appointments by id only: never a patient's name, e-mail address, phone number or birth date.
"""

import logging
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.log_actions import log

from vial.audit.log import Action
from vial.audit.log import record as audit
from vial.patients.models import Patient as PatientRecord
from vial.patients.services import Details, find_or_create_patient, find_patient

from . import tasks
from .availability import ServiceSpec, Slot
from .diary_setup import load_setup
from .messages import CANCELLED_WITH_CONSULTATION
from .models import (
    PATIENT_CONSTRAINT,
    Appointment,
    AppointmentStatusChange,
    Location,
    Practitioner,
    Service,
    TimeOff,
    format_local,
    local,
)
from .queries import blocking_q, find_slots
from .state_machine import IllegalTransition, Status, label, set_status

logger = logging.getLogger(__name__)

HOLD_MINUTES = 10
ADDRESS_CHECK_MINUTES = 30  # how long a booking with a new e-mail address waits for the link's click
ALTERNATIVES = 5
ALTERNATIVES_DAYS = 14
OLDEST_AGE = 120
ADULT_AGE = 18
EXCLUSION_VIOLATION = "23P01"
ROOM_CONSTRAINT = "booking_no_room_overlap"
RETRYABLE = {"40P01", "40001"}  # deadlock detected, serialization failure: try again
ATTEMPTS = 3
STAFF_HORIZON_DAYS = 2 * 365
TREATING_KINDS = (Service.Kind.TREATMENT, Service.Kind.COMBINED)


class BookingError(Exception):
    """A booking action that cannot be done; the message says why, in words a patient understands."""

    @property
    def message(self) -> str:
        return str(self)


class SlotUnavailable(BookingError):
    """The time is not (or no longer) free. `alternatives` lists the next free slots."""

    def __init__(self, message: str, alternatives: list[Slot] | None = None, caught_by_database: bool = False):
        super().__init__(message)
        self.alternatives = alternatives or []
        self.caught_by_database = caught_by_database  # True when the constraint, not the check, refused it


class NotEligible(BookingError):
    """The patient may not book this service (age, and later the other eligibility rules)."""


class TooSoon(NotEligible):
    """A re-treatment sooner than the treatment's minimum interval. `earliest` is the first allowed date."""

    def __init__(self, message: str, earliest: date):
        super().__init__(message)
        self.earliest = earliest


class NeedsConsultation(NotEligible):
    """A first visit for a prescription-only treatment: the prescriber's consultation comes first.

    `consultations` lists the active services that can come first (a consultation, or a combined
    consultation and treatment), for the booking flow to offer instead.
    """

    def __init__(self, message: str, consultations: list[Service]):
        super().__init__(message)
        self.consultations = consultations


class AlreadyBooked(BookingError):
    """The patient already has a live appointment at that time (a retried or doubled request, say)."""


class CancellationRefused(BookingError):
    """Too late to cancel online, or the appointment is not in a state that can be cancelled."""


class AppointmentNotFound(BookingError):
    """No appointment with that cancel token."""


#: The patient's details as typed into a booking (web form, API or diary); `record` is the patient
#: record when staff chose one. `book_appointment` turns them into the record (`find_or_create_patient`).
Patient = Details


class _Conflict(Exception):
    """Internal: the slot is taken; turned into SlotUnavailable once the transaction has rolled back."""


class _RoomTaken(_Conflict):
    """Internal: another booking took the room chosen for this one at the same moment; try another room."""


# --- Eligibility -------------------------------------------------------------------------------


def age_on(date_of_birth: date, day: date) -> int:
    """Age in whole years on `day` (a 29 February birthday counts from 1 March in other years)."""
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def check_patient(service: Service, patient: Patient, start: datetime, now: datetime, staff: bool = False) -> None:
    """The patient's details are plausible and they may book this service at `start`.

    Online, everyone gives an e-mail address (the confirmation and its links go there) and a date of
    birth. Staff (`staff=True`: walk-ins, phone bookings) need a name and a way to reach the patient,
    an e-mail address or a phone number, and the date of birth only where the age rule needs it (a
    prescription-only treatment's services). A patient without an address is sent no e-mails.
    """
    if not patient.name.strip():
        raise BookingError("Please give the patient's name.")
    if patient.email.strip() or not staff:
        try:
            validate_email(patient.email)
        except ValidationError as error:
            raise BookingError("Please give a valid e-mail address.") from error
    elif not patient.phone.strip():
        raise BookingError("Please give a way to reach the patient: an e-mail address or a phone number.")
    dob = patient.date_of_birth
    age_rule = service.treatment is not None and service.treatment.prescription_only
    if dob is None and staff and not age_rule:
        return
    if dob is None:
        if staff:
            raise BookingError(
                f"Please give the patient's date of birth: '{service.name}' involves a prescription-only "
                "medicine, for adults only, so the age must be checked."
            )
        raise BookingError("Please give the patient's date of birth.")
    today = local(now).date()
    if dob > today:
        raise BookingError("The date of birth cannot be in the future.")
    if age_on(dob, today) > OLDEST_AGE:
        raise BookingError("Please check the date of birth.")
    treatment = service.treatment
    if treatment is not None and treatment.prescription_only and age_on(dob, local(start).date()) < ADULT_AGE:
        raise NotEligible(under_18_refusal(service))


def under_18_refusal(service: Service) -> str:
    """Why an under-18 cannot book this online, in words that fit the treatment's use (its page's category)."""
    if service.treatment.category == service.treatment.Category.MEDICAL:
        return (
            f"Sorry, we cannot book '{service.name}' for anyone under 18 online. It involves a prescription-only "
            "medicine, and for a medical problem like this a young person needs a doctor's assessment first, "
            "usually through their GP or a hospital specialist; we do not arrange that online. Please phone the "
            "clinic or talk to your GP about what could help."
        )
    return (
        f"Sorry, we cannot book '{service.name}' for anyone under 18. It involves a prescription-only medicine "
        "used for cosmetic reasons, and in England the Botulinum Toxin and Cosmetic Fillers (Children) Act 2021 "
        "does not allow us to give or arrange it for under-18s, even with a parent's consent. Please phone the "
        "clinic if you would like to talk about other options."
    )


def long_date(day: date, weekday: bool = False) -> str:
    """e.g. '3 March 2026', or 'Tuesday 3 March 2026'."""
    return f"{day:%A} {day.day} {day:%B %Y}" if weekday else f"{day.day} {day:%B %Y}"


#: Statuses of earlier visits that count towards the re-treatment interval.
COUNTED_TREATMENTS = (Status.HELD, Status.CONFIRMED, Status.ARRIVED, Status.COMPLETED)


def check_retreatment_interval(service: Service, patient: Patient, start: datetime, now: datetime) -> None:
    """Refuse a treatment sooner than the treatment's minimum interval after (or before) another one.

    Reads the patient record's own history (a new patient has none). Days are counted on UK
    calendar dates.
    """
    treatment = service.treatment
    if treatment is None or not treatment.min_retreatment_days or service.kind not in TREATING_KINDS:
        return
    gap = timedelta(days=treatment.min_retreatment_days)
    day = local(start).date()
    others = (
        Appointment.objects.filter(
            visits_of(patient),
            service__treatment=treatment,
            service__kind__in=TREATING_KINDS,
            status__in=COUNTED_TREATMENTS,
            start__gt=start - gap - timedelta(days=1),
            start__lt=start + gap + timedelta(days=1),
        )
        .exclude(status=Status.HELD, held_until__lte=now)
        .order_by("start")
    )
    for other in others:
        other_day = local(other.start).date()
        if other_day <= day < other_day + gap:
            earliest = other_day + gap
            raise TooSoon(
                f"'{treatment.title}' should not be repeated within {treatment.min_retreatment_days} days. Your last "
                f"one was on {long_date(other_day)}, so the earliest date we can book is "
                f"{long_date(earliest, weekday=True)}.",
                earliest=earliest,
            )
        if day < other_day < day + gap:
            raise TooSoon(
                f"You already have '{treatment.title}' booked on {long_date(other_day)}, and treatments need to be "
                f"at least {treatment.min_retreatment_days} days apart. Please choose another date or change that "
                "booking.",
                earliest=other_day + gap,
            )


#: A consultation counts once it is booked for certain: a hold (or a booking still waiting for its
#: e-mail address to be confirmed) is not, and a cancelled or missed one never was.
ASSESSED_STATUSES = (Status.CONFIRMED, Status.ARRIVED, Status.COMPLETED)
ASSESSING_KINDS = (Service.Kind.CONSULTATION, Service.Kind.COMBINED)
#: Live bookings of a treatment that rest on an earlier consultation.
LIVE_STATUSES = (Status.HELD, Status.CONFIRMED)
OVERRIDE_NOTE = "Consultation-first rule overridden by staff: "


def record_of(patient: Patient) -> PatientRecord | None:
    """The patient record these details belong to: the one staff chose, or a returning patient's
    (same e-mail address and date of birth); None for someone new."""
    return patient.record or find_patient(patient.email, patient.date_of_birth)


def details_of(record: PatientRecord) -> Patient:
    """A returning patient's details, from their record (staff booking them never retype them)."""
    return Patient(
        name=record.preferred_name,
        email=record.email,
        date_of_birth=record.date_of_birth,
        phone=record.phone,
        record=record,
    )


def visits_of(patient: Patient) -> Q:
    """This patient's appointments (none for someone new)."""
    record = record_of(patient)
    return Q(patient=record) if record is not None else Q(pk__in=[])


def needs_consultation_first(service: Service) -> bool:
    treatment = service.treatment
    return treatment is not None and treatment.prescription_only and service.kind == Service.Kind.TREATMENT


def check_consultation_first(
    service: Service, patient: Patient, start: datetime, now: datetime, ignore: tuple[int, ...] = ()
) -> None:
    """A prescription-only treatment needs the prescriber's in-person assessment first.

    The one rule for the web flow, the API and the diary. It holds when, before `start`, this
    patient has a consultation or combined visit for this treatment with a prescriber that is
    confirmed, arrived or completed (never a hold, a cancelled or a missed one) and ends before the
    treatment begins, or has completed the treatment before. `ignore` leaves out appointments that
    are being cancelled or moved. Anyone else is offered the consultation, or the combined visit.
    """
    if not needs_consultation_first(service):
        return
    treatment = service.treatment
    assessed = (
        Appointment.objects.filter(
            visits_of(patient),
            service__treatment=treatment,
            status__in=ASSESSED_STATUSES,
            end__lte=start,
        )
        .filter(Q(service__kind__in=ASSESSING_KINDS, practitioner__is_prescriber=True) | Q(status=Status.COMPLETED))
        .exclude(pk__in=ignore)
    )
    if assessed.exists():
        return
    consultations = list(
        Service.objects.filter(treatment=treatment, kind__in=ASSESSING_KINDS, active=True).order_by("-kind", "name")
    )
    offer = " or ".join(f"'{c.name}'" for c in consultations) or "a consultation (please phone the clinic)"
    raise NeedsConsultation(
        f"'{treatment.title}' uses a prescription-only medicine, so a first visit starts with an in-person "
        f"consultation with one of our prescribers, booked and confirmed before the treatment. Please book "
        f"{offer} first.",
        consultations=consultations,
    )


def resting_on(appointment: Appointment, now: datetime) -> list[Appointment]:
    """The patient's live treatment bookings that lose their consultation if `appointment` goes.

    Empty unless `appointment` is a consultation (or combined visit) for a prescription-only
    treatment; each one returned fails `check_consultation_first` without it.
    """
    service = appointment.service
    if service.kind not in ASSESSING_KINDS or service.treatment_id is None:
        return []
    later = (
        Appointment.objects.filter(
            patient_id=appointment.patient_id,
            service__treatment_id=service.treatment_id,
            service__kind=Service.Kind.TREATMENT,
            status__in=LIVE_STATUSES,
            start__gte=appointment.end,
        )
        .exclude(status=Status.HELD, held_until__lte=now)
        .exclude(pk=appointment.pk)
        .select_related("service__treatment", "practitioner", "location")
        .order_by("start")
    )
    stranded = []
    for treatment in later:
        try:
            check_consultation_first(
                treatment.service, patient_of(treatment), treatment.start, now, ignore=(appointment.pk,)
            )
        except NeedsConsultation:
            stranded.append(treatment)
    return stranded


def patient_of(appointment: Appointment) -> Patient:
    """The appointment's patient, as details for the rules, tied to its record."""
    return Patient(
        name=appointment.patient_name,
        email=appointment.patient_email,
        date_of_birth=appointment.patient_date_of_birth,
        phone=appointment.patient_phone,
        record=appointment.patient,
    )


def check_practitioner(service: Service, practitioner: Practitioner, location: Location) -> None:
    """The practitioner may give this service at this location (the engine checks it too; this says why)."""
    if not service.active:
        raise BookingError(f"'{service.name}' is not available for booking.")
    if not location.active:
        raise BookingError(f"Online booking is closed at {location}.")
    if not practitioner.active or not practitioner.services.filter(pk=service.pk).exists():
        raise BookingError(f"{practitioner} does not offer '{service.name}'.")
    if service.needs_prescriber and not practitioner.is_prescriber:
        raise BookingError(f"'{service.name}' needs a prescriber; {practitioner} is not one.")
    if not practitioner.locations.filter(pk=location.pk).exists():
        raise BookingError(f"{practitioner} does not work at {location}.")


def staff_spec(service: Service) -> ServiceSpec:
    """The service's rules for staff in the diary: no online notice or horizon (a walk-in can be booked now)."""
    return replace(service.spec, minimum_notice=timedelta(0), booking_horizon=timedelta(days=STAFF_HORIZON_DAYS))


def check_booking_window(service: Service, start: datetime, now: datetime, staff: bool = False) -> None:
    """Minimum notice and booking horizon (online only), with messages that say what the limits are."""
    if start <= now:
        raise BookingError("That time has already passed. Please choose a time in the future.")
    if staff:
        if start > now + timedelta(days=STAFF_HORIZON_DAYS):
            raise BookingError(f"The diary books up to {STAFF_HORIZON_DAYS // 365} years ahead.")
        return
    if start < now + timedelta(hours=service.minimum_notice_hours):
        hours = service.minimum_notice_hours
        raise BookingError(
            f"'{service.name}' must be booked at least {hours} hour{'s' if hours != 1 else ''} ahead. "
            "Please choose a later time or phone the clinic."
        )
    if start > now + timedelta(days=service.booking_horizon_days):
        raise BookingError(
            f"'{service.name}' can be booked up to {service.booking_horizon_days} days ahead. Please choose an "
            "earlier date."
        )


# --- Booking -----------------------------------------------------------------------------------


def next_free_slots(
    service: Service,
    location: Location | None,
    after: datetime,
    now: datetime | None = None,
    limit: int = ALTERNATIVES,
    spec: ServiceSpec | None = None,
) -> list[Slot]:
    """The first free slots from `after` (inclusive) over the next two weeks, for a patient who lost theirs."""
    end = after + timedelta(days=ALTERNATIVES_DAYS)
    return find_slots(service, after, end, location=location, now=now, spec=spec)[:limit]


def _sqlstate(error: Exception) -> str | None:
    return getattr(error.__cause__, "sqlstate", None)


# --- Messages: queued when the transaction commits (nothing if it rolls back); see tasks.py ------


def _after_commit_confirmed(appointment: Appointment) -> None:
    """Once committed: queue the confirmation e-mail, and the reminder where the queue can defer it.

    Not for a visit already over (staff recording a past visit, the demo filling past days).
    """
    if appointment.end > timezone.now():
        transaction.on_commit(partial(tasks.send_confirmation.enqueue, appointment.pk), robust=True)
        transaction.on_commit(partial(tasks.schedule_reminder, appointment.pk, appointment.start), robust=True)


def _after_commit_cancelled(appointment: Appointment) -> None:
    """Once committed: queue the short cancellation notice (with a calendar file that removes it)."""
    if appointment.end > timezone.now():
        transaction.on_commit(partial(tasks.send_cancellation.enqueue, appointment.pk), robust=True)


def release_expired_holds(now: datetime | None = None, *conditions: Q, **filters) -> int:
    """Cancel holds whose time has run out (optionally only those matching the filters); return how many.

    The engine already ignores lapsed holds, but the database constraint still counts them until
    they are released, so booking releases the ones in its way first. Rows are taken in id order so
    that two bookings releasing the same holds cannot deadlock.
    """
    now = now or timezone.now()
    released = 0
    stale = Appointment.objects.filter(*conditions, status=Status.HELD, held_until__lte=now, **filters).order_by("pk")
    for appointment in stale:
        try:
            set_status(appointment, Status.CANCELLED, note="Hold expired")
        except IllegalTransition:
            continue  # someone else confirmed or released it first
        released += 1
    if released:
        logger.info("Released %s expired holds", released)
    return released


ALREADY_BOOKED = "You already have an appointment at that time, so we have not booked a second one."


def check_patient_free(patient: Patient, start: datetime, end: datetime, now: datetime) -> None:
    """Inside the booking transaction: the patient has no other live appointment overlapping start-end.

    A retried or double-clicked request meets the first one here (SQLite: the write lock serialises
    the check; PostgreSQL: the `booking_no_patient_overlap` constraint backs it up).
    """
    other = (
        Appointment.objects.filter(blocking_q(now), visits_of(patient), start__lt=end, end__gt=start)
        .select_related("service")
        .first()
    )
    if other is not None:
        raise AlreadyBooked(
            f"You already have '{other.service.name}' booked at {format_local(other.start)}, which overlaps this "
            "time, so we have not booked a second appointment. Please check your e-mail for the first one."
        )


def lock_practitioner(practitioner: Practitioner) -> None:
    """Inside a transaction: take the practitioner's row lock (PostgreSQL), so bookings and blocks of time
    for one person run one at a time. The exclusion constraints already stop two appointments
    overlapping; this also stops an appointment and time off landing together. SQLite has no row
    locks (Django ignores FOR UPDATE there) and needs none: its write lock serialises every booking.
    """
    list(Practitioner.objects.select_for_update().filter(pk=practitioner.pk).values_list("pk", flat=True))


def _book_once(service, spec, practitioner, location, start, patient, hold, now, by, note, held_by) -> Appointment:
    blocked = spec.blocked(start)
    with transaction.atomic():  # on SQLite this takes the write lock (BEGIN IMMEDIATE)
        lock_practitioner(practitioner)
        # Inside the write lock (SQLite) or behind the unique constraint (PostgreSQL): two first
        # bookings of one new patient racing each other end with one record.
        who = by or "booking website"
        record = patient.record or find_or_create_patient(patient, who=who)
        patient = replace(patient, record=record)
        overlapping = Q(blocked_start__lt=blocked.end, blocked_end__gt=blocked.start)
        in_the_way = Q(practitioner=practitioner) | Q(room__location=location)
        patients_own = visits_of(patient) & Q(start__lt=start + spec.duration, end__gt=start)
        release_expired_holds(now, (overlapping & in_the_way) | patients_own)
        check_patient_free(patient, start, start + spec.duration, now)
        slots = find_slots(
            service,
            start,
            start + timedelta(microseconds=1),
            location=location,
            now=now,
            practitioner=practitioner,
            spec=spec,
            setup=load_setup(),  # the set-up as it is now, not as cached
        )
        slot = next((s for s in slots if s.start == start), None)
        if slot is None:
            raise _Conflict
        status = Status.HELD if hold else Status.CONFIRMED
        try:
            with transaction.atomic():  # a savepoint: a constraint violation leaves the outer transaction usable
                appointment = Appointment.objects.create(
                    service=service,
                    practitioner=practitioner,
                    location=location,
                    room_id=slot.room_id,
                    room_place=slot.room_place,
                    patient=record,
                    patient_name=patient.name.strip(),
                    patient_email=patient.email.strip(),
                    patient_phone=patient.phone.strip(),
                    patient_date_of_birth=patient.date_of_birth,
                    start=slot.start,
                    end=slot.end,
                    blocked_start=blocked.start,
                    blocked_end=blocked.end,
                    status=status,
                    held_until=now + timedelta(minutes=HOLD_MINUTES) if hold else None,
                    held_by=held_by if hold else "",
                )
        except IntegrityError as error:
            if _sqlstate(error) == EXCLUSION_VIOLATION:
                constraint = getattr(getattr(error.__cause__, "diag", None), "constraint_name", "")
                if constraint == PATIENT_CONSTRAINT:  # the same patient's twin request won the race
                    raise AlreadyBooked(ALREADY_BOOKED) from error
                # Bookings for two practitioners run side by side and may pick the same free room.
                raise (_RoomTaken if constraint == ROOM_CONSTRAINT else _Conflict) from error
            raise
        AppointmentStatusChange.objects.create(
            appointment=appointment,
            from_status="",
            to_status=status,
            by=by if by_staff(by) else None,
            note=note or (f"Held for {HOLD_MINUTES} minutes" if hold else "Booked"),
        )
        audit(who, Action.CREATE, "appointment booked", patient=record, detail=status.label)
    return appointment


def book_appointment(
    service: Service,
    practitioner: Practitioner,
    location: Location,
    start: datetime,
    patient: Patient,
    hold: bool = False,
    now: datetime | None = None,
    by=None,
    note: str = "",
    staff: bool = False,
    override_reason: str = "",
    held_by: str = "",
) -> Appointment:
    """Book `service` with `practitioner` at `location` starting at `start`, or hold it for 10 minutes.

    `held_by` marks a hold with the browser that made it (a digest of its session), so that a second
    click of the same button can find the hold the first click made.

    `staff=True` (the diary) lifts the online minimum notice and horizon; every other rule stands,
    except that staff may book a treatment before its consultation with a recorded `override_reason`.

    Validates the patient (age rule for prescription-only treatments, re-treatment interval), the
    practitioner, notice and horizon, then checks with the availability engine that the slot is free and inserts, in one
    transaction. Raises BookingError (or NotEligible) with a message, or SlotUnavailable carrying
    the next free slots when the time is taken.
    """
    now = now or timezone.now()
    if timezone.is_naive(start) or timezone.is_naive(now):
        raise BookingError("Times must carry a time zone.")
    start = start.astimezone(UTC)
    if patient.record is None:
        patient = replace(patient, record=find_patient(patient.email, patient.date_of_birth))
    check_patient(service, patient, start, now, staff=staff)
    check_retreatment_interval(service, patient, start, now)
    try:
        check_consultation_first(service, patient, start, now)
    except NeedsConsultation:
        if not (staff and override_reason.strip()):
            raise
        note = (OVERRIDE_NOTE + override_reason.strip())[:200]
    check_practitioner(service, practitioner, location)
    check_booking_window(service, start, now, staff=staff)
    spec = staff_spec(service) if staff else service.spec
    retries = 0 if connection.in_atomic_block else ATTEMPTS - 1
    room_retries = ATTEMPTS - 1  # a lost room leaves the outer transaction usable (savepoint): retry anyway
    while True:
        try:
            appointment = _book_once(
                service, spec, practitioner, location, start, patient, hold, now, by, note, held_by
            )
        except _Conflict as conflict:
            if isinstance(conflict, _RoomTaken) and room_retries > 0:
                room_retries -= 1
                continue
            by_database = isinstance(conflict.__cause__, IntegrityError)
            logger.info(
                "Booking refused: slot taken (service %s, practitioner %s%s)",
                service.pk,
                practitioner.pk,
                ", caught by the database constraint" if by_database else "",
            )
            raise SlotUnavailable(
                f"Sorry, {format_local(start)} with {practitioner} is no longer available. "
                "Here are the next free times.",
                alternatives=next_free_slots(service, location, start, now, spec=spec),
                caught_by_database=by_database,
            ) from None
        except DatabaseError as error:
            if _sqlstate(error) in RETRYABLE and retries > 0:
                retries -= 1
                continue
            raise
        logger.info("Appointment %s %s", appointment.pk, appointment.status)
        if appointment.status == Status.CONFIRMED:
            _after_commit_confirmed(appointment)
        return appointment


def confirm_appointment(appointment: Appointment, now: datetime | None = None, by=None) -> Appointment:
    """Turn a hold into a confirmed booking, if the hold has not run out."""
    now = now or timezone.now()
    appointment.refresh_from_db(fields=["status", "held_until"])
    if appointment.status == Status.HELD and appointment.held_until and appointment.held_until <= now:
        release_expired_holds(now, pk=appointment.pk)
        raise SlotUnavailable(
            f"Sorry, we held this time for {HOLD_MINUTES} minutes and that has run out. "
            "Here are the free times from then on (it may still be among them).",
            alternatives=next_free_slots(appointment.service, appointment.location, appointment.start, now),
        )
    if needs_consultation_first(appointment.service):  # the consultation may have gone since the hold
        check_consultation_first(appointment.service, patient_of(appointment), appointment.start, now)
    try:
        set_status(appointment, Status.CONFIRMED, by=by, note="Confirmed")
    except IllegalTransition as error:
        raise BookingError(f"This appointment is {label(appointment.status)} and cannot be confirmed.") from error
    _after_commit_confirmed(appointment)
    return appointment


def address_confirmed_before(email: str) -> bool:
    """Has a booking for this e-mail address ever been confirmed (by the link sent to it, or by staff)?"""
    return AppointmentStatusChange.objects.filter(
        appointment__patient_email__iexact=email.strip(), to_status=Status.CONFIRMED
    ).exists()


def needs_address_check(email: str) -> bool:
    """Online bookings with an address we have not seen confirmed wait for the click on an e-mailed link.

    Anyone can type someone else's address, or a made-up one, and fill the diary with bookings nobody
    will come to; a held time that waits for its owner's click, and lapses otherwise, costs the clinic
    nothing. Staff bookings never wait (staff know who they are booking).
    """
    return settings.BOOKING_CHECK_NEW_ADDRESSES and not address_confirmed_before(email)


def confirm_online(appointment: Appointment, now: datetime | None = None, by=None) -> Appointment:
    """The patient's own 'Confirm' on a hold: confirmed at once for an address we know, otherwise
    held for `ADDRESS_CHECK_MINUTES` more while the link e-mailed to the address waits for its click.

    Asking again does not extend the wait. Raises like `confirm_appointment` (lapsed, or not a hold).
    """
    now = now or timezone.now()
    if not needs_address_check(appointment.patient_email):
        return confirm_appointment(appointment, now=now, by=by)
    appointment.refresh_from_db(fields=["status", "held_until", "address_check_asked_at"])
    if appointment.status == Status.HELD and appointment.held_until and appointment.held_until <= now:
        return confirm_appointment(appointment, now=now, by=by)  # lapsed: it says so, with the free times
    if appointment.status != Status.HELD:
        raise BookingError(f"This appointment is {label(appointment.status)} and cannot be confirmed.")
    if appointment.address_check_asked_at is None:
        if needs_consultation_first(appointment.service):
            check_consultation_first(appointment.service, patient_of(appointment), appointment.start, now)
        appointment.held_until = now + timedelta(minutes=ADDRESS_CHECK_MINUTES)
        appointment.address_check_asked_at = now
        Appointment.objects.filter(pk=appointment.pk, status=Status.HELD).update(
            held_until=appointment.held_until, address_check_asked_at=now
        )
        transaction.on_commit(partial(tasks.send_address_check.enqueue, appointment.pk), robust=True)
        logger.info("Appointment %s waits for its e-mail address to be confirmed", appointment.pk)
    return appointment


def get_by_token(token: str) -> Appointment:
    appointment = (
        Appointment.objects.select_related("service", "practitioner", "location__page")
        .filter(cancel_token=token)
        .first()
        if isinstance(token, str) and token
        else None
    )
    if appointment is None:
        raise AppointmentNotFound(
            "We could not find that booking. The link may be incomplete: please use the one in your e-mail."
        )
    return appointment


def check_changeable(appointment: Appointment, now: datetime, enforce_window: bool, verb: str) -> None:
    """May this appointment still be cancelled or moved (`verb`) now? Patients only until the service's window."""
    if appointment.status == Status.CANCELLED:
        raise CancellationRefused("This appointment is already cancelled.")
    if appointment.status not in (Status.HELD, Status.CONFIRMED):
        raise CancellationRefused(f"This appointment is {label(appointment.status)}, so it can no longer be {verb}.")
    if enforce_window and appointment.status == Status.CONFIRMED:
        hours = appointment.service.cancellation_window_hours
        deadline = appointment.start - timedelta(hours=hours)
        if now >= deadline:
            raise CancellationRefused(
                f"Appointments for '{appointment.service}' can be {verb} online until {hours} hours before they "
                f"start; for this one that was {format_local(deadline)}. Please phone the clinic."
            )


def by_staff(by) -> bool:
    """`by` is a signed-in member of staff (not a text naming the patient or the website, not None)."""
    return getattr(by, "is_authenticated", False)


def cancel_appointment(
    appointment: Appointment | str,
    now: datetime | None = None,
    by=None,
    enforce_window: bool = True,
    note: str = "",
    notify: bool = True,
    override_reason: str = "",
    take_resting: bool = True,
) -> Appointment:
    """Cancel an appointment (or the one with this cancel token).

    Patients can cancel online until the service's cancellation window before the start; staff
    (`enforce_window=False`) can cancel any time. Holds can always be given up. A confirmed
    appointment's patient is e-mailed a short notice (unless `notify=False`, as when it is moved).

    Cancelling a consultation also cancels, in the same transaction, the patient's later bookings of
    the treatment that rested on it (see `resting_on`), each with its own notice saying why; staff may
    keep them with a recorded `override_reason`. They are listed in `appointment.also_cancelled`.
    """
    now = now or timezone.now()
    if not isinstance(appointment, Appointment):
        appointment = get_by_token(appointment)
    else:
        appointment.refresh_from_db(fields=["status"])
    check_changeable(appointment, now, enforce_window, "cancelled")
    was_confirmed = appointment.status == Status.CONFIRMED
    if override_reason.strip() and by_staff(by):
        note = f"{note or 'Cancelled by staff'}; later treatments kept: {override_reason.strip()}"[:200]
    with transaction.atomic():
        try:
            set_status(
                appointment,
                Status.CANCELLED,
                by=by,
                note=note or ("Cancelled by staff" if by_staff(by) else "Cancelled"),
            )
        except IllegalTransition as error:  # it moved meanwhile (e.g. its hold lapsed and was released)
            appointment.refresh_from_db(fields=["status"])
            if appointment.status == Status.CANCELLED:
                raise CancellationRefused("This appointment is already cancelled.") from error
            raise CancellationRefused(
                f"This appointment is {label(appointment.status)} and cannot be cancelled."
            ) from error
        keep = not take_resting or bool(override_reason.strip() and by_staff(by))
        appointment.also_cancelled = [] if keep else cancel_resting_on(appointment, now, by)
    logger.info("Appointment %s cancelled", appointment.pk)
    if was_confirmed and notify:
        _after_commit_cancelled(appointment)
    return appointment


def cancel_resting_on(appointment: Appointment, now: datetime, by=None) -> list[Appointment]:
    """Inside a transaction: cancel the treatment bookings that lose their consultation with `appointment`."""
    stranded = resting_on(appointment, now)
    for treatment in stranded:
        was_confirmed = treatment.status == Status.CONFIRMED
        set_status(treatment, Status.CANCELLED, by=by, note=CANCELLED_WITH_CONSULTATION)
        logger.info("Appointment %s cancelled with its consultation %s", treatment.pk, appointment.pk)
        if was_confirmed:
            _after_commit_cancelled(treatment)
    return stranded


def mark_attendance(
    appointment: Appointment, status: str, now: datetime | None = None, by=None, override_reason="", note: str = ""
):
    """Staff mark an appointment arrived, completed or did not attend, with an optional `note` for the history.

    "Did not attend" only once the appointment has started; a missed consultation takes the
    treatment bookings that rested on it with it (as a cancelled one does), unless staff keep them
    with a recorded reason.
    """
    now = now or timezone.now()
    if status == Status.NO_SHOW and appointment.start > now:
        raise BookingError(
            f"This appointment starts at {format_local(appointment.start)}: it can be marked 'did not attend' "
            "only once it has started. To call it off beforehand, cancel it."
        )
    note = f"From the diary: {note.strip()}" if note.strip() else "From the diary"
    keep = bool(override_reason.strip())
    if keep:
        note = f"{note}; later treatments kept: {override_reason.strip()}"[:200]
    with transaction.atomic():
        try:
            set_status(appointment, status, by=by, note=note)
        except IllegalTransition as error:
            raise BookingError(str(error)) from error
        appointment.also_cancelled = (
            cancel_resting_on(appointment, now, by) if status == Status.NO_SHOW and not keep else []
        )
    return appointment


def move_appointment(
    appointment: Appointment | str,
    start: datetime,
    practitioner: Practitioner | None = None,
    now: datetime | None = None,
    by=None,
    enforce_window: bool = True,
    override_reason: str = "",
) -> Appointment:
    """Move an appointment (or the one with this cancel token) to `start`: rebook, then cancel the old one.

    Both happen in one transaction, so a patient never ends up with two appointments or none. The
    old one is cancelled first, inside the transaction, so a move by a few minutes can reuse its
    own time; if the new time is refused, everything rolls back and the old appointment stands.
    Patients (`enforce_window=True`) can move only until the cancellation window; staff any time.
    Keeps the practitioner unless another is given; the patient's details come with it.

    A consultation cannot move to after a treatment booking that rests on it (the patient is told to
    move the treatment first); staff may do it anyway with a recorded `override_reason`. A treatment
    cannot move to before its consultation (`book_appointment` checks the rule again).
    """
    now = now or timezone.now()
    if not isinstance(appointment, Appointment):
        appointment = get_by_token(appointment)
    old = appointment
    practitioner = practitioner or old.practitioner
    patient = patient_of(old)
    old.refresh_from_db(fields=["status"])
    check_changeable(old, now, enforce_window, "moved")
    with transaction.atomic():
        cancel_appointment(old, now=now, by=by, enforce_window=False, note="Moved", notify=False, take_resting=False)
        new = book_appointment(
            old.service,
            practitioner,
            old.location,
            start,
            patient,
            now=now,
            by=by,
            note=f"Moved from #{old.pk}",
            staff=not enforce_window,
            override_reason=override_reason,
        )
        stranded = resting_on(old, now)
        if stranded and not (by_staff(by) and override_reason.strip()):
            first = stranded[0]
            raise BookingError(
                f"Your '{first.service.name}' on {format_local(first.start)} needs this consultation to come "
                "first. Please choose a time that ends before it, or move that treatment first."
            )
        Appointment.objects.filter(pk=new.pk).update(moved_from=old)  # before commit, so its confirmation says so
        new.moved_from = old
    logger.info("Appointment %s moved to %s", old.pk, new.pk)
    return new


# --- Blocking time ---------------------------------------------------------------------------


class BlockRefused(BookingError):
    """The block would cover appointments that still stand; `clashes` lists them."""

    def __init__(self, message: str, clashes: list[Appointment] | None = None):
        super().__init__(message)
        self.clashes = clashes or []


def block_time(
    practitioner: Practitioner, start: datetime, end: datetime, reason: str, now: datetime, by=None
) -> TimeOff:
    """Add time off for `practitioner` from `start` to `end`, unless appointments still stand in it.

    A block never silently strands a patient: if a held, confirmed or arrived appointment (or a
    completed one, whose time it keeps) overlaps the block, nothing is written and `BlockRefused`
    lists them; staff move or cancel those first, then block. Blocks that end in the past are refused.
    Written in one transaction with a history entry in Wagtail's log (no patient data in it).

    The practitioner's row is locked first, as the booking path locks it, so a booking and a block
    for the same person run one after the other on PostgreSQL; on SQLite the transaction holds the
    database's write lock anyway.
    """
    if end <= start:
        raise BlockRefused("The end must be after the start.")
    if end <= now:
        raise BlockRefused("That time has already passed: blocks are for time still to come.")
    with transaction.atomic():
        lock_practitioner(practitioner)
        clashes = list(
            Appointment.objects.filter(blocking_q(now), practitioner=practitioner, start__lt=end, end__gt=start)
            .select_related("service", "location")
            .order_by("start")
        )
        if clashes:
            raise BlockRefused(
                f"{practitioner} has {len(clashes)} appointment{'s' if len(clashes) != 1 else ''} in that time. "
                "Move or cancel them first, then block the time.",
                clashes,
            )
        time_off = TimeOff.objects.create(practitioner=practitioner, start=start, end=end, reason=reason.strip())
        log(time_off, "wagtail.create", user=by if getattr(by, "is_authenticated", False) else None)
    logger.info("Time off %s added for practitioner %s", time_off.pk, practitioner.pk)
    return time_off
