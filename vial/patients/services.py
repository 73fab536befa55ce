"""What happens to a patient record: found or created at booking, details changed, merged, erased.

Each change writes its audit row (`vial.audit.log.record`) in the same transaction.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from vial.audit.log import Action, record
from vial.core.phones import PhoneError, clean_uk_phone

from .models import CONTACT_FIELDS, DetailsChange, Patient

#: Clinical records are kept 8 years after the last treatment, and for someone treated under 18 until
#: their 25th birthday if that is later (CLINIC.md, record keeping). Someone never treated is kept
#: while they are in touch with the clinic, and erased 2 years after their last contact.
ADULT_RETENTION_YEARS = 8
MINOR_RETENTION_UNTIL_AGE = 25
UNTREATED_RETENTION_YEARS = 2
ERASED = "(erased)"


@dataclass(frozen=True)
class Details:
    """A patient's details as typed into a booking or a form."""

    name: str
    email: str
    date_of_birth: date | None
    phone: str = ""
    record: Patient | None = None  # the patient record, when staff chose one (or once it is known)


class PatientError(Exception):
    """A change refused, with a message for the person who asked."""


def find_patient(email: str, date_of_birth: date | None) -> Patient | None:
    """The live record of a returning patient: same e-mail address (any capitals) and date of birth."""
    if not email.strip() or date_of_birth is None:
        return None
    return Patient.objects.filter(
        email__iexact=email.strip(), date_of_birth=date_of_birth, merged_into__isnull=True
    ).first()


def find_or_create_patient(details: Details, who="booking website", channel: str = "") -> Patient:
    """The one way a booking, the API or the diary turns typed details into a patient record.

    A returning patient (same e-mail and date of birth) is found, never duplicated, even when two
    bookings race (the unique constraint decides, the loser re-reads). Someone without an e-mail
    address or a date of birth (a walk-in) always gets a new record; staff merge duplicates.
    """
    found = find_patient(details.email, details.date_of_birth)
    if found is not None:
        return found
    try:
        with transaction.atomic():
            patient = Patient.objects.create(
                preferred_name=details.name.strip(),
                email=details.email.strip(),
                phone=stored_phone(details.phone),
                date_of_birth=details.date_of_birth,
                care_by_email=bool(details.email.strip()),
            )
            record(who, Action.CREATE, channel or "booking", patient=patient)
    except IntegrityError:
        found = find_patient(details.email, details.date_of_birth)
        if found is None:
            raise
        return found
    return patient


def stored_phone(raw: str) -> str:
    """A phone number in the one stored form (+44…) when it is a UK number, else as typed."""
    try:
        return clean_uk_phone(raw) if raw.strip() else ""
    except PhoneError:
        return raw.strip()


def change_details(patient: Patient, new: dict, by, reason: str = "") -> list[str]:
    """Rectification: change contact fields, keep the old values as history, audit the field names."""
    changed = {
        field: [_jsonable(getattr(patient, field)), _jsonable(new[field])]
        for field in CONTACT_FIELDS
        if field in new and getattr(patient, field) != new[field]
    }
    if not changed:
        return []
    with transaction.atomic():
        if new.get("marketing_consent") and not patient.marketing_consent:
            patient.marketing_consent_at = timezone.now()
            patient.marketing_consent_how = "recorded by staff"
        for field in changed:
            setattr(patient, field, new[field])
        patient.save()
        DetailsChange.objects.create(patient=patient, by=_user(by), changes=changed, reason=reason[:200])
        record(by, Action.CHANGE, "contact details", patient=patient, fields=changed)
    return sorted(changed)


def merge_patients(keep: Patient, duplicate: Patient, by, reason: str) -> Patient:
    """Fold `duplicate` into `keep`: appointments, enquiries and history follow; the duplicate stays as a
    pointer (`merged_into`) so old links and the audit trail still lead somewhere."""
    if keep.pk == duplicate.pk:
        raise PatientError("A patient cannot be merged into themselves: choose two different records.")
    if duplicate.merged_into_id or keep.merged_into_id:
        raise PatientError("One of these records was already merged; open the record it was merged into.")
    if not reason.strip():
        raise PatientError("Please say why these are the same person (e.g. 'same phone and date of birth').")
    with transaction.atomic():
        Patient.objects.select_for_update().filter(pk__in=[keep.pk, duplicate.pk]).exists()
        duplicate.appointments.update(patient=keep)
        duplicate.enquiries.update(patient=keep)
        duplicate.details_changes.update(patient=keep)
        duplicate.merged_records.update(merged_into=keep)
        duplicate.merged_into = keep
        duplicate.save(update_fields=["merged_into", "updated_at"])
        detail = f"record #{duplicate.pk} merged into #{keep.pk}: {reason.strip()}"
        record(by, Action.MERGE, "patient record", patient=keep, detail=detail)
        record(by, Action.MERGE, "patient record", patient=duplicate, detail=detail)
    return keep


