"""Forms for the staff diary, and `block_time`, the diary's one write that is not an appointment.

Times are typed as a UK date and a UK wall-clock time; `clean` turns them into an instant, refusing
a time the clocks skip (01:30 on 29 March 2026) and reading a time they repeat as its first occurrence.
"""

import logging
from datetime import date, datetime, timedelta

from django import forms
from django.core.exceptions import ValidationError
from wagtail.admin.widgets import AdminDateInput

from vial.core.forms import NameField
from vial.core.phones import PhoneError, clean_uk_phone, national
from vial.patients.models import Patient as PatientRecord

from .diary import NonexistentTime, local_instant
from .models import Appointment, Location, Practitioner, Service, format_local
from .services import Patient, details_of
from .state_machine import Status

logger = logging.getLogger(__name__)

VIEWS = (("day", "Day"), ("week", "Week"))
LONGEST_BLOCK = timedelta(days=92)  # longer leave goes in 'Time off', a season at a time


def _instant(form, day_field: str, time_field: str, day: date | None = None) -> datetime | None:
    """The instant for a date and time field, or None after adding the error to the time field."""
    day = day or form.cleaned_data.get(day_field)
    clock = form.cleaned_data.get(time_field)
    if day is None or clock is None:
        return None
    try:
        return local_instant(day, clock)
    except NonexistentTime as error:
        form.add_error(time_field, str(error))
        return None


class DiaryQueryForm(forms.Form):
    """What the diary shows: a clinic or a practitioner (who wins when both are given), a day, day or week.

    The choices come from lists the view has loaded, so checking and drawing the form costs no queries.
    """

    location = forms.TypedChoiceField(coerce=int, required=False, label="Clinic", empty_value=None)
    practitioner = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    day = forms.DateField(required=False, widget=AdminDateInput)
    view = forms.ChoiceField(choices=VIEWS, required=False)

    def __init__(self, *args, locations=(), practitioners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].choices = [("", "—"), *((p.pk, p.name) for p in locations)]
        self.fields["practitioner"].choices = [
            ("", "Everyone at the clinic"),
            *((p.pk, p.display_name) for p in practitioners),
        ]


#: The times the book and move forms suggest (a <datalist> in `_form_fields.html`): the quarter hours of a
#: clinic's day. Any time can still be typed (e.g. 10:50); the list saves typing the usual ones.
SUGGESTED_TIMES = [f"{minute // 60:02d}:{minute % 60:02d}" for minute in range(7 * 60, 21 * 60, 15)]


def time_field(label: str | None = None) -> forms.TimeField:
    """A UK wall-clock time, typed or picked from the day's quarter hours (`SUGGESTED_TIMES`)."""
    return forms.TimeField(
        label=label,
        widget=forms.TimeInput(format="%H:%M", attrs={"list": "diary-times", "autocomplete": "off", "size": 6}),
        help_text="UK time, e.g. 10:30: type it or pick one of the quarter hours.",
    )


def override_field(what: str) -> forms.CharField:
    """Staff's reason to set the consultation-first rule aside, kept in the appointment's history."""
    return forms.CharField(
        max_length=150,
        required=False,
        label="Override the consultation-first rule",
        help_text=f"Leave empty to apply the rule. Only if {what}: say why (kept in the history).",
    )


