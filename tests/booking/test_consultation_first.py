"""Consultation first, without loopholes: driven as a patient (web flow, e-mailed links, API) and staff would.

A prescription-only treatment may be booked only after a prescriber's consultation that is confirmed
(or attended) and ends before it. The sequences that used to walk around the rule: hold a
consultation without confirming it, then book the treatment; book both, then cancel (or miss, or
move) the consultation. Each must end with no live treatment that lacks its consultation.
"""

import json
from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import make_treatment
from vial.booking import links
from vial.booking.forms import slot_key
from vial.booking.models import Appointment, Service, local
from vial.booking.services import NeedsConsultation, Patient, book_appointment
from vial.booking.state_machine import Status

from .conftest import ADULT, PHONE, api_booking, at, make_diary, working_day

CONSULTATION_DAY = working_day(4)
TREATMENT_DAY = working_day(9)


@pytest.fixture
def toxin(clinic):
    """A prescription-only treatment with its prescriber's consultation and the treatment visit."""
    treatment = make_treatment(
        clinic["treatments"], n=7, title="Frown lines", prescription_only=True, licence="licensed"
    )
    diary = make_diary(treatment=treatment, name="Frown lines: consultation", needs_prescriber=True, price=60)
    treatment_visit = Service.objects.create(
        name="Frown lines: treatment", kind=Service.Kind.TREATMENT, treatment=treatment, duration_minutes=30, price=180
    )
    for practitioner in diary.practitioners:
        practitioner.services.add(treatment_visit)
    diary.others["treatment"] = treatment_visit
    return diary


def api_book(client, service, location, start, **patient):
    body = api_booking(service, location, start, **patient)
    return client.post("/api/v1/bookings", data=json.dumps(body), content_type="application/json")


def live_treatments(toxin) -> list[Appointment]:
    return list(
        Appointment.objects.filter(service=toxin.others["treatment"], status__in=(Status.HELD, Status.CONFIRMED))
    )


def confirmed_consultation(toxin, start=None) -> Appointment:
    start = start or at(CONSULTATION_DAY, 10)
    return book_appointment(toxin.service, toxin.practitioners[0], toxin.location, start, ADULT)


# --- A hold is not a consultation --------------------------------------------------------------


def hold_on_the_web(client, service, location, start, practitioner):
    """The booking flow's details step: the time is held, not confirmed."""
    url = reverse("booking:details", args=[service.pk])
    return client.post(
        url,
        {
            "location": location.pk,
            "slot": slot_key(start, practitioner.pk),
            "name": ADULT.name,
            "email": ADULT.email,
            "phone": PHONE,
            "date_of_birth": ADULT.date_of_birth.isoformat(),
        },
    )


def test_a_held_consultation_does_not_open_the_treatment_on_the_web_or_the_api(client, toxin):
    held = hold_on_the_web(client, toxin.service, toxin.location, at(CONSULTATION_DAY, 10), toxin.practitioners[0])
    assert held.status_code == 302, held.content.decode()[:2000]
    assert Appointment.objects.get(service=toxin.service).status == Status.HELD

    web = hold_on_the_web(
        client, toxin.others["treatment"], toxin.location, at(TREATMENT_DAY, 10), toxin.practitioners[0]
    )
    assert web.status_code == 200
    assert "in-person consultation" in web.content.decode()

    api = api_book(client, toxin.others["treatment"], toxin.location, at(TREATMENT_DAY, 11))
    assert api.status_code == 422, api.content
    assert api.json()["code"] == "needs_consultation"
    assert live_treatments(toxin) == []


def test_a_consultation_with_someone_who_is_not_a_prescriber_does_not_count(toxin):
    nurse = toxin.practitioners[1]
    nurse.is_prescriber = False
    nurse.regulator = nurse.registration_number = ""
    nurse.save()
    Service.objects.filter(pk=toxin.service.pk).update(needs_prescriber=False)  # set up wrongly by hand
    toxin.service.refresh_from_db()
    book_appointment(toxin.service, nurse, toxin.location, at(CONSULTATION_DAY, 10), ADULT)
    with pytest.raises(NeedsConsultation):
        book_appointment(
            toxin.others["treatment"], toxin.practitioners[0], toxin.location, at(TREATMENT_DAY, 10), ADULT
        )


