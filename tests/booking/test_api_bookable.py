"""One rule for what patients can book online, over HTTP: the API's services, free times and bookings agree
with the web flow (`catalogue.bookable_services`), while staff in the diary may book any active service.

A service is out of online booking when its treatment page is withdrawn (unpublished) or when nobody
active may give it (it needs a prescriber and only a nurse offers it). Either way the API does not list
it, answers its free times and bookings 404 with a message, and the web flow's times page is not found;
the diary's booking form still offers it, because staff book by phone.
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import make_treatment
from vial.booking.models import Appointment

from .conftest import make_diary
from .test_api import DAY, assert_error, at, availability, booking_json, post
from .test_flow import times_url

OUT_OF_ONLINE_BOOKING = "open for online booking"


@pytest.fixture
def withdrawn(clinic):
    """A treatment's own consultation, bookable until the treatment's page is unpublished."""
    treatment = make_treatment(clinic["treatments"], n=3, title="Nose tip lift", slug="nose-tip-lift")
    return make_diary(treatment=treatment, name="Nose tip lift: consultation")


@pytest.fixture
def nurse_only(db):
    """A service that needs a prescriber, offered only by a nurse who is not one."""
    diary = make_diary(practitioners=1, name="Prescriber's assessment", needs_prescriber=True)
    nurse = diary.practitioners[0]
    nurse.is_prescriber = False
    nurse.regulator = nurse.registration_number = ""
    nurse.save()
    return diary


def listed(client) -> set[str]:
    response = client.get("/api/v1/services")
    assert response.status_code == 200
    return {row["name"] for row in response.json()}


def assert_out_of_online_booking(client, diary):
    assert diary.service.name not in listed(client)
    body = assert_error(availability(client, diary), 404, "not_found", containing=OUT_OF_ONLINE_BOOKING)
    assert "GET /api/v1/services lists them" in body["message"]
    response = post(client, "/api/v1/bookings", booking_json(diary, at(DAY, 10), practitioner=0))
    assert_error(response, 404, "not_found", containing=OUT_OF_ONLINE_BOOKING)
    assert client.get(times_url(diary.service, diary.location)).status_code == 404  # the web flow: the same rule
    assert not Appointment.objects.exists()


def test_a_withdrawn_treatment_is_not_offered_online_anywhere(client, withdrawn):
    assert withdrawn.service.name in listed(client)
    response = availability(client, withdrawn)
    assert response.status_code == 200 and response.json()["slots"]

    withdrawn.service.treatment.unpublish()

    assert_out_of_online_booking(client, withdrawn)


def test_a_service_nobody_may_give_is_not_offered_online(client, nurse_only):
    assert_out_of_online_booking(client, nurse_only)


def test_staff_may_still_book_by_phone_what_patients_cannot_book_online(client, withdrawn):
    withdrawn.service.treatment.unpublish()
    boss = get_user_model().objects.create_superuser(username="boss", email="boss@example.com", password="x" * 12)
    client.force_login(boss)
    form = client.get(f"{reverse('booking_diary_book')}?location={withdrawn.location.pk}&day={DAY:%Y-%m-%d}")
    assert form.status_code == 200
    page = form.content.decode()
    assert f'<option value="{withdrawn.service.pk}"' in page and "Nose tip lift: consultation" in page
