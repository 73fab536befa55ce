"""schemathesis against /api/v1/openapi.json: whatever it sends, no 500, and every answer matches the schema.

The app is called in-process through WSGI, inside the test's database transaction, with a small
diary (two practitioners, two clinics, a few bookings) so that valid ids reach the booking code too.
Bounded and repeatable: a fixed number of examples per operation, derandomised.
"""

from collections import Counter
from datetime import timedelta

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance

from vial.booking.services import Patient, book_appointment

from .conftest import at, make_diary
from .test_api import DAY, iso

MAX_EXAMPLES = 50
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


@pytest.fixture
def in_process_app(db):
    """Django's WSGI handler on the test's own connection: like the test client, keep it open between requests."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def diary(db):
    """Two clinics, three practitioners, and three bookings (their tokens for the cancel endpoint)."""
    diary = make_diary(practitioners=2, rooms=2)
    make_diary(practitioners=1, location_name="Second clinic", name="Review visit", kind="consultation")
    patient = Patient(name="Sam Example", email="sam@example.com", date_of_birth=DAY.replace(year=1985), phone="")
    booked = [
        book_appointment(diary.service, diary.practitioners[0], diary.location, at(DAY, hour), patient)
        for hour in (10, 11)
    ]
    booked.append(
        book_appointment(
            diary.service, diary.practitioners[1], diary.location, at(DAY + timedelta(days=1), 10), patient
        )
    )
    diary.others["tokens"] = [appointment.cancel_token for appointment in booked]
    return diary


@pytest.fixture
def api_schema(in_process_app, diary):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", in_process_app)


OPERATIONS = [
    ("GET", "/api/v1/services"),
    ("GET", "/api/v1/availability"),
    ("POST", "/api/v1/bookings"),
    ("POST", "/api/v1/bookings/{token}/cancel"),
]


def into_the_diary(path: str, diary):
    """Point generated requests at the diary's real ids, times and tokens, so they get past the 404s and 422s.

    What was generated still varies the request: the length of the window, the patient's name, the time.
    """
    ids = {"service": diary.service.pk, "location": diary.location.pk}

    def steer(case):
        if path.endswith("/availability"):
            days = len(str(case.query)) % 70  # more than 62 now and then
            case.query = {**(case.query or {}), **ids, "start": DAY.isoformat(), "end": str(DAY + timedelta(days))}
        elif path.endswith("/bookings") and isinstance(case.body, dict):
            name = case.body.get("patient", {}).get("name") if isinstance(case.body.get("patient"), dict) else None
            patient = {"name": name or "Sam", "email": "sam@example.com", "phone": "07400 123456"}
            start = at(DAY, 14, 15 * (len(str(name)) % 4))
            case.body = {**case.body, **ids, "start": iso(start), "patient": {**patient, "date_of_birth": "1985-01-01"}}
            case.body.pop("practitioner", None)
        elif path.endswith("/cancel"):
            case.path_parameters = {"token": diary.others["tokens"][len(str(case.path_parameters)) % 3]}
        return case

    return steer


#: Valid requests for every operation, anywhere and aimed at the diary; invalid ones where the schema
#: leaves something to get wrong (`/services` takes no input, and any string is a well-formed token).
RUNS = [
    *[(method, path, GenerationMode.POSITIVE, False) for method, path in OPERATIONS],
    *[(method, path, GenerationMode.POSITIVE, True) for method, path in OPERATIONS[1:]],
    ("GET", "/api/v1/availability", GenerationMode.NEGATIVE, False),
    ("POST", "/api/v1/bookings", GenerationMode.NEGATIVE, False),
]

#: What the steered runs must see at least once.
REACHED = {
    "/api/v1/availability": (200, 422),
    "/api/v1/bookings": (201, 409),
    "/api/v1/bookings/{token}/cancel": (200, 409),
}


def test_the_served_document_lists_these_operations(api_schema):
    served = {(result.ok().method.upper(), result.ok().path) for result in api_schema.get_all_operations()}
    assert served == set(OPERATIONS)


# schemathesis' own pytest loaders (`from_fixture`) do not run on pytest 9, so each operation gets a plain
# Hypothesis test over the strategy schemathesis derives from the served document.
@pytest.mark.parametrize(
    ("method", "path", "mode", "steered"),
    RUNS,
    ids=[f"{m} {p} {mode}{' in the diary' if steered else ''}" for m, p, mode, steered in RUNS],
)
def test_the_api_answers_every_request_as_its_schema_says(api_schema, diary, method, path, mode, steered):
    strategy = api_schema[path][method].as_strategy(generation_mode=mode)
    if steered:
        strategy = strategy.map(into_the_diary(path, diary))
    statuses = Counter()

    @given(case=strategy)
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def call(case):
        response = case.call_and_validate(checks=CHECKS)
        statuses[response.status_code] += 1

    call()
    assert statuses and max(statuses) < 500, statuses
    if steered:  # the steering works: the requests reach the diary
        assert set(REACHED[path]) <= set(statuses), statuses
