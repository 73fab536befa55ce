"""Rectification, merge, subject-access export, erasure and the retention sweep, as staff meet them."""

import json
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.booking.conftest import make_diary
from tests.factories import staff_user
from tests.patients.records import patient_record
from vial.audit.models import AuditEvent
from vial.booking.models import Appointment
from vial.booking.state_machine import Status
from vial.patients.models import Patient
from vial.staff import roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def tamsin():
    return patient_record("Tamsin Luscombe", "tamsin@example.com", date(1984, 6, 9), "01392 123456")


@pytest.fixture
def manager(client):
    client.force_login(staff_user(roles.MANAGER, totp=False))
    return client


def visit(patient, days_ago: int, status=Status.COMPLETED):
    """A past visit, straight to the table (the booking services refuse the past)."""
    n = Appointment.objects.count()
    clinic = make_diary(
        practitioners=1, location_name=f"Clinic {n}", name="General consultation" if n == 0 else f"Visit {n}"
    )
    start = timezone.now() - timedelta(days=days_ago)
    return Appointment.objects.create(
        service=clinic.service, practitioner=clinic.practitioners[0], location=clinic.location, patient=patient,
        patient_name=patient.preferred_name, patient_email=patient.email, patient_phone=patient.phone,
        patient_date_of_birth=patient.date_of_birth, start=start, end=start + timedelta(minutes=30),
        blocked_start=start, blocked_end=start + timedelta(minutes=30), status=status,
    )  # fmt: skip


def edit_form(patient, **changes):
    data = {
        "preferred_name": patient.preferred_name,
        "legal_name": "",
        "date_of_birth": patient.date_of_birth.isoformat(),
        "email": patient.email,
        "phone": patient.phone,
        "address": "",
        "postcode": "",
        "gp_practice": "",
        "emergency_contact": "",
        "emergency_phone": "",
        "care_by_email": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_reception_corrects_a_phone_number_and_the_old_one_is_kept_as_history(client, tamsin):
    client.force_login(staff_user(roles.RECEPTION, totp=False))
    response = client.post(f"/admin/patients/{tamsin.pk}/edit/", edit_form(tamsin, phone="07911 123456"))
    assert response.status_code == 302
    tamsin.refresh_from_db()
    assert tamsin.phone == "+447911123456"
    change = tamsin.details_changes.get()
    assert change.changes == {"phone": ["+441392123456", "+447911123456"]}
    event = AuditEvent.objects.filter(action="change").get()
    assert event.fields == ["phone"] and "07911" not in event.detail  # field names, never values
    page = client.get(f"/admin/patients/{tamsin.pk}/").content.decode()
    assert "Details corrected" in page and "phone" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"phone": "12345"}, "phone"),
        ({"email": "not-an-address"}, "Enter a valid email address"),
        ({"care_by_sms": "on", "phone": "01392 123456"}, "mobile"),
        ({"date_of_birth": "31/02/1984"}, "Enter a valid date"),
    ],
)
def test_bad_corrections_are_refused_with_a_message_and_nothing_changes(client, tamsin, changes, message):
    client.force_login(staff_user(roles.RECEPTION, totp=False))
    response = client.post(f"/admin/patients/{tamsin.pk}/edit/", edit_form(tamsin, **changes))
    assert response.status_code == 400
    assert message.lower() in response.content.decode().lower()
    assert Patient.objects.get(pk=tamsin.pk).phone == "+441392123456"
    assert not tamsin.details_changes.exists()


def test_merging_a_duplicate_moves_its_appointments_and_leaves_a_pointer(manager, tamsin):
    duplicate = patient_record("Tamsin Luscombe", "tam.l@example.com", date(1984, 6, 9))
    visit(duplicate, 40)
    response = manager.post(f"/admin/patients/{tamsin.pk}/merge/", {"duplicate": duplicate.pk, "reason": "same phone"})
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into == tamsin
    assert tamsin.appointments.count() == 1
    assert manager.get(f"/admin/patients/{duplicate.pk}/").url == f"/admin/patients/{tamsin.pk}/"  # old links lead on


