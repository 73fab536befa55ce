"""A patient record for tests that write appointments straight to the table (past visits)."""

from datetime import date

from vial.patients.services import Details, find_or_create_patient


def patient_record(name: str, email: str, date_of_birth: date | None = None, phone: str = ""):
    """The returning patient's record (found by e-mail and date of birth), created the way booking does."""
    return find_or_create_patient(Details(name=name, email=email, date_of_birth=date_of_birth, phone=phone))
