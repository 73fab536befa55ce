"""make demo's staff: one printed login per role, each in its role, practitioners one person with their byline."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from vial.booking.demo import DEMO_LOGINS
from vial.booking.models import Practitioner
from vial.staff.models import StaffMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_staff(clinic):
    out = StringIO()
    call_command("load_booking_demo", stdout=out)
    return out.getvalue()


def test_five_logins_each_printed_and_in_its_role(demo_staff, client):
    assert [login.role for login in DEMO_LOGINS] == [
        "Practice manager",
        "Prescriber",
        "Practitioner",
        "Reception",
        "Content editor",
    ]
    for login in DEMO_LOGINS:
        assert f"user: {login.username}  password: {login.password}" in demo_staff
        user = get_user_model().objects.get(username=login.username)
        assert [g.name for g in user.groups.all()] == [login.role]
        assert client.login(username=login.username, password=login.password), login.username
        diary = client.get(reverse("booking_diary"))
        if login.role == "Content editor":
            assert diary.status_code == 302  # Wagtail's 'permission denied'
            assert not hasattr(user, "staff_member")  # sees no patients: no staff record needed
        else:
            assert diary.status_code == 200, login.username
            assert StaffMember.objects.filter(user=user).exists(), login.username
        client.logout()
    assert "production asks for it" in demo_staff


def test_a_practitioner_is_one_person_with_their_byline(demo_staff):
    helena = Practitioner.objects.get(user__username="helena.marsh")
    assert helena.staff.display_name == helena.display_name == "Dr Helena Marsh"
    assert helena.staff.is_prescriber and helena.staff.registration_number == "7093418"
    assert StaffMember.objects.filter(display_name="Dr Helena Marsh").count() == 1
    # Renaming the staff member renames the diary's copy.
    helena.staff.display_name = "Dr Helena Marsh-Penrose"
    helena.staff.save()
    helena.refresh_from_db()
    assert helena.display_name == "Dr Helena Marsh-Penrose"
    # ... and a change made on the practitioner reaches the staff member.
    helena.registration_number = "7093419"
    helena.save()
    helena.staff.refresh_from_db()
    assert helena.staff.registration_number == "7093419"


def test_loading_the_demo_twice_adds_no_one(demo_staff):
    people = (StaffMember.objects.count(), get_user_model().objects.count())
    call_command("load_booking_demo", stdout=StringIO())
    assert (StaffMember.objects.count(), get_user_model().objects.count()) == people
