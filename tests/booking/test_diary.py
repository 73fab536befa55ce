"""The staff diary in the admin: what staff see on a day or a week, and what they can do from it.

Driven over HTTP as staff use it. The diary's clock (`diary_views.now`) is set to NOW, Monday 2 March
2026, like the other booking tests; data for other dates is booked with the services' own `now`.
"""

import html
import re
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.patients.records import patient_record
from vial.audit.models import AuditEvent
from vial.booking import diary, diary_views
from vial.booking.availability import wall_clock_to_utc
from vial.booking.models import Appointment, AppointmentStatusChange, TimeOff
from vial.booking.services import BookingError, Patient, book_appointment
from vial.booking.state_machine import Status, set_status

from .conftest import ADULT, MONDAY, NOW, at, make_diary, make_practitioner

TUESDAY = MONDAY + timedelta(days=1)
SPRING = date(2026, 3, 29)  # Sunday: clocks go forward at 01:00 GMT
AUTUMN = date(2026, 10, 25)  # Sunday: clocks go back at 02:00 BST
OTHER = Patient(name="Bea Other", email="bea@example.com", date_of_birth=date(1985, 1, 9))


# --- Fixtures -------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """The diary acts as if it were NOW."""
    monkeypatch.setattr(diary_views, "now", lambda: NOW)
    return NOW


def staff_user(username: str, *permissions: str, groups=()):
    """A staff user with admin access, these permissions ('app.codename') and these groups."""
    user = get_user_model().objects.create_user(username=username, password="x" * 12, first_name=username.title())
    group = Group.objects.create(name=f"{username} permissions")
    codenames = ["wagtailadmin.access_admin", *permissions]
    for name in codenames:
        app_label, codename = name.split(".")
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    user.groups.add(group)
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


@pytest.fixture
def boss(db):
    return get_user_model().objects.create_superuser(username="boss", email="boss@example.com", password="x" * 12)


@pytest.fixture
def reception(client, db):
    """A receptionist: sees the diary, books and blocks."""
    user = staff_user("rita", "booking.view_appointment", "booking.add_timeoff", groups=["Reception"])
    client.force_login(user)
    return client


@pytest.fixture
def viewer(client, db):
    """Sees the diary, may change nothing."""
    client.force_login(staff_user("vic", "booking.view_appointment"))
    return client


@pytest.fixture
def outsider(client, db):
    """Has the admin but not the booking area (e.g. a content editor)."""
    client.force_login(staff_user("ed"))
    return client


def book(diary_, start, practitioner=0, patient=ADULT, now=NOW, service=None):
    return book_appointment(
        service or diary_.service, diary_.practitioners[practitioner], diary_.location, start, patient, now=now
    )


def day_url(location, day, view="day"):
    return f"{reverse('booking_diary')}?location={location.pk}&day={day:%Y-%m-%d}&view={view}"


def messages_of(response) -> str:
    return html.unescape(" ".join(str(m) for m in get_messages(response.wsgi_request)))


def text(response) -> str:
    return response.content.decode()


def refused(response) -> bool:
    """Wagtail's answer to a user without permission: back to the dashboard, with a message."""
    return (
        response.status_code == 302
        and response.url == reverse("wagtailadmin_home")
        and "you do not have permission" in messages_of(response)
    )


# --- Seeing the diary -------------------------------------------------------------------------


def test_a_clinic_day_shows_rotas_appointments_patients_statuses_and_blocks(reception, diary):
    first = book(diary, at(TUESDAY, 10))
    book(diary, at(TUESDAY, 14, 30), practitioner=1, patient=OTHER)
    set_status(first, Status.ARRIVED)
    TimeOff.objects.create(
        practitioner=diary.practitioners[1], start=at(TUESDAY, 12), end=at(TUESDAY, 13), reason="Team meeting"
    )
    response = reception.get(day_url(diary.location, TUESDAY))
    assert response.status_code == 200
    page = text(response)
    assert "Tuesday 3 March 2026" in page and "UK time, GMT" in page
    for name in ("Dr Test Practitioner 0", "Dr Test Practitioner 1", "Alex Example", "Bea Other"):
        assert name in page
    assert "10:00–10:30" in page and "14:30–15:00" in page
    assert "General consultation" in page
    assert "Arrived" in page and "Confirmed" in page
    assert "09:00–17:00" in page  # rota hours
    assert "12:00–13:00" in page and "Team meeting" in page
    assert reverse("booking_diary_appointment", args=[first.pk]) in page


def test_cancelled_appointments_and_lapsed_holds_are_not_shown(reception, diary):
    cancelled = book(diary, at(TUESDAY, 10))
    set_status(cancelled, Status.CANCELLED)
    book_appointment(
        diary.service,
        diary.practitioners[1],
        diary.location,
        at(TUESDAY, 11),
        OTHER,
        hold=True,
        now=NOW - timedelta(hours=1),
    )
    page = text(reception.get(day_url(diary.location, TUESDAY)))
    assert "Alex Example" not in page and "Bea Other" not in page


def test_a_clinic_week_shows_each_practitioner_and_day(reception, diary):
    book(diary, at(TUESDAY, 10))
    book(diary, at(MONDAY + timedelta(days=4), 15), practitioner=1, patient=OTHER)
    TimeOff.objects.create(practitioner=diary.practitioners[0], start=at(MONDAY + timedelta(days=3), 9),
                           end=at(MONDAY + timedelta(days=4), 17), reason="Course")  # fmt: skip
    response = reception.get(day_url(diary.location, TUESDAY, view="week"))
    assert response.status_code == 200
    page = text(response)
    assert "week of Monday 2 March 2026" in page
    assert "Tue 3 Mar" in page and "Sun 8 Mar" in page
    assert "10:00–10:30" in page and "Alex Example" in page
    assert "15:00–15:30" in page and "Bea Other" in page
    assert "Course" in page and "Thu 5 Mar 09:00" in page  # a block over two days shows on both, with its dates
    assert page.count('diary-week__working">09:00–17:00<') == 2 * 6  # two people, Monday to Saturday


