"""The patient's own appointment pages, driven through HTTP like a patient following their e-mail's link."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.test import Client

from vial.booking import links
from vial.booking.models import Appointment, AppointmentStatusChange
from vial.booking.services import book_appointment
from vial.booking.state_machine import Status

from .conftest import ADULT, at, make_diary
from .test_messages import Clock

TUESDAY = date(2026, 3, 10)
START = at(TUESDAY, 11)  # GMT


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))  # Monday 2 March 2026
    monkeypatch.setattr("django.utils.timezone.now", clock)
    return clock


@pytest.fixture
def diary(db):
    return make_diary(practitioners=2, rooms=2, cancellation_window_hours=24, booking_horizon_days=30)


@pytest.fixture
def booked(diary, clock, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book_appointment(
            diary.service, diary.practitioners[0], diary.location, START, ADULT, now=clock.now
        )
    mail.outbox.clear()
    return appointment


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST as the browser would, running what the services queue on commit."""

    def send(url, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {})

    return send


def url(appointment, action="detail"):
    return links.appointment_path(appointment, action)


def written(appointment) -> tuple:
    """What a refused request must leave untouched."""
    return (
        Appointment.objects.count(),
        AppointmentStatusChange.objects.count(),
        Appointment.objects.get(pk=appointment.pk).status,
    )


def slot_value(response) -> list[str]:
    return re.findall(r'name="slot" value="([^"]+)"', response.text)


# --- Seeing it -----------------------------------------------------------------------------------


def test_the_page_shows_the_appointment_and_nothing_personal(booked, diary, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):  # the sixth: the audit row (the patient read their appointment)
        response = client.get(url(booked))
    assert response.status_code == 200
    page = response.text
    for shown in ("General consultation", "Test clinic", "Dr Test Practitioner 0", "Tue 10 Mar 2026, 11:00 GMT"):
        assert shown in page
    for private in (ADULT.name, ADULT.email, ADULT.phone, booked.cancel_token + '"'):
        assert private not in page
    assert "until Mon 09 Mar 2026, 11:00 GMT" in page
    assert url(booked, "cancel") in page and url(booked, "move") in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex, nofollow">' in page


@pytest.mark.parametrize(
    "mangle",
    [
        lambda signed: signed[:-1] + ("A" if signed[-1] != "A" else "B"),  # signature changed
        lambda signed: signed.split(":")[0],  # the token without its signature
        lambda signed: signed[:20],  # cut short
        lambda signed: "x" * 300,  # garbage
        lambda signed: "a%00b:c",
    ],
)
def test_a_tampered_link_is_refused_with_a_message(booked, client, post, mangle):
    before = written(booked)
    signed = mangle(links.sign(booked.cancel_token))
    for action in ("detail", "cancel", "move"):
        path = f"/appointment/{signed}/" + ("" if action == "detail" else f"{action}/")
        response = client.get(path)
        assert response.status_code == 400
        assert "This link does not work" in response.text
    assert post(f"/appointment/{signed}/cancel/").status_code == 400
    assert post(f"/appointment/{signed}/move/", {"slot": "x"}).status_code == 400
    assert written(booked) == before
    assert mail.outbox == []


def test_a_well_signed_link_to_no_appointment_is_not_found(db, client, post):
    signed = links.sign("no-such-token")
    response = client.get(f"/appointment/{signed}/")
    assert response.status_code == 404
    assert "We could not find that booking" in response.text
    assert post(f"/appointment/{signed}/cancel/").status_code == 404


def test_other_methods_are_refused(booked, client):
    assert client.put(url(booked)).status_code == 405
    assert client.post(url(booked)).status_code == 405


# --- Cancelling -----------------------------------------------------------------------------------


