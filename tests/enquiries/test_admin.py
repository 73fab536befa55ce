"""The Enquiries admin: who may see it, what may be changed, and the one-step conversion."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import GroupPagePermission

from vial.enquiries.models import Enquiry
from vial.website.models import QuestionPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def enquiry(clinic):
    return Enquiry.objects.create(
        kind=Enquiry.Kind.QUESTION,
        name="Jane Testpatient",
        email="jane.testpatient@example.com",
        message="Can anti-wrinkle injections help with teeth grinding?",
        consent_to_contact=True,
        treatment=clinic["treatment"],
    )


def staff_user(django_user_model, username, *codenames, page_perms=None, page=None):
    user = django_user_model.objects.create_user(username=username, password="x" * 12, is_staff=True)
    group = Group.objects.create(name=f"{username} group")
    perms = ["access_admin", *codenames]
    group.permissions.set(Permission.objects.filter(codename__in=perms))
    for perm in page_perms or []:
        GroupPagePermission.objects.create(
            group=group,
            page=page,
            permission=Permission.objects.get(codename=perm, content_type__app_label="wagtailcore"),
        )
    user.groups.add(group)
    return user


def test_anonymous_is_sent_to_login(client, enquiry):
    for url in [reverse("enquiries:index"), reverse("enquiries:edit", args=[enquiry.pk])]:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_staff_without_enquiry_permission_are_refused(client, django_user_model, enquiry):
    client.force_login(staff_user(django_user_model, "editor"))
    for url in [
        reverse("enquiries:index"),
        reverse("enquiries:edit", args=[enquiry.pk]),
        reverse("enquiries:inspect", args=[enquiry.pk]),
    ]:
        response = client.get(url)
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert response["Location"] == reverse("wagtailadmin_home")
    assert b"Enquiries" not in client.get(reverse("wagtailadmin_home")).content
    response = client.post(reverse("enquiries:convert", args=[enquiry.pk]))
    assert response.status_code in (302, 403) and not QuestionPage.objects.filter(live=False).exists()


def test_superuser_sees_the_list_without_names(admin_client, enquiry):
    response = admin_client.get(reverse("enquiries:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Test treatment 0" in html and "Question for a clinician" in html
    assert "Jane" not in html
    assert reverse("enquiries:add") not in html


def test_list_filters_and_search(admin_client, enquiry):
    assert admin_client.get(reverse("enquiries:index"), {"kind": "question", "status": "new"}).status_code == 200
    response = admin_client.get(reverse("enquiries:index_results"), {"q": "grinding"})
    assert response.status_code == 200 and f"Enquiry #{enquiry.pk}" in response.content.decode()


def test_list_query_count_does_not_grow(admin_client, clinic, enquiry):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(reverse("enquiries:index")).status_code == 200
        return len(queries)

    count_queries()  # warm caches (content types, site)
    one = count_queries()
    for n in range(10):
        Enquiry.objects.create(
            name=f"P {n}",
            email=f"p{n}@example.com",
            message="Hi",
            consent_to_contact=True,
            treatment=clinic["treatment"],
        )
    assert count_queries() == one


def test_nobody_adds_enquiries_by_hand(admin_client, clinic):
    response = admin_client.get(reverse("enquiries:add"))
    assert response.status_code in (302, 403)
    assert Enquiry.objects.count() == 0


def test_view_only_staff_can_read_but_not_edit(client, django_user_model, enquiry):
    client.force_login(staff_user(django_user_model, "reception", "view_enquiry"))
    assert client.get(reverse("enquiries:index")).status_code == 200
    inspect = client.get(reverse("enquiries:inspect", args=[enquiry.pk]))
    assert inspect.status_code == 200 and "teeth grinding" in inspect.content.decode()
    assert client.get(reverse("enquiries:edit", args=[enquiry.pk])).status_code in (302, 403)


def test_edit_changes_only_the_status(admin_client, enquiry):
    url = reverse("enquiries:edit", args=[enquiry.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Turn into a draft Q&amp;A post" in html and "teeth grinding" in html
    response = admin_client.post(url, {"status": "answered", "name": "Someone Else", "email": "x@example.com"})
    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.status == "answered" and enquiry.name == "Jane Testpatient"


def test_convert_is_post_only(admin_client, enquiry):
    assert admin_client.get(reverse("enquiries:convert", args=[enquiry.pk])).status_code == 405
    assert not QuestionPage.objects.filter(live=False).exists()


def test_convert_in_one_step(admin_client, enquiry):
    response = admin_client.post(reverse("enquiries:convert", args=[enquiry.pk]), follow=True)
    page = QuestionPage.objects.get(live=False)
    assert response.redirect_chain[0][0] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert response.status_code == 200
    assert "Draft Q&amp;A post ready" in response.content.decode()
    enquiry.refresh_from_db()
    assert enquiry.converted_post_id == page.pk
    # Second press: the same draft, not another.
    admin_client.post(reverse("enquiries:convert", args=[enquiry.pk]))
    assert QuestionPage.objects.filter(live=False).count() == 1
    assert "(draft)" in admin_client.get(reverse("enquiries:edit", args=[enquiry.pk])).content.decode()


def test_convert_needs_page_permission_too(client, django_user_model, enquiry):
    client.force_login(staff_user(django_user_model, "reception", "view_enquiry", "change_enquiry"))
    html = client.get(reverse("enquiries:edit", args=[enquiry.pk])).content.decode()
    assert "Turn into a draft" not in html
    client.post(reverse("enquiries:convert", args=[enquiry.pk]))
    assert not QuestionPage.objects.filter(live=False).exists()


def test_blog_editor_with_enquiry_permission_can_convert(client, django_user_model, clinic, enquiry):
    user = staff_user(
        django_user_model, "blogger", "change_enquiry", page_perms=["add_page", "change_page"], page=clinic["questions"]
    )
    client.force_login(user)
    response = client.post(reverse("enquiries:convert", args=[enquiry.pk]))
    page = QuestionPage.objects.get(live=False)
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert page.owner == user


def test_convert_error_is_shown_not_raised(admin_client, enquiry, clinic):
    from vial.website.models import QuestionIndexPage

    QuestionIndexPage.objects.all().delete()
    response = admin_client.post(reverse("enquiries:convert", args=[enquiry.pk]), follow=True)
    assert response.status_code == 200
    assert "no Q&amp;A blog" in response.content.decode()


def test_subject_access_export_by_email(admin_client, enquiry):
    Enquiry.objects.create(name="Other", email="other@example.com", message="Hello there", consent_to_contact=True)
    response = admin_client.get(reverse("enquiries:index"), {"q": "jane.testpatient@example.com", "export": "csv"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    assert "jane.testpatient@example.com" in body and "teeth grinding" in body
    assert "other@example.com" not in body


def test_export_needs_permission(client, django_user_model, enquiry):
    client.force_login(staff_user(django_user_model, "editor"))
    response = client.get(reverse("enquiries:index"), {"export": "csv"})
    assert response.status_code in (302, 403)


def test_group_editor_offers_view_change_delete_but_not_add(db):
    from wagtail import hooks

    codenames = {
        perm.codename
        for register in hooks.get_hooks("register_permissions")
        for perm in register()
        if perm.content_type.app_label == "enquiries"
    }
    assert codenames == {"view_enquiry", "change_enquiry", "delete_enquiry"}


def test_edit_view_shows_the_message_escaped_with_line_breaks(admin_client, enquiry):
    enquiry.message = "First line\nSecond <b>line</b>"
    enquiry.save()
    html = admin_client.get(reverse("enquiries:edit", args=[enquiry.pk])).content.decode()
    assert "First line<br>Second &lt;b&gt;line&lt;/b&gt;" in html
