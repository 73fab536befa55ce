"""The clinic's diary: locations and rooms, practitioners, services, rotas, time off and appointments.

Times are stored in UTC and shown in Europe/London. Rota times are Europe/London wall-clock times
(`availability.rota_intervals` turns them into instants, clock changes included).
Appointments are written only through `services.py` and change status only through
`state_machine.set_status`; the database refuses two active appointments that overlap for the same
practitioner, or the same room place (see `Appointment.Meta.constraints`).
"""

import secrets
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.postgres.fields import RangeOperators
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from vial.staff.matching import find_staff_member
from vial.staff.models import Regulator, StaffMember
from vial.website.models import OpeningHours

from . import availability
from .constraints import PostgresExclusionConstraint, TsTzRange
from .state_machine import BLOCKING_STATUSES, Status, is_blocking

CLINIC_TIME_ZONE = "Europe/London"
PATIENT_CONSTRAINT = "booking_no_patient_overlap"
LONDON = ZoneInfo(CLINIC_TIME_ZONE)


def local(moment):
    """An aware datetime in the clinic's time zone, for display."""
    return timezone.localtime(moment, LONDON) if moment else moment


def format_local(moment) -> str:
    """e.g. 'Sun 29 Mar 2026, 09:00 BST': the clinic's wall-clock time with its zone named."""
    return local(moment).strftime("%a %d %b %Y, %H:%M %Z") if moment else ""


# --- Places and people -----------------------------------------------------------------------