def test_a_practitioners_day_and_week(reception, diary):
    person = diary.practitioners[0]
    book(diary, at(TUESDAY, 10))
    book(diary, at(MONDAY + timedelta(days=5), 9, 15), patient=OTHER)
    book(diary, at(TUESDAY, 11), practitioner=1)  # someone else's: not shown
    url = f"{reverse('booking_diary')}?practitioner={person.pk}&day=2026-03-03"
    day = text(reception.get(url))
    assert "Dr Test Practitioner 0: Tuesday 3 March 2026" in day
    assert "10:00–10:30" in day and "11:00–11:30" not in day
    assert "Test clinic" in day  # the clinic of each rota stretch and appointment
    week = text(reception.get(url + "&view=week"))
    assert "Sat 7 Mar" in week and "09:15–09:45" in week and "Bea Other" in week
    assert week.count(">Alex Example<") == 1  # on its own day only
    assert "00:00" not in week  # nothing pulled the grid to midnight


@pytest.mark.parametrize(
    ("day", "zone", "note"),
    [(SPRING, "GMT/BST", "clocks go forward"), (AUTUMN, "BST/GMT", "clocks go back")],
)
def test_clock_change_days_show_uk_local_times(reception, day, zone, note):
    every_day = make_diary(practitioners=0)
    every_day.practitioners.append(make_practitioner(50, every_day.location, [every_day.service], days=range(7)))
    booked_then = datetime.combine(day - timedelta(days=5), time(9), tzinfo=UTC)
    appointment = book(every_day, at(day, 10), now=booked_then)
    assert appointment.start == wall_clock_to_utc(day, time(10))
    assert appointment.start.hour == (9 if day == SPRING else 10)  # BST after 29 March, GMT after 25 October
    response = reception.get(day_url(every_day.location, day))
    page = text(response)
    assert f"UK time, {zone}" in page
    assert note in page
    after = "BST" if day == SPRING else "GMT"  # the zone is named on the clock-change days
    assert f"10:00 {after}–10:30 {after}" in page
    assert f"09:00 {after}–17:00 {after}" in page  # eight hours of rota on a 23- or 25-hour day
    assert "grid-row: 25 / span 6;" in page  # 10:00 sits where 10:00 sits on any day (08:00 is row 1)
    before = text(reception.get(day_url(every_day.location, day - timedelta(days=1))))
    assert "grid-row: 13 / span 96;" in page and "grid-row: 13 / span 96;" in before  # 09:00-17:00 on both days


def test_a_day_with_nobody_working_says_so(reception, diary):
    sunday = MONDAY + timedelta(days=6)
    assert "Nobody works at Test clinic on this day" in text(reception.get(day_url(diary.location, sunday)))


def test_the_diary_opens_on_today_at_the_first_clinic(reception, diary):
    response = reception.get(reverse("booking_diary"))
    assert response.status_code == 200
    assert "Test clinic: Monday 2 March 2026" in text(response)


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("location=999999", 404),
        ("practitioner=999999", 404),
        ("location=abc", 404),
        ("day=2026-02-30", 400),
        ("day=yesterday", 400),
        ("view=month", 400),
    ],
)
def test_bad_diary_queries_are_refused_with_a_message(reception, diary, query, status):
    response = reception.get(f"{reverse('booking_diary')}?{query}")
    assert response.status_code == status
    assert "The diary cannot show that" in messages_of(response)


def test_the_diary_is_first_in_the_booking_menu(reception, diary):
    page = text(reception.get(reverse("wagtailadmin_home")))
    assert reverse("booking_diary") in page
    assert page.index(reverse("booking_diary")) < page.index(reverse("booking_appointments:index"))


# --- Booking ----------------------------------------------------------------------------------


def booking_form(diary_, **changes):
    data = {
        "location": diary_.location.pk,
        "practitioner": diary_.practitioners[0].pk,
        "service": diary_.service.pk,
        "day": "2026-03-03",
        "time": "10:00",
        "patient_name": "Cara Caller",
        "patient_email": "cara@example.com",
        "patient_phone": "07911 123456",
        "patient_date_of_birth": "1979-08-30",
    }
    data.update(changes)
    return data


def test_reception_books_an_appointment(reception, diary):
    form = reception.get(f"{reverse('booking_diary_book')}?location={diary.location.pk}&day=2026-03-03")
    assert form.status_code == 200 and 'value="2026-03-03"' in text(form)
    response = reception.post(reverse("booking_diary_book"), booking_form(diary))
    assert response.status_code == 302
    assert response.url == day_url(diary.location, TUESDAY).removesuffix("&view=day")
    appointment = Appointment.objects.get()
    assert appointment.status == Status.CONFIRMED
    assert appointment.start == at(TUESDAY, 10)
    assert appointment.patient_name == "Cara Caller" and appointment.patient_phone == "07911 123456"
    assert appointment.status_changes.get().by.username == "rita"
    assert "Booked General consultation with Dr Test Practitioner 0" in messages_of(response)
    assert "Cara Caller" in text(reception.get(response.url))


def test_reception_books_inside_the_online_notice_and_beyond_the_online_horizon(reception, diary):
    """Online booking closes 2 hours ahead and 60 days out; at the desk a walk-in or a long-term plan is fine."""
    walk_in = reception.post(reverse("booking_diary_book"), booking_form(diary, day="2026-03-02", time="09:30"))
    assert walk_in.status_code == 302
    later = reception.post(
        reverse("booking_diary_book"), booking_form(diary, day="2026-06-02", patient_email="later@example.com")
    )
    assert later.status_code == 302
    assert sorted(Appointment.objects.values_list("start", flat=True)) == [
        at(MONDAY, 9, 30),
        at(TUESDAY + timedelta(weeks=13), 10),
    ]
    # The same times stay closed to patients online.
    with pytest.raises(BookingError, match="at least 2 hours ahead"):
        book(diary, at(MONDAY, 9, 45))


