"""Retried and doubled requests book once: the Idempotency-Key, the one-patient-one-place rule, double-clicks.

Driven as a flaky client or an impatient patient would: the same POST twice, in a row and at the
same moment (threads, each on its own database connection), with and without an Idempotency-Key.
"""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.concurrency import at_once
from vial.booking.forms import slot_key
from vial.booking.models import Appointment, IdempotentRequest
from vial.booking.state_machine import BLOCKING_STATUSES, Status

from .conftest import ADULT, PHONE, api_booking, at, make_diary, working_day

DAY = working_day(4)


def booking_body(diary, start, practitioner=None, **patient) -> dict:
    return api_booking(diary.service, diary.location, start, practitioner, **patient)


def post(client, body, key=None, raw=None):
    headers = {"Idempotency-Key": key} if key is not None else {}
    data = raw if raw is not None else json.dumps(body)
    return client.post("/api/v1/bookings", data=data, content_type="application/json", headers=headers)


def live() -> int:
    return Appointment.objects.filter(status__in=BLOCKING_STATUSES).count()


# --- Idempotency-Key --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_same_key_and_body_get_the_first_answer_and_one_booking(client):
    diary = make_diary()
    body = booking_body(diary, at(DAY, 10))
    first = post(client, body, key="3f1c2a5e-retry-me")
    assert first.status_code == 201, first.content
    assert "Idempotent-Replayed" not in first

    # The same request again, spaced and ordered differently: the same booking, said again.
    again = post(client, None, key="3f1c2a5e-retry-me", raw=json.dumps(body, indent=2, sort_keys=True))
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert live() == 1


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_refused(client):
    diary = make_diary()
    assert post(client, booking_body(diary, at(DAY, 10)), key="key-1").status_code == 201
    other = post(client, booking_body(diary, at(DAY, 11)), key="key-1")
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert "different booking" in other.json()["message"]
    assert live() == 1


@pytest.mark.django_db
def test_a_refused_request_is_not_kept_so_a_retry_is_decided_afresh(client):
    diary = make_diary(practitioners=1)
    blocker = post(client, booking_body(diary, at(DAY, 10), email="sam@example.com"))
    assert blocker.status_code == 201
    body = booking_body(diary, at(DAY, 10))
    assert post(client, body, key="after-a-409").status_code == 409
    assert not IdempotentRequest.objects.exists()

    client.post(f"/api/v1/bookings/{blocker.json()['token']}/cancel", data="{}", content_type="application/json")
    assert post(client, body, key="after-a-409").status_code == 201


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "with space", "é-not-ascii", "x" * 256])
def test_a_malformed_key_is_refused_with_a_message(client, key):
    diary = make_diary()
    response = post(client, booking_body(diary, at(DAY, 10)), key=key)
    assert response.status_code in (400, 422), response.content
    assert "Idempotency-Key" in response.json()["message"]
    assert live() == 0


@pytest.mark.django_db
def test_the_schema_describes_the_key(client):
    schema = client.get("/api/v1/openapi.json").json()
    parameters = schema["paths"]["/api/v1/bookings"]["post"]["parameters"]
    header = next(p for p in parameters if p["name"] == "Idempotency-Key")
    assert header["in"] == "header" and not header.get("required")
    assert "retry" in header["description"]


@pytest.mark.django_db
def test_old_keys_are_forgotten_by_the_housekeeping_sweep(client):
    from django.core.management import call_command

    diary = make_diary()
    assert post(client, booking_body(diary, at(DAY, 10)), key="old").status_code == 201
    IdempotentRequest.objects.update(created_at=timezone.now() - timedelta(days=2))
    call_command("send_due_reminders")
    assert not IdempotentRequest.objects.exists()


# --- One patient, one place at a time ---------------------------------------------------------


@pytest.mark.django_db
def test_without_a_key_the_same_patient_is_not_booked_twice_at_once(client):
    diary = make_diary(practitioners=2, rooms=2)
    body = booking_body(diary, at(DAY, 10))  # no practitioner: the API would try the next one
    assert post(client, body).status_code == 201
    second = post(client, body)
    assert second.status_code == 409
    assert second.json()["code"] == "already_booked"
    assert "already have" in second.json()["message"]
    assert live() == 1
    # Someone else can still have the second practitioner at that time.
    assert post(client, booking_body(diary, at(DAY, 10), email="sam@example.com")).status_code == 201


# --- At the same moment ------------------------------------------------------------------------

concurrent = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@concurrent
@pytest.mark.parametrize("key", ["same-key-at-once", None])
def test_two_identical_posts_at_once_make_one_appointment(key):
    diary = make_diary(practitioners=2, rooms=2)
    body = booking_body(diary, at(DAY, 10))
    answers = at_once(2, lambda n: post(Client(), body, key=key))
    codes = sorted(a.status_code for a in answers)
    assert live() == 1, codes
    if key:
        assert codes == [201, 201]
        assert answers[0].json()["token"] == answers[1].json()["token"]
    else:
        assert codes == [201, 409]


# --- The web flow: "Hold this time" clicked twice ---------------------------------------------------


def hold(client, diary, start):
    url = reverse("booking:details", args=[diary.service.pk])
    form = {
        "location": diary.location.pk,
        "slot": slot_key(start, diary.practitioners[0].pk),
        "name": ADULT.name,
        "email": ADULT.email,
        "phone": PHONE,
        "date_of_birth": ADULT.date_of_birth.isoformat(),
    }
    return client.post(url, form)


def details_page(client, diary, start):
    url = reverse("booking:details", args=[diary.service.pk])
    slot = slot_key(start, diary.practitioners[0].pk)
    return client.get(url, {"location": diary.location.pk, "slot": slot})


@pytest.mark.django_db
def test_a_second_click_on_hold_this_time_keeps_the_browsers_own_hold(client):
    diary = make_diary()
    assert details_page(client, diary, at(DAY, 10)).status_code == 200
    first = hold(client, diary, at(DAY, 10))
    second = hold(client, diary, at(DAY, 10))
    assert first.status_code == second.status_code == 302
    assert second.url == first.url
    assert "no longer" not in client.get(second.url).content.decode()
    assert Appointment.objects.get().status == Status.HELD


@concurrent
def test_a_double_click_racing_itself_lands_on_the_same_hold():
    diary = make_diary()
    browser = Client()
    assert details_page(browser, diary, at(DAY, 10)).status_code == 200  # the session the clicks share
    answers = at_once(2, lambda n: hold(browser, diary, at(DAY, 10)))
    assert [a.status_code for a in answers] == [302, 302], [a.content[:300] for a in answers]
    assert answers[0].url == answers[1].url
    assert live() == 1


@pytest.mark.django_db
def test_another_browser_is_still_told_the_time_has_gone(client):
    diary = make_diary(practitioners=1)
    details_page(client, diary, at(DAY, 10))
    assert hold(client, diary, at(DAY, 10)).status_code == 302
    stranger = Client()
    details_page(stranger, diary, at(DAY, 10))
    answer = hold(stranger, diary, at(DAY, 10))
    assert answer.status_code == 200
    assert live() == 1