class BookForm(forms.Form):
    """A new appointment, booked by staff for a patient: a returning patient chosen from their record
    (`patient`, found through Patients), whose details are never retyped, or a new one typed in."""

    location = forms.ModelChoiceField(Location.objects.filter(active=True), label="Clinic")
    practitioner = forms.ModelChoiceField(Practitioner.objects.filter(active=True))
    service = forms.ModelChoiceField(Service.objects.filter(active=True))
    day = forms.DateField(widget=AdminDateInput)
    time = time_field()
    patient = forms.ModelChoiceField(
        PatientRecord.objects.filter(merged_into__isnull=True), required=False, widget=forms.HiddenInput
    )
    patient_name = NameField(max_length=200, required=False)
    patient_phone = forms.CharField(max_length=30, required=False, label="Patient's phone")
    patient_email = forms.EmailField(
        label="Patient's e-mail address",
        required=False,
        help_text="For the confirmation and reminders. A phone number or an e-mail address is needed.",
    )
    patient_date_of_birth = forms.DateField(
        label="Patient's date of birth",
        required=False,
        # The browser's own date field: typed, and no pop-up calendar over the Book button.
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "off"}, format="%Y-%m-%d"),
        help_text="Needed for prescription-only treatments and their consultations (over-18s only).",
    )
    override_reason = override_field("a prescriber has assessed the patient in person for this treatment")
    TYPED = ("patient_name", "patient_phone", "patient_email", "patient_date_of_birth")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = self.data.get("patient") if self.is_bound else self.initial.get("patient")
        if chosen:  # a returning patient: nothing to type
            for name in self.TYPED:
                del self.fields[name]

    def clean_patient_phone(self) -> str:
        phone = self.cleaned_data["patient_phone"].strip()
        if not phone:
            return ""
        try:
            return national(clean_uk_phone(phone))  # the one check the web form and the API make
        except PhoneError as error:
            raise ValidationError(error.message, code=error.code) from None

    def clean(self):
        cleaned = super().clean()
        cleaned["start"] = _instant(self, "day", "time")
        if cleaned.get("patient") is not None or "patient" in self.errors:
            return cleaned  # a returning patient: their record has the details
        if not cleaned.get("patient_name") and "patient_name" not in self.errors:
            self.add_error("patient_name", "Please give the patient's name, or find a returning patient first.")
        phone_ok = cleaned.get("patient_phone") or "patient_phone" in self.errors
        if not (cleaned.get("patient_email") or phone_ok or "patient_email" in self.errors):
            self.add_error("patient_phone", "Please give a way to reach the patient: a phone number or an e-mail.")
        return cleaned

    @property
    def patient_details(self) -> Patient:
        data = self.cleaned_data
        if data.get("patient") is not None:
            return details_of(data["patient"])
        return Patient(
            name=data["patient_name"],
            email=data["patient_email"] or "",
            date_of_birth=data["patient_date_of_birth"],
            phone=data["patient_phone"] or "",
        )


class MoveForm(forms.Form):
    """A new time (and perhaps another practitioner) for an appointment."""

    practitioner = forms.ModelChoiceField(Practitioner.objects.filter(active=True))
    day = forms.DateField(widget=AdminDateInput)
    time = time_field()
    override_reason = override_field("the treatments resting on this consultation should stay where they are")

    def clean(self):
        cleaned = super().clean()
        cleaned["start"] = _instant(self, "day", "time")
        return cleaned


def reason_field(required: bool) -> forms.CharField:
    """Why an appointment is called off or missed, as staff say it: kept in its history."""
    return forms.CharField(
        max_length=150,
        required=required,
        label="Reason",
        help_text="Kept in the appointment's history, e.g. 'Patient phoned: unwell'.",
    )


class StatusForm(forms.Form):
    """The moves staff make on the day. Which ones are allowed is `state_machine`'s business.

    'Did not attend' needs a reason (what was tried: 'No answer on the phone at 10:20')."""

    CHOICES = [(s.value, s.label) for s in (Status.ARRIVED, Status.COMPLETED, Status.NO_SHOW)]
    status = forms.ChoiceField(choices=CHOICES)
    reason = reason_field(required=False)
    override_reason = override_field("the treatments resting on this consultation should stay booked")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Status.NO_SHOW and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Please say why you are marking the patient as not attending.")
        return cleaned


class CancelForm(forms.Form):
    """Cancel, with a reason. A consultation takes the treatments resting on it along, unless staff say why not."""

    reason = reason_field(required=True)
    override_reason = override_field("the treatments resting on this consultation should stay booked")


class BlockForm(forms.Form):
    """Time a practitioner cannot be booked: from a time on one day to a time on the same or a later day."""

    practitioner = forms.ModelChoiceField(Practitioner.objects.filter(active=True))
    day = forms.DateField(widget=AdminDateInput)
    start_time = time_field(label="From")
    end_time = time_field(label="Until")
    end_day = forms.DateField(
        widget=AdminDateInput, required=False, label="Until day", help_text="Leave empty for the same day."
    )
    reason = forms.CharField(max_length=200, required=False, help_text="Seen by staff only, e.g. 'Training'.")

    def clean(self):
        cleaned = super().clean()
        start = _instant(self, "day", "start_time")
        end_day = cleaned.get("end_day") or cleaned.get("day")
        end = _instant(self, "end_day", "end_time", day=end_day) if end_day else None
        if start and end:
            if end <= start:
                self.add_error("end_time", "The end must be after the start.")
            elif end - start > LONGEST_BLOCK:
                self.add_error("end_day", "A block can last up to 92 days; add longer leave in 'Time off'.")
        cleaned["start"], cleaned["end"] = start, end
        return cleaned


# --- Blocking time ---------------------------------------------------------------------------


def describe_clash(appointment: Appointment) -> str:
    """One line for a staff message: when, what, who, status and where."""
    return (
        f"{format_local(appointment.start)}: {appointment.service}, {appointment.patient_name} "
        f"({appointment.get_status_display().lower()}) at {appointment.location}"
    )