def test_a_taken_time_is_refused_with_the_next_free_times(reception, diary):
    book(diary, at(TUESDAY, 10))
    response = reception.post(reverse("booking_diary_book"), booking_form(diary))
    assert response.status_code == 409
    assert "That time is taken" in messages_of(response) and "no longer available" in messages_of(response)
    # the next free times, with whom: 10:45 once 10:00-10:30 and its buffers have cleared the one room
    assert "Tue 03 Mar 2026, 10:45 GMT with Dr Test Practitioner 0" in messages_of(response)
    assert 'value="Cara Caller"' in text(response)  # the form keeps what was typed
    assert Appointment.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"day": "2026-02-31"}, "Enter a valid date"),
        ({"time": "25:00"}, "Enter a valid time"),
        ({"practitioner": "999999"}, "Select a valid choice"),
        ({"service": "abc"}, "Select a valid choice"),
        ({"patient_email": "not-an-address"}, "valid email"),
        ({"patient_phone": "call me"}, "Use only digits and spaces in the phone number"),
        ({"patient_name": ""}, "Please give the patient's name"),
        ({"day": "2026-03-29", "time": "01:30"}, "01:30 does not exist on Sunday 29 March 2026"),
        ({"day": "2026-03-01"}, "already passed"),
        ({"patient_date_of_birth": "2030-01-01"}, "cannot be in the future"),
        ({"time": "18:00"}, "Dr Test Practitioner 0 does not work at Test clinic at 18:00 on Tuesday 3 March 2026"),
    ],
)
def test_bad_bookings_are_refused_with_a_message_and_nothing_written(reception, diary, changes, message):
    response = reception.post(reverse("booking_diary_book"), booking_form(diary, **changes))
    assert 400 <= response.status_code < 500
    assert message in messages_of(response)
    assert not Appointment.objects.exists()


def test_a_viewer_cannot_book(viewer, diary):
    page = text(viewer.get(day_url(diary.location, TUESDAY)))
    assert "Alex Example" not in page and reverse("booking_diary_book") not in page
    assert refused(viewer.get(reverse("booking_diary_book")))
    assert refused(viewer.post(reverse("booking_diary_book"), booking_form(diary)))
    assert not Appointment.objects.exists()


# --- Moving, cancelling, marking ----------------------------------------------------------------


def test_the_appointment_page_shows_details_history_and_actions(reception, diary):
    appointment = book(diary, at(TUESDAY, 10))
    page = text(reception.get(reverse("booking_diary_appointment", args=[appointment.pk])))
    assert "Tuesday 3 March 2026, 10:00–10:30 (GMT)" in page
    assert "Alex Example" in page and "alex@example.com" in page and "17 May 1990" in page
    assert "Mark arrived" in page and "Mark completed" not in page
    # Tomorrow's appointment cannot be missed yet: no button, a word on why
    assert "Mark did not attend" not in page and "can be marked once the appointment has started" in page
    assert "Cancel this appointment" in page and "Move" in page
    assert "new → Confirmed" in page


def test_reception_moves_an_appointment_to_another_time_and_practitioner(reception, diary):
    appointment = book(diary, at(TUESDAY, 10))
    url = reverse("booking_diary_move", args=[appointment.pk])
    response = reception.post(url, {"practitioner": diary.practitioners[1].pk, "day": "2026-03-04", "time": "15:15"})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED
    moved = Appointment.objects.exclude(pk=appointment.pk).get()
    assert (moved.start, moved.practitioner, moved.status) == (at(TUESDAY + timedelta(days=1), 15, 15),
                                                               diary.practitioners[1], Status.CONFIRMED)  # fmt: skip
    assert moved.patient_name == "Alex Example"
    assert "Moved to Wed 04 Mar 2026, 15:15 GMT with Dr Test Practitioner 1" in messages_of(response)
    assert moved.status_changes.get().by.username == "rita"


def test_a_move_onto_a_taken_time_changes_nothing(reception, diary):
    appointment = book(diary, at(TUESDAY, 10))
    book(diary, at(TUESDAY, 14), patient=OTHER)
    url = reverse("booking_diary_move", args=[appointment.pk])
    response = reception.post(url, {"practitioner": diary.practitioners[0].pk, "day": "2026-03-03", "time": "14:00"})
    assert response.status_code == 409
    assert "no longer available" in messages_of(response)
    appointment.refresh_from_db()
    assert appointment.status == Status.CONFIRMED
    assert Appointment.objects.count() == 2
    assert "Confirmed" in text(response) and "Cancel this appointment" in text(response)


@pytest.mark.parametrize(
    "data", [{"day": "junk", "time": "10:00"}, {"day": "2026-03-03", "time": "99:99"}, {"practitioner": "nobody"}]
)
def test_a_move_with_bad_input_is_refused(reception, diary, data):
    appointment = book(diary, at(TUESDAY, 10))
    form = {"practitioner": diary.practitioners[0].pk, "day": "2026-03-05", "time": "11:00", **data}
    response = reception.post(reverse("booking_diary_move", args=[appointment.pk]), form)
    assert response.status_code == 400
    assert "Please correct the form" in messages_of(response)
    assert Appointment.objects.get().status == Status.CONFIRMED


def test_reception_cancels_inside_the_patients_window(reception, diary):
    appointment = book(diary, at(MONDAY, 14))  # six hours away: too late for the patient, not for staff
    url = reverse("booking_diary_cancel", args=[appointment.pk])
    response = reception.post(url, {"reason": "Patient phoned: unwell"})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED
    assert appointment.status_changes.last().note == "Cancelled by staff: Patient phoned: unwell"
    again = reception.post(url, {"reason": "Again"})
    assert again.status_code == 409
    assert "already cancelled" in messages_of(again)
    assert appointment.status_changes.count() == 2


def test_arrived_then_completed(reception, diary):
    appointment = book(diary, at(MONDAY, 14))
    url = reverse("booking_diary_status", args=[appointment.pk])
    assert reception.post(url, {"status": "arrived"}).status_code == 302
    response = reception.post(url, {"status": "completed"})
    assert response.status_code == 302
    assert "Marked completed" in messages_of(response)
    appointment.refresh_from_db()
    assert appointment.status == Status.COMPLETED
    moves = list(appointment.status_changes.values_list("to_status", "by__username"))
    assert moves == [("confirmed", None), ("arrived", "rita"), ("completed", "rita")]
    audited = AuditEvent.objects.filter(patient=appointment.patient_id, action="change").order_by("pk")
    assert list(audited.values_list("user__username", "detail", "fields")) == [
        ("rita", "Confirmed to Arrived", ["status"]),
        ("rita", "Arrived to Completed", ["status"]),
    ]


def test_an_illegal_status_move_is_refused_with_the_allowed_ones(reception, diary):
    appointment = book(diary, at(MONDAY, 14))
    url = reverse("booking_diary_status", args=[appointment.pk])
    response = reception.post(url, {"status": "completed"})
    assert response.status_code == 409
    assert "cannot become completed" in messages_of(response)
    assert "arrived, cancelled, did not attend" in messages_of(response)
    set_status(appointment, Status.NO_SHOW)
    assert reception.post(url, {"status": "arrived"}).status_code == 409
    assert reception.post(url, {"status": "teleported"}).status_code == 400
    appointment.refresh_from_db()
    assert appointment.status == Status.NO_SHOW
    assert AppointmentStatusChange.objects.filter(appointment=appointment).count() == 2


