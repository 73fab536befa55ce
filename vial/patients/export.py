"""Subject-access export: everything the clinic holds about one patient, in words a person can read."""

from vial.booking.models import format_local

from .models import CONTACT_FIELDS, Patient


def subject_access(patient: Patient) -> dict:
    """The patient's data as plain values (JSON-ready): details, appointments with their history,
    enquiries, and changes of contact details. Clinical records join here as they are built."""
    details = {field: _plain(getattr(patient, field)) for field in CONTACT_FIELDS}
    details["marketing_consent_at"] = _plain(patient.marketing_consent_at)
    details["marketing_consent_how"] = patient.marketing_consent_how
    details["record_created"] = _plain(patient.created_at)
    appointments = []
    for a in patient.appointments.select_related("service", "practitioner", "location").prefetch_related(
        "status_changes"
    ):
        appointments.append(
            {
                "when": format_local(a.start),
                "service": a.service.name,
                "practitioner": a.practitioner.display_name,
                "clinic": a.location.name,
                "status": a.get_status_display(),
                "details_given_at_booking": {
                    "name": a.patient_name,
                    "email": a.patient_email,
                    "phone": a.patient_phone,
                    "date_of_birth": _plain(a.patient_date_of_birth),
                },
                "history": [
                    {"at": format_local(c.at), "to": c.get_to_status_display(), "note": c.note}
                    for c in a.status_changes.all()
                ],
            }
        )
    enquiries = [
        {"received": format_local(e.created_at), "kind": e.get_kind_display(), "message": e.message}
        for e in patient.enquiries.all()
    ]
    changes = [{"at": format_local(c.at), "changes": c.changes} for c in patient.details_changes.all()]
    return {
        "patient_id": patient.pk,
        "details": details,
        "appointments": appointments,
        "enquiries": enquiries,
        "contact_detail_changes": changes,
    }


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
