"""The booking JSON API through the front door: services, availability, bookings, cancellation, errors.

The API works on the real clock, so the diaries here are built around today: `DAY` is a working
day (Monday to Saturday) a few days ahead, comfortably inside notice, horizon and cancellation window.
"""

import json
import math
from datetime import UTC, date, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import make_treatment
from tests.patients.records import patient_record
from vial.booking.models import Appointment, AppointmentStatusChange, Location, Service, local
from vial.booking.state_machine import Status
from vial.core import ratelimit

from .conftest import ADULT, at, make_diary, seen_before, working_day

TODAY = local(timezone.now()).date()


DAY = working_day(4)
PHONE = "07400 123456"


def iso(moment: datetime) -> str:
    return local(moment).isoformat()


def patient_json(**overrides) -> dict:
    return {
        "name": ADULT.name,
        "email": ADULT.email,
        "phone": PHONE,
        "date_of_birth": ADULT.date_of_birth.isoformat(),
        **overrides,
    }


def booking_json(diary, start: datetime, practitioner: int | None = None, **overrides) -> dict:
    body = {
        "service": diary.service.pk,
        "location": diary.location.pk,
        "start": iso(start),
        "patient": patient_json(**overrides.pop("patient", {})),
        **overrides,
    }
    if practitioner is not None:
        body["practitioner"] = diary.practitioners[practitioner].pk
    return body


def post(client: Client, url: str, body=None, raw: str | None = None):
    data = raw if raw is not None else json.dumps(body if body is not None else {})
    return client.post(url, data=data, content_type="application/json")


def availability(client, diary, start=DAY, end=DAY, **params):
    query = {"service": diary.service.pk, "location": diary.location.pk, "start": start, "end": end, **params}
    return client.get("/api/v1/availability", {k: str(v) for k, v in query.items() if v is not None})


def assert_error(response, status: int, code: str | None = None, containing: str = ""):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["message"], str) and body["message"]
    if code:
        assert body["code"] == code, body
    assert containing.lower() in body["message"].lower(), body["message"]
    return body


@pytest.fixture
def diary(db):
    return make_diary(practitioners=2, rooms=1)


# --- Services --------------------------------------------------------------------------------------


def test_services_lists_active_services_with_their_clinics(client, diary, django_assert_max_num_queries):
    Service.objects.create(name="Old service", duration_minutes=30, active=False)
    elsewhere = make_diary(practitioners=1, location_name="Second clinic", name="Another consultation")
    Location.objects.create(name="Empty clinic")
    with django_assert_max_num_queries(5):  # the first request also reads the site and its root page (then cached)
        response = client.get("/api/v1/services")
    assert response.status_code == 200
    services = {row["name"]: row for row in response.json()}
    assert set(services) == {"General consultation", "Another consultation"}
    row = services["General consultation"]
    assert row == {
        "id": diary.service.pk,
        "name": "General consultation",
        "kind": "consultation",
        "treatment": None,
        "duration_minutes": 30,
        "price": "50.00",
        "currency": "GBP",
        "deposit_required": False,
        "needs_prescriber": False,
        "minimum_notice_hours": 2,
        "booking_horizon_days": 60,
        "cancellation_window_hours": 24,
        "locations": [{"id": diary.location.pk, "name": "Test clinic"}],
    }
    assert services["Another consultation"]["locations"] == [{"id": elsewhere.location.pk, "name": "Second clinic"}]


def test_services_show_the_treatment_and_only_clinics_with_a_prescriber_when_one_is_needed(client, clinic):
    treatment = make_treatment(
        clinic["treatments"], n=2, title="Excessive underarm sweating", prescription_only=True, licence="licensed"
    )
    diary = make_diary(treatment=treatment, name="Sweating consultation", needs_prescriber=True)
    nurses = make_diary(practitioners=1, location_name="Nurse clinic", name="Skin check")
    nurses.practitioners[0].is_prescriber = False
    nurses.practitioners[0].regulator = nurses.practitioners[0].registration_number = ""
    nurses.practitioners[0].save()
    nurses.practitioners[0].services.add(diary.service)
    [row] = [r for r in client.get("/api/v1/services").json() if r["name"] == "Sweating consultation"]
    assert row["treatment"] == {"id": treatment.pk, "title": "Excessive underarm sweating"}
    assert row["needs_prescriber"] is True
    assert [loc["name"] for loc in row["locations"]] == ["Test clinic"]