def test_unknown_appointments_are_not_found(reception, diary):
    for name in ("booking_diary_appointment", "booking_diary_cancel", "booking_diary_status", "booking_diary_move"):
        response = reception.post(reverse(name, args=[999999]), {"status": "arrived"})
        assert response.status_code in (404, 405)
    assert reception.get(reverse("booking_diary_appointment", args=[999999])).status_code == 404


def test_viewers_and_outsiders_change_nothing(viewer, diary, client):
    appointment = book(diary, at(MONDAY, 14))
    page = text(viewer.get(reverse("booking_diary_appointment", args=[appointment.pk])))
    assert "Alex Example" in page and "Mark arrived" not in page and "Cancel this appointment" not in page
    posts = [
        (reverse("booking_diary_status", args=[appointment.pk]), {"status": "arrived"}),
        (reverse("booking_diary_cancel", args=[appointment.pk]), {}),
        (reverse("booking_diary_move", args=[appointment.pk]), {"day": "2026-03-03", "time": "10:00"}),
    ]
    for url, data in posts:
        assert refused(viewer.post(url, data))
    client.force_login(staff_user("ed"))  # an outsider: no booking permissions at all
    assert refused(client.get(day_url(diary.location, MONDAY)))
    assert "Alex Example" not in text(client.get(day_url(diary.location, MONDAY), follow=True))
    assert refused(client.get(reverse("booking_diary_appointment", args=[appointment.pk])))
    for url, data in posts:
        assert refused(client.post(url, data))
    appointment.refresh_from_db()
    assert appointment.status == Status.CONFIRMED and Appointment.objects.count() == 1


def test_outsiders_do_not_see_the_diary_in_the_menu(outsider, diary):
    assert reverse("booking_diary") not in text(outsider.get(reverse("wagtailadmin_home")))


def test_anonymous_visitors_are_sent_to_log_in(client, diary):
    response = client.get(day_url(diary.location, MONDAY))
    assert response.status_code == 302 and "login" in response.url


# --- Blocking time ----------------------------------------------------------------------------


def block_form(diary_, **changes):
    data = {
        "practitioner": diary_.practitioners[0].pk,
        "day": "2026-03-03",
        "start_time": "12:00",
        "end_time": "13:30",
        "end_day": "",
        "reason": "Training",
    }
    data.update(changes)
    return data


def test_reception_blocks_time(reception, diary):
    assert reception.get(reverse("booking_diary_block")).status_code == 200
    response = reception.post(reverse("booking_diary_block"), block_form(diary))
    assert response.status_code == 302
    block = TimeOff.objects.get()
    assert (block.start, block.end, block.reason) == (at(TUESDAY, 12), at(TUESDAY, 13, 30), "Training")
    assert "Blocked Dr Test Practitioner 0's time from Tue 03 Mar 2026, 12:00 GMT" in messages_of(response)
    page = text(reception.get(response.url))
    assert "12:00–13:30" in page and "Training" in page
    # and the booking rules now keep that time free
    refused = reception.post(reverse("booking_diary_book"), booking_form(diary, time="12:30"))
    assert refused.status_code == 409


def test_a_block_over_appointments_is_refused_and_lists_them(reception, diary):
    book(diary, at(TUESDAY, 12, 30))
    book(diary, at(TUESDAY, 14), practitioner=1, patient=OTHER)  # someone else's: not in the way
    response = reception.post(reverse("booking_diary_block"), block_form(diary, end_time="15:00"))
    assert response.status_code == 409
    message = messages_of(response)
    assert "has 1 appointment in that time" in message
    assert "Tue 03 Mar 2026, 12:30 GMT: General consultation, Alex Example (confirmed)" in message
    assert "Bea Other" not in message
    assert not TimeOff.objects.exists()


def test_a_block_over_a_cancelled_appointment_is_fine(reception, diary):
    appointment = book(diary, at(TUESDAY, 12, 30))
    set_status(appointment, Status.CANCELLED)
    assert reception.post(reverse("booking_diary_block"), block_form(diary)).status_code == 302
    assert TimeOff.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end_time": "11:00"}, "The end must be after the start"),
        ({"day": "2026-03-01", "end_day": "2026-03-01"}, "already passed"),
        ({"end_day": "2026-12-31"}, "up to 92 days"),
        ({"day": "someday"}, "Enter a valid date"),
        ({"practitioner": "999999"}, "Select a valid choice"),
        ({"day": "2026-03-29", "start_time": "01:15", "end_time": "03:00"}, "does not exist"),
    ],
)
def test_bad_blocks_are_refused(reception, diary, changes, message):
    response = reception.post(reverse("booking_diary_block"), block_form(diary, **changes))
    assert 400 <= response.status_code < 500
    assert message in messages_of(response)
    assert not TimeOff.objects.exists()


def test_blocking_needs_the_time_off_permission(client, diary):
    client.force_login(staff_user("pat", "booking.view_appointment", "staff.use_diary"))
    assert reverse("booking_diary_block") not in text(client.get(day_url(diary.location, TUESDAY)))
    assert refused(client.post(reverse("booking_diary_block"), block_form(diary)))
    assert not TimeOff.objects.exists()
    # ... while 'use the diary' is enough to book
    assert client.post(reverse("booking_diary_book"), booking_form(diary)).status_code == 302


# --- Queries ----------------------------------------------------------------------------------


def busy_clinic(people: int = 30, per_person: int = 10):
    """A clinic with `people` practitioners on Monday-Saturday rotas, `per_person` appointments each on
    Tuesday, a block each, and a few appointments later in the week. Written straight to the table."""
    clinic = make_diary(practitioners=people, location_name="Busy clinic", name="Busy consultation")
    rows = []
    patient = patient_record("Busy Patient", "busy@example.com")
    for n, person in enumerate(clinic.practitioners):
        for k in range(per_person):
            for day in (TUESDAY, TUESDAY + timedelta(days=2 + k % 3)):
                start = at(day, 9) + timedelta(minutes=45 * k)
                rows.append(
                    Appointment(service=clinic.service, practitioner=person, location=clinic.location,
                                patient=patient, patient_name=f"Patient {n}-{k}", patient_email=f"p{n}-{k}@example.com",
                                start=start, end=start + timedelta(minutes=30), blocked_start=start,
                                blocked_end=start + timedelta(minutes=30), status=Status.CONFIRMED)
                )  # fmt: skip
        TimeOff.objects.create(practitioner=person, start=at(TUESDAY, 16), end=at(TUESDAY, 17), reason="Admin")
    Appointment.objects.bulk_create(rows)
    return clinic


