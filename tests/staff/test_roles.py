"""Roles as data: the five groups hold exactly their declared permissions, and each reaches what it should."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import GroupPagePermission

from tests.factories import staff_user
from vial.staff import roles

pytestmark = pytest.mark.django_db

ROLES = ["Reception", "Practitioner", "Prescriber", "Practice manager", "Content editor"]


def held(role: str) -> set[str]:
    group = Group.objects.get(name=role)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def test_the_five_roles_exist_after_migrate_with_exactly_their_permissions():
    for role in ROLES:
        assert held(role) == set(roles.ROLES[role]) - set(roles.sync_roles().get(role, [])), role
    assert held("Reception") >= {"staff.use_diary", "booking.view_appointment", "wagtailadmin.access_admin"}
    assert not any(p.startswith(("patients.view_clinical", "audit.")) for p in held("Reception"))
    assert held("Practitioner") == held("Prescriber")  # prescribing is not built yet
    assert held("Practice manager") > held("Practitioner")
    editor = held("Content editor")
    assert not any(p.startswith(("booking.", "patients.", "audit.", "enquiries.")) for p in editor)
    assert "staff.use_diary" not in editor


def test_the_sync_takes_back_what_was_added_by_hand_and_restores_what_was_removed():
    reception = Group.objects.get(name="Reception")
    reception.permissions.add(Permission.objects.get(codename="delete_service"))
    reception.permissions.remove(Permission.objects.get(codename="use_diary"))
    GroupPagePermission.objects.create(
        group=reception, page_id=1, permission=Permission.objects.get(codename="publish_page")
    )
    roles.sync_roles()
    assert "booking.delete_service" not in held("Reception") and "staff.use_diary" in held("Reception")
    assert not GroupPagePermission.objects.filter(group=reception).exists()
    assert GroupPagePermission.objects.filter(
        group__name="Content editor", permission__codename="publish_page"
    ).exists()


def test_a_permission_not_yet_in_the_database_is_skipped_with_a_warning(monkeypatch, caplog):
    monkeypatch.setitem(roles.ROLES, "Reception", [*roles.ROLES["Reception"], "prescribing.add_prescription"])
    skipped = roles.sync_roles()
    assert "prescribing.add_prescription" in skipped["Reception"]
    assert "prescribing.add_prescription" in caplog.text
    assert "staff.use_diary" in held("Reception")  # the rest is granted


SET_UP = ["booking_services", "booking_rotas", "booking_locations"]


def menu(client) -> str:
    return client.get(reverse("wagtailadmin_home")).content.decode()


@pytest.mark.parametrize("role", ["Reception", "Practitioner", "Prescriber", "Practice manager"])
def test_diary_roles_reach_the_diary(client, role):
    client.force_login(staff_user(role))
    page = menu(client)
    assert reverse("booking_diary") in page
    assert client.get(reverse("booking_diary")).status_code == 200
    set_up_shown = [reverse(f"{name}:index") in page for name in SET_UP]
    assert all(set_up_shown) if role == "Practice manager" else not any(set_up_shown)


def test_a_content_editor_has_no_booking_and_no_diary(client):
    client.force_login(staff_user("Content editor"))
    page = menu(client)
    assert reverse("booking_diary") not in page
    for name in ["booking_appointments", *SET_UP]:
        assert reverse(f"{name}:index") not in page, name
    assert reverse("wagtailadmin_explore_root") in page or "Pages" in page
    for url in (reverse("booking_diary"), reverse("booking_diary_book"), reverse("booking_appointments:index")):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response["Location"] == reverse("wagtailadmin_home"), url  # Wagtail's "permission denied"
    assert client.post(reverse("booking_diary_book"), {}).status_code in (302, 403)


def test_the_manager_sees_the_roles_under_settings_groups(client):
    client.force_login(staff_user("Practice manager"))
    response = client.get(reverse("wagtailusers_groups:index"))
    assert response.status_code == 200
    for role in ROLES:
        assert role in response.content.decode()