def test_a_consultation_that_overlaps_the_treatment_does_not_come_first(toxin):
    confirmed_consultation(toxin, at(TREATMENT_DAY, 10))
    with pytest.raises(NeedsConsultation):
        book_appointment(
            toxin.others["treatment"], toxin.practitioners[1], toxin.location, at(TREATMENT_DAY, 10, 15), ADULT
        )


# --- Cancelling the consultation takes the treatment with it -----------------------------------


def test_the_bypass_through_the_api_ends_with_no_treatment(client, toxin, django_capture_on_commit_callbacks):
    consultation = api_book(client, toxin.service, toxin.location, at(CONSULTATION_DAY, 10))
    assert consultation.status_code == 201, consultation.content
    treatment = api_book(client, toxin.others["treatment"], toxin.location, at(TREATMENT_DAY, 10))
    assert treatment.status_code == 201, treatment.content
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        cancelled = client.post(
            f"/api/v1/bookings/{consultation.json()['token']}/cancel", data="{}", content_type="application/json"
        )
    assert cancelled.status_code == 200
    assert "'Frown lines: treatment'" in cancelled.json()["message"]
    assert "cancelled too" in cancelled.json()["message"]
    assert live_treatments(toxin) == []
    gone = Appointment.objects.get(service=toxin.others["treatment"])
    assert gone.status_changes.last().note.startswith("Cancelled because the consultation")
    # The patient is told why the treatment went, not only that it did.
    notices = [m for m in mail.outbox if "Appointment cancelled" in m.subject]
    assert len(notices) == 2
    assert any("prescriber must see you first" in m.body for m in notices)


def test_the_bypass_through_the_emailed_link_warns_then_cancels_both(client, toxin):
    consultation = confirmed_consultation(toxin)
    book_appointment(toxin.others["treatment"], toxin.practitioners[0], toxin.location, at(TREATMENT_DAY, 10), ADULT)
    url = links.appointment_path(consultation, "cancel")

    page = client.get(url)
    assert page.status_code == 200
    assert "Cancelling the consultation cancels that treatment too" in page.content.decode()

    assert client.post(url).status_code == 302
    assert live_treatments(toxin) == []


def test_cancelling_a_consultation_keeps_treatments_another_consultation_still_covers(toxin):
    first = confirmed_consultation(toxin)
    confirmed_consultation(toxin, at(CONSULTATION_DAY, 14))
    book_appointment(toxin.others["treatment"], toxin.practitioners[0], toxin.location, at(TREATMENT_DAY, 10), ADULT)
    from vial.booking.services import cancel_appointment

    assert cancel_appointment(first).also_cancelled == []
    assert len(live_treatments(toxin)) == 1


# --- Moving the consultation -------------------------------------------------------------------


def move_choice(start, practitioner) -> str:
    """A choice on the e-mailed link's move page."""
    return f"{local(start).isoformat()}|{practitioner.pk}"


def test_a_patient_cannot_move_the_consultation_after_its_treatment(client, toxin):
    consultation = confirmed_consultation(toxin)
    book_appointment(toxin.others["treatment"], toxin.practitioners[0], toxin.location, at(TREATMENT_DAY, 10), ADULT)
    later = at(TREATMENT_DAY + timedelta(days=1), 10)
    response = client.post(
        links.appointment_path(consultation, "move"), {"slot": move_choice(later, toxin.practitioners[0])}
    )
    assert response.status_code == 400
    assert "needs this consultation to come first" in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.status == Status.CONFIRMED
    assert len(live_treatments(toxin)) == 1

    earlier = at(CONSULTATION_DAY, 11)
    moved = client.post(
        links.appointment_path(consultation, "move"), {"slot": move_choice(earlier, toxin.practitioners[0])}
    )
    assert moved.status_code == 302
    assert len(live_treatments(toxin)) == 1