@pytest.mark.parametrize("view", ["day", "week"])
def test_the_diary_runs_in_at_most_15_queries_for_30_practitioners(reception, django_assert_max_num_queries, view, db):
    small = make_diary(practitioners=1, location_name="Small clinic")
    with django_assert_max_num_queries(15) as small_queries:
        assert reception.get(day_url(small.location, TUESDAY, view)).status_code == 200
    clinic = busy_clinic()
    with django_assert_max_num_queries(15) as busy_queries:
        response = reception.get(day_url(clinic.location, TUESDAY, view))
    assert response.status_code == 200
    assert len(busy_queries.captured_queries) == len(small_queries.captured_queries)
    page = text(response)
    assert "Patient 29-9" in page and "Dr Test Practitioner 30" in page


def test_a_practitioners_week_runs_in_a_fixed_number_of_queries(reception, django_assert_max_num_queries):
    clinic = busy_clinic(people=2)
    url = f"{reverse('booking_diary')}?practitioner={clinic.practitioners[0].pk}&day=2026-03-03&view=week"
    with django_assert_max_num_queries(15):
        assert "Patient 0-9" in text(reception.get(url))


# --- The layout, without a database ----------------------------------------------------------


def entry(start_hour, start_minute, minutes, day=TUESDAY, kind="appointment"):
    start = at(day, start_hour, start_minute)
    return diary.Entry(kind, start, start + timedelta(minutes=minutes))


def test_layout_places_entries_on_five_minute_rows_from_the_first_hour():
    placed = diary.place([entry(10, 0, 30), entry(8, 5, 10)], TUESDAY, 8 * 60, 18 * 60)
    assert [(p.row, p.span, p.lanes) for p in placed] == [(2, 2, 1), (25, 6, 1)]
    assert placed[1].style == "grid-row: 25 / span 6; grid-column: 1 / -1;"
    assert placed[1].time_label == "10:00–10:30"


def test_layout_puts_overlapping_entries_side_by_side():
    placed = diary.place(
        [entry(10, 0, 60), entry(10, 30, 60), entry(11, 0, 15), entry(14, 0, 30)], TUESDAY, 8 * 60, 18 * 60
    )
    lanes = {(p.row, p.lane, p.lanes) for p in placed}
    assert lanes == {(25, 0, 2), (31, 1, 2), (37, 0, 2), (73, 0, 1)}


def test_layout_leaves_out_entries_on_other_days():
    monday, tuesday = entry(10, 0, 30, day=MONDAY), entry(11, 0, 30)
    overnight = diary.Entry("time_off", at(MONDAY, 22), at(TUESDAY, 9, 30))
    placed = diary.place([monday, tuesday, overnight], TUESDAY, 8 * 60, 18 * 60)
    assert [(p.entry, p.row, p.span, p.starts_before) for p in placed] == [
        (overnight, 1, 18, True),
        (tuesday, 37, 6, False),
    ]
    wednesday = diary.ColumnSource(3, "Wed", TUESDAY + timedelta(days=1), entries=[monday, tuesday])
    grid = diary.day_grid([wednesday])
    assert (grid.first_minute, grid.last_minute, grid.columns[0].entries) == (8 * 60, 18 * 60, [])


def test_layout_rounds_odd_minutes_outwards_and_clips_to_the_rows_shown():
    placed = diary.place([entry(9, 2, 11), entry(7, 0, 120), entry(20, 0, 30)], TUESDAY, 8 * 60, 18 * 60)
    assert [(p.row, p.span, p.starts_before) for p in placed] == [(1, 12, True), (13, 3, False)]


def test_grid_bounds_widen_to_whole_hours_around_everything():
    early = diary.ColumnSource(1, "A", TUESDAY, entries=[entry(7, 40, 30)])
    late = diary.ColumnSource(2, "B", TUESDAY, working=[entry(12, 0, 8 * 60 + 10, kind="working")])
    assert diary.grid_bounds([early, late]) == (7 * 60, 21 * 60)
    grid = diary.day_grid([early, late])
    assert grid.rows[0].label == "07:00" and grid.rows[6].label == "07:30" and grid.rows[1].label == ""
    assert grid.row_count == 14 * 12


def test_local_times_on_clock_change_days():
    assert diary.local_instant(SPRING, time(10)) == datetime(2026, 3, 29, 9, tzinfo=UTC)
    assert diary.local_instant(AUTUMN, time(1, 30)) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # first 01:30
    with pytest.raises(diary.NonexistentTime, match="clocks go forward"):
        diary.local_instant(SPRING, time(1, 30))
    assert diary.day_interval(SPRING).end - diary.day_interval(SPRING).start == timedelta(hours=23)
    assert diary.day_interval(AUTUMN).end - diary.day_interval(AUTUMN).start == timedelta(hours=25)
    assert diary.zone_names(SPRING) == "GMT/BST" and diary.zone_names(MONDAY) == "GMT"
    assert diary.clock_change_note(MONDAY) == ""
    assert diary.minute_of_day(datetime(2026, 3, 29, 9, tzinfo=UTC), SPRING) == 10 * 60


def test_time_labels_name_the_zone_when_it_changes():
    second_one_thirty = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 01:30 GMT, after 01:30 BST
    assert diary.time_range(second_one_thirty, second_one_thirty + timedelta(minutes=30), AUTUMN) == (
        "01:30 GMT–02:00 GMT"
    )
    across = diary.time_range(datetime(2026, 10, 25, 0, 45, tzinfo=UTC), datetime(2026, 10, 25, 1, 15, tzinfo=UTC))
    assert across == "01:45 BST–01:15 GMT"
    assert diary.time_range(at(TUESDAY, 23), at(TUESDAY + timedelta(days=1), 1), TUESDAY) == "23:00–Wed 4 Mar 01:00"
    # in the repeated hour the wall clock runs back: the entry keeps its real length on the grid
    start, end = datetime(2026, 10, 25, 0, 45, tzinfo=UTC), datetime(2026, 10, 25, 1, 15, tzinfo=UTC)
    placed = diary.place([diary.Entry("appointment", start, end)], AUTUMN, 0, 24 * 60)
    assert (placed[0].row, placed[0].span) == (22, 6)