# --- Availability ----------------------------------------------------------------------------------


def test_availability_lists_free_times_in_uk_time_with_the_practitioner(client, diary, django_assert_max_num_queries):
    # A cold set-up (nine, closed days included), the Site and its root page, whether the service is open
    # for online booking, then the diary.
    with django_assert_max_num_queries(13):
        response = availability(client, diary)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["service"] == {"id": diary.service.pk, "name": "General consultation"}
    assert body["location"] == {"id": diary.location.pk, "name": "Test clinic"}
    assert (body["start"], body["end"], body["time_zone"]) == (DAY.isoformat(), DAY.isoformat(), "Europe/London")
    slots = body["slots"]
    first = slots[0]
    # 09:00-17:00 rota, 5 minutes' preparation: the first start on the 15-minute grid is 09:15.
    assert first["start"] == iso(at(DAY, 9, 15))
    assert first["end"] == iso(at(DAY, 9, 45))
    assert first["start"].endswith(("+00:00", "+01:00"))
    assert first["practitioner"]["name"].startswith("Dr Test Practitioner")
    assert first["location"] == {"id": diary.location.pk, "name": "Test clinic"}
    assert {slot["practitioner"]["id"] for slot in slots} == {p.pk for p in diary.practitioners}
    assert all(datetime.fromisoformat(s["start"]).date() == DAY for s in slots)


def test_availability_leaves_out_booked_times(client, diary):
    assert post(client, "/api/v1/bookings", booking_json(diary, at(DAY, 10), practitioner=0)).status_code == 201
    starts = {slot["start"] for slot in availability(client, diary).json()["slots"]}
    assert iso(at(DAY, 10)) not in starts  # one room: nobody else can be seen then either
    assert iso(at(DAY, 11)) in starts


def test_availability_over_every_clinic_and_several_days(client, diary, django_assert_max_num_queries):
    make_diary(practitioners=1, location_name="Second clinic", name="Another consultation")
    with django_assert_max_num_queries(13):  # as above
        response = availability(client, diary, end=DAY + timedelta(days=6), location=None)
    body = response.json()
    assert response.status_code == 200 and body["location"] is None
    days = {datetime.fromisoformat(s["start"]).date() for s in body["slots"]}
    assert len(days) == 6  # Monday to Saturday
    assert {s["location"]["name"] for s in body["slots"]} == {"Test clinic"}


@pytest.mark.parametrize(
    ("params", "containing"),
    [
        ({"start": TODAY - timedelta(days=1)}, "has passed"),
        ({"start": date(2020, 1, 1), "end": date(2020, 1, 2)}, "has passed"),
        ({"end": DAY - timedelta(days=1)}, "before the start"),
        ({"end": DAY + timedelta(days=62)}, "at most 62 days"),
        ({"end": DAY + timedelta(days=3650)}, "at most 62 days"),
        ({"start": TODAY + timedelta(days=200), "end": TODAY + timedelta(days=201)}, "up to 60 days ahead"),
        ({"start": date(9999, 12, 31), "end": date(9999, 12, 31)}, "up to 60 days ahead"),
    ],
    ids=["yesterday", "past range", "end before start", "63 days", "ten years", "beyond horizon", "year 9999"],
)
def test_availability_refuses_impossible_dates(client, diary, params, containing):
    assert_error(availability(client, diary, **params), 422, "invalid", containing)


