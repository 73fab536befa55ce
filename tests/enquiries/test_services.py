"""The enquiry services called directly: duplicates, conversion to a draft post, retention."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from vial.enquiries import services
from vial.enquiries.models import Enquiry
from vial.staff.models import StaffMember
from vial.website.models import QuestionIndexPage, QuestionPage

pytestmark = pytest.mark.django_db


def make_enquiry(**overrides):
    fields = {
        "kind": Enquiry.Kind.QUESTION,
        "name": "Jane Testpatient",
        "email": "jane.testpatient@example.com",
        "phone": "07700 900123",
        "message": "Hi, I'm Jane Testpatient (jane.testpatient@example.com, 07700 900123). "
        "Jane here again: can anti-wrinkle injections help with teeth grinding at night?",
        "consent_to_contact": True,
    }
    fields.update(overrides)
    return Enquiry.objects.create(**fields)


def test_submit_needs_consent(db):
    with pytest.raises(ValueError):
        services.submit_enquiry({"name": "A", "email": "a@example.com", "message": "Hi there"}, "127.0.0.1")
    assert Enquiry.objects.count() == 0


def test_duplicate_window_is_ten_minutes(db, django_capture_on_commit_callbacks):
    data = {
        "kind": "general",
        "name": "A B",
        "email": "a@example.com",
        "message": "Hello there",
        "consent_to_contact": True,
    }
    with django_capture_on_commit_callbacks(execute=True):
        first = services.submit_enquiry(data, "127.0.0.1")
        Enquiry.objects.filter(pk=first.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=11))
        second = services.submit_enquiry({**data, "email": "A@EXAMPLE.COM"}, "127.0.0.1")
        third = services.submit_enquiry(data, "127.0.0.1")
    assert second.pk != first.pk and third.pk == second.pk
    assert len(mail.outbox) == 2


def test_ip_hash_is_keyed_and_stable():
    assert services.hash_ip("192.0.2.1") == services.hash_ip("192.0.2.1")
    assert services.hash_ip("192.0.2.1") != services.hash_ip("192.0.2.2")
    import hashlib

    assert services.hash_ip("192.0.2.1") != hashlib.sha256(b"192.0.2.1").hexdigest()


def test_convert_makes_one_unpublished_draft_without_personal_data(clinic, admin_user):
    enquiry = make_enquiry(treatment=clinic["treatment"])
    page = services.convert_to_question(enquiry, admin_user)

    page = QuestionPage.objects.get(pk=page.pk)
    assert page.live is False and page.has_unpublished_changes
    assert page.get_parent().specific == clinic["questions"]
    assert page.author == clinic["author"]
    assert page.summary == "Draft: write a one-sentence answer"
    assert page.latest_revision is not None
    assert list(page.related_treatments.all()) == [clinic["treatment"]]
    content = " ".join(
        [page.title, page.slug, page.question, str(page.answer.raw_data), str(page.latest_revision.content)]
    )
    for personal in ["Jane", "jane", "Testpatient", "example.com", "07700", "900123"]:
        assert personal not in content
    assert "teeth grinding at night?" in page.question
    assert len(page.title) <= 80

    enquiry.refresh_from_db()
    assert enquiry.converted_post_id == page.pk
    # Not on the public site.
    assert QuestionPage.objects.live().filter(pk=page.pk).exists() is False


def test_convert_twice_returns_the_same_draft(clinic, admin_user):
    enquiry = make_enquiry()
    first = services.convert_to_question(enquiry, admin_user)
    second = services.convert_to_question(enquiry, admin_user)
    assert first.pk == second.pk
    assert QuestionPage.objects.filter(live=False).count() == 1


def test_convert_again_after_the_draft_was_deleted(clinic, admin_user):
    enquiry = make_enquiry()
    services.convert_to_question(enquiry, admin_user).delete()
    enquiry.refresh_from_db()
    assert enquiry.converted_post is None
    assert services.convert_to_question(enquiry, admin_user).pk


def test_convert_needs_a_clinician(clinic):
    QuestionPage.objects.all().delete()
    StaffMember.objects.all().delete()
    with pytest.raises(services.ConversionError, match="clinician"):
        services.convert_to_question(make_enquiry())


def test_convert_needs_a_blog(clinic):
    QuestionIndexPage.objects.all().delete()
    with pytest.raises(services.ConversionError, match="Q&A blog"):
        services.convert_to_question(make_enquiry())


def test_short_titles_and_word_boundaries():
    assert services.title_from("  Does it   hurt?  ") == "Does it hurt?"
    title = services.title_from("word " * 40)
    assert len(title) <= 80 and title.endswith("word…")


def test_redaction_keeps_ordinary_words():
    enquiry = Enquiry(name="Will May", email="w@example.com")
    text = services.redact("Will it hurt? I may want it. I will ask. Call +44 7700 900123 or w@example.com", enquiry)
    assert text == "[name removed] it hurt? I may want it. I will ask. Call [phone number removed] or [e-mail removed]"


def test_expired_enquiries_are_deleted(db):
    old = make_enquiry()
    Enquiry.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=400))
    recent = make_enquiry()
    assert services.delete_expired_enquiries(months=12) == 1
    assert list(Enquiry.objects.all()) == [recent]


def test_str_names_no_one(db):
    enquiry = make_enquiry()
    assert "Jane" not in str(enquiry) and str(enquiry.pk) in str(enquiry)


def test_retention_command(db):
    from io import StringIO

    from django.core.management import call_command

    old = make_enquiry()
    Enquiry.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=800))
    out = StringIO()
    call_command("delete_expired_enquiries", stdout=out)
    assert "Deleted 1 enquiries" in out.getvalue()
    assert Enquiry.objects.count() == 0


@pytest.mark.parametrize(
    "meta,expected",
    [
        ({"REMOTE_ADDR": "203.0.113.5"}, "203.0.113.5"),
        ({"REMOTE_ADDR": "203.0.113.5", "HTTP_X_FORWARDED_FOR": "198.51.100.1"}, "203.0.113.5"),  # not our proxy
        ({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "1.1.1.1, 198.51.100.1"}, "198.51.100.1"),
        ({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "<script>"}, "127.0.0.1"),
        ({"REMOTE_ADDR": "::1", "HTTP_X_FORWARDED_FOR": "2001:db8::1"}, "2001:db8::1"),
        ({}, ""),
    ],
)
def test_client_ip(meta, expected):
    assert services.client_ip(meta) == expected