def test_week_of_and_week_table():
    days = diary.week_of(date(2026, 3, 5))
    assert days[0] == MONDAY and days[-1] == MONDAY + timedelta(days=6)
    long_block = diary.Entry("time_off", at(MONDAY, 12), at(MONDAY + timedelta(days=2), 12))
    rows = diary.week_table(days, [(1, "A", [entry(9, 0, 8 * 60, kind="working")], [long_block], None)])
    cells = rows[0].cells
    assert [len(c.entries) for c in cells] == [1, 1, 1, 0, 0, 0, 0]
    assert cells[1].working_label == "09:00–17:00" and cells[0].working_label == ""


# --- A busy day at the desk: click to book, confirm with a reason, back where you were ----------------


def links(response, prefix: str) -> list[str]:
    """The hrefs on the page that start with `prefix`, unescaped."""
    hrefs = (html.unescape(h) for h in re.findall(r'href="([^"]+)"', text(response)))
    return [h for h in hrefs if h.startswith(prefix)]


def query_of(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))


def test_each_empty_slot_in_the_day_view_books_there_and_comes_back(reception, diary):
    book(diary, at(TUESDAY, 10))
    TimeOff.objects.create(practitioner=diary.practitioners[0], start=at(TUESDAY, 12), end=at(TUESDAY, 13))
    here = day_url(diary.location, TUESDAY)
    page = reception.get(here)
    slots = [query_of(u) for u in links(page, reverse("booking_diary_book")) if "time" in query_of(u)]
    first = [q["time"] for q in slots if q["practitioner"] == str(diary.practitioners[0].pk)]
    second = [q["time"] for q in slots if q["practitioner"] == str(diary.practitioners[1].pk)]
    # a quarter hour each, inside the rota (09:00-17:00), never over the appointment (with its buffers:
    # 09:55-10:40) or the block
    assert first[:4] == ["09:00", "09:15", "09:30", "10:45"] and first[-1] == "16:45"
    assert not {"09:45", "10:00", "10:15", "10:30", "12:00", "12:45"} & set(first) and "11:45" in first
    assert len(second) == 32
    assert all(q["location"] == str(diary.location.pk) and q["day"] == "2026-03-03" for q in slots)
    assert 'aria-label="Book Dr Test Practitioner 0 at 09:15 on Tuesday 3 March 2026"' in text(page)

    # Clicking one opens the form with everything filled in, and booking there lands back on this diary.
    slot = next(u for u in links(page, reverse("booking_diary_book")) if "time=14%3A30" in u and "practitioner=" +
                str(diary.practitioners[1].pk) in u)  # fmt: skip
    form = reception.get(slot)
    assert form.status_code == 200
    page_text = text(form)
    assert 'value="2026-03-03"' in page_text and 'value="14:30"' in page_text
    assert f'<option value="{diary.practitioners[1].pk}" selected>' in page_text
    assert f'<option value="{diary.location.pk}" selected>' in page_text
    assert f'name="next" value="{html.escape(here)}"' in page_text
    data = booking_form(diary, practitioner=diary.practitioners[1].pk, time="14:30", next=here)
    response = reception.post(reverse("booking_diary_book"), data)
    assert response.status_code == 302 and response.url == here
    assert "Cara Caller" in text(reception.get(response.url))


def test_past_slots_and_viewers_get_no_booking_links(reception, diary):
    today = reception.get(day_url(diary.location, MONDAY))  # NOW is 08:00 on Monday: the whole day is ahead
    assert any("time=09%3A00" in u for u in links(today, reverse("booking_diary_book")))
    yesterday = reception.get(day_url(diary.location, MONDAY - timedelta(days=2)))  # Saturday, worked, passed
    assert not [u for u in links(yesterday, reverse("booking_diary_book")) if "time=" in u]
    reception.force_login(staff_user("vic", "booking.view_appointment"))  # sees the diary, may change nothing
    viewer_page = reception.get(day_url(diary.location, TUESDAY))
    assert "diary-free" not in text(viewer_page) and not links(viewer_page, reverse("booking_diary_book"))


def test_a_practitioners_day_offers_slots_at_the_clinic_they_work_at(reception, diary):
    person = diary.practitioners[0]
    page = reception.get(f"{reverse('booking_diary')}?practitioner={person.pk}&day=2026-03-03&view=week")
    slots = [query_of(u) for u in links(page, reverse("booking_diary_book")) if "time" in query_of(u)]
    assert {q["day"] for q in slots} == {f"2026-03-0{n}" for n in range(2, 8)}  # Mon-Sat: the rota's days
    assert {q["location"] for q in slots} == {str(diary.location.pk)}
    assert {q["practitioner"] for q in slots} == {str(person.pk)}


def test_cancelling_asks_for_a_reason_and_keeps_it_in_the_history(reception, diary):
    appointment = book(diary, at(TUESDAY, 10))
    page = text(reception.get(reverse("booking_diary_appointment", args=[appointment.pk])))
    # a disclosure that works without JavaScript: the reason, then the confirming button
    assert "<summary" in page and "Cancel this appointment…" in page
    assert 'name="reason"' in page and "Confirm cancellation" in page
    url = reverse("booking_diary_cancel", args=[appointment.pk])
    missing = reception.post(url, {"reason": "  "})
    assert missing.status_code == 400 and "Reason: This field is required" in messages_of(missing)
    assert '<details class="diary-confirm" open>' in text(missing)
    appointment.refresh_from_db()
    assert appointment.status == Status.CONFIRMED
    done = reception.post(url, {"reason": "Patient phoned: car broke down"})
    assert done.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED
    change = appointment.status_changes.last()
    assert (change.by.username, change.note) == ("rita", "Cancelled by staff: Patient phoned: car broke down")
    history = text(reception.get(reverse("booking_diary_appointment", args=[appointment.pk])))
    assert "Cancelled by staff: Patient phoned: car broke down" in history