@pytest.mark.parametrize(
    ("params", "status", "containing"),
    [
        ({"service": 999999}, 404, "no service 999999"),
        ({"location": 999999}, 404, "no clinic 999999"),
        ({"service": "x"}, 422, "service"),
        ({"service": -1}, 422, "service"),
        ({"service": 10**30}, 422, "service"),
        ({"start": "2026-02-30"}, 422, "start"),
        ({"start": None}, 422, "start"),
        ({"end": "tomorrow"}, 422, "end"),
    ],
    ids=[
        "unknown service",
        "unknown location",
        "text id",
        "negative id",
        "huge id",
        "no such date",
        "no start",
        "word",
    ],
)
def test_availability_refuses_unknown_and_malformed_input(client, diary, params, status, containing):
    body = assert_error(availability(client, diary, **params), status, containing=containing)
    if status == 422:
        assert body["code"] == "invalid" and body["errors"]


def test_availability_of_an_inactive_service_or_clinic_is_not_found(client, diary):
    Service.objects.filter(pk=diary.service.pk).update(active=False)
    assert_error(availability(client, diary), 404, "not_found")
    Service.objects.filter(pk=diary.service.pk).update(active=True)
    Location.objects.filter(pk=diary.location.pk).update(active=False)
    assert_error(availability(client, diary), 404, "not_found")


# --- Booking ---------------------------------------------------------------------------------------


def test_booking_confirms_and_returns_the_cancel_token(client, diary, django_assert_max_num_queries, monkeypatch):
    monkeypatch.setattr(ratelimit, "_last_pruned", math.inf)  # not this request's turn to tidy old counters
    with django_assert_max_num_queries(
        39
    ):  # a new patient: their record and name words, the booking, an audit row each
        response = post(client, "/api/v1/bookings", booking_json(diary, at(DAY, 10), practitioner=1))
    assert response.status_code == 201, response.content
    body = response.json()
    appointment = Appointment.objects.get()
    assert body == {
        "token": appointment.cancel_token,
        "status": "confirmed",
        "start": iso(at(DAY, 10)),
        "end": iso(at(DAY, 10, 30)),
        "service": {"id": diary.service.pk, "name": "General consultation"},
        "location": {"id": diary.location.pk, "name": "Test clinic"},
        "practitioner": {"id": diary.practitioners[1].pk, "name": diary.practitioners[1].display_name},
        "cancel_until": iso(at(DAY, 10) - timedelta(hours=24)),
    }
    assert appointment.status == Status.CONFIRMED
    assert appointment.practitioner == diary.practitioners[1]
    assert (appointment.patient_name, appointment.patient_email) == (ADULT.name, ADULT.email)
    assert appointment.patient_phone == "+447400123456"
    assert appointment.patient_date_of_birth == ADULT.date_of_birth


def test_booking_without_a_practitioner_takes_the_first_free_one(client, diary):
    first = post(client, "/api/v1/bookings", booking_json(diary, at(DAY, 10)))
    assert first.status_code == 201, first.content
    free = {
        s["practitioner"]["id"] for s in availability(client, diary).json()["slots"] if s["start"] == iso(at(DAY, 11))
    }
    second = post(client, "/api/v1/bookings", booking_json(diary, at(DAY, 11), patient={"email": "sam@example.com"}))
    assert second.json()["practitioner"]["id"] == min(
        free, key=lambda pk: [p.pk for p in diary.practitioners].index(pk)
    )


def test_booking_without_a_practitioner_tries_the_next_when_the_first_is_taken(client, db):
    diary = make_diary(practitioners=2, rooms=2)
    taken = post(client, "/api/v1/bookings", booking_json(diary, at(DAY, 10), practitioner=0))
    assert taken.status_code == 201
    response = post(client, "/api/v1/bookings", booking_json(diary, at(DAY, 10), patient={"email": "sam@example.com"}))
    assert response.status_code == 201, response.content
    assert response.json()["practitioner"]["id"] == diary.practitioners[1].pk


