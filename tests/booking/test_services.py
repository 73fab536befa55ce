"""Booking, holding, confirming and cancelling through the services, with the engine and the database."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.factories import make_treatment
from vial.booking.models import Appointment, AppointmentStatusChange, Room, TimeOff
from vial.booking.queries import find_slots
from vial.booking.services import (
    HOLD_MINUTES,
    AppointmentNotFound,
    BookingError,
    CancellationRefused,
    NeedsConsultation,
    NotEligible,
    SlotUnavailable,
    TooSoon,
    book_appointment,
    cancel_appointment,
    confirm_appointment,
    move_appointment,
    release_expired_holds,
)
from vial.booking.state_machine import Status

from .conftest import ADULT, MONDAY, NOW, at, make_diary, seen_before

TUESDAY = MONDAY + timedelta(days=1)


SAM = replace(ADULT, name="Sam Other", email="sam@example.com")


def book(diary, start, practitioner=0, patient=ADULT, **kwargs):
    kwargs.setdefault("now", NOW)
    return book_appointment(diary.service, diary.practitioners[practitioner], diary.location, start, patient, **kwargs)


# --- Booking ---------------------------------------------------------------------------------


def test_booking_writes_a_confirmed_appointment_with_buffers_room_and_history(diary):
    appointment = book(diary, at(TUESDAY, 10))
    appointment.refresh_from_db()
    assert appointment.status == Status.CONFIRMED
    assert (appointment.start, appointment.end) == (at(TUESDAY, 10), at(TUESDAY, 10, 30))
    assert (appointment.blocked_start, appointment.blocked_end) == (at(TUESDAY, 9, 55), at(TUESDAY, 10, 40))
    assert appointment.room == diary.rooms[0] and appointment.room_place == 0
    assert len(appointment.cancel_token) >= 40
    [change] = appointment.status_changes.all()
    assert (change.from_status, change.to_status) == ("", Status.CONFIRMED)
    assert "Alex" not in str(appointment)  # no patient names in labels that end up in logs


def test_cancel_tokens_are_unique(diary):
    first = book(diary, at(TUESDAY, 10))
    second = book(diary, at(TUESDAY, 11))
    assert first.cancel_token != second.cancel_token


def test_a_taken_slot_is_refused_with_alternatives(diary):
    book(diary, at(TUESDAY, 10))
    with pytest.raises(SlotUnavailable) as refused:
        book(diary, at(TUESDAY, 10), patient=SAM)
    assert "no longer available" in refused.value.message
    alternatives = refused.value.alternatives
    assert alternatives
    assert all(slot.start >= at(TUESDAY, 10) for slot in alternatives)
    assert (at(TUESDAY, 10), diary.practitioners[0].pk) not in {(s.start, s.practitioner_id) for s in alternatives}
    assert Appointment.objects.count() == 1


def test_buffers_are_respected_between_bookings(diary):
    book(diary, at(TUESDAY, 10))  # blocks 09:55-10:40
    with pytest.raises(SlotUnavailable):
        book(diary, at(TUESDAY, 10, 30))  # would block 10:25-11:10
    assert book(diary, at(TUESDAY, 10, 45)).status == Status.CONFIRMED  # blocks 10:40-11:25


def test_one_room_means_one_patient_at_a_time(diary):
    book(diary, at(TUESDAY, 10), practitioner=0)
    with pytest.raises(SlotUnavailable):
        book(diary, at(TUESDAY, 10), practitioner=1, patient=SAM)
    Room.objects.create(location=diary.location, name="Room 2")
    assert book(diary, at(TUESDAY, 10), practitioner=1, patient=SAM).room.name == "Room 2"


def test_time_off_blocks_booking(diary):
    TimeOff.objects.create(practitioner=diary.practitioners[0], start=at(TUESDAY, 9), end=at(TUESDAY, 13))
    with pytest.raises(SlotUnavailable):
        book(diary, at(TUESDAY, 10))


def test_outside_the_rota_is_refused(diary):
    with pytest.raises(SlotUnavailable):
        book(diary, at(TUESDAY, 16, 45))  # would run past 17:00
    with pytest.raises(SlotUnavailable):
        book(diary, at(MONDAY + timedelta(days=6), 10))  # Sunday: no rota


def test_notice_horizon_and_past_have_their_own_messages(diary):
    with pytest.raises(BookingError, match="at least 2 hours ahead"):
        book(diary, NOW + timedelta(hours=1))
    with pytest.raises(BookingError, match="up to 60 days ahead"):
        book(diary, at(MONDAY + timedelta(days=70), 10))
    with pytest.raises(BookingError, match="already passed"):
        book(diary, NOW - timedelta(days=1))


def test_naive_times_are_refused(diary):
    with pytest.raises(BookingError, match="time zone"):
        book(diary, datetime(2026, 3, 3, 10, 0))  # noqa: DTZ001


def test_practitioner_must_give_the_service_there(diary):
    diary.practitioners[1].services.clear()
    with pytest.raises(BookingError, match="does not offer"):
        book(diary, at(TUESDAY, 10), practitioner=1)


def test_patient_details_are_checked(diary):
    with pytest.raises(BookingError, match="date of birth"):
        book(diary, at(TUESDAY, 10), patient=replace(ADULT, date_of_birth=None))
    with pytest.raises(BookingError, match="future"):
        book(diary, at(TUESDAY, 10), patient=replace(ADULT, date_of_birth=date(2030, 1, 1)))
    with pytest.raises(BookingError, match="check the date of birth"):
        book(diary, at(TUESDAY, 10), patient=replace(ADULT, date_of_birth=date(1890, 1, 1)))
    with pytest.raises(BookingError, match="e-mail"):
        book(diary, at(TUESDAY, 10), patient=replace(ADULT, email="not-an-address"))
    assert not Appointment.objects.exists()


# --- The age rule ----------------------------------------------------------------------------


@pytest.fixture
def medicine_diary(clinic):
    treatment = make_treatment(
        clinic["treatments"], n=2, title="Excessive underarm sweating", prescription_only=True, licence="licensed"
    )
    return make_diary(treatment=treatment, name="Consultation for excessive sweating", needs_prescriber=True)


def test_under_18s_cannot_book_a_prescription_only_treatment(medicine_diary):
    sixteen = replace(ADULT, date_of_birth=date(2009, 12, 1))
    with pytest.raises(NotEligible, match="under 18"):
        book(medicine_diary, at(TUESDAY, 10), patient=sixteen)
    assert not Appointment.objects.exists()


def test_age_is_taken_on_the_day_of_the_appointment(medicine_diary):
    eighteen_on_tuesday = replace(ADULT, date_of_birth=date(2008, 3, 3))
    with pytest.raises(NotEligible):
        book(medicine_diary, at(MONDAY, 15), patient=eighteen_on_tuesday)
    assert book(medicine_diary, at(TUESDAY, 10), patient=eighteen_on_tuesday).status == Status.CONFIRMED


def test_under_18s_can_book_what_is_not_prescription_only(clinic):
    treatment = make_treatment(clinic["treatments"], n=3, title="Skin consultation", prescription_only=False)
    diary = make_diary(treatment=treatment)
    assert book(diary, at(TUESDAY, 10), patient=replace(ADULT, date_of_birth=date(2010, 1, 1))).pk


# --- Holds -----------------------------------------------------------------------------------


def test_a_hold_blocks_the_slot_for_ten_minutes_then_lapses(diary):
    hold = book(diary, at(TUESDAY, 10), hold=True)
    assert hold.status == Status.HELD and hold.held_until == NOW + timedelta(minutes=HOLD_MINUTES)
    with pytest.raises(SlotUnavailable):
        book(diary, at(TUESDAY, 10), now=NOW + timedelta(minutes=9), patient=SAM)
    later = NOW + timedelta(minutes=HOLD_MINUTES + 1)
    taken = book(diary, at(TUESDAY, 10), now=later, patient=SAM)
    hold.refresh_from_db()
    assert taken.status == Status.CONFIRMED
    assert hold.status == Status.CANCELLED
    assert hold.status_changes.last().note == "Hold expired"


def test_confirming_a_hold_in_time(diary):
    hold = book(diary, at(TUESDAY, 10), hold=True)
    confirm_appointment(hold, now=NOW + timedelta(minutes=5))
    hold.refresh_from_db()
    assert hold.status == Status.CONFIRMED
    assert [c.to_status for c in hold.status_changes.all()] == [Status.HELD, Status.CONFIRMED]


def test_confirming_a_lapsed_hold_is_refused_and_releases_it(diary):
    hold = book(diary, at(TUESDAY, 10), hold=True)
    with pytest.raises(SlotUnavailable, match="run out") as refused:
        confirm_appointment(hold, now=NOW + timedelta(minutes=11))
    hold.refresh_from_db()
    assert hold.status == Status.CANCELLED
    assert at(TUESDAY, 10) in {s.start for s in refused.value.alternatives}  # still free: offered again


def test_release_expired_holds(diary):
    book(diary, at(TUESDAY, 10), hold=True)
    book(diary, at(TUESDAY, 11), hold=True, now=NOW + timedelta(minutes=5))
    assert release_expired_holds(NOW + timedelta(minutes=12)) == 1
    assert Appointment.objects.filter(status=Status.HELD).count() == 1


# --- Cancelling ------------------------------------------------------------------------------


def test_cancel_by_token_frees_the_slot(diary):
    appointment = book(diary, at(TUESDAY, 10))
    cancel_appointment(appointment.cancel_token, now=NOW + timedelta(hours=1))
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED
    assert appointment.status_changes.last().from_status == Status.CONFIRMED
    slots = find_slots(diary.service, at(TUESDAY, 10), at(TUESDAY, 10, 1), now=NOW)
    assert diary.practitioners[0].pk in {s.practitioner_id for s in slots}


def test_cancel_outside_the_window_is_refused_with_the_deadline(diary):
    appointment = book(diary, at(TUESDAY, 10))
    with pytest.raises(CancellationRefused, match="24 hours before") as refused:
        cancel_appointment(appointment.cancel_token, now=at(MONDAY, 10, 30))
    assert "Mon 02 Mar 2026, 10:00 GMT" in refused.value.message
    appointment.refresh_from_db()
    assert appointment.status == Status.CONFIRMED
    cancel_appointment(appointment, now=at(MONDAY, 10, 30), enforce_window=False, note="Patient phoned")
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED


def test_replayed_and_unknown_tokens(diary):
    appointment = book(diary, at(TUESDAY, 10))
    cancel_appointment(appointment.cancel_token, now=NOW)
    with pytest.raises(CancellationRefused, match="already cancelled"):
        cancel_appointment(appointment.cancel_token, now=NOW)
    with pytest.raises(AppointmentNotFound):
        cancel_appointment(appointment.cancel_token[:-1] + "x", now=NOW)
    with pytest.raises(AppointmentNotFound):
        cancel_appointment("", now=NOW)
    assert AppointmentStatusChange.objects.filter(to_status=Status.CANCELLED).count() == 1


# --- Finding slots ---------------------------------------------------------------------------


def test_find_slots_uses_a_fixed_number_of_queries(diary, django_assert_num_queries):
    window = (at(MONDAY, 0), at(MONDAY + timedelta(days=14), 0))
    with django_assert_num_queries(10):  # the diary set-up (9 with closed days, then cached) and the appointments
        before = find_slots(diary.service, *window, now=NOW)
    with django_assert_num_queries(1):
        assert find_slots(diary.service, *window, now=NOW) == before
    for n in range(1, 12):
        day = MONDAY + timedelta(days=n)
        if day.weekday() < 6:
            book(diary, at(day, 10))
            book(diary, at(day, 14), practitioner=1)
    with django_assert_num_queries(1):  # appointments are read live, every time
        after = find_slots(diary.service, *window, now=NOW)
    assert 0 < len(after) < len(before)


def test_find_slots_in_local_time_across_the_spring_change(diary):
    sunday = date(2026, 3, 29)
    for practitioner in diary.practitioners:
        practitioner.rotas.create(
            location=diary.location, weekday=6, start_time="09:00", end_time="17:00", valid_from=sunday
        )
    slots = find_slots(diary.service, at(sunday, 0), at(sunday + timedelta(days=1), 0), now=NOW)
    starts = sorted({s.start for s in slots})
    assert starts[0] == datetime(2026, 3, 29, 8, 15, tzinfo=UTC)  # 09:15 BST: 5 minutes' preparation from 09:00
    assert starts[-1] == datetime(2026, 3, 29, 15, 15, tzinfo=UTC)  # 16:15 BST: 30 minutes + 10 after, by 17:00


def test_find_slots_for_one_location_only(diary):
    other = make_diary(practitioners=0, rooms=0, location_name="Other clinic", name="Other consultation")
    assert find_slots(diary.service, at(TUESDAY, 9), at(TUESDAY, 12), location=other.location, now=NOW) == []
    assert find_slots(diary.service, at(TUESDAY, 9), at(TUESDAY, 12), location=diary.location, now=NOW)


# --- The re-treatment interval ---------------------------------------------------------------


@pytest.fixture
def treatment_diary(clinic):
    treatment = make_treatment(
        clinic["treatments"],
        n=4,
        title="Excessive underarm sweating",
        prescription_only=True,
        licence="licensed",
        min_retreatment_days=112,
    )
    diary = make_diary(
        treatment=treatment, name="Underarm sweating: treatment visit", kind="treatment", booking_horizon_days=200
    )
    seen_before(diary, ADULT)
    seen_before(diary, replace(ADULT, email="sam@example.com"), when=datetime(2025, 11, 5, 10, tzinfo=UTC))
    return diary


def test_a_retreatment_five_weeks_later_is_refused_with_the_earliest_date(treatment_diary):
    first = book(treatment_diary, at(TUESDAY, 10))
    five_weeks_later = TUESDAY + timedelta(weeks=5)
    with pytest.raises(TooSoon) as refused:
        book(treatment_diary, at(five_weeks_later, 10), patient=replace(ADULT, email="ALEX@example.com"))
    earliest = TUESDAY + timedelta(days=112)
    assert refused.value.earliest == earliest == date(2026, 6, 23)
    assert "earliest date we can book is Tuesday 23 June 2026" in refused.value.message
    assert "3 March 2026" in refused.value.message
    # Someone else, or the same person once the earlier visit is cancelled, can book.
    assert book(treatment_diary, at(five_weeks_later, 10), patient=replace(ADULT, email="sam@example.com")).pk
    cancel_appointment(first, now=NOW)
    assert book(treatment_diary, at(five_weeks_later, 11), patient=ADULT).pk


def test_a_treatment_too_close_before_a_booked_one_is_refused(treatment_diary):
    book(treatment_diary, at(TUESDAY + timedelta(weeks=5), 10))
    with pytest.raises(TooSoon, match="already have"):
        book(treatment_diary, at(TUESDAY, 10))


def test_the_interval_is_counted_in_calendar_days(treatment_diary):
    book(treatment_diary, at(TUESDAY, 16))
    with pytest.raises(TooSoon):
        book(treatment_diary, at(TUESDAY + timedelta(days=111), 10))
    # 112 days later the clocks have gone forward: still allowed on that date, at any time.
    assert book(treatment_diary, at(TUESDAY + timedelta(days=112), 10)).pk


def test_consultations_are_not_limited_by_the_interval(clinic):
    treatment = make_treatment(
        clinic["treatments"], n=6, prescription_only=True, licence="licensed", min_retreatment_days=84
    )
    diary = make_diary(treatment=treatment, name="Consultation", needs_prescriber=True)
    book(diary, at(TUESDAY, 10))
    assert book(diary, at(TUESDAY + timedelta(days=7), 10)).pk


# --- Consultation first for prescription-only treatments -------------------------------------


def test_a_first_time_patient_is_offered_the_prescribers_consultation(treatment_diary):
    consultation = treatment_diary.service.__class__.objects.get(kind="consultation")
    for practitioner in treatment_diary.practitioners:
        practitioner.services.add(consultation)
    newcomer = replace(ADULT, email="new@example.com")
    with pytest.raises(NeedsConsultation) as refused:
        book(treatment_diary, at(TUESDAY, 10), patient=newcomer)
    assert refused.value.consultations == [consultation]
    assert "in-person consultation" in refused.value.message
    assert f"'{consultation.name}'" in refused.value.message
    assert not Appointment.objects.filter(patient_email="new@example.com").exists()
    # Once the consultation is booked before it, the treatment itself can be booked.
    book_appointment(
        consultation, treatment_diary.practitioners[0], treatment_diary.location, at(TUESDAY, 10), newcomer, now=NOW
    )
    assert book(treatment_diary, at(TUESDAY + timedelta(days=7), 10), patient=newcomer).pk
    # ...but not on a day before the consultation.
    other = replace(ADULT, email="other@example.com")
    book_appointment(
        consultation, treatment_diary.practitioners[0], treatment_diary.location, at(TUESDAY, 14), other, now=NOW
    )
    with pytest.raises(NeedsConsultation):
        book(treatment_diary, at(TUESDAY, 11), patient=other)


# --- Moving ----------------------------------------------------------------------------------


def test_moving_rebooks_and_cancels_in_one_step(diary):
    first = book(diary, at(TUESDAY, 10))
    moved = move_appointment(first.cancel_token, at(TUESDAY, 10, 15), now=NOW)
    first.refresh_from_db()
    assert first.status == Status.CANCELLED
    assert moved.status == Status.CONFIRMED and moved.start == at(TUESDAY, 10, 15)
    assert (moved.patient_email, moved.practitioner) == (first.patient_email, first.practitioner)
    assert moved.status_changes.get().note == f"Moved from #{first.pk}"


def test_a_refused_move_leaves_the_appointment_as_it_was(diary):
    first = book(diary, at(TUESDAY, 10))
    book(diary, at(TUESDAY, 14), patient=replace(ADULT, email="sam@example.com"))
    with pytest.raises(SlotUnavailable):
        move_appointment(first, at(TUESDAY, 14), now=NOW)
    first.refresh_from_db()
    assert first.status == Status.CONFIRMED
    assert Appointment.objects.filter(status=Status.CONFIRMED).count() == 2


def test_patients_cannot_move_inside_the_cancellation_window(diary):
    first = book(diary, at(TUESDAY, 10))
    with pytest.raises(CancellationRefused, match="can be moved online until 24 hours"):
        move_appointment(first, at(TUESDAY, 15), now=at(MONDAY, 11))
    assert move_appointment(first, at(TUESDAY, 15), now=at(MONDAY, 11), enforce_window=False).pk