def test_did_not_attend_is_not_offered_before_the_start_and_needs_a_reason_after(reception, diary, monkeypatch):
    appointment = book(diary, at(TUESDAY, 10))  # twelve days ahead in the issue; a day ahead here
    page_url = reverse("booking_diary_appointment", args=[appointment.pk])
    url = reverse("booking_diary_status", args=[appointment.pk])
    page = text(reception.get(page_url))
    assert "Mark did not attend" not in page and 'value="no_show"' not in page
    early = reception.post(url, {"status": "no_show", "reason": "Not here"})
    assert early.status_code == 409 and "only once it has started" in messages_of(early)
    appointment.refresh_from_db()
    assert appointment.status == Status.CONFIRMED

    monkeypatch.setattr(diary_views, "now", lambda: at(TUESDAY, 10, 20))
    page = text(reception.get(page_url))
    assert "Mark did not attend…" in page and "Confirm: did not attend" in page
    without = reception.post(url, {"status": "no_show"})
    assert without.status_code == 400 and "Please say why" in messages_of(without)
    marked = reception.post(url, {"status": "no_show", "reason": "No answer on 07700 900123 at 10:15"})
    assert marked.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == Status.NO_SHOW
    assert appointment.status_changes.last().note == "From the diary: No answer on 07700 900123 at 10:15"


def test_arrived_needs_no_reason(reception, diary):
    appointment = book(diary, at(MONDAY, 14))
    response = reception.post(reverse("booking_diary_status", args=[appointment.pk]), {"status": "arrived"})
    assert response.status_code == 302


def test_every_action_returns_to_the_diary_it_started_from(reception, diary):
    """Clinic, day and view survive booking, moving, cancelling, marking and blocking time."""
    week = day_url(diary.location, TUESDAY, view="week")
    page = reception.get(week)
    appointment = book(diary, at(TUESDAY, 10))
    page = reception.get(week)
    opened = links(page, reverse("booking_diary_appointment", args=[appointment.pk]))
    assert opened and query_of(opened[0])["next"] == week
    detail = reception.get(opened[0])
    assert f'name="next" value="{html.escape(week)}"' in text(detail)
    assert f'href="{html.escape(week)}"' in text(detail)  # 'Back to the diary'

    moved = reception.post(
        reverse("booking_diary_move", args=[appointment.pk]),
        {"practitioner": diary.practitioners[0].pk, "day": "2026-03-03", "time": "11:00", "next": week},
    )
    assert moved.status_code == 302 and moved.url == week
    new = Appointment.objects.get(status=Status.CONFIRMED)
    marked = reception.post(reverse("booking_diary_status", args=[new.pk]), {"status": "arrived", "next": week})
    assert marked.status_code == 302 and marked.url == week
    other = book(diary, at(TUESDAY, 15), practitioner=1, patient=OTHER)
    cancelled = reception.post(reverse("booking_diary_cancel", args=[other.pk]), {"reason": "Phoned", "next": week})
    assert cancelled.status_code == 302 and cancelled.url == week

    # Block time: the header button carries the way back, the form keeps it, and the clinic is not lost.
    block_link = next(u for u in links(page, reverse("booking_diary_block")))
    assert query_of(block_link)["next"] == week
    form = reception.get(block_link)
    assert f'name="next" value="{html.escape(week)}"' in text(form)
    blocked = reception.post(reverse("booking_diary_block"), block_form(diary, day="2026-03-04", next=week))
    assert blocked.status_code == 302 and blocked.url == week
    # a refused block keeps the way back too
    again = reception.post(reverse("booking_diary_block"), block_form(diary, start_time="10:30", next=week))
    assert again.status_code == 409
    assert f'name="next" value="{html.escape(week)}"' in text(again)
    booked = reception.post(reverse("booking_diary_book"), booking_form(diary, time="16:00", next=week))
    assert booked.status_code == 302 and booked.url == week


def test_away_practitioners_are_named_as_away_not_as_taken(reception, diary):
    TimeOff.objects.create(
        practitioner=diary.practitioners[0], start=at(TUESDAY, 12), end=at(TUESDAY, 13), reason="Training"
    )
    response = reception.post(reverse("booking_diary_book"), booking_form(diary, time="12:15"))
    assert response.status_code == 409
    assert "Dr Test Practitioner 0 is away at 12:15 on Tuesday 3 March 2026 (Training, 12:00–13:00)" in (
        messages_of(response)
    )
    sunday = reception.post(reverse("booking_diary_book"), booking_form(diary, day="2026-03-08"))
    assert "they do not work there that day" in messages_of(sunday)


# --- What staff see in the admin ----------------------------------------------------------------


SET_UP = ["booking_practitioners", "booking_services", "booking_rotas", "booking_locations", "booking_rooms"]


def demo_staff(name: str, group: str):
    """A user in one of the staff roles (vial/staff/roles.py), with exactly its permissions."""
    return staff_user(name, groups=[group])


def test_reception_sees_only_the_menus_it_can_use(client, diary):
    client.force_login(demo_staff("rita", "Reception"))
    page = text(client.get(reverse("wagtailadmin_home")))
    for usable in ("booking_diary", "booking_appointments:index", "booking_time_off:index"):
        assert reverse(usable) in page, usable
    for read_only in SET_UP:
        assert reverse(f"{read_only}:index") not in page, read_only
    # what the menus no longer show is still there for anyone who follows a link to it
    assert client.get(reverse("booking_rotas:index")).status_code == 200


def test_administrators_see_every_booking_menu(client, boss, diary):
    client.force_login(boss)
    page = text(client.get(reverse("wagtailadmin_home")))
    for viewset in ["booking_appointments", "booking_time_off", *SET_UP]:
        assert reverse(f"{viewset}:index") in page, viewset


def test_the_appointment_list_names_the_patient(client, diary):
    book(diary, at(TUESDAY, 10))
    client.force_login(demo_staff("rita", "Reception"))
    page = text(client.get(reverse("booking_appointments:index")))
    assert "Patient name" in page and "Alex Example" in page


def test_short_appointments_are_drawn_compact_and_the_week_in_equal_columns(reception, diary):
    from vial.booking.models import Service

    review = Service.objects.create(name="Review", kind=Service.Kind.REVIEW, duration_minutes=15, price=0)
    diary.practitioners[0].services.add(review)
    book(diary, at(TUESDAY, 11), service=review)
    book(diary, at(TUESDAY, 14), patient=OTHER)
    page = text(reception.get(day_url(diary.location, TUESDAY)))
    # 15 minutes: time and patient on one line, the service on the next; the status for screen readers
    short = page[page.index("diary-entry--compact") : page.index("</a>", page.index("diary-entry--compact"))]
    assert "11:00–11:15" in short and "Alex Example" in short and "Review" in short
    assert page.count("diary-entry--compact") == 1  # the 30-minute one has room for everything
    week = text(reception.get(day_url(diary.location, TUESDAY, view="week")))
    assert "diary-week__table" in week and week.count("diary-entry--compact") == 2


