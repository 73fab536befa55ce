"""What the booking API takes and gives, as ninja (pydantic) schemas; the OpenAPI document is built from these.

Times go out as ISO 8601 in the clinic's time zone with the offset written out
(`2026-12-01T09:00:00+00:00`, `2027-04-01T09:00:00+01:00`); times coming in must carry an offset.
Dates (availability windows, birth dates, the earliest re-treatment date) are UK calendar dates.
"""

from datetime import UTC, date, datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils import timezone
from ninja import Schema
from pydantic import AwareDatetime, Field, PlainSerializer, WithJsonSchema, field_validator

from vial.core.phones import PHONE_CHARACTERS, PhoneError, clean_uk_phone
from vial.core.text import clean_name, has_letters

from .models import LONDON, local
from .services import OLDEST_AGE, age_on

#: Database ids: positive and within a 32-bit integer column, so a huge number is a 422, not a crash.
Id = Annotated[int, Field(ge=1, le=2_147_483_647)]

#: An aware datetime sent as ISO 8601 in Europe/London with its offset (+00:00 in winter, +01:00 in summer).
LocalDateTime = Annotated[
    datetime,
    PlainSerializer(lambda moment: local(moment).isoformat(), return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]

ServiceKind = Literal["consultation", "treatment", "review", "combined"]


# --- Out ---------------------------------------------------------------------------------------


class Named(Schema):
    id: int
    name: str


class TreatmentOut(Schema):
    id: int
    title: str


class ServiceOut(Schema):
    id: int
    name: str
    kind: ServiceKind
    treatment: TreatmentOut | None = Field(description="The treatment it is for; null for a general consultation.")
    duration_minutes: int
    price: str = Field(description="In pounds sterling, as a decimal string, e.g. '50.00'.", examples=["50.00"])
    currency: Literal["GBP"] = "GBP"
    deposit_required: bool
    needs_prescriber: bool
    minimum_notice_hours: int
    booking_horizon_days: int
    cancellation_window_hours: int
    locations: list[Named] = Field(description="Clinics where someone who may give it works.")


class SlotOut(Schema):
    start: LocalDateTime
    end: LocalDateTime
    practitioner: Named
    location: Named


class AvailabilityOut(Schema):
    service: Named
    location: Named | None = Field(description="The clinic asked for; null when every clinic was searched.")
    start: date
    end: date = Field(description="The last day searched (inclusive).")
    time_zone: Literal["Europe/London"] = "Europe/London"
    bookable_until: date = Field(description="The last day the service's booking horizon reaches.")
    slots: list[SlotOut] = Field(description="Free times by start, one per practitioner who is free then.")


class BookingOut(Schema):
    token: str = Field(description="Keep it: it cancels the booking (POST /bookings/{token}/cancel).")
    status: str
    start: LocalDateTime
    end: LocalDateTime
    service: Named
    location: Named
    practitioner: Named
    cancel_until: LocalDateTime = Field(description="Online cancellation closes at this time.")


class PendingBookingOut(BookingOut):
    """202: booked with an e-mail address we have not seen confirmed; the link sent to it confirms it."""

    confirm_by: LocalDateTime = Field(description="The time is held until then; unconfirmed, it lapses.")
    message: str


class CancelOut(Schema):
    token: str
    status: str
    message: str


class ErrorOut(Schema):
    """Every error: a message for people, and a code for programs."""

    message: str
    code: str


class FieldError(Schema):
    loc: list[str | int]
    msg: str
    type: str


class UnprocessableOut(ErrorOut):
    """422: the request is well formed but cannot be done: invalid fields, or the patient may not book this.

    `errors` lists invalid fields (code `invalid`); `earliest` is the first allowed date (code `too_soon`);
    `consultations` are the services to book first (code `needs_consultation`).
    """

    errors: list[FieldError] = []
    earliest: date | None = None
    consultations: list[Named] = []


class SlotTakenOut(ErrorOut):
    """409: the time has gone; `alternatives` are the next free times."""

    alternatives: list[SlotOut]


# --- In ----------------------------------------------------------------------------------------

#: The longest availability window one request may ask for, in days.
MAX_RANGE_DAYS = 62


class AvailabilityQuery(Schema):
    service: Id = Field(
        description="A service id from /services (those open for online booking); any other answers 404."
    )
    start: date = Field(description="The first day (UK date), today or later.")
    end: date = Field(description=f"The last day (inclusive), at most {MAX_RANGE_DAYS} days from the first.")
    location: Id | None = Field(default=None, description="A clinic id; leave out to search every clinic.")


#: The characters a phone number may be written with (the web form allows the same).
PHONE_PATTERN = f"^{PHONE_CHARACTERS.pattern}$"


class PatientIn(Schema):
    name: str = Field(
        min_length=1,
        max_length=200,
        description=(
            "The patient's name as they write it. Stored cleaned as the website's forms clean it: "
            "NFC-normalised, spaces collapsed, and invisible characters removed (bidirectional controls, "
            "zero-width characters, null bytes and other control characters). Refused (422) unless at "
            "least two letters remain."
        ),
        examples=["Alex Example"],
    )
    email: str = Field(max_length=254, examples=["alex@example.com"])
    phone: str = Field(
        max_length=30,
        json_schema_extra={"pattern": PHONE_PATTERN},  # checked below, with a message people can act on
        description=(
            "A UK phone number, mobile or landline (0..., +44..., Channel Islands and Isle of Man included), "
            "written with digits, spaces, brackets, hyphens and a leading +, e.g. '07400 123456' or "
            "'01392 123456'; stored as +44.... Refused (422), with a message saying why: other countries' "
            "numbers, impossible ones, premium-rate numbers, and Ofcom's drama numbers (e.g. 07700 900xxx)."
        ),
        examples=["07400 123456"],
    )
    date_of_birth: date = Field(description="Not in the future, and no more than 120 years ago.")

    @field_validator("name")
    @classmethod
    def name_is_text(cls, value: str) -> str:
        value = clean_name(value)
        if not value:
            raise ValueError("Please give the patient's name.")
        if not has_letters(value, minimum=2):
            raise ValueError("Please give the patient's name using letters.")
        return value

    @field_validator("email")
    @classmethod
    def email_is_valid(cls, value: str) -> str:
        value = value.strip()
        try:
            validate_email(value)
        except DjangoValidationError:
            raise ValueError("Please give a valid e-mail address.") from None
        return value

    @field_validator("phone")
    @classmethod
    def phone_is_uk(cls, value: str) -> str:
        """Any common way of writing a UK number (the web form's check); stored as +44...."""
        try:
            return clean_uk_phone(value)
        except PhoneError as error:
            raise ValueError(error.message) from None

    @field_validator("date_of_birth")
    @classmethod
    def date_of_birth_is_plausible(cls, value: date) -> date:
        today = timezone.localtime(timezone.now(), LONDON).date()
        if value > today:
            raise ValueError("The date of birth cannot be in the future.")
        if age_on(value, today) > OLDEST_AGE:
            raise ValueError("Please check the date of birth.")
        return value


class BookingIn(Schema):
    service: Id
    location: Id
    practitioner: Id | None = Field(
        default=None, description="Leave out to take whoever is free at that time (the first in the diary)."
    )
    start: AwareDatetime = Field(description="A start from /availability, with its offset.")
    patient: PatientIn

    @field_validator("start")
    @classmethod
    def start_in_utc(cls, value: datetime) -> datetime:
        try:
            return value.astimezone(UTC)
        except OverflowError:
            raise ValueError("That time is out of range.") from None
