"""Who may see or change what of a patient: the one place every patient view, export and API asks.

Roles are Django groups holding these permissions (`vial/staff/roles.py`); nothing here looks at a
group's name. Someone without the permission is answered 404, as if the patient did not exist.
"""

from django.http import Http404

from .models import Patient

#: What someone wants to do with a patient record -> the permission it takes.
PERMISSIONS = {
    "view": "patients.view_patient",  # contact details, appointments, enquiries (reception and up)
    "change": "patients.change_patient",  # correct contact details (rectification)
    "view_clinical": "patients.view_clinical",  # medical history, consent, treatment records
    "change_clinical": "patients.change_clinical",
    "export": "patients.export_patient",  # subject-access export
    "merge": "patients.merge_patient",
    "erase": "patients.erase_patient",
}


def may(user, action: str) -> bool:
    """May this user do `action` (a key of PERMISSIONS) with patient records?"""
    return bool(user and user.is_active and user.is_authenticated and user.has_perm(PERMISSIONS[action]))


def patient_or_404(user, pk, action: str = "view") -> Patient:
    """The patient `pk` if the user may do `action` with it; otherwise 404 (no hint that it exists)."""
    if not may(user, action):
        raise Http404("No such patient.")
    try:
        return Patient.objects.get(pk=int(pk))
    except (Patient.DoesNotExist, TypeError, ValueError):
        raise Http404("No such patient.") from None