def test_a_patient_cannot_be_merged_into_themselves(manager, tamsin):
    response = manager.post(
        f"/admin/patients/{tamsin.pk}/merge/", {"duplicate": tamsin.pk, "reason": "oops"}, follow=True
    )
    assert "cannot be merged into themselves" in response.content.decode()
    tamsin.refresh_from_db()
    assert tamsin.merged_into is None
    assert not AuditEvent.objects.filter(action="merge").exists()


def test_the_subject_access_export_holds_their_details_and_visits(manager, tamsin):
    visit(tamsin, 40)
    response = manager.get(f"/admin/patients/{tamsin.pk}/export/", {"format": "json"})
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["details"]["email"] == "tamsin@example.com"
    assert data["appointments"][0]["status"] == "Completed"
    readable = manager.get(f"/admin/patients/{tamsin.pk}/export/", {"format": "html"}).content.decode()
    assert "General consultation" in readable and "tamsin@example.com" in readable
    assert manager.get(f"/admin/patients/{tamsin.pk}/export/", {"format": "xml"}).status_code == 400
    assert AuditEvent.objects.filter(action="export", patient=tamsin).count() == 2


def test_erasure_inside_the_retention_period_keeps_the_clinical_record_and_says_why(manager, tamsin):
    visit(tamsin, 365)
    tamsin.marketing_consent = True
    tamsin.save()
    response = manager.post(f"/admin/patients/{tamsin.pk}/erase/", {"reason": "Patient's letter of 1 Dec"}, follow=True)
    assert "clinical record kept until" in response.content.decode()
    tamsin.refresh_from_db()
    assert (tamsin.email, tamsin.phone, tamsin.marketing_consent) == ("", "", False)
    assert (tamsin.preferred_name, tamsin.date_of_birth) == (
        "Tamsin Luscombe",
        date(1984, 6, 9),
    )  # identifies the record
    appointment = tamsin.appointments.get()
    assert appointment.patient_email == "" and appointment.patient_name == "Tamsin Luscombe"
    assert "Patient's letter of 1 Dec" in tamsin.erasure_reason
    event = AuditEvent.objects.get(action="erase")
    assert "email" in event.fields and "clinical record kept until" in event.detail


def test_erasure_needs_a_reason(manager, tamsin):
    manager.post(f"/admin/patients/{tamsin.pk}/erase/", {"reason": " "})
    tamsin.refresh_from_db()
    assert tamsin.email == "tamsin@example.com" and tamsin.erased_at is None


def test_someone_never_treated_is_erased_entirely(manager, tamsin):
    manager.post(f"/admin/patients/{tamsin.pk}/erase/", {"reason": "Asked by e-mail"})
    tamsin.refresh_from_db()
    assert tamsin.preferred_name == "(erased)" and tamsin.date_of_birth is None


def test_the_retention_sweep_erases_only_records_past_their_period():
    old_adult = patient_record("Old Adult", "old@example.com", date(1970, 1, 1))
    visit(old_adult, 9 * 366)
    recent = patient_record("Recent Patient", "recent@example.com", date(1980, 1, 1))
    visit(recent, 7 * 365)
    today = timezone.localdate()
    teen = patient_record("Young Patient", "young@example.com", today.replace(year=today.year - 24))  # treated at 15
    visit(teen, 9 * 366)
    call_command("apply_retention")
    names = dict(Patient.objects.values_list("email", "preferred_name"))
    assert Patient.objects.get(pk=old_adult.pk).preferred_name == "(erased)"
    assert names["recent@example.com"] == "Recent Patient"
    assert names["young@example.com"] == "Young Patient"  # kept until their 25th birthday
    assert AuditEvent.objects.filter(action="erase", actor="retention sweep").count() == 1
