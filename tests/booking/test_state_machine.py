"""The appointment status machine: allowed moves write history, every other move is refused."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model

from vial.booking.models import AppointmentStatusChange
from vial.booking.services import book_appointment
from vial.booking.state_machine import (
    TRANSITIONS,
    IllegalTransition,
    Status,
    is_blocking,
    set_status,
)

from .conftest import ADULT, MONDAY, NOW, at

TUESDAY = MONDAY + timedelta(days=1)
ALL_MOVES = [(old, new) for old in Status for new in Status]
ALLOWED = [(old, new) for old, new in ALL_MOVES if new in TRANSITIONS[old]]
REFUSED = [(old, new) for old, new in ALL_MOVES if new not in TRANSITIONS[old]]
# How to reach each status from a fresh hold, along allowed moves.
PATHS = {
    Status.HELD: [],
    Status.CONFIRMED: [Status.CONFIRMED],
    Status.ARRIVED: [Status.CONFIRMED, Status.ARRIVED],
    Status.COMPLETED: [Status.CONFIRMED, Status.ARRIVED, Status.COMPLETED],
    Status.CANCELLED: [Status.CANCELLED],
    Status.NO_SHOW: [Status.CONFIRMED, Status.NO_SHOW],
}


def test_the_allowed_moves_are_the_documented_ones():
    assert {(str(a), str(b)) for a, b in ALLOWED} == {
        ("held", "confirmed"),
        ("held", "cancelled"),
        ("confirmed", "arrived"),
        ("confirmed", "cancelled"),
        ("confirmed", "no_show"),
        ("arrived", "completed"),
    }
    assert set(TRANSITIONS) == set(Status)


@pytest.fixture
def appointment_in(diary):
    def make(status):
        appointment = book_appointment(
            diary.service, diary.practitioners[0], diary.location, at(TUESDAY, 10), ADULT, hold=True, now=NOW
        )
        for step in PATHS[status]:
            set_status(appointment, step)
        return appointment

    return make


@pytest.mark.parametrize(("old", "new"), ALLOWED)
def test_allowed_moves_write_a_history_row(appointment_in, old, new):
    appointment = appointment_in(old)
    user = get_user_model().objects.create_user(username="reception")
    before = appointment.status_changes.count()
    set_status(appointment, new, by=user, note="Checked")
    appointment.refresh_from_db()
    assert appointment.status == new
    change = appointment.status_changes.last()
    assert appointment.status_changes.count() == before + 1
    assert (change.from_status, change.to_status, change.by, change.note) == (old, new, user, "Checked")


@pytest.mark.parametrize(("old", "new"), REFUSED)
def test_refused_moves_change_nothing(appointment_in, old, new):
    appointment = appointment_in(old)
    before = AppointmentStatusChange.objects.count()
    with pytest.raises(IllegalTransition, match="cannot become"):
        set_status(appointment, new)
    appointment.refresh_from_db()
    assert appointment.status == old
    assert AppointmentStatusChange.objects.count() == before


def test_a_stale_copy_cannot_make_an_illegal_move(appointment_in):
    """set_status reads the status under a lock, not from the caller's (possibly stale) object."""
    appointment = appointment_in(Status.CONFIRMED)
    stale = type(appointment).objects.get(pk=appointment.pk)
    set_status(appointment, Status.CANCELLED)
    with pytest.raises(IllegalTransition):
        set_status(stale, Status.ARRIVED)


def test_anonymous_users_are_not_recorded(appointment_in):
    from django.contrib.auth.models import AnonymousUser

    appointment = appointment_in(Status.HELD)
    set_status(appointment, Status.CONFIRMED, by=AnonymousUser())
    assert appointment.status_changes.last().by is None


def test_which_statuses_keep_time_busy():
    assert is_blocking(Status.HELD, NOW + timedelta(minutes=1), NOW)
    assert not is_blocking(Status.HELD, NOW, NOW)
    assert not is_blocking(Status.HELD, None, NOW)
    for status in (Status.CONFIRMED, Status.ARRIVED, Status.COMPLETED):
        assert is_blocking(status, None, NOW)
    for status in (Status.CANCELLED, Status.NO_SHOW):
        assert not is_blocking(status, None, NOW)
