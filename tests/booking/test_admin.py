"""The 'Booking' admin area: listings for staff, appointments read-only, times in UK time."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from vial.booking.services import book_appointment

from .conftest import ADULT, MONDAY, NOW, at

LISTINGS = [
    "booking_appointments",
    "booking_practitioners",
    "booking_services",
    "booking_rotas",
    "booking_time_off",
    "booking_locations",
    "booking_rooms",
]


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser(username="boss", email="boss@example.com", password="x" * 12)
    client.force_login(user)
    return client


def book(diary, start, practitioner=0):
    return book_appointment(diary.service, diary.practitioners[practitioner], diary.location, start, ADULT, now=NOW)


@pytest.mark.parametrize("viewset", LISTINGS)
def test_listings_open_for_an_administrator(admin_client, diary, viewset):
    book(diary, at(MONDAY + timedelta(days=1), 10))
    response = admin_client.get(reverse(f"{viewset}:index"))
    assert response.status_code == 200


def test_appointments_show_uk_time_with_the_zone(admin_client, diary):
    book(diary, at(MONDAY + timedelta(days=1), 10))
    summer = date(2026, 3, 30)  # after the clocks go forward
    book(diary, at(summer, 10))
    page = admin_client.get(reverse("booking_appointments:index")).content.decode()
    assert "Tue 03 Mar 2026, 10:00 GMT" in page
    assert "Mon 30 Mar 2026, 10:00 BST" in page


def test_appointments_are_read_only_even_for_a_superuser(admin_client, diary):
    appointment = book(diary, at(MONDAY + timedelta(days=1), 10))
    index = admin_client.get(reverse("booking_appointments:index")).content.decode()
    assert reverse("booking_appointments:add") not in index
    for url in (reverse("booking_appointments:add"), reverse("booking_appointments:edit", args=[appointment.pk])):
        assert admin_client.get(url).status_code in (302, 403)
    response = admin_client.post(reverse("booking_appointments:delete", args=[appointment.pk]))
    assert response.status_code in (302, 403)
    appointment.refresh_from_db()  # still there
    inspect = admin_client.get(reverse("booking_appointments:inspect", args=[appointment.pk])).content.decode()
    assert "Tue 03 Mar 2026, 10:00 GMT" in inspect
    assert "new → Confirmed" in inspect
    from vial.audit.models import AuditEvent

    read = AuditEvent.objects.latest("pk")  # reading an appointment's patient details is audited
    assert (read.action, read.what, read.patient_id) == ("view", "appointment (admin listing)", appointment.patient_id)


def test_staff_without_booking_permissions_are_refused(client, diary):
    user = get_user_model().objects.create_user(username="editor", password="x" * 12)
    editors = Group.objects.create(name="Test editors")
    editors.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(editors)
    client.force_login(user)
    for viewset in LISTINGS:
        assert client.get(reverse(f"{viewset}:index")).status_code in (302, 403)


def test_appointment_listing_query_count_does_not_grow(admin_client, diary, django_assert_max_num_queries):
    book(diary, at(MONDAY + timedelta(days=1), 10))
    with django_assert_max_num_queries(40) as few:
        admin_client.get(reverse("booking_appointments:index"))
    for day in range(2, 12):
        when = MONDAY + timedelta(days=day)
        if when.weekday() < 6:
            book(diary, at(when, 10))
            book(diary, at(when, 14), practitioner=1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_client.get(reverse("booking_appointments:index"))
