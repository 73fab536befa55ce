"""The cached diary set-up: staff changes show in free times at once; bookings check against the database."""

import re
from dataclasses import replace
from datetime import date, time, timedelta

import pytest
from django.db import connection

from vial.booking import diary_setup, queries
from vial.booking.models import Practitioner, TimeOff, WeeklyRota
from vial.booking.queries import find_slots
from vial.booking.services import SlotUnavailable, book_appointment
from vial.booking.state_machine import BLOCKING_STATUSES

from .conftest import ADULT, MONDAY, NOW, at

TUESDAY = MONDAY + timedelta(days=1)
SUNDAY = MONDAY + timedelta(days=6)


def tuesday_slots(diary):
    return find_slots(diary.service, at(TUESDAY, 0), at(TUESDAY + timedelta(days=1), 0), now=NOW)


def who(slots) -> set[int]:
    return {slot.practitioner_id for slot in slots}


def test_time_off_added_by_staff_is_seen_by_the_next_search(diary):
    first = diary.practitioners[0]
    assert first.pk in who(tuesday_slots(diary))  # the set-up is now cached
    TimeOff.objects.create(practitioner=first, start=at(TUESDAY, 0), end=at(TUESDAY, 23), reason="Training")
    assert first.pk not in who(tuesday_slots(diary))


def test_a_new_rota_line_and_its_removal_are_seen_at_once(diary):
    assert not list(find_slots(diary.service, at(SUNDAY, 0), at(SUNDAY, 23), now=NOW))
    line = WeeklyRota.objects.create(
        practitioner=diary.practitioners[0],
        location=diary.location,
        weekday=6,
        start_time=time(10),
        end_time=time(13),
        valid_from=date(2026, 1, 1),
    )
    assert who(find_slots(diary.service, at(SUNDAY, 0), at(SUNDAY, 23), now=NOW)) == {diary.practitioners[0].pk}
    line.delete()
    assert find_slots(diary.service, at(SUNDAY, 0), at(SUNDAY, 23), now=NOW) == []


def test_services_clinics_and_leavers_are_seen_at_once(diary):
    first, second = diary.practitioners
    assert who(tuesday_slots(diary)) == {first.pk, second.pk}
    first.services.remove(diary.service)  # m2m change
    assert who(tuesday_slots(diary)) == {second.pk}
    second.active = False
    second.save()
    assert tuesday_slots(diary) == []
    diary.location.active = False
    diary.location.save()
    first.services.add(diary.service)
    assert tuesday_slots(diary) == []


def test_a_search_during_a_staff_change_cannot_keep_the_old_set_up(diary, django_capture_on_commit_callbacks):
    """A request that reads the set-up between a save and its commit must not cache it for good."""
    first = diary.practitioners[0]
    with django_capture_on_commit_callbacks(execute=True):  # runs them as the commit would
        TimeOff.objects.create(practitioner=first, start=at(TUESDAY, 0), end=at(TUESDAY, 23))
        # Another request, reading the committed rows (no time off yet) under the version the save set:
        version = diary_setup.setup_version()
        diary_setup._memo[version] = replace(diary_setup.load_setup(), time_off={})
        assert first.pk in who(tuesday_slots(diary))
    assert diary_setup.setup_version() != version  # moved on again at commit
    assert first.pk not in who(tuesday_slots(diary))


def test_a_booking_checks_against_the_database_not_the_cache(diary):
    first = diary.practitioners[0]
    assert first.pk in who(tuesday_slots(diary))
    # A bulk update sends no signal, so the cached set-up still shows the practitioner at work...
    TimeOff.objects.bulk_create([TimeOff(practitioner=first, start=at(TUESDAY, 0), end=at(TUESDAY, 23))])
    assert first.pk in who(tuesday_slots(diary))
    # ...but booking reads the set-up afresh, and refuses.
    with pytest.raises(SlotUnavailable):
        book_appointment(diary.service, first, diary.location, at(TUESDAY, 10), ADULT, now=NOW)


def test_the_postgresql_statement_counts_the_statuses_the_constraints_count():
    listed = re.findall(r"a\.status IN \(([^)]*)\)", queries.BUSY_SQL_POSTGRESQL)
    assert len(listed) == 2
    for statuses in listed:
        assert {value.strip(" '") for value in statuses.split(",")} == set(BLOCKING_STATUSES)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the statement is PostgreSQL's")
def test_the_postgresql_statement_uses_the_gist_indexes(diary):
    first = diary.practitioners[0]
    working = {first.pk: [(at(TUESDAY, 9), at(TUESDAY, 17), diary.location.pk)]}
    rooms = {room.pk: working[first.pk] for room in diary.rooms}
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # a tiny table would be scanned whatever the indexes
        arrays = []
        for mapping in (working, rooms):
            arrays += [list(mapping), [v[0][0] for v in mapping.values()], [v[0][1] for v in mapping.values()], NOW]
        cursor.execute("EXPLAIN " + queries.BUSY_SQL_POSTGRESQL, arrays)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    assert "booking_no_practitioner_overlap" in plan
    assert "booking_no_room_overlap" in plan


def test_practitioner_setup_lists_only_who_can_be_booked(diary):
    Practitioner.objects.filter(pk=diary.practitioners[1].pk).update(active=False)
    setup = diary_setup.load_setup()
    assert set(setup.practitioners) == {diary.practitioners[0].pk}
    assert setup.givers(diary.service.pk, needs_prescriber=False, location_id=diary.location.pk)
    assert setup.givers(diary.service.pk, needs_prescriber=False, location_id=diary.location.pk + 99) == []
