"""The patient's e-mails: confirmation with .ics, reminder 24 h before, cancellation; each sent once, after commit.

Times are driven by a `clock` fixture that stands in for `django.utils.timezone.now`, so the tasks,
the services and the database's own timestamps all agree on what "now" is.
"""

import logging
import re
from datetime import UTC, date, datetime, time, timedelta
from smtplib import SMTPRecipientsRefused

import icalendar
import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.test import override_settings
from django_tasks import default_task_backend

from vial.booking import links, tasks
from vial.booking.messages import calendar_file, calendar_uid, confirmation_email
from vial.booking.models import Appointment, WeeklyRota
from vial.booking.services import (
    BookingError,
    book_appointment,
    cancel_appointment,
    confirm_appointment,
    move_appointment,
)
from vial.booking.state_machine import Status

from .conftest import ADULT, at, make_diary


class Clock:
    """What `timezone.now()` answers while a test runs."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    monkeypatch.setattr("django.utils.timezone.now", clock)
    return clock


@pytest.fixture
def week_diary(db):
    """Two practitioners, Monday to Sunday 09:00-17:00 (the clock changes fall on Sundays)."""
    diary = make_diary(cancellation_window_hours=24, booking_horizon_days=60)
    for practitioner in diary.practitioners:
        WeeklyRota.objects.create(
            practitioner=practitioner,
            location=diary.location,
            weekday=6,
            start_time=time(9),
            end_time=time(17),
            valid_from=date(2026, 1, 1),
        )
    return diary


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what the services queue on commit (the test's transaction never commits)."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def book(diary, start, clock, on_commit, practitioner=0, **kwargs):
    return on_commit(
        book_appointment,
        diary.service,
        diary.practitioners[practitioner],
        diary.location,
        start,
        ADULT,
        now=clock.now,
        **kwargs,
    )


def calendar_of(message) -> icalendar.Calendar:
    """The text/calendar part of a sent message, parsed."""
    parts = [part for part in message.message().walk() if part.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    assert parts[0].get_param("method") in ("REQUEST", "CANCEL")
    assert parts[0].get_filename() == "appointment.ics"
    calendar = icalendar.Calendar.from_ical(parts[0].get_payload(decode=True))
    assert calendar["METHOD"] == parts[0].get_param("method")
    return calendar


def event_of(message) -> icalendar.Event:
    (event,) = calendar_of(message).walk("VEVENT")
    return event


def html_of(message) -> str:
    (html,) = [content for content, kind in message.alternatives if kind == "text/html"]
    return html


# --- Confirmation and clock changes --------------------------------------------------------------

CLOCK_CHANGES = [
    # day, local hour, zone, the UTC instant
    (date(2026, 3, 29), 10, "BST", datetime(2026, 3, 29, 9, 0, tzinfo=UTC)),  # clocks went forward at 01:00
    (date(2026, 10, 25), 10, "GMT", datetime(2026, 10, 25, 10, 0, tzinfo=UTC)),  # clocks went back at 02:00
    (date(2027, 3, 28), 10, "BST", datetime(2027, 3, 28, 9, 0, tzinfo=UTC)),
    (date(2027, 10, 31), 16, "GMT", datetime(2027, 10, 31, 16, 0, tzinfo=UTC)),
]


@pytest.mark.parametrize(("day", "hour", "zone", "instant"), CLOCK_CHANGES)
def test_confirmation_times_are_right_on_clock_change_days(week_diary, clock, on_commit, day, hour, zone, instant):
    clock.now = datetime.combine(day - timedelta(days=10), time(12), tzinfo=UTC)  # the other side of the change
    appointment = book(week_diary, at(day, hour), clock, on_commit)
    assert appointment.start == instant

    (message,) = mail.outbox
    shown = f"{day:%a} {day:%d} {day:%b %Y}, {hour:02d}:00 {zone}"
    assert shown in message.subject
    assert f"When:  {shown} to {hour:02d}:30 (30 minutes)" in message.body
    assert shown in html_of(message)
    assert "All times are UK time" in message.body

    calendar = calendar_of(message)
    assert calendar["METHOD"] == "REQUEST"
    (zone_info,) = calendar.walk("VTIMEZONE")
    assert zone_info["TZID"] == "Europe/London"
    (event,) = calendar.walk("VEVENT")
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert start.astimezone(UTC) == instant
    assert end.astimezone(UTC) == instant + timedelta(minutes=30)
    assert (start.hour, start.tzname()) == (hour, zone)
    # Also read with the file's own VTIMEZONE, as a calendar program without tz data would.
    offset = zone_info.to_tz().utcoffset(start.replace(tzinfo=None))
    assert start.replace(tzinfo=None) - offset == instant.replace(tzinfo=None)


def test_the_calendar_file_describes_the_visit_and_nothing_more(week_diary, clock, on_commit):
    appointment = book(week_diary, at(date(2026, 3, 10), 11), clock, on_commit)
    (message,) = mail.outbox
    event = event_of(message)
    assert event["SUMMARY"] == week_diary.service.name
    assert event["LOCATION"] == week_diary.location.name
    assert event["UID"] == calendar_uid(appointment) == f"appointment-{appointment.pk}@127.0.0.1"
    assert event["STATUS"] == "CONFIRMED"
    assert event["SEQUENCE"] == 0
    assert str(event["ORGANIZER"]).startswith("mailto:")
    ics = calendar_file(appointment).decode()
    for private in (ADULT.phone, ADULT.name, str(ADULT.date_of_birth), appointment.cancel_token, "http"):
        assert private not in ics
    # Stable: built again later, it is the same event.
    clock.advance(days=1)
    assert icalendar.Calendar.from_ical(calendar_file(appointment)).walk("VEVENT")[0]["UID"] == event["UID"]


def test_confirmation_is_addressed_to_the_patient_and_names_no_health_detail_in_the_subject(
    week_diary, clock, on_commit
):
    appointment = book(week_diary, at(date(2026, 3, 10), 11), clock, on_commit)
    (message,) = mail.outbox
    assert message.to == [ADULT.email]
    assert message.subject == "Appointment confirmed: Tue 10 Mar 2026, 11:00 GMT at Test clinic"
    assert week_diary.service.name not in message.subject
    assert week_diary.service.name in message.body
    assert week_diary.practitioners[0].display_name in message.body
    for private in (ADULT.phone, str(ADULT.date_of_birth), appointment.cancel_token + "\n"):
        assert private not in message.body
    assert "until Mon 09 Mar 2026, 11:00 GMT" in message.body  # the 24-hour window
    appointment.refresh_from_db()
    assert appointment.confirmation_sent_at == clock.now


def test_the_link_in_the_confirmation_opens_the_appointment(week_diary, clock, on_commit, client):
    appointment = book(week_diary, at(date(2026, 3, 10), 11), clock, on_commit)
    (url,) = set(re.findall(r"http://127\.0\.0\.1:8000(/appointment/\S+/)\n", mail.outbox[0].body))
    assert url == links.appointment_path(appointment)
    response = client.get(url)
    assert response.status_code == 200
    assert "Tue 10 Mar 2026, 11:00 GMT" in response.text


@override_settings(SITE_BASE_URL="https://clinic.example")
def test_links_and_uid_use_the_sites_address(week_diary, clock, on_commit):
    appointment = book(week_diary, at(date(2026, 3, 10), 11), clock, on_commit)
    assert f"https://clinic.example{links.appointment_path(appointment)}" in mail.outbox[0].body
    assert event_of(mail.outbox[0])["UID"] == f"appointment-{appointment.pk}@clinic.example"


def test_the_clinic_page_gives_the_address(clinic, week_diary, clock, on_commit):
    from vial.website.models import LocationPage

    page = LocationPage.objects.live().first()
    week_diary.location.page = page
    week_diary.location.save()
    book(week_diary, at(date(2026, 3, 10), 11), clock, on_commit)
    location = event_of(mail.outbox[0])["LOCATION"]
    assert location.startswith("Test clinic, ")
    assert page.postcode in location
    assert page.postcode in mail.outbox[0].body


def test_no_message_before_commit_and_none_if_it_rolls_back(week_diary, clock, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        book_appointment(
            week_diary.service, week_diary.practitioners[0], week_diary.location, at(date(2026, 3, 10), 11), ADULT
        )
    assert callbacks and mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(BookingError):
        from django.db import transaction

        with transaction.atomic():
            book_appointment(
                week_diary.service, week_diary.practitioners[0], week_diary.location, at(date(2026, 3, 11), 11), ADULT
            )
            raise BookingError("changed my mind")
    assert mail.outbox == []


def test_a_hold_is_confirmed_by_e_mail_only_once_confirmed(week_diary, clock, on_commit):
    appointment = book(week_diary, at(date(2026, 3, 10), 11), clock, on_commit, hold=True)
    assert mail.outbox == []
    on_commit(confirm_appointment, appointment, now=clock.now)
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Appointment confirmed"]


def test_a_confirmation_is_sent_once(week_diary, clock, on_commit):
    appointment = book(week_diary, at(date(2026, 3, 10), 11), clock, on_commit)
    assert tasks.send_confirmation.call(appointment.pk) is False
    assert tasks.send_once(appointment.pk, "confirmation") is False
    assert tasks.send_due(clock.advance(hours=1))["confirmations"] == 0
    assert len(mail.outbox) == 1


def test_a_confirmation_lost_on_the_way_is_sent_by_the_sweep(week_diary, clock, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # the queue was down
        appointment = book_appointment(
            week_diary.service, week_diary.practitioners[0], week_diary.location, at(date(2026, 3, 10), 11), ADULT
        )
    assert tasks.send_due(clock.now)["confirmations"] == 0  # its own task may still be on its way
    assert tasks.send_due(clock.advance(minutes=15)) == {
        "confirmations": 1,
        "reminders": 0,
        "address checks": 0,
        "failed": 0,
    }
    assert mail.outbox[0].subject.startswith("Appointment confirmed")
    assert tasks.send_confirmation.call(appointment.pk) is False
    assert len(mail.outbox) == 1


# --- Reminders ------------------------------------------------------------------------------------


def test_the_reminder_goes_24_hours_before_and_only_once(week_diary, clock, on_commit):
    start = at(date(2026, 3, 10), 11)
    appointment = book(week_diary, start, clock, on_commit)
    mail.outbox.clear()

    assert tasks.send_due(start - timedelta(hours=24, minutes=5))["reminders"] == 0
    assert tasks.send_reminder.call(appointment.pk) is False  # too early: not due
    clock.now = start - timedelta(hours=23, minutes=50)
    assert tasks.send_due(clock.now) == {"confirmations": 0, "reminders": 1, "address checks": 0, "failed": 0}
    (message,) = mail.outbox
    assert message.subject == "Reminder: your appointment on Tue 10 Mar 2026, 11:00 GMT at Test clinic"
    assert "When:  Tue 10 Mar 2026, 11:00 GMT" in message.body
    assert "too late to change it online" in message.body  # inside the 24-hour window
    assert links.appointment_path(appointment) not in message.body

    assert tasks.send_due(clock.advance(minutes=10))["reminders"] == 0
    assert tasks.send_reminder.call(appointment.pk) is False
    call_command("send_due_reminders", stdout=(out := __import__("io").StringIO()))
    assert "Sent 0 reminders" in out.getvalue()
    assert len(mail.outbox) == 1
    appointment.refresh_from_db()
    assert appointment.reminder_sent_at == start - timedelta(hours=23, minutes=50)


def test_the_command_sends_due_reminders(week_diary, clock, on_commit):
    start = at(date(2026, 3, 10), 11)
    book(week_diary, start, clock, on_commit)
    book(week_diary, at(date(2026, 3, 11), 11), clock, on_commit)  # not due yet
    mail.outbox.clear()
    clock.now = start - timedelta(hours=2)
    out = __import__("io").StringIO()
    call_command("send_due_reminders", stdout=out)
    assert "Sent 1 reminders and 0 confirmations; 0 failed" in out.getvalue()
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Reminder"]


def test_two_workers_claiming_the_same_reminder_send_it_once(week_diary, clock, on_commit):
    start = at(date(2026, 3, 10), 11)
    appointment = book(week_diary, start, clock, on_commit)
    mail.outbox.clear()
    clock.now = start - timedelta(hours=3)
    seen_by_first, seen_by_second = tasks.due_reminders(clock.now), tasks.due_reminders(clock.now)
    assert seen_by_first == seen_by_second == [appointment.pk]
    assert tasks.send_once(appointment.pk, "reminder") is True
    assert tasks.send_once(appointment.pk, "reminder") is False
    assert len(mail.outbox) == 1


def test_no_reminder_for_a_cancelled_appointment(week_diary, clock, on_commit):
    start = at(date(2026, 3, 10), 11)
    appointment = book(week_diary, start, clock, on_commit)
    on_commit(cancel_appointment, appointment, now=clock.now)
    mail.outbox.clear()
    clock.now = start - timedelta(hours=3)
    assert tasks.send_due(clock.now)["reminders"] == 0
    assert tasks.send_reminder.call(appointment.pk) is False
    assert mail.outbox == []


def test_a_moved_appointment_is_reminded_at_its_new_time_only(week_diary, clock, on_commit):
    old = book(week_diary, at(date(2026, 3, 10), 11), clock, on_commit)
    new = on_commit(move_appointment, old, at(date(2026, 3, 12), 14), now=clock.now)
    mail.outbox.clear()
    clock.now = at(date(2026, 3, 10), 9)
    assert tasks.send_due(clock.now)["reminders"] == 0
    assert tasks.send_reminder.call(old.pk) is False
    clock.now = at(date(2026, 3, 12), 9)
    assert tasks.send_due(clock.now)["reminders"] == 1
    assert "Thu 12 Mar 2026, 14:00 GMT" in mail.outbox[0].subject
    new.refresh_from_db()
    assert new.reminder_sent_at == clock.now


def test_a_booking_made_within_24_hours_gets_its_confirmation_as_the_reminder(week_diary, clock, on_commit):
    clock.now = at(date(2026, 3, 10), 8)
    appointment = book(week_diary, at(date(2026, 3, 10), 15), clock, on_commit)
    assert tasks.send_due(clock.advance(minutes=30)) == {
        "confirmations": 0,
        "reminders": 0,
        "address checks": 0,
        "failed": 0,
    }
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Appointment confirmed"]
    appointment.refresh_from_db()
    assert appointment.reminder_sent_at is not None


def test_a_failed_send_is_tried_again_and_logs_no_address(week_diary, clock, on_commit, monkeypatch, caplog):
    start = at(date(2026, 3, 10), 11)
    appointment = book(week_diary, start, clock, on_commit)
    mail.outbox.clear()
    clock.now = start - timedelta(hours=3)
    original = EmailMultiAlternatives.send

    def refuse(self, fail_silently=False):
        raise SMTPRecipientsRefused({ADULT.email: (550, b"no such user alex@example.com")})

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    with caplog.at_level(logging.INFO, logger="vial.booking"):
        assert tasks.send_due(clock.now) == {"confirmations": 0, "reminders": 0, "address checks": 0, "failed": 1}
        with pytest.raises(tasks.MessageNotSent) as error:
            tasks.send_once(appointment.pk, "reminder")
    assert ADULT.email not in str(error.value)
    appointment.refresh_from_db()
    assert appointment.reminder_sent_at is None  # the claim was released
    assert caplog.records
    for record in caplog.records:
        for private in (ADULT.email, ADULT.name, ADULT.phone):
            assert private not in record.getMessage()

    monkeypatch.setattr(EmailMultiAlternatives, "send", original)
    assert tasks.send_due(clock.advance(minutes=10))["reminders"] == 1
    assert len(mail.outbox) == 1


def test_the_reminder_is_deferred_where_the_queue_can_defer(week_diary, clock, on_commit):
    dummy = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with override_settings(TASKS=dummy):
        start = at(date(2026, 3, 10), 11)
        appointment = book(week_diary, start, clock, on_commit)
        queued = {(result.task.name, result.task.run_after) for result in default_task_backend.results}
        assert queued == {("send_confirmation", None), ("send_reminder", start - timedelta(hours=24))}
        assert all(result.args == [appointment.pk] for result in default_task_backend.results)
        assert tasks.schedule_reminder(appointment.pk, clock.now + timedelta(hours=5)) is False  # too close
    assert tasks.schedule_reminder(appointment.pk, start) is False  # the immediate backend cannot defer


# --- Cancelling and moving ---------------------------------------------------------------------------


def test_cancelling_sends_a_notice_that_removes_the_calendar_entry(week_diary, clock, on_commit):
    appointment = book(week_diary, at(date(2026, 3, 10), 11), clock, on_commit)
    uid = event_of(mail.outbox[0])["UID"]
    on_commit(cancel_appointment, appointment.cancel_token, now=clock.now)
    assert len(mail.outbox) == 2
    notice = mail.outbox[1]
    assert notice.subject == "Appointment cancelled: Tue 10 Mar 2026, 11:00 GMT at Test clinic"
    assert calendar_of(notice)["METHOD"] == "CANCEL"
    event = event_of(notice)
    assert (event["UID"], event["STATUS"], event["SEQUENCE"]) == (uid, "CANCELLED", 1)
    assert tasks.send_cancellation.call(appointment.pk) is False
    assert len(mail.outbox) == 2


def test_giving_up_a_hold_sends_nothing(week_diary, clock, on_commit):
    appointment = book(week_diary, at(date(2026, 3, 10), 11), clock, on_commit, hold=True)
    on_commit(cancel_appointment, appointment, now=clock.now)
    assert mail.outbox == []


def test_moving_sends_one_confirmation_that_updates_the_calendar_entry(week_diary, clock, on_commit):
    old = book(week_diary, at(date(2026, 3, 10), 11), clock, on_commit)
    first_uid = event_of(mail.outbox[0])["UID"]
    new = on_commit(move_appointment, old.cancel_token, at(date(2026, 3, 12), 14), now=clock.now)
    assert new.moved_from == old
    assert len(mail.outbox) == 2  # no separate cancellation notice for the old time
    moved = mail.outbox[1]
    assert moved.subject == "Appointment moved: Thu 12 Mar 2026, 14:00 GMT at Test clinic"
    assert "It was on Tue 10 Mar 2026, 11:00 GMT" in moved.body
    assert links.appointment_path(new) in moved.body
    assert links.appointment_path(old) not in moved.body
    event = event_of(moved)
    assert (event["UID"], event["SEQUENCE"]) == (first_uid, 1)
    assert event.decoded("DTSTART").astimezone(UTC) == datetime(2026, 3, 12, 14, tzinfo=UTC)

    # Moved again, then cancelled: still the same calendar entry, each time a later version.
    newer = on_commit(move_appointment, new, at(date(2026, 3, 13), 10), now=clock.now)
    on_commit(cancel_appointment, newer, now=clock.now)
    assert [(event_of(m)["UID"], event_of(m)["SEQUENCE"]) for m in mail.outbox[2:]] == [
        (first_uid, 2),
        (first_uid, 3),
    ]
    assert Appointment.objects.get(pk=old.pk).cancellation_sent_at is None


def test_the_confirmation_builds_in_a_fixed_number_of_queries(
    week_diary, clock, on_commit, django_assert_max_num_queries
):
    appointment = book(week_diary, at(date(2026, 3, 10), 11), clock, on_commit)
    with django_assert_max_num_queries(6):
        confirmation_email(appointment)
    assert Appointment.objects.get(pk=appointment.pk).status == Status.CONFIRMED
