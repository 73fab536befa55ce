"""Who reaches patient data, as each role meets it over HTTP, and the audit row each read leaves."""

from datetime import date

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from tests.booking.conftest import MONDAY, NOW, at, make_diary
from tests.factories import staff_user
from tests.patients.records import patient_record
from vial.audit.models import AuditEvent
from vial.booking.services import book_appointment
from vial.enquiries.models import Enquiry
from vial.patients.services import Details
from vial.staff import roles

pytestmark = pytest.mark.django_db

ROLES = [roles.RECEPTION, roles.PRACTITIONER, roles.PRESCRIBER, roles.MANAGER, roles.EDITOR]
SEES_PATIENTS = {roles.RECEPTION, roles.PRACTITIONER, roles.PRESCRIBER, roles.MANAGER}


@pytest.fixture
def tamsin():
    """A patient with an appointment and an enquiry: every screen that shows her has something to show."""
    patient = patient_record("Tamsin Luscombe", "tamsin@example.com", date(1984, 6, 9), "01392 123456")
    diary = make_diary()
    details = Details("Tamsin Luscombe", "tamsin@example.com", date(1984, 6, 9), "01392 123456", record=patient)
    patient.appointment = book_appointment(diary.service, diary.practitioners[0], diary.location, at(MONDAY, 11),
                                           details, now=NOW)  # fmt: skip
    patient.enquiry = Enquiry.objects.create(
        name="Tamsin Luscombe",
        email="tamsin@example.com",
        message="Is it safe?",
        consent_to_contact=True,
        patient=patient,
    )
    return patient


def reads(patient):
    """Every read of a patient's data a member of staff can make, and who may make it."""
    return [
        ("/admin/patients/?q=Luscombe", SEES_PATIENTS),
        (f"/admin/patients/{patient.pk}/", SEES_PATIENTS),
        (f"/admin/patients/{patient.pk}/edit/", SEES_PATIENTS),
        (f"/admin/patients/{patient.pk}/export/?format=html", {roles.MANAGER}),
        (f"/admin/patients/{patient.pk}/export/?format=json", {roles.MANAGER}),
        (f"/admin/diary/appointments/{patient.appointment.pk}/", SEES_PATIENTS),
        (f"/admin/booking_appointments/inspect/{patient.appointment.pk}/", SEES_PATIENTS),
        (f"/admin/enquiries/inspect/{patient.enquiry.pk}/", {roles.MANAGER}),
        (f"/admin/enquiries/edit/{patient.enquiry.pk}/", {roles.MANAGER}),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_exactly_its_patient_pages_and_each_read_is_audited_once(client, tamsin, role):
    user = staff_user(role, totp=False)
    client.force_login(user)
    for url, allowed in reads(tamsin):
        before = AuditEvent.objects.count()
        response = client.get(url)
        if role in allowed:
            assert response.status_code == 200, (role, url)
            audited = url.startswith(f"/admin/patients/{tamsin.pk}/edit/") is False
            assert AuditEvent.objects.count() == before + (1 if audited else 0), (role, url)
            if audited:
                event = AuditEvent.objects.latest("pk")
                assert event.user == user
        else:
            # No hint that the patient exists: the patient screens answer 404, the admin's own screens
            # refuse with their permission message (the same for any id).
            assert response.status_code == 404 or refused(response), (role, url, response.status_code)
            assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("role", ROLES)
def test_only_managers_merge_erase_and_read_the_audit_log(client, tamsin, role):
    other = patient_record("Tamsin Luscombe", "t.luscombe@example.com", date(1984, 6, 9))
    client.force_login(staff_user(role, totp=False))
    audit = client.get("/admin/audit_log/")
    merge = client.post(f"/admin/patients/{tamsin.pk}/merge/", {"duplicate": other.pk, "reason": "same person"})
    if role == roles.MANAGER:
        assert audit.status_code == 200
        assert merge.status_code == 302
        other.refresh_from_db()
        assert other.merged_into == tamsin
    else:
        assert audit.status_code in (302, 403)
        assert merge.status_code == 404
        other.refresh_from_db()
        assert other.merged_into is None


def test_an_editor_reaches_no_patient_data_anywhere(client, tamsin):
    client.force_login(staff_user(roles.EDITOR, totp=False))
    dashboard = client.get("/admin/").content.decode()
    assert "/admin/patients/" not in dashboard
    assert "Luscombe" not in dashboard
    for url in ("/admin/patients/", "/admin/audit_log/", "/admin/booking_appointments/", "/admin/diary/"):
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        assert "Luscombe" not in response.content.decode()


def refused(response) -> bool:
    """Wagtail's refusal: back to the dashboard (which then says 'you do not have permission'), or 403."""
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


def test_visitors_who_are_not_signed_in_are_sent_to_sign_in(client, tamsin):
    for url, _ in reads(tamsin):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


def test_a_search_records_the_words_not_the_people_found(client, tamsin):
    client.force_login(staff_user(roles.RECEPTION, totp=False))
    page = client.get("/admin/patients/", {"q": "Luskombe"}).content.decode()  # misspelt
    assert "Tamsin Luscombe" in page
    event = AuditEvent.objects.latest("pk")
    assert (event.action, event.detail, event.patient) == ("search", "Luskombe", None)


@pytest.mark.parametrize(
    "query",
    ["Lusc", "luscombe", "Luscomb", "09/06/1984", "1984-06-09", "01392 123456", "123456", "tamsin@example.com"],
)
def test_reception_finds_a_patient_by_any_part_of_their_details(client, tamsin, query):
    patient_record("Someone Else", "else@example.com", date(1970, 1, 1), "07123 999888")
    client.force_login(staff_user(roles.RECEPTION, totp=False))
    page = client.get("/admin/patients/", {"q": query}).content.decode()
    assert "Tamsin Luscombe" in page
    assert "Someone Else" not in page


def test_audit_rows_cannot_be_changed_or_deleted_through_the_app(client, tamsin):
    client.force_login(staff_user(roles.MANAGER, totp=False))
    client.get(f"/admin/patients/{tamsin.pk}/")
    event = AuditEvent.objects.latest("pk")
    event.detail = "rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    for url in (f"/admin/audit_log/edit/{event.pk}/", f"/admin/audit_log/delete/{event.pk}/", "/admin/audit_log/new/"):
        assert client.get(url).status_code in (302, 403, 404), url
    assert AuditEvent.objects.get(pk=event.pk).detail == ""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgres_refuses_update_and_delete_of_audit_rows_even_in_sql(client, tamsin):
    client.force_login(staff_user(roles.MANAGER, totp=False))
    client.get(f"/admin/patients/{tamsin.pk}/")
    rows = list(AuditEvent.objects.values_list("pk", "detail"))
    assert len(rows) >= 2  # her record's creation, her booking, the read
    for sql in ("UPDATE audit_auditevent SET detail = 'x'", "DELETE FROM audit_auditevent"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert list(AuditEvent.objects.values_list("pk", "detail")) == rows


def test_the_manager_filters_and_exports_the_audit_log(client, tamsin):
    reception = staff_user(roles.RECEPTION, totp=False)
    client.force_login(reception)
    client.get(f"/admin/patients/{tamsin.pk}/")
    client.force_login(staff_user(roles.MANAGER, totp=False))
    listing = client.get("/admin/audit_log/", {"action": "view"}).content.decode()
    assert "patient page" in listing
    export = client.get("/admin/audit_log/", {"export": "csv"})
    assert export.status_code == 200
    body = b"".join(export.streaming_content).decode() if export.streaming else export.content.decode()
    assert "patient page" in body and "Reception" in body
