"""The patient's details for a booking: validated here, before anything is written.

The age rule for prescription-only treatments depends on the service and the appointment date, so
it stays in `services.check_patient`; this form only checks that the details are plausible.
"""

import re
from datetime import UTC, date, datetime, time

from django import forms
from django.utils import timezone

from vial.core.forms import NameField
from vial.core.phones import PhoneError, clean_uk_phone
from vial.core.text import has_letters

from .availability import LONDON, wall_clock_to_utc
from .services import OLDEST_AGE, Patient, age_on

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %m %Y"]
PHONE_HELP = "A UK mobile or landline, like 07123 456789 or 01392 123456, in case we need to reach you."

# A slot as it travels in links and forms: its UTC start to the minute, and the practitioner's id.
SLOT_KEY = re.compile(r"(\d{8}T\d{4})Z-(\d{1,12})")


def slot_key(start: datetime, practitioner_id: int) -> str:
    return f"{start.astimezone(UTC):%Y%m%dT%H%M}Z-{practitioner_id}"


def parse_slot_key(value) -> tuple[datetime, int] | None:
    """(start, practitioner id) from a slot key, or None for anything malformed."""
    match = SLOT_KEY.fullmatch(value) if isinstance(value, str) else None
    if not match:
        return None
    try:
        start = datetime.strptime(match[1], "%Y%m%dT%H%M")  # noqa: DTZ007 - UTC is added below
    except ValueError:
        return None
    return start.replace(tzinfo=UTC), int(match[2])


def today_in_london() -> date:
    return timezone.localdate(timezone=LONDON)


class DetailsForm(forms.Form):
    """Name, e-mail, UK phone (mobile or landline) and date of birth of the person coming to the appointment."""

    name = NameField(
        label="Full name",
        max_length=100,
        help_text="The name of the person coming to the appointment.",
        error_messages={
            "required": "Enter the full name of the person coming to the appointment.",
            "max_length": "The name must be %(limit_value)d characters or fewer.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        help_text="We send the confirmation and a link to cancel or change the booking here.",
        error_messages={
            "required": "Enter an e-mail address so we can send the confirmation.",
            "invalid": "Enter an e-mail address in the right format, like name@example.com.",
            "max_length": "The e-mail address must be %(limit_value)d characters or fewer.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label="Phone number",
        max_length=30,
        help_text=PHONE_HELP,
        error_messages={
            "required": "Enter a phone number, mobile or landline.",
            "max_length": "That is too long for a phone number: UK numbers are 11 digits, like 01392 123456.",
        },
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    date_of_birth = forms.DateField(
        label="Date of birth",
        input_formats=DATE_FORMATS,
        help_text="For example 27/03/1985. Some treatments are only for adults, so we check age by law.",
        error_messages={
            "required": "Enter the date of birth.",
            "invalid": "Enter the date of birth as day/month/year, like 27/03/1985.",
        },
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
    )

    def clean_name(self):
        name = self.cleaned_data["name"]
        if not has_letters(name, minimum=2):
            raise forms.ValidationError("Enter the name using letters.", code="no_letters")
        return name

    def clean_email(self):
        return self.cleaned_data["email"].strip()

    def clean_phone(self):
        # No texts are sent yet, so any UK number will do; `mobile=True` where a patient chooses SMS.
        try:
            return clean_uk_phone(self.cleaned_data["phone"])
        except PhoneError as error:
            raise forms.ValidationError(error.message, code=error.code) from None

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        today = today_in_london()
        if born > today:
            raise forms.ValidationError("The date of birth cannot be in the future.", code="future")
        if age_on(born, today) > OLDEST_AGE:
            raise forms.ValidationError(
                "Check the date of birth: that would make the patient over 120.", code="too_old"
            )
        return born

    def patient(self) -> Patient:
        data = self.cleaned_data
        return Patient(name=data["name"], email=data["email"], phone=data["phone"], date_of_birth=data["date_of_birth"])

    def visible_error_fields(self):
        return [field for field in self.visible_fields() if field.errors]


def midnight(day: date) -> datetime:
    """The first moment of a UK calendar day, as an aware datetime."""
    return wall_clock_to_utc(day, time(0))