def test_cancelling_asks_first_then_cancels(booked, client, post, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        response = client.get(url(booked, "cancel"))
    assert response.status_code == 200
    assert "Cancel your appointment?" in response.text
    assert 'name="csrfmiddlewaretoken"' in response.text
    assert Appointment.objects.get(pk=booked.pk).status == Status.CONFIRMED  # asking writes nothing

    response = post(url(booked, "cancel"))
    assert response.status_code == 302
    assert response["Location"] == url(booked)
    assert Appointment.objects.get(pk=booked.pk).status == Status.CANCELLED
    (notice,) = mail.outbox
    assert notice.subject.startswith("Appointment cancelled")

    page = client.get(url(booked))
    assert page.status_code == 200
    assert "This appointment has been cancelled." in page.text
    assert url(booked, "move") not in page.text


def test_a_replayed_cancel_says_so_and_writes_nothing(booked, client, post):
    post(url(booked, "cancel"))
    before = written(booked)
    mail.outbox.clear()
    response = post(url(booked, "cancel"))
    assert response.status_code == 409
    assert "This appointment is already cancelled." in response.text
    assert client.get(url(booked, "cancel")).status_code == 409
    assert written(booked) == before
    assert mail.outbox == []


def test_cancelling_needs_the_forms_csrf_token(booked):
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(url(booked, "cancel")).status_code == 403
    assert Appointment.objects.get(pk=booked.pk).status == Status.CONFIRMED
    form = browser.get(url(booked, "cancel"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    assert browser.post(url(booked, "cancel"), {"csrfmiddlewaretoken": token}).status_code == 302
    assert Appointment.objects.get(pk=booked.pk).status == Status.CANCELLED


def test_inside_the_window_the_patient_is_told_to_phone(booked, client, post, clock):
    clock.now = START - timedelta(hours=20)
    before = written(booked)
    page = client.get(url(booked))
    assert page.status_code == 200
    message = "can be changed online until 24 hours before they start; for this one that was Mon 09 Mar 2026, 11:00 GMT"
    assert message in page.text
    assert url(booked, "cancel") not in page.text
    for response in (
        client.get(url(booked, "cancel")),
        post(url(booked, "cancel")),
        client.get(url(booked, "move")),
        post(url(booked, "move"), {"slot": f"{at(TUESDAY, 14).isoformat()}|{booked.practitioner_id}"}),
    ):
        assert response.status_code == 409
        assert "Please phone the clinic" in response.text
        assert "Tue 10 Mar 2026, 11:00 GMT" in response.text
    assert written(booked) == before
    assert mail.outbox == []


# --- Moving ----------------------------------------------------------------------------------------


def test_the_move_page_lists_free_times_a_day_at_a_time(booked, diary, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(16):  # the first request also reads the diary set-up (8 queries, cached)
        response = client.get(url(booked, "move"))  # today: Monday 2 March
    assert response.status_code == 200
    assert "Free times on Monday 2 March 2026" in response.text
    with django_assert_max_num_queries(7):
        response = client.get(url(booked, "move") + "?day=2026-03-10")
    assert response.status_code == 200
    assert "Free times on Tuesday 10 March 2026" in response.text
    values = slot_value(response)
    assert f"{at(TUESDAY, 14).isoformat()}|{booked.practitioner_id}" in values
    assert f"{START.isoformat()}|{booked.practitioner_id}" not in values  # its own time is busy
    assert f"{START.isoformat()}|{diary.practitioners[1].pk}" in values  # but the colleague is free
    assert re.search(r">14:00[^<]*</span><span[^>]*>with Dr Test Practitioner 0<", response.text)  # one time tile
    assert "?day=2026-03-17" in response.text and "?day=2026-03-03" in response.text  # later / earlier days
    assert Appointment.objects.count() == 1


def test_a_sunday_has_no_times(booked, client):
    response = client.get(url(booked, "move") + "?day=2026-03-08")
    assert response.status_code == 200
    assert "There are no free times on Sunday 8 March 2026" in response.text


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("tomorrow", "Please choose a day from the list"),
        ("2026-02-30", "Please choose a day from the list"),
        ("2026-3-1", "Please choose a day from the list"),
        ("2026-03-01", "That day has passed"),
        ("2026-05-01", "can be booked up to 30 days ahead, so the last day you can move to is Wednesday 1 April 2026"),
    ],
)
def test_a_bad_day_is_refused_with_a_message(booked, client, day, message):
    response = client.get(url(booked, "move") + f"?day={day}")
    assert response.status_code == 400
    assert message in response.text
    assert "Free times on Monday 2 March 2026" in response.text  # and today's times instead


def test_moving_rebooks_confirms_and_retires_the_old_link(booked, client, post, django_assert_max_num_queries):
    new_start = at(TUESDAY, 14)
    response = post(url(booked, "move"), {"slot": f"{new_start.isoformat()}|{booked.practitioner_id}"})
    assert response.status_code == 302
    new = Appointment.objects.get(moved_from=booked)
    assert (new.start, new.status, new.practitioner_id) == (new_start, Status.CONFIRMED, booked.practitioner_id)
    assert Appointment.objects.get(pk=booked.pk).status == Status.CANCELLED
    assert response["Location"] == url(new) + "?moved=1"
    page = client.get(response["Location"])
    assert "Your appointment has been moved" in page.text
    assert "Tue 10 Mar 2026, 14:00 GMT" in page.text

    (confirmation,) = mail.outbox
    assert confirmation.subject == "Appointment moved: Tue 10 Mar 2026, 14:00 GMT at Test clinic"
    assert url(new) in confirmation.body

    with django_assert_max_num_queries(5):
        old_page = client.get(url(booked))
    assert old_page.status_code == 200
    assert "This appointment was moved to Tue 10 Mar 2026, 14:00 GMT" in old_page.text
    before = written(booked)
    for response in (post(url(booked, "cancel")), client.get(url(booked, "move"))):
        assert response.status_code == 409
        assert "This appointment was moved to Tue 10 Mar 2026, 14:00 GMT" in response.text
    assert written(booked) == before
    assert len(mail.outbox) == 1


def test_moving_to_another_practitioner(booked, diary, client, post):
    colleague = diary.practitioners[1].pk
    response = post(url(booked, "move"), {"slot": f"{START.isoformat()}|{colleague}"})
    assert response.status_code == 302
    assert Appointment.objects.get(moved_from=booked).practitioner_id == colleague


@pytest.mark.parametrize(
    "slot",
    [
        "",
        "rubbish",
        "2026-03-10T14:00:00|",
        "2026-03-10T14:00:00|1",  # no time zone
        "2026-03-10T14:00:00+00:00|999999",  # no such practitioner
        "2026-03-10T14:00:00+00:00|1|2",
        "2026-03-01T14:00:00+00:00|1",  # the past
        "2026-03-10T14:07:00+00:00|1",  # not a slot
        "0001-01-01T00:00:00+01:00|1",  # out of range in UTC
        "9999-12-31T23:59:59-12:00|1",
    ],
)
def test_a_bad_move_is_refused_with_a_message_and_nothing_written(booked, client, post, slot):
    before = written(booked)
    response = post(url(booked, "move"), {"slot": slot})
    assert response.status_code in (400, 409)
    assert 'class="message message--error"' in response.text
    assert written(booked) == before
    assert mail.outbox == []


def test_a_time_taken_meanwhile_answers_409_with_other_times(booked, diary, client, post, clock):
    taken = at(TUESDAY, 14)
    page = client.get(url(booked, "move") + "?day=2026-03-10")
    assert f"{taken.isoformat()}|{booked.practitioner_id}" in slot_value(page)
    someone_else = ADULT.__class__(name="Sam Other", email="sam@example.com", date_of_birth=date(1985, 1, 2))
    book_appointment(diary.service, booked.practitioner, diary.location, taken, someone_else, now=clock.now)
    before = written(booked)

    response = post(url(booked, "move"), {"slot": f"{taken.isoformat()}|{booked.practitioner_id}"})
    assert response.status_code == 409
    assert "is no longer available" in response.text
    assert "Free times on Tuesday 10 March 2026" in response.text
    assert f"{taken.isoformat()}|{booked.practitioner_id}" not in slot_value(response)
    assert written(booked) == before
    assert mail.outbox == []


def test_a_patient_opening_their_appointment_is_audited_as_the_patient(booked, client):
    from vial.audit.models import AuditEvent

    client.get(url(booked))
    event = AuditEvent.objects.latest("pk")
    assert (event.user, event.actor, event.action, event.patient_id) == (
        None,
        "the patient, by e-mailed link",
        "view",
        booked.patient_id,
    )


def test_the_patients_cancel_and_move_by_link_are_audited_as_the_patient(booked, client, post, diary):
    from vial.audit.models import AuditEvent

    def changes():
        return list(
            AuditEvent.objects.filter(action="change", patient=booked.patient_id).values_list("actor", "detail")
        )

    moved_to = at(date(2026, 3, 10), 15)
    assert post(url(booked, "move"), {"slot": f"{moved_to.isoformat()}|{booked.practitioner_id}"}).status_code == 302
    new = Appointment.objects.get(moved_from=booked)
    assert changes() == [("the patient, by e-mailed link", "Confirmed to Cancelled")]
    booked_again = AuditEvent.objects.filter(action="create", what="appointment booked").latest("pk")
    assert (booked_again.actor, booked_again.patient_id) == ("the patient, by e-mailed link", booked.patient_id)
    assert post(url(new, "cancel")).status_code == 302  # to the appointment, now cancelled
    assert changes() == [("the patient, by e-mailed link", "Confirmed to Cancelled")] * 2