# --- The printable day list ---------------------------------------------------------------------


def print_url(**query) -> str:
    return f"{reverse('booking_diary_print')}?{'&'.join(f'{k}={v}' for k, v in query.items())}"


def test_a_clinics_day_list_to_print(reception, diary, django_assert_max_num_queries):
    book(diary, at(TUESDAY, 10))
    book(
        diary,
        at(TUESDAY, 9, 15),
        practitioner=1,
        patient=Patient("Bea Other", "bea@example.com", date(1985, 1, 9), "01392 123456"),
    )
    set_status(book(diary, at(TUESDAY, 15)), Status.CANCELLED)  # not on the list
    book(diary, at(TUESDAY + timedelta(days=1), 10))  # another day
    diary_page = reception.get(day_url(diary.location, TUESDAY))
    link = next(u for u in links(diary_page, reverse("booking_diary_print")))
    assert query_of(link) == {"location": str(diary.location.pk), "day": "2026-03-03"}
    with django_assert_max_num_queries(12):
        response = reception.get(link)
    assert response.status_code == 200
    page = text(response)
    assert "Test clinic: Tuesday 3 March 2026" in page and "2 appointments" in page
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)
    cells = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "|", row)).strip() for row in rows[1:]]
    assert "09:15–09:45" in cells[0] and "Bea Other" in cells[0] and "01392 123456" in cells[0]
    assert "Dr Test Practitioner 1" in cells[0] and "Confirmed" in cells[0]
    assert "10:00–10:30" in cells[1] and "Alex Example" in cells[1] and "07700 900123" in cells[1]
    assert len(cells) == 2
    # a plain page: its own print style sheet, none of the admin's menus
    assert "booking/day_list.css" in page and "Main menu" not in page and "wagtailadmin" not in page
    assert html.escape(day_url(diary.location, TUESDAY)) in page  # back to the same day


def test_a_practitioners_day_list_names_the_clinic(reception, diary):
    book(diary, at(TUESDAY, 10))
    book(diary, at(TUESDAY, 11), practitioner=1, patient=OTHER)
    page = text(reception.get(print_url(practitioner=diary.practitioners[0].pk, day="2026-03-03")))
    assert "Dr Test Practitioner 0: Tuesday 3 March 2026" in page and ">Clinic<" in page
    assert "Alex Example" in page and "Bea Other" not in page and "Test clinic" in page


def test_the_day_list_is_for_diary_staff_only(client, diary):
    book(diary, at(TUESDAY, 10))
    client.force_login(staff_user("ed"))
    assert refused(client.get(print_url(location=diary.location.pk, day="2026-03-03")))
    client.force_login(staff_user("vic", "booking.view_appointment"))  # may see the diary: may print it
    assert client.get(print_url(location=diary.location.pk, day="2026-03-03")).status_code == 200
    assert client.get(print_url(location=999999)).status_code == 404


def test_keyboard_shortcuts_are_links_marked_for_the_diarys_script(reception, diary):
    page = text(reception.get(day_url(diary.location, TUESDAY)))
    assert "booking/diary.js" in page
    for key, day in (("ArrowLeft", "2026-03-02"), ("ArrowRight", "2026-03-04")):
        anchor = re.search(rf'<a [^>]*href="([^"]+)"[^>]*data-diary-key="{key}"', page)
        assert anchor and f"day={day}" in html.unescape(anchor.group(1))


# --- Where staff land ---------------------------------------------------------------------------


def test_reception_lands_on_todays_list_with_a_way_into_the_diary(client, diary):
    book(diary, at(MONDAY, 14))
    book(diary, at(MONDAY, 11), practitioner=1, patient=OTHER)
    book(diary, at(TUESDAY, 10), patient=OTHER)  # tomorrow: not listed
    user = demo_staff("rita", "Reception")
    client.post(reverse("wagtailadmin_login"), {"username": "rita", "password": "x" * 12})
    response = client.get(reverse("wagtailadmin_home"))
    assert response.wsgi_request.user == user
    page = text(response)
    assert "Today: Monday 2 March 2026" in page and "Test clinic</a>: 2 appointments" in page
    assert page.index("Bea Other") < page.index("Alex Example")  # in time order: 11:00, 14:00
    assert "11:00–11:30" in page and "Dr Test Practitioner 1" in page
    assert html.escape(day_url(diary.location, MONDAY)) in page  # 'Open today's diary'
    assert page.count("Bea Other") == 1  # tomorrow's booking is not on today's list


def test_a_practitioner_sees_their_own_day(client, diary):
    person = diary.practitioners[0]
    person.user.groups.add(Group.objects.get(name="Practitioner"))
    person.user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        Permission.objects.get(content_type__app_label="booking", codename="view_appointment"),
    )
    book(diary, at(MONDAY, 14))
    book(diary, at(MONDAY, 11), practitioner=1, patient=OTHER)  # a colleague's
    client.force_login(person.user)
    page = text(client.get(reverse("wagtailadmin_home")))
    assert "Dr Test Practitioner 0</a>: 1 appointment" in page
    assert "Alex Example" in page and "Bea Other" not in page
    assert f"practitioner={person.pk}" in page


def test_the_dashboard_has_no_diary_for_those_without_it(outsider, diary):
    book(diary, at(MONDAY, 14))
    page = text(outsider.get(reverse("wagtailadmin_home")))
    assert "diary-today" not in page and "Alex Example" not in page


def test_times_are_typed_or_picked_from_the_quarter_hours(reception, diary):
    appointment = book(diary, at(TUESDAY, 10))
    for url in (
        reverse("booking_diary_book"),
        reverse("booking_diary_block"),
        reverse("booking_diary_appointment", args=[appointment.pk]),
    ):
        page = text(reception.get(url))
        assert 'list="diary-times"' in page and '<datalist id="diary-times">' in page, url
        assert '<option value="10:15">' in page and '<option value="07:00">' in page, url
    move = text(reception.get(reverse("booking_diary_appointment", args=[appointment.pk])))
    assert 'name="time" value="10:00"' in move  # the move form starts at the appointment's own time