def last_treatment_day(patient: Patient) -> date | None:
    from vial.booking.state_machine import Status

    last = patient.appointments.filter(status=Status.COMPLETED).aggregate(last=Max("start"))["last"]
    return timezone.localdate(last) if last else None


def last_contact_day(patient: Patient) -> date:
    last = patient.appointments.aggregate(last=Max("start"))["last"]
    moments = [m for m in (last, patient.created_at, patient.updated_at) if m]
    return timezone.localdate(max(moments))


def clinical_retention_until(patient: Patient) -> date | None:
    """The last day clinical records must be kept, or None when the patient was never treated."""
    treated = last_treatment_day(patient)
    if treated is None:
        return None
    until = _add_years(treated, ADULT_RETENTION_YEARS)
    born = patient.date_of_birth
    if born is not None and patient.age_on(treated) is not None and patient.age_on(treated) < 18:
        until = max(until, _add_years(born, MINOR_RETENTION_UNTIL_AGE))
    return until


def erase_patient(patient: Patient, by, reason: str, today: date | None = None) -> list[str]:
    """Right to erasure: remove what the law lets us remove, keep what it requires, record why.

    Marketing consent, contact details beyond the name and date of birth, the GP and emergency
    contact, contact-detail history and enquiries go at once. Inside the retention period the
    name, date of birth and appointments stay (they identify the clinical record); once it has
    passed (or for someone never treated) the name and date of birth go too and the typed details on
    the appointments are blanked. Returns the names of the fields erased.
    """
    if not reason.strip():
        raise PatientError("Please record why the data is being erased (e.g. 'patient's request of 3 May').")
    if patient.erased_at and patient.preferred_name == ERASED:
        raise PatientError("This record has already been erased.")
    today = today or timezone.localdate()
    keep_until = clinical_retention_until(patient)
    keep_clinical = keep_until is not None and today <= keep_until
    erased = {
        "legal_name": "",
        "email": "",
        "phone": "",
        "address": "",
        "postcode": "",
        "gp_practice": "",
        "emergency_contact": "",
        "emergency_phone": "",
        "care_by_email": False,
        "care_by_sms": False,
        "marketing_consent": False,
        "marketing_consent_at": None,
        "marketing_consent_how": "",
    }
    if not keep_clinical:
        erased.update(preferred_name=ERASED, date_of_birth=None)
    note = reason.strip()
    if keep_clinical:
        note += f" (clinical record kept until {keep_until:%d %B %Y}, as the law requires)"
    with transaction.atomic():
        fields = [f for f, value in erased.items() if getattr(patient, f) != value]
        for field, value in erased.items():
            setattr(patient, field, value)
        patient.erased_at = timezone.now()
        patient.erasure_reason = note[:300]
        patient.save()  # and the words of the names erased go from search, unless someone else has them
        patient.details_changes.all().delete()
        patient.enquiries.all().delete()
        blank = {"patient_email": "", "patient_phone": ""}
        if not keep_clinical:
            blank.update(patient_name=ERASED, patient_date_of_birth=None)
        patient.appointments.update(**blank)
        record(by, Action.ERASE, "patient record", patient=patient, fields=fields, detail=note)
    return fields


def due_for_erasure(today: date | None = None):
    """Patients whose retention period has passed and who are not yet fully erased (the sweep's list).

    The database narrows the candidates (no visit for 2 years, or no treatment for 8); each one is
    then checked with the full rule (someone treated under 18 is kept until their 25th birthday).
    """
    from vial.booking.state_machine import Status

    today = today or timezone.localdate()
    untreated_since = timezone.make_aware(datetime.combine(_add_years(today, -UNTREATED_RETENTION_YEARS), time()))
    treated_since = timezone.make_aware(datetime.combine(_add_years(today, -ADULT_RETENTION_YEARS), time()))
    candidates = (
        Patient.objects.filter(merged_into__isnull=True)
        .exclude(preferred_name=ERASED)
        .annotate(
            last_treated=Max("appointments__start", filter=Q(appointments__status=Status.COMPLETED)),
            last_seen=Max("appointments__start"),
        )
        .filter(
            Q(last_treated__lt=treated_since)
            | Q(last_treated__isnull=True, updated_at__lt=untreated_since)
            & (Q(last_seen__isnull=True) | Q(last_seen__lt=untreated_since))
        )
    )
    for patient in candidates.iterator():
        keep_until = clinical_retention_until(patient)
        if keep_until is None:
            keep_until = _add_years(last_contact_day(patient), UNTREATED_RETENTION_YEARS)
        if keep_until < today:
            yield patient


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _jsonable(value):
    return value.isoformat() if isinstance(value, date | datetime) else value


def _user(by):
    user = getattr(by, "user", by)
    return user if getattr(user, "is_authenticated", False) else None