def test_a_taken_slot_answers_409_with_the_next_free_times(client, diary):
    assert post(client, "/api/v1/bookings", booking_json(diary, at(DAY, 10), practitioner=0)).status_code == 201
    for practitioner in (0, None):
        someone_else = booking_json(diary, at(DAY, 10), practitioner=practitioner, patient={"email": "sam@example.com"})
        response = post(client, "/api/v1/bookings", someone_else)
        body = assert_error(response, 409, "slot_unavailable", "available")
        assert body["alternatives"]
        starts = [datetime.fromisoformat(slot["start"]) for slot in body["alternatives"]]
        assert all(start > at(DAY, 10) for start in starts)
        assert {"id", "name"} <= set(body["alternatives"][0]["practitioner"])
    assert Appointment.objects.count() == 1


def test_a_time_off_the_grid_answers_409(client, diary):
    body = assert_error(post(client, "/api/v1/bookings", booking_json(diary, at(DAY, 10, 7))), 409, "slot_unavailable")
    assert body["alternatives"]
    assert not Appointment.objects.exists()


@pytest.fixture
def medicine(clinic):
    return make_treatment(
        clinic["treatments"],
        n=2,
        title="Excessive underarm sweating",
        prescription_only=True,
        licence="licensed",
        min_retreatment_days=112,
    )


def test_under_18s_are_refused_a_prescription_only_treatment(client, medicine):
    diary = make_diary(treatment=medicine, name="Sweating consultation", needs_prescriber=True)
    sixteen = (TODAY - timedelta(days=16 * 365)).isoformat()
    response = post(client, "/api/v1/bookings", booking_json(diary, at(DAY, 10), patient={"date_of_birth": sixteen}))
    assert_error(response, 422, "not_eligible", "under 18")
    assert not Appointment.objects.exists()


def test_a_first_visit_for_a_prescription_only_treatment_is_offered_the_consultation(client, medicine):
    diary = make_diary(treatment=medicine, name="Sweating treatment", kind="treatment")
    consultation = Service.objects.create(
        name="Sweating consultation",
        kind="consultation",
        treatment=medicine,
        duration_minutes=30,
        needs_prescriber=True,
    )
    response = post(client, "/api/v1/bookings", booking_json(diary, at(DAY, 10)))
    body = assert_error(response, 422, "needs_consultation", "consultation")
    assert body["consultations"] == [{"id": consultation.pk, "name": "Sweating consultation"}]
    assert not Appointment.objects.exists()


def test_a_retreatment_too_soon_is_refused_with_the_earliest_date(client, medicine):
    diary = make_diary(treatment=medicine, name="Sweating treatment", kind="treatment", booking_horizon_days=200)
    seen_before(diary, ADULT, when=datetime(2025, 11, 4, 10, tzinfo=UTC))
    assert post(client, "/api/v1/bookings", booking_json(diary, at(DAY, 10))).status_code == 201
    five_weeks_later = working_day(4 + 35)
    response = post(client, "/api/v1/bookings", booking_json(diary, at(five_weeks_later, 10)))
    body = assert_error(response, 422, "too_soon", "earliest")
    assert body["earliest"] == (DAY + timedelta(days=112)).isoformat()
    assert Appointment.objects.filter(status=Status.CONFIRMED).count() == 1


@pytest.mark.parametrize(
    ("start", "containing"),
    [
        (lambda: timezone.now() - timedelta(days=1), "already passed"),
        (lambda: datetime(2001, 1, 1, 10, tzinfo=UTC), "already passed"),
        (lambda: timezone.now() + timedelta(minutes=30), "at least 2 hours ahead"),
        (lambda: at(working_day(80), 10), "up to 60 days ahead"),
        (lambda: datetime(9999, 12, 31, 10, tzinfo=UTC), "up to 60 days ahead"),
    ],
    ids=["yesterday", "2001", "too little notice", "beyond horizon", "year 9999"],
)
def test_times_outside_the_booking_window_are_refused(client, diary, start, containing):
    assert_error(post(client, "/api/v1/bookings", booking_json(diary, start())), 400, "bad_request", containing)
    assert not Appointment.objects.exists()


