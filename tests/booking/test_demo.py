"""`manage.py load_booking_demo`: a believable diary, linked to the demo's pages, safe to run twice."""

from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from tests.factories import make_treatment
from vial.booking.models import Appointment, Location, Practitioner, Service, WeeklyRota
from vial.booking.state_machine import Status

from .test_races import assert_no_overlaps


def test_load_booking_demo_is_idempotent_and_consistent(clinic):
    make_treatment(
        clinic["treatments"],
        n=9,
        title="Excessive underarm sweating",
        slug="underarm-sweating",
        prescription_only=True,
        licence="licensed",
        procedure_minutes=40,
    )
    out = StringIO()
    call_command("load_booking_demo", stdout=out)
    assert "appointments" in out.getvalue()
    assert "no 'migraine' treatment page" in out.getvalue()

    exeter = Location.objects.get(page=clinic["location"])  # linked to the public clinic page
    assert exeter.rooms.count() == 2
    assert Location.objects.count() == 3
    assert 4 <= Practitioner.objects.count() <= 6
    assert not Practitioner.objects.filter(user__is_superuser=True).exists()
    assert not Practitioner.objects.filter(user__is_staff=True).exists()
    assert Practitioner.objects.filter(is_prescriber=True, registration_number="").count() == 0
    consultation = Service.objects.get(name="Underarm sweating: consultation")
    assert consultation.needs_prescriber and consultation.treatment.slug == "underarm-sweating"
    assert not Practitioner.objects.get(display_name="Mia Collins").services.filter(pk=consultation.pk).exists()
    assert WeeklyRota.objects.count() >= 15
    # A few hundred patients, some of them returning: records with a history.
    from django.db.models import Count

    from vial.patients.models import Patient

    assert Patient.objects.count() >= 300
    assert Patient.objects.annotate(visits=Count("appointments")).filter(visits__gte=2).exists()
    assert Appointment.objects.count() > 100
    assert Appointment.objects.filter(status=Status.COMPLETED).exists()
    assert Appointment.objects.filter(status=Status.CONFIRMED).exists()
    assert_no_overlaps()

    counts = [model.objects.count() for model in (Location, Practitioner, Service, WeeklyRota, Appointment)]
    again = StringIO()
    call_command("load_booking_demo", stdout=again)
    assert "nothing new" in again.getvalue()
    assert [model.objects.count() for model in (Location, Practitioner, Service, WeeklyRota, Appointment)] == counts


def test_the_demo_reception_login_runs_the_diary_and_nothing_else(clinic, client):
    from vial.booking.demo import RECEPTION_PASSWORD, RECEPTION_USERNAME

    out = StringIO()
    call_command("load_booking_demo", stdout=out)
    assert f"user: {RECEPTION_USERNAME}  password: {RECEPTION_PASSWORD}" in out.getvalue()
    assert client.login(username=RECEPTION_USERNAME, password=RECEPTION_PASSWORD)
    location = Location.objects.first()
    diary = client.get("/admin/diary/", {"location": location.pk})
    assert diary.status_code == 200
    assert "+ Book" in diary.content.decode()
    assert client.get(reverse("booking_services:index")).status_code == 200  # may look up services...
    service = Service.objects.first()
    assert client.get(reverse("booking_services:edit", args=[service.pk])).status_code == 302  # ...not change them
    assert client.get(reverse("wagtailadmin_explore_root")).status_code == 302  # and no pages