# --- Staff: the same rule in the diary, with a recorded override ---------------------------------


@pytest.fixture
def reception(client, db):
    from .test_diary import staff_user

    client.force_login(staff_user("rita", "booking.view_appointment", groups=["Reception"]))
    return client


def diary_booking(toxin, start: datetime, **extra) -> dict:
    local_start = local(start)
    return {
        "location": toxin.location.pk,
        "practitioner": toxin.practitioners[0].pk,
        "service": toxin.others["treatment"].pk,
        "day": local_start.date().isoformat(),
        "time": local_start.strftime("%H:%M"),
        "patient_name": ADULT.name,
        "patient_email": ADULT.email,
        "patient_phone": PHONE,
        "patient_date_of_birth": ADULT.date_of_birth.isoformat(),
        **extra,
    }


def test_the_diary_applies_the_rule_and_records_an_override(reception, toxin):
    refused = reception.post(reverse("booking_diary_book"), diary_booking(toxin, at(TREATMENT_DAY, 10)))
    assert refused.status_code == 400
    assert "in-person consultation" in refused.content.decode()
    assert live_treatments(toxin) == []

    reason = "Assessed in person by Dr Marsh at the Truro clinic on 1 December"
    booked = reception.post(
        reverse("booking_diary_book"), diary_booking(toxin, at(TREATMENT_DAY, 10), override_reason=reason)
    )
    assert booked.status_code == 302
    treatment = live_treatments(toxin)[0]
    history = treatment.status_changes.get()
    assert history.by.username == "rita" and reason in history.note
    assert "overridden" in history.note


def test_cancelling_the_consultation_in_the_diary_cancels_the_treatment_unless_kept(reception, toxin):
    consultation = confirmed_consultation(toxin)
    book_appointment(toxin.others["treatment"], toxin.practitioners[0], toxin.location, at(TREATMENT_DAY, 10), ADULT)
    page = reception.get(reverse("booking_diary_appointment", args=[consultation.pk]))
    assert "Treatments booked on the strength of this consultation" in page.content.decode()

    response = reception.post(
        reverse("booking_diary_cancel", args=[consultation.pk]), {"reason": "Patient phoned"}, follow=True
    )
    assert "Also cancelled, as they needed this consultation first" in response.content.decode()
    assert live_treatments(toxin) == []

    # A second patient: staff keep the treatment, and say why.
    bea = Patient(name="Bea Other", email="bea@example.com", date_of_birth=date(1985, 1, 9))
    second = book_appointment(toxin.service, toxin.practitioners[0], toxin.location, at(CONSULTATION_DAY, 14), bea)
    book_appointment(toxin.others["treatment"], toxin.practitioners[1], toxin.location, at(TREATMENT_DAY, 11), bea)
    reason = "Seen by the prescriber at the Exeter clinic last week"
    reception.post(reverse("booking_diary_cancel", args=[second.pk]), {"reason": "Phoned", "override_reason": reason})
    assert len(live_treatments(toxin)) == 1
    assert reason in second.status_changes.last().note


def test_a_missed_consultation_cancels_the_treatment_but_not_before_it_starts(reception, toxin, monkeypatch):
    from vial.booking import diary_views

    consultation = confirmed_consultation(toxin)
    book_appointment(toxin.others["treatment"], toxin.practitioners[0], toxin.location, at(TREATMENT_DAY, 10), ADULT)
    url = reverse("booking_diary_status", args=[consultation.pk])

    early = reception.post(url, {"status": Status.NO_SHOW, "reason": "Not here"})
    assert early.status_code == 409
    assert "only once it has started" in early.content.decode()
    consultation.refresh_from_db()
    assert consultation.status == Status.CONFIRMED

    monkeypatch.setattr(diary_views, "now", lambda: consultation.start + timedelta(minutes=20))
    missed = reception.post(url, {"status": Status.NO_SHOW, "reason": "No answer by phone"}, follow=True)
    assert missed.status_code == 200
    consultation.refresh_from_db()
    assert consultation.status == Status.NO_SHOW
    assert live_treatments(toxin) == []