def test_a_practitioner_who_does_not_work_there_is_refused(client, diary):
    other = make_diary(practitioners=1, location_name="Second clinic", name="Another consultation")
    body = booking_json(diary, at(DAY, 10), practitioner=None)
    body["practitioner"] = other.practitioners[0].pk
    assert_error(post(client, "/api/v1/bookings", body), 400, "bad_request", "does not offer")
    assert not Appointment.objects.exists()


BAD_PATIENTS = [
    ({"phone": "12345"}, "phone", "too short"),
    ({"phone": "07700 900123"}, "phone", "Ofcom keeps for TV, radio and fiction"),
    ({"phone": "+33 6 12 34 56 78"}, "phone", "UK phone number"),
    ({"phone": "not a number"}, "phone", "Use only digits"),
    ({"phone": ""}, "phone", "Enter a phone number"),
    ({"date_of_birth": (TODAY + timedelta(days=1)).isoformat()}, "date_of_birth", "future"),
    ({"date_of_birth": "1800-01-01"}, "date_of_birth", "check the date of birth"),
    ({"date_of_birth": "0001-01-01"}, "date_of_birth", "check the date of birth"),
    ({"date_of_birth": "1990-02-30"}, "date_of_birth", "date"),
    ({"email": "not-an-address"}, "email", "e-mail"),
    ({"name": "   "}, "name", "name"),
    ({"name": "\x00\u200b "}, "name", "patient's name"),  # nothing left once cleaned (vial.core.text)
    ({"name": "42"}, "name", "using letters"),
    ({"name": "A" * 201}, "name", "200"),
]


@pytest.mark.parametrize(("patient", "field", "containing"), BAD_PATIENTS, ids=[f"{p}" for p, _, _ in BAD_PATIENTS])
def test_bad_patient_details_are_refused_and_nothing_is_written(client, diary, patient, field, containing):
    response = post(client, "/api/v1/bookings", booking_json(diary, at(DAY, 10), patient=patient))
    body = assert_error(response, 422, "invalid", containing)
    assert [e["loc"][-1] for e in body["errors"]] == [field]
    assert not Appointment.objects.exists()


def test_bad_booking_requests_are_refused_and_nothing_is_written(client, diary):
    url = "/api/v1/bookings"
    good = booking_json(diary, at(DAY, 10))
    naive = {**good, "start": at(DAY, 10).replace(tzinfo=None).isoformat()}
    assert_error(post(client, url, naive), 422, "invalid", "timezone")
    assert_error(post(client, url, {**good, "start": "0001-01-01T00:00:00+05:00"}), 422, "invalid", "out of range")
    assert_error(post(client, url, {**good, "service": 999999}), 404, "not_found", "no service")
    assert_error(post(client, url, {**good, "location": 999999}), 404, "not_found", "no clinic")
    assert_error(post(client, url, {**good, "practitioner": 999999}), 404, "not_found", "no practitioner")
    assert_error(post(client, url, {**good, "service": 10**30}), 422, "invalid", "service")
    assert_error(post(client, url, {k: v for k, v in good.items() if k != "patient"}), 422, "invalid", "patient")
    assert_error(post(client, url, raw="{not json"), 400, "bad_request", "parse")
    assert_error(post(client, url, raw="[]"), 422, "invalid")
    assert not Appointment.objects.exists()
    assert not AppointmentStatusChange.objects.exists()


def test_json_clients_need_no_csrf_token(diary):
    client = Client(enforce_csrf_checks=True)
    response = post(client, "/api/v1/bookings", booking_json(diary, at(DAY, 10)))
    assert response.status_code == 201, response.content
    token = response.json()["token"]
    assert post(client, f"/api/v1/bookings/{token}/cancel").status_code == 200


# --- Cancelling ------------------------------------------------------------------------------------


