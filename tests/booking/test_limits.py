"""Abuse and flaky clients, through HTTP: booking limits (web and API), the API's gate, names as typed.

Limits are set per test (the test profile keeps them out of everyone else's way). Only holds and
bookings that land count against them (booking.throttle): refused attempts spend nothing.
"""

import json
from datetime import timedelta

import pytest
from django.test import Client

from vial.booking.models import Appointment
from vial.booking.state_machine import Status

from .conftest import make_diary
from .test_api import DAY, assert_error, at, booking_json, post
from .test_flow import SLOT_VALUE, hold, text, times_url

BOOKINGS = "/api/v1/bookings"


@pytest.fixture
def diary(db):
    return make_diary(practitioners=2, rooms=2)


def api_booking(client, diary, n: int, **extra):
    """The n-th of a run of bookings: a different time (an hour apart) and patient each time."""
    start = at(DAY + timedelta(days=n // 6), 10 + n % 6)
    body = booking_json(diary, start, practitioner=n % 2, patient={"email": f"patient{n}@example.com"})
    return client.post(BOOKINGS, data=json.dumps(body), content_type="application/json", **extra)


# --- API: how many --------------------------------------------------------------------------------


def test_api_bookings_from_one_address_stop_at_the_limit_with_429(client, diary, settings):
    settings.BOOKING_HOLDS_PER_ADDRESS_PER_HOUR = 3
    answers = [api_booking(client, diary, n, REMOTE_ADDR="203.0.113.5") for n in range(5)]
    assert [a.status_code for a in answers] == [201, 201, 201, 429, 429]
    body = assert_error(answers[3], 429, "too_many_requests", containing="try again in")
    assert set(body) == {"message", "code"}
    assert 3500 < int(answers[3]["Retry-After"]) <= 3600
    assert Appointment.objects.count() == 3
    # Someone else is not held up.
    assert api_booking(client, diary, 6, REMOTE_ADDR="198.51.100.20").status_code == 201


def test_a_forged_x_forwarded_for_buys_no_fresh_allowance(client, diary, settings):
    settings.BOOKING_HOLDS_PER_ADDRESS_PER_HOUR = 2
    # Not through our proxy: the header is ignored, whatever it claims.
    answers = [
        api_booking(client, diary, n, REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}") for n in range(3)
    ]
    assert [a.status_code for a in answers] == [201, 201, 429]
    # Through the proxy: only the entry nginx appended counts, not what the client put before it.
    answers = [
        api_booking(client, diary, n, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 198.51.100.30")
        for n in range(3, 6)
    ]
    assert [a.status_code for a in answers] == [201, 201, 429]


def test_api_bookings_for_one_email_address_stop_at_the_daily_limit(client, diary, settings):
    settings.BOOKINGS_PER_EMAIL_PER_DAY = 2
    answers = []
    for n, email in enumerate(["sam@example.com", "SAM@example.com ", "sam@EXAMPLE.com"]):
        body = booking_json(diary, at(DAY, 10 + n), practitioner=0, patient={"email": email.strip()})
        answers.append(
            client.post(BOOKINGS, data=json.dumps(body), content_type="application/json", REMOTE_ADDR=f"198.51.100.{n}")
        )
    assert [a.status_code for a in answers] == [201, 201, 429]
    assert_error(answers[2], 429, "too_many_requests", containing="this e-mail address")
    assert 0 < int(answers[2]["Retry-After"]) <= 24 * 3600


def test_api_attempts_that_book_nothing_spend_no_allowance(client, diary, settings):
    """Only bookings that land count: a time that has gone (409) or a refused request (422) spends nothing."""
    settings.BOOKING_HOLDS_PER_ADDRESS_PER_HOUR = 2
    settings.BOOKINGS_PER_EMAIL_PER_DAY = 2
    office = {"REMOTE_ADDR": "203.0.113.5"}
    assert api_booking(client, diary, 0, **office).status_code == 201
    taken = booking_json(diary, at(DAY, 10), practitioner=0, patient={"email": "late@example.com"})
    for _ in range(5):  # the same time again and again: each told it has gone, none throttled
        response = client.post(BOOKINGS, data=json.dumps(taken), content_type="application/json", **office)
        assert_error(response, 409, "slot_unavailable", containing="no longer available")
    too_young = booking_json(diary, at(DAY, 12), practitioner=0, patient={"date_of_birth": "2030-01-01"})
    response = client.post(BOOKINGS, data=json.dumps(too_young), content_type="application/json", **office)
    assert response.status_code == 422
    # The e-mail address that was refused five times still has its whole allowance.
    late = booking_json(diary, at(DAY, 11), practitioner=0, patient={"email": "late@example.com"})
    assert client.post(BOOKINGS, data=json.dumps(late), content_type="application/json").status_code == 201
    # The address has spent one of its two: one more lands, then the limit.
    assert api_booking(client, diary, 2, **office).status_code == 201
    assert_error(api_booking(client, diary, 3, **office), 429, "too_many_requests")
    assert Appointment.objects.count() == 3


def test_api_retries_with_an_idempotency_key_spend_nothing_when_refused(client, diary, settings):
    settings.BOOKING_HOLDS_PER_ADDRESS_PER_HOUR = 1
    assert api_booking(client, diary, 0, REMOTE_ADDR="198.51.100.9").status_code == 201  # someone else took 10:00
    taken = json.dumps(booking_json(diary, at(DAY, 10), practitioner=0, patient={"email": "kim@example.com"}))
    for n in range(3):
        response = client.post(
            BOOKINGS,
            data=taken,
            content_type="application/json",
            REMOTE_ADDR="203.0.113.5",
            HTTP_IDEMPOTENCY_KEY=f"k{n}",
        )
        assert_error(response, 409, "slot_unavailable")
    answers = [
        api_booking(client, diary, n, REMOTE_ADDR="203.0.113.5", HTTP_IDEMPOTENCY_KEY=f"new-{n}") for n in (1, 2)
    ]
    assert [a.status_code for a in answers] == [201, 429]


def test_an_error_inside_the_booking_gives_the_count_back(client, diary, settings, monkeypatch):
    """Nothing held, whatever the reason: the patient is told the diary is busy and may simply try again."""
    from django.db import OperationalError

    from vial.booking import services

    settings.BOOKING_HOLDS_PER_ADDRESS_PER_HOUR = 1
    real = services.book_appointment

    def busy(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(services, "book_appointment", busy)
    for _ in range(3):
        assert_error(api_booking(client, diary, 0, REMOTE_ADDR="203.0.113.5"), 503, "busy")
    monkeypatch.setattr(services, "book_appointment", real)
    assert api_booking(client, diary, 0, REMOTE_ADDR="203.0.113.5").status_code == 201
    assert api_booking(client, diary, 1, REMOTE_ADDR="203.0.113.5").status_code == 429


# --- API: what it reads ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz", "", "text/json"],
)
def test_api_refuses_bodies_that_are_not_json(client, diary, content_type):
    """What another site's form can post from a visitor's browser without asking: refused unread."""
    body = json.dumps(booking_json(diary, at(DAY, 10)))
    response = client.generic("POST", BOOKINGS, body, content_type=content_type)
    assert_error(response, 415, "unsupported_media_type", containing="application/json")
    assert not Appointment.objects.exists()


def test_api_accepts_json_with_a_charset(client, diary):
    body = json.dumps(booking_json(diary, at(DAY, 10)))
    response = client.post(BOOKINGS, data=body, content_type="application/json; charset=utf-8")
    assert response.status_code == 201, response.content


def test_cancel_refuses_a_form_post_but_takes_an_empty_post(client, diary):
    token = post(client, BOOKINGS, booking_json(diary, at(DAY, 10))).json()["token"]
    response = client.post(f"{BOOKINGS}/{token}/cancel", data="x=1", content_type="application/x-www-form-urlencoded")
    assert_error(response, 415, "unsupported_media_type")
    assert Appointment.objects.get().status == Status.CONFIRMED
    response = client.generic("POST", f"{BOOKINGS}/{token}/cancel")  # no body, no Content-Type
    assert response.status_code == 200, response.content


def test_a_ten_megabyte_body_is_413_not_500(client, diary):
    body = booking_json(diary, at(DAY, 10), patient={"name": "A" * (10 * 1024 * 1024)})
    response = client.post(BOOKINGS, data=json.dumps(body), content_type="application/json")
    assert_error(response, 413, "content_too_large", containing="too large")
    assert not Appointment.objects.exists()


def test_a_body_just_over_the_api_limit_is_413_and_one_under_is_read(client, diary, settings):
    settings.API_MAX_BODY_BYTES = 2048
    body = booking_json(diary, at(DAY, 10))
    raw = json.dumps(body)
    padded = raw[:-1] + ', "padding": "' + "x" * (2048 - len(raw) - 15) + '"}'
    assert len(padded.encode()) <= 2048
    assert client.post(BOOKINGS, data=padded, content_type="application/json").status_code == 201
    over = raw[:-1] + ', "padding": "' + "x" * 2048 + '"}'
    assert_error(client.post(BOOKINGS, data=over, content_type="application/json"), 413, "content_too_large")


def test_the_schema_states_what_the_api_refuses(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    responses = schema["paths"]["/api/v1/bookings"]["post"]["responses"]
    assert {"413", "415", "429"} <= set(responses)
    assert {"413", "415"} <= set(schema["paths"]["/api/v1/bookings/{token}/cancel"]["post"]["responses"])
    patient = schema["components"]["schemas"]["PatientIn"]["properties"]
    assert patient["phone"]["pattern"]
    assert "UK phone number, mobile or landline" in patient["phone"]["description"]
    assert "two letters" in patient["name"]["description"]


# --- Web flow: how many ---------------------------------------------------------------------------


def free_slots(client, diary) -> list[str]:
    """The free times on DAY (a whole working day: today may have only a few left)."""
    response = client.get(f"{times_url(diary.service, diary.location)}&day={DAY.isoformat()}")
    return SLOT_VALUE.findall(response.content.decode())


def test_web_holds_from_one_address_stop_at_the_limit_with_a_clear_429_page(diary, settings):
    settings.BOOKING_HOLDS_PER_ADDRESS_PER_HOUR = 2
    slots = free_slots(Client(), diary)
    answers = []
    for n in range(3):  # a fresh browser each time: dropping cookies does not help
        browser = Client(REMOTE_ADDR="203.0.113.5")
        answers.append(hold(browser, diary.service, diary.location, slots[n * 4], email=f"p{n}@example.com"))
    assert [a.status_code for a in answers] == [302, 302, 429]
    page = text(answers[2])
    assert "We could not hold this time" in page
    assert "a lot of booking requests from your connection" in page
    assert "phone the clinic" in page
    assert 0 < int(answers[2]["Retry-After"]) <= 3600
    assert "no-store" in answers[2]["Cache-Control"]
    assert Appointment.objects.filter(status=Status.HELD).count() == 2


def test_web_attempts_that_hold_nothing_spend_no_allowance_but_released_holds_stay_counted(diary, settings):
    settings.BOOKING_HOLDS_PER_ADDRESS_PER_HOUR = 2
    slots = free_slots(Client(), diary)
    first = Client(REMOTE_ADDR="203.0.113.5")
    assert hold(first, diary.service, diary.location, slots[0], email="first@example.com").status_code == 302
    for n in range(4):  # others behind the same address try the same time: told it has gone, not throttled
        late = Client(REMOTE_ADDR="203.0.113.5")
        response = hold(late, diary.service, diary.location, slots[0], email=f"late{n}@example.com")
        assert response.status_code == 200
        assert "is no longer available" in text(response), text(response)[:500]
    # The first hold, released, still counts: one more lands, then the limit.
    Appointment.objects.filter(status=Status.HELD).update(status=Status.CANCELLED)
    assert hold(Client(REMOTE_ADDR="203.0.113.5"), diary.service, diary.location, slots[4]).status_code == 302
    response = hold(Client(REMOTE_ADDR="203.0.113.5"), diary.service, diary.location, slots[8], email="x@example.com")
    assert response.status_code == 429


def test_one_browser_keeps_at_most_three_live_holds_the_oldest_is_released(client, diary, settings):
    settings.BOOKING_HOLDS_PER_BROWSER = 3
    slots = free_slots(client, diary)
    for n in range(5):
        assert hold(client, diary.service, diary.location, slots[n * 4]).status_code == 302
    holds = list(Appointment.objects.order_by("pk").values_list("status", flat=True))
    assert holds == [Status.CANCELLED, Status.CANCELLED, Status.HELD, Status.HELD, Status.HELD]
    # The released times are free again for anyone.
    assert slots[0] in free_slots(Client(), diary)


# --- Names as people type them ----------------------------------------------------------------------

TYPED = [
    ("  Zo\u0065\u0308 \u200bAdams\u202e ", "Zoë Adams"),  # decomposed accent, zero-width space, RTL override
    ("Sam\u00a0\u2066Lee\u2069\x00", "Sam Lee"),  # no-break space, isolate, null byte
    ("\ufeffJo\u200d \u061cBrown\u200e\t", "Jo Brown"),
]


@pytest.mark.parametrize("typed,stored", TYPED)
def test_the_web_form_and_the_api_store_the_same_cleaned_name(client, diary, typed, stored):
    slots = free_slots(client, diary)
    assert hold(client, diary.service, diary.location, slots[0], name=typed).status_code == 302
    by_web = Appointment.objects.get().patient_name
    response = post(client, BOOKINGS, booking_json(diary, at(DAY + timedelta(days=1), 11), patient={"name": typed}))
    assert response.status_code == 201, response.content
    by_api = Appointment.objects.exclude(patient_name="").order_by("-pk").first().patient_name
    assert by_web == by_api == stored


@pytest.mark.parametrize("typed", ["\u200b\u200b", " \u202e\u202c ", "\x00\x00"])
def test_a_name_of_only_invisible_characters_is_refused_on_the_web_and_the_api(client, diary, typed):
    slots = free_slots(client, diary)
    response = hold(client, diary.service, diary.location, slots[0], name=typed)
    assert response.status_code == 200
    assert "Enter the full name of the person coming to the appointment." in text(response)
    response = post(client, BOOKINGS, booking_json(diary, at(DAY, 11), patient={"name": typed}))
    assert_error(response, 422, "invalid", containing="patient's name")
    assert not Appointment.objects.exists()
