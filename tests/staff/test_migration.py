"""Today's clinicians (website) and practitioners (diary) become one staff member each, no link lost.

Driven with Django's MigrationExecutor: the database is taken back to before the staff links,
filled as it stands today, and migrated forward again.
"""

from datetime import UTC, datetime

import pytest

from tests.migrations import migrate, migrate_to_latest

BEFORE = [
    ("staff", "0001_initial"),
    ("website", "0002_remove_treatmentpage_price_from"),
    ("booking", "0007_appointment_patient"),
]
AFTER = [("website", "0005_remove_clinician"), ("booking", "0010_practitioner_staff_required")]


@pytest.fixture
def old_world(transactional_db):
    apps = migrate(BEFORE)
    yield apps
    migrate_to_latest()


def test_clinicians_and_practitioners_become_one_staff_member_each(old_world):
    apps = old_world
    User = apps.get_model("auth", "User")
    Clinician = apps.get_model("website", "Clinician")
    Practitioner = apps.get_model("booking", "Practitioner")
    QuestionPage = apps.get_model("website", "QuestionPage")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Locale = apps.get_model("wagtailcore", "Locale")
    Revision = apps.get_model("wagtailcore", "Revision")

    # Someone on the staff list already (so staff and clinician ids differ: a remapping must be real).
    apps.get_model("staff", "StaffMember").objects.create(display_name="Rowan Pascoe", job_title="Receptionist")
    helena_byline = Clinician.objects.create(
        name="Dr Helena Marsh",
        role="Medical director",
        credentials="MBChB, MRCGP",
        regulator="GMC",
        registration_number="7093418",
        bio="Trained in Bristol.",
    )
    writer = Clinician.objects.create(name="Ravi Desai", role="Pharmacist", regulator="GPhC", registration_number="22")
    helena = Practitioner.objects.create(
        user=User.objects.create(username="helena.marsh"),
        display_name="Dr Helena Marsh",
        is_prescriber=True,
        regulator="GMC",
        registration_number="7093418",
    )
    mia = Practitioner.objects.create(user=User.objects.create(username="mia.collins"), display_name="Mia Collins")
    page_type = ContentType.objects.get_or_create(app_label="website", model="questionpage")[0]
    post = QuestionPage.objects.create(
        title="Does it hurt?",
        draft_title="Does it hurt?",
        slug="does-it-hurt",
        path="00010000ZZZZ",
        depth=3,
        url_path="/does-it-hurt/",
        content_type=page_type,
        # An earlier transactional test's flush may have emptied the locales the migrations made.
        locale=Locale.objects.get_or_create(language_code="en-gb")[0],
        question="Does it hurt?",
        answer=[],
        summary="A little.",
        author=writer,
    )
    draft = Revision.objects.create(
        content_type=page_type,
        base_content_type=page_type,
        object_id=str(post.pk),
        content={"title": "Does it hurt?", "author": helena_byline.pk},
        created_at=datetime.now(UTC),
    )

    apps = migrate(AFTER)
    StaffMember = apps.get_model("staff", "StaffMember")
    Practitioner = apps.get_model("booking", "Practitioner")
    QuestionPage = apps.get_model("website", "QuestionPage")
    Revision = apps.get_model("wagtailcore", "Revision")

    assert StaffMember.objects.count() == 4  # Rowan, Helena once, Ravi, Mia
    person = StaffMember.objects.get(display_name="Dr Helena Marsh")
    assert Practitioner.objects.get(pk=helena.pk).staff_id == person.pk
    assert person.user.username == "helena.marsh" and person.is_prescriber
    assert (person.job_title, person.credentials, person.bio) == (
        "Medical director",
        "MBChB, MRCGP",
        "Trained in Bristol.",
    )
    ravi = StaffMember.objects.get(display_name="Ravi Desai")
    assert QuestionPage.objects.get(pk=post.pk).author_id == ravi.pk
    assert person.pk != helena_byline.pk
    assert Revision.objects.get(pk=draft.pk).content["author"] == person.pk  # the draft names Helena still
    new = Practitioner.objects.get(pk=mia.pk).staff
    assert (new.display_name, new.user.username, new.is_prescriber) == ("Mia Collins", "mia.collins", False)