class Location(models.Model):
    """A clinic where patients are seen. Its diary runs on Europe/London time."""

    name = models.CharField(max_length=100, unique=True, help_text="As patients know it, e.g. 'Exeter clinic'.")
    page = models.ForeignKey(
        "website.LocationPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="booking_locations",
        help_text="The public page with the address and opening hours.",
    )
    active = models.BooleanField(default=True, help_text="Untick to stop online booking here.")

    panels = [FieldPanel("name"), FieldPanel("page"), FieldPanel("active")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def time_zone(self) -> ZoneInfo:
        return LONDON


class Room(models.Model):
    """A treatment room. `capacity` is how many appointments it holds at once (usually one)."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(max_length=60)
    capacity = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text="Appointments at the same time, e.g. 2 for a room with two treatment chairs.",
    )

    panels = [FieldPanel("location"), FieldPanel("name"), FieldPanel("capacity")]

    class Meta:
        ordering = ["location__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["location", "name"], name="booking_room_unique_name"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="booking_room_capacity_positive"),
        ]

    def __str__(self):
        return f"{self.name} ({self.location})"


class Service(models.Model):
    """Something a patient books: a consultation, a treatment, a review visit, or both in one visit."""

    class Kind(models.TextChoices):
        CONSULTATION = "consultation", "Consultation"
        TREATMENT = "treatment", "Treatment"
        REVIEW = "review", "Review visit"
        COMBINED = "combined", "Consultation and treatment"

    name = models.CharField(max_length=120, unique=True, help_text="As patients see it when booking.")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.CONSULTATION)
    treatment = models.ForeignKey(
        "website.TreatmentPage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="services",
        help_text="The treatment this is for; leave empty for a general consultation.",
    )
    duration_minutes = models.PositiveSmallIntegerField(validators=[MinValueValidator(5), MaxValueValidator(480)])
    buffer_before_minutes = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(120)], help_text="Preparation time kept free before."
    )
    buffer_after_minutes = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(120)], help_text="Clearing-up and notes time kept free after."
    )
    price = models.DecimalField(max_digits=7, decimal_places=2, default=0)
    deposit_required = models.BooleanField(default=False, help_text="Taken at booking once payments exist.")
    cancellation_window_hours = models.PositiveSmallIntegerField(
        default=24, help_text="Patients can cancel online until this many hours before the start."
    )
    minimum_notice_hours = models.PositiveSmallIntegerField(
        default=2, help_text="Online booking closes this many hours before a slot."
    )
    booking_horizon_days = models.PositiveSmallIntegerField(
        default=90, validators=[MinValueValidator(1)], help_text="How far ahead patients can book."
    )
    needs_prescriber = models.BooleanField(
        default=False, help_text="Only a prescriber may see the patient (e.g. the assessment before a prescription)."
    )
    active = models.BooleanField(default=True, help_text="Untick to stop offering it.")

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("treatment")]),
        FieldRowPanel(
            [FieldPanel("duration_minutes"), FieldPanel("buffer_before_minutes"), FieldPanel("buffer_after_minutes")],
            heading="Time",
        ),
        FieldRowPanel([FieldPanel("price"), FieldPanel("deposit_required")]),
        FieldRowPanel(
            [
                FieldPanel("minimum_notice_hours"),
                FieldPanel("booking_horizon_days"),
                FieldPanel("cancellation_window_hours"),
            ],
            heading="Booking rules",
        ),
        FieldPanel("needs_prescriber"),
        FieldPanel("active"),
    ]

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(duration_minutes__gte=1), name="booking_service_duration_positive"),
            models.CheckConstraint(condition=Q(booking_horizon_days__gte=1), name="booking_service_horizon_positive"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.kind != self.Kind.CONSULTATION and self.treatment_id is None:
            raise ValidationError(
                {"treatment": "Choose the treatment this is for (only consultations can be general)."}
            )
        treatment = self.treatment if self.treatment_id else None
        if (
            treatment is not None
            and treatment.prescription_only
            and self.kind in (self.Kind.CONSULTATION, self.Kind.COMBINED)
            and not self.needs_prescriber
        ):
            raise ValidationError(
                {
                    "needs_prescriber": "The consultation for a prescription-only treatment is the prescriber's "
                    "in-person assessment: tick 'needs prescriber'."
                }
            )

    @property
    def spec(self) -> availability.ServiceSpec:
        """This service as the availability engine sees it."""
        return availability.ServiceSpec(
            service_id=self.pk,
            duration=timedelta(minutes=self.duration_minutes),
            buffer_before=timedelta(minutes=self.buffer_before_minutes),
            buffer_after=timedelta(minutes=self.buffer_after_minutes),
            minimum_notice=timedelta(hours=self.minimum_notice_hours),
            booking_horizon=timedelta(days=self.booking_horizon_days),
            needs_prescriber=self.needs_prescriber,
        )


class Practitioner(models.Model):
    """A member of staff who sees patients, with the roles, clinics and services they may give.

    Who they are is their `staff` member (vial.staff): the login, name, prescriber flag and
    registration here are copies of it, kept so the diary and the availability engine read them
    without a join. Saving either side keeps the two the same; the admin edits them on the staff member.
    """

    staff = models.OneToOneField(
        StaffMember,
        on_delete=models.PROTECT,
        related_name="practitioner",
        help_text="Who they are: name, login and registration are edited on the Staff list.",
    )
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="practitioner")
    display_name = models.CharField(max_length=100, help_text="As patients see it, e.g. 'Dr Helena Marsh'.")
    is_prescriber = models.BooleanField("prescriber", default=False)
    is_injector = models.BooleanField("injector", default=False)
    is_therapist = models.BooleanField("therapist", default=False)
    regulator = models.CharField(
        max_length=5, choices=Regulator.choices, blank=True, help_text="Required for prescribers."
    )
    registration_number = models.CharField(max_length=20, blank=True, help_text="Required for prescribers.")
    locations = models.ManyToManyField(Location, blank=True, related_name="practitioners")
    services = models.ManyToManyField(
        Service, blank=True, related_name="practitioners", help_text="The services this person may give."
    )
    active = models.BooleanField(default=True, help_text="Untick when they leave: they disappear from booking.")

    panels = [
        FieldPanel("staff"),
        FieldRowPanel([FieldPanel("is_injector"), FieldPanel("is_therapist")]),
        MultiFieldPanel([FieldPanel("locations"), FieldPanel("services")], heading="Where and what"),
        FieldPanel("active"),
    ]

    class Meta:
        ordering = ["display_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_prescriber=False) | (~Q(regulator="") & ~Q(registration_number="")),
                name="booking_prescriber_registered",
                violation_error_message="A prescriber needs a regulator and registration number.",
            )
        ]

    def __str__(self):
        return self.display_name

    IDENTITY = ("user_id", "display_name", "is_prescriber", "regulator", "registration_number")

    def clean_fields(self, exclude=None):
        if self.staff_id is None and self.display_name:  # made in code with its own details: save() links one
            exclude = {*(exclude or ()), "staff"}
        super().clean_fields(exclude)

    def clean(self):
        super().clean()
        if self.staff_id and not self.staff.user_id:
            raise ValidationError({"staff": "Give this staff member a login first (Staff list): the diary needs one."})
        if self.staff_id and self._state.adding:
            self.take_identity_from_staff()
        if self.is_prescriber:
            errors = {}
            if not self.regulator:
                errors["regulator"] = "A prescriber needs their regulator."
            if not self.registration_number.strip():
                errors["registration_number"] = "A prescriber needs their registration number."
            if errors:
                raise ValidationError(errors)

    @property
    def roles(self) -> list[str]:
        flags = [(self.is_prescriber, "prescriber"), (self.is_injector, "injector"), (self.is_therapist, "therapist")]
        return [name for on, name in flags if on]

    def take_identity_from_staff(self) -> None:
        for key, value in self.staff.identity().items():
            setattr(self, key, value)

    def save(self, *args, **kwargs):
        """Keep the staff member and this copy the same: a new link copies from the staff member,
        otherwise what was changed here is written there; a practitioner made without one gets the
        staff member who is the same person (same login, registration or name), or a new one."""
        if self.staff_id is None:
            identity = {key: getattr(self, key) for key in self.IDENTITY}
            staff = find_staff_member(StaffMember, **{k: v for k, v in identity.items() if k != "is_prescriber"})
            self.staff = staff or StaffMember(display_name=self.display_name)
            for key, value in identity.items():
                setattr(self.staff, key, value)
            self.staff.save()
        else:
            linked = None if self._state.adding else type(self).objects.filter(pk=self.pk).values("staff_id").first()
            if linked is None or linked["staff_id"] != self.staff_id:
                self.take_identity_from_staff()
            else:
                StaffMember.objects.filter(pk=self.staff_id).update(**{k: getattr(self, k) for k in self.IDENTITY})
        super().save(*args, **kwargs)


class WeeklyRota(models.Model):
    """A practitioner's working hours at a location on one weekday, between two dates.

    Times are Europe/London wall-clock times. A one-off extra session is a row valid for one date;
    one-off absences are time off.
    """

    practitioner = models.ForeignKey(Practitioner, on_delete=models.CASCADE, related_name="rotas")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="rotas")
    weekday = models.PositiveSmallIntegerField(choices=OpeningHours.Weekday.choices)
    start_time = models.TimeField(help_text="Local (UK) time.")
    end_time = models.TimeField(help_text="Local (UK) time.")
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True, help_text="Last day it applies; empty means until changed.")

    panels = [
        FieldRowPanel([FieldPanel("practitioner"), FieldPanel("location")]),
        FieldRowPanel([FieldPanel("weekday"), FieldPanel("start_time"), FieldPanel("end_time")]),
        FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_until")]),
    ]

    class Meta:
        verbose_name = "weekly rota"
        ordering = ["practitioner__display_name", "weekday", "start_time"]
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=F("start_time")), name="booking_rota_end_after_start"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="booking_rota_valid_range",
            ),
        ]
        indexes = [models.Index(fields=["practitioner", "weekday"])]

    def __str__(self):
        return (
            f"{self.practitioner}: {self.get_weekday_display()} {self.start_time:%H:%M}-{self.end_time:%H:%M} "
            f"at {self.location}"
        )

    def clean(self):
        super().clean()
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": "The end must be after the start (rotas cannot run past midnight)."})
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": "The last day cannot be before the first."})
        if not (self.practitioner_id and self.location_id and self.start_time and self.end_time and self.valid_from):
            return
        if self.practitioner.pk and not self.practitioner.locations.filter(pk=self.location_id).exists():
            raise ValidationError({"location": f"{self.practitioner} does not work at {self.location}: add it first."})
        clashes = WeeklyRota.objects.filter(
            practitioner_id=self.practitioner_id,
            weekday=self.weekday,
            start_time__lt=self.end_time,
            end_time__gt=self.start_time,
        ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=self.valid_from))
        if self.valid_until:
            clashes = clashes.filter(valid_from__lte=self.valid_until)
        clash = clashes.exclude(pk=self.pk).select_related("location").first()
        if clash:
            raise ValidationError(f"This overlaps another rota line: {clash}.")

    def as_row(self) -> availability.RotaRow:
        return availability.RotaRow(
            self.location_id, self.weekday, self.start_time, self.end_time, self.valid_from, self.valid_until
        )


class TimeOff(models.Model):
    """Leave, training or a one-off block: the practitioner cannot be booked in this time."""

    practitioner = models.ForeignKey(Practitioner, on_delete=models.CASCADE, related_name="time_off")
    start = models.DateTimeField()
    end = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True, help_text="Seen by staff only, e.g. 'Annual leave'.")

    panels = [FieldPanel("practitioner"), FieldRowPanel([FieldPanel("start"), FieldPanel("end")]), FieldPanel("reason")]

    class Meta:
        verbose_name = "time off"
        verbose_name_plural = "time off"
        ordering = ["start"]
        constraints = [models.CheckConstraint(condition=Q(end__gt=F("start")), name="booking_timeoff_end_after_start")]
        indexes = [models.Index(fields=["practitioner", "start"])]

    def __str__(self):
        return f"{self.practitioner}: {format_local(self.start)} to {format_local(self.end)}"

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": "The end must be after the start."})

    # Wagtail's listings and inspect views show these instead of the raw fields.
    def get_start_display(self) -> str:
        return format_local(self.start)

    def get_end_display(self) -> str:
        return format_local(self.end)


# --- Appointments ----------------------------------------------------------------------------


def new_cancel_token() -> str:
    return secrets.token_urlsafe(32)


class Appointment(models.Model):
    """A booked visit. `blocked_start`/`blocked_end` add the service's buffers: the database compares those.

    `patient` is who the visit is for (the source of truth); `patient_name`, `patient_email`,
    `patient_phone` and `patient_date_of_birth` keep what was typed when it was booked (the e-mails
    of this booking go there). `__str__` names no patient, because Wagtail's logs store it.
    """

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="appointments")
    practitioner = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="appointments")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="appointments")
    room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.PROTECT, related_name="appointments")
    room_place = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Which of the room's places (0 to capacity - 1) it uses."
    )
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="appointments")
    patient_name = models.CharField(max_length=200)
    patient_email = models.EmailField(
        blank=True, help_text="Empty only for a patient booked by staff without one: no e-mails are sent then."
    )
    patient_phone = models.CharField(max_length=30, blank=True)
    patient_date_of_birth = models.DateField(null=True, blank=True)
    start = models.DateTimeField()
    end = models.DateTimeField()
    blocked_start = models.DateTimeField(help_text="Start minus the preparation buffer.")
    blocked_end = models.DateTimeField(help_text="End plus the clearing-up buffer.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.HELD)
    held_until = models.DateTimeField(null=True, blank=True, help_text="A hold lapses at this time.")
    cancel_token = models.CharField(max_length=64, unique=True, default=new_cancel_token, editable=False)
    held_by = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="A digest of the browser session that held it online: a double-click finds its own hold.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    moved_from = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moved_to",
        editable=False,
        help_text="The appointment this one replaced when it was moved.",
    )
    # Each message is claimed by setting its time with a conditional UPDATE before it is sent, so it
    # goes out at most once however many workers try (see `tasks.py`).
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminder_sent_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Also set when the confirmation came close enough to remind."
    )
    cancellation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    address_check_asked_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When a patient booking online with a new e-mail address was asked to confirm it by the link.",
    )
    address_check_sent_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the link to confirm a new e-mail address was sent (the booking waits for its click).",
    )

    class Meta:
        ordering = ["start", "pk"]
        indexes = [
            models.Index(fields=["practitioner", "blocked_start"]),
            models.Index(fields=["room", "blocked_start"]),
            models.Index(fields=["location", "start"]),
            models.Index(fields=["status", "held_until"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="booking_appointment_end_after_start"),
            models.CheckConstraint(
                condition=Q(blocked_start__lte=F("start"), blocked_end__gte=F("end")),
                name="booking_appointment_blocked_covers_visit",
            ),
            models.CheckConstraint(
                condition=Q(room__isnull=True, room_place__isnull=True)
                | Q(room__isnull=False, room_place__isnull=False),
                name="booking_appointment_room_has_place",
            ),
            # PostgreSQL: no two active appointments overlap for a practitioner, or for a room place.
            PostgresExclusionConstraint(
                name="booking_no_practitioner_overlap",
                expressions=[
                    ("practitioner", RangeOperators.EQUAL),
                    (TsTzRange("blocked_start", "blocked_end"), RangeOperators.OVERLAPS),
                ],
                condition=Q(status__in=BLOCKING_STATUSES),
                violation_error_message="The practitioner already has an appointment at this time.",
            ),
            PostgresExclusionConstraint(
                name="booking_no_room_overlap",
                expressions=[
                    ("room", RangeOperators.EQUAL),
                    ("room_place", RangeOperators.EQUAL),
                    (TsTzRange("blocked_start", "blocked_end"), RangeOperators.OVERLAPS),
                ],
                condition=Q(status__in=BLOCKING_STATUSES, room__isnull=False),
                violation_error_message="The room is already in use at this time.",
            ),
            # PostgreSQL: one patient (e-mail address and date of birth, until the patients app) is never
            # booked into two live appointments at once, whatever retried or doubled request asks.
            PostgresExclusionConstraint(
                name=PATIENT_CONSTRAINT,
                expressions=[
                    (Lower("patient_email"), RangeOperators.EQUAL),
                    ("patient_date_of_birth", RangeOperators.EQUAL),
                    (TsTzRange("start", "end"), RangeOperators.OVERLAPS),
                ],
                condition=Q(status__in=BLOCKING_STATUSES) & ~Q(patient_email=""),  # no address: not recognised
                violation_error_message="The patient already has an appointment at this time.",
            ),
        ]

    def __str__(self):
        return f"Appointment {self.pk}: {self.service_id and self.service} at {format_local(self.start)}"

    def is_blocking(self, now=None) -> bool:
        """Does it keep its practitioner and room busy at `now`?"""
        return is_blocking(self.status, self.held_until, now or timezone.now())

    @property
    def local_start(self):
        return local(self.start)

    # Wagtail's listings and inspect views show these instead of the raw (UTC) fields.
    def get_start_display(self) -> str:
        return format_local(self.start)

    def get_end_display(self) -> str:
        return format_local(self.end)

    def get_held_until_display(self) -> str:
        return format_local(self.held_until)

    def get_created_at_display(self) -> str:
        return format_local(self.created_at)

    def get_status_changes_display(self) -> str:
        return "; ".join(
            f"{format_local(change.at)}: {change.get_from_status_display() or 'new'} → "
            f"{change.get_to_status_display()}{f' ({change.note})' if change.note else ''}"
            for change in self.status_changes.all()
        )

    @property
    def local_end(self):
        return local(self.end)


class AppointmentStatusChange(models.Model):
    """One move of an appointment's status: from, to, when, by whom, and why."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=10, choices=Status.choices, blank=True, help_text="Empty when created.")
    to_status = models.CharField(max_length=10, choices=Status.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.from_status or 'new'} → {self.to_status}"


class IdempotentRequest(models.Model):
    """A booking request sent with an `Idempotency-Key` header, and the answer it got.

    A client that retries (a flaky network, a double tap) sends the same key: the same body gets the
    same answer again instead of a second booking, a different body gets 422. Only successful answers
    are kept (a refusal rolls back with its booking, so a retry is decided afresh). The key is stored
    as a digest; rows older than a day are removed by `send_due_reminders`' housekeeping.
    """

    key_digest = models.CharField(max_length=64, unique=True)
    body_digest = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return f"Idempotent request {self.pk}"


# --- Closed days -----------------------------------------------------------------------------


class ClinicClosure(models.Model):
    """A day online booking is closed at one clinic or all of them, or a bank holiday a clinic opens.

    England's bank holidays are closed for online booking unless a clinic opens one here; Christmas
    Day and Boxing Day always are (see `closed_days`). Saving or deleting one is seen at once by the
    free times (`diary_setup` replaces the set-up version).
    """

    class Kind(models.TextChoices):
        CLOSED = "closed", "Closed for online booking"
        OPEN = "open", "Open on this bank holiday"

    location = models.ForeignKey(
        Location,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="closures",
        help_text="Leave empty for every clinic.",
    )
    date = models.DateField()
    kind = models.CharField(max_length=6, choices=Kind.choices, default=Kind.CLOSED)
    reason = models.CharField(max_length=120, blank=True, help_text="For staff, e.g. 'Staff training'.")

    panels = [FieldRowPanel([FieldPanel("date"), FieldPanel("location")]), FieldPanel("kind"), FieldPanel("reason")]

    class Meta:
        ordering = ["-date", "location__name"]
        verbose_name = "closed or opened day"
        constraints = [
            models.UniqueConstraint(fields=["location", "date"], name="booking_closure_one_per_clinic_day"),
            models.UniqueConstraint(
                fields=["date"], condition=Q(location__isnull=True), name="booking_closure_one_per_day_everywhere"
            ),
        ]

    def __str__(self):
        where = self.location.name if self.location_id else "every clinic"
        return f"{self.date:%d %b %Y}, {where}: {self.get_kind_display().lower()}"

    def clean(self):
        from .closed_days import always_closed, bank_holidays

        super().clean()
        if self.kind == self.Kind.OPEN and self.date:
            name = bank_holidays([self.date.year]).get(self.date)
            if name is None:
                raise ValidationError({"kind": "That day is not a bank holiday: it is open unless you close it."})
            if always_closed(self.date, name):
                raise ValidationError({"kind": "Christmas Day and Boxing Day are never open for online booking."})
