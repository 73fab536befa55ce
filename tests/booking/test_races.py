"""Race tests: many clients booking at once, each thread on its own database connection.

On PostgreSQL the exclusion constraints settle the races; on SQLite the write lock taken at the
start of each booking transaction does. The same tests run on both (`make test`).
"""

import contextlib
import random
import threading
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import timedelta

import pytest
from django.db import connection

from tests.concurrency import at_once
from vial.booking.models import Appointment, Room
from vial.booking.services import CancellationRefused, SlotUnavailable, book_appointment, cancel_appointment
from vial.booking.state_machine import BLOCKING_STATUSES, Status

from .conftest import ADULT, MONDAY, NOW, at, make_diary

# serialized_rollback: like the suite's other transactional tests, so the data migrations made
# (Wagtail's root page, content types) is restored for whichever transactional test runs next.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
TUESDAY = MONDAY + timedelta(days=1)
WEDNESDAY = MONDAY + timedelta(days=2)


def assert_no_overlaps():
    """No two active appointments overlap for any practitioner or any room place, and no room is over capacity."""
    active = list(
        Appointment.objects.filter(status__in=BLOCKING_STATUSES).values(
            "pk", "practitioner_id", "room_id", "room_place", "blocked_start", "blocked_end"
        )
    )
    groups = defaultdict(list)
    for row in active:
        groups["practitioner", row["practitioner_id"]].append(row)
        if row["room_id"] is not None:
            groups["room place", row["room_id"], row["room_place"]].append(row)
    for key, rows in groups.items():
        rows.sort(key=lambda r: r["blocked_start"])
        for earlier, later in zip(rows, rows[1:], strict=False):
            assert earlier["blocked_end"] <= later["blocked_start"], f"{key}: {earlier['pk']} overlaps {later['pk']}"
    capacity = dict(Room.objects.values_list("pk", "capacity"))
    for row in active:
        if row["room_id"] is not None:
            assert 0 <= row["room_place"] < capacity[row["room_id"]]
    return active


def test_fifty_clients_take_the_same_slot_exactly_one_wins():
    diary = make_diary(practitioners=2, rooms=2)
    start = at(TUESDAY, 10)
    clients = 50

    def client(n):
        patient = replace(ADULT, email=f"patient{n}@example.com")
        return book_appointment(diary.service, diary.practitioners[0], diary.location, start, patient, now=NOW)

    results = at_once(clients, client)

    booked = [r for r in results if isinstance(r, Appointment)]
    refused = [r for r in results if isinstance(r, SlotUnavailable)]
    others = [r for r in results if not isinstance(r, Appointment | SlotUnavailable)]
    assert not others, others[:3]
    assert len(booked) == 1
    assert len(refused) == clients - 1
    for error in refused:
        assert error.alternatives, "every loser is offered other times"
        assert (start, diary.practitioners[0].pk) not in {(s.start, s.practitioner_id) for s in error.alternatives}
    assert Appointment.objects.filter(status=Status.CONFIRMED).count() == 1
    assert assert_no_overlaps()


def test_five_hundred_random_bookings_never_overlap():
    diary = make_diary(practitioners=4, rooms=1)
    Room.objects.create(location=diary.location, name="Double room", capacity=2)  # three places for four people
    rng = random.Random(20260302)  # noqa: S311
    starts = [at(day, 9) + timedelta(minutes=15 * n) for day in (TUESDAY, WEDNESDAY) for n in range(30)]
    requests = [
        {
            "practitioner": rng.randrange(4),
            "start": rng.choice(starts),
            "hold": rng.random() < 0.25,
            "now": NOW + timedelta(minutes=rng.choice([0, 0, 0, 11, 23])),  # later clients see lapsed holds
            "cancel": rng.random() < 0.1,
            "n": n,
        }
        for n in range(500)
    ]

    def client(request):
        try:
            appointment = book_appointment(
                diary.service,
                diary.practitioners[request["practitioner"]],
                diary.location,
                request["start"],
                replace(ADULT, email=f"patient{request['n']}@example.com"),
                hold=request["hold"],
                now=request["now"],
            )
            if request["cancel"]:
                with contextlib.suppress(CancellationRefused):  # a lapsed hold another client released first
                    cancel_appointment(appointment, now=request["now"], enforce_window=False)
            return "booked"
        except SlotUnavailable:
            return "refused"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=16) as pool:
        outcomes = list(pool.map(client, requests))

    assert outcomes.count("booked") + outcomes.count("refused") == 500
    assert outcomes.count("booked") > 50 and outcomes.count("refused") > 50  # there was real contention
    active = assert_no_overlaps()
    assert len(active) >= 30  # the two days filled up


def test_a_booking_waits_for_a_block_being_written_for_the_same_practitioner(monkeypatch):
    """Staff block an hour; a patient books inside it just after the block's check: the booking must wait
    for the block and then be refused, not land under it (PostgreSQL: the practitioner's row lock;
    SQLite: the write lock)."""
    from vial.booking.models import TimeOff
    from vial.booking.services import block_time

    diary = make_diary(practitioners=1, rooms=1)
    practitioner, start = diary.practitioners[0], at(TUESDAY, 10)
    checked, booking_done = threading.Event(), threading.Event()
    outcomes = {}
    create = TimeOff.objects.create

    def create_after_the_booking_tried(**fields):
        checked.set()  # the block has checked for clashes; now the patient books...
        booking_done.wait(timeout=3)  # ...and (with the lock) cannot finish until this block commits
        return create(**fields)

    monkeypatch.setattr(TimeOff.objects, "create", create_after_the_booking_tried)

    def block():
        try:
            outcomes["block"] = block_time(practitioner, start, start + timedelta(hours=1), "Training", NOW)
        finally:
            checked.set()
            connection.close()

    def book():
        checked.wait(timeout=60)
        try:
            outcomes["booking"] = book_appointment(diary.service, practitioner, diary.location, start, ADULT, now=NOW)
        except Exception as error:  # noqa: BLE001 - inspected below
            outcomes["booking"] = error
        finally:
            booking_done.set()
            connection.close()

    threads = [threading.Thread(target=block), threading.Thread(target=book)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert isinstance(outcomes["block"], TimeOff)
    assert isinstance(outcomes["booking"], SlotUnavailable), outcomes["booking"]
    assert not Appointment.objects.exists()