def test_cancelling_by_token_and_replaying_it(client, diary, django_assert_max_num_queries):
    token = post(client, "/api/v1/bookings", booking_json(diary, at(DAY, 10))).json()["token"]
    with django_assert_max_num_queries(10):  # the status change is audited too
        response = post(client, f"/api/v1/bookings/{token}/cancel")
    assert response.status_code == 200, response.content
    assert response.json() == {"token": token, "status": "cancelled", "message": "Your appointment is cancelled."}
    appointment = Appointment.objects.get()
    assert appointment.status == Status.CANCELLED
    changes = appointment.status_changes.count()
    assert_error(post(client, f"/api/v1/bookings/{token}/cancel"), 409, "not_cancellable", "already cancelled")
    assert appointment.status_changes.count() == changes
    # The time is free again.
    assert iso(at(DAY, 10)) in {s["start"] for s in availability(client, diary).json()["slots"]}


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: token[:20],
        lambda token: token + "x",
        lambda token: token + "%00",
        lambda token: "'; DROP TABLE booking_appointment; --",
        lambda token: "x" * 500,
        lambda token: "%C3%A9t%C3%A9",
    ],
    ids=["one character", "cut short", "lengthened", "NUL", "SQL", "very long", "non-ASCII"],
)
def test_tampered_tokens_are_not_found_and_change_nothing(client, diary, tamper):
    token = post(client, "/api/v1/bookings", booking_json(diary, at(DAY, 10))).json()["token"]
    assert_error(post(client, f"/api/v1/bookings/{tamper(token)}/cancel"), 404, "not_found")
    assert Appointment.objects.get().status == Status.CONFIRMED


def write_appointment(diary, start: datetime, status: str = Status.CONFIRMED) -> Appointment:
    """Straight to the table: the rota may not cover the real clock's next hours, and services refuse the past."""
    return Appointment.objects.create(
        service=diary.service,
        practitioner=diary.practitioners[0],
        location=diary.location,
        patient=patient_record(ADULT.name, ADULT.email, ADULT.date_of_birth),
        patient_name=ADULT.name,
        patient_email=ADULT.email,
        patient_date_of_birth=ADULT.date_of_birth,
        start=start,
        end=start + timedelta(minutes=30),
        blocked_start=start,
        blocked_end=start + timedelta(minutes=30),
        status=status,
    )


def test_cancelling_inside_the_window_is_refused_with_the_deadline(client, diary):
    appointment = write_appointment(diary, (timezone.now() + timedelta(hours=3)).replace(second=0, microsecond=0))
    response = post(client, f"/api/v1/bookings/{appointment.cancel_token}/cancel")
    assert_error(response, 409, "not_cancellable", "24 hours before")
    appointment.refresh_from_db()
    assert appointment.status == Status.CONFIRMED
    assert not appointment.status_changes.exists()


def test_completed_appointments_cannot_be_cancelled(client, diary):
    appointment = write_appointment(diary, datetime(2025, 11, 4, 10, tzinfo=UTC), status=Status.COMPLETED)
    response = post(client, f"/api/v1/bookings/{appointment.cancel_token}/cancel")
    assert_error(response, 409, "not_cancellable", "completed")


# --- Errors outside the endpoints, and the schema ----------------------------------------------------


def test_unknown_urls_and_methods_answer_json(client, db):
    assert_error(client.get("/api/v1/nothing-here"), 404, "not_found", "no such endpoint")
    assert_error(client.get("/api/v1/bookings/abc/cancel/extra"), 404, "not_found")
    response = client.get("/api/v1/bookings")
    assert_error(response, 405, "method_not_allowed", "POST")
    assert response["Allow"] == "POST"
    assert_error(client.delete("/api/v1/services"), 405, "method_not_allowed")
    assert_error(client.get("/api/v1/bookings/abc/cancel"), 405, "method_not_allowed")


def test_the_openapi_document_describes_every_answer(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert set(paths) == {
        "/api/v1/services",
        "/api/v1/availability",
        "/api/v1/bookings",
        "/api/v1/bookings/{token}/cancel",
    }
    assert set(paths["/api/v1/bookings"]["post"]["responses"]) >= {"201", "400", "404", "409", "422"}
    assert set(paths["/api/v1/availability"]["get"]["responses"]) >= {"200", "404", "422"}
    assert set(paths["/api/v1/bookings/{token}/cancel"]["post"]["responses"]) >= {"200", "404", "409"}
