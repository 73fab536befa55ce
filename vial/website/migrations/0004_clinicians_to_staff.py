"""Bylines and medical reviews point at staff members (2 of 3): every clinician becomes a staff member.

Each `Clinician` is matched to a staff member who is the same person (registration, else name) or
becomes a new one with the same name, title, credentials, registration and bio. Every page's author
and reviewer, and every saved revision of those pages (drafts, history), then name the staff member,
so no link is lost and an old revision still reverts cleanly. Its own migration: PostgreSQL refuses
to alter a table in the transaction that just updated its rows.
"""

from django.db import migrations

from vial.staff.matching import find_staff_member

PAGE_FIELDS = {"questionpage": ("author", "author_staff"), "treatmentpage": ("reviewed_by", "reviewed_by_staff")}


def clinicians_to_staff(apps, schema_editor):
    Clinician = apps.get_model("website", "Clinician")
    StaffMember = apps.get_model("staff", "StaffMember")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")

    staff_for = {}
    for clinician in Clinician.objects.order_by("pk"):
        person = find_staff_member(
            StaffMember,
            display_name=clinician.name,
            regulator=clinician.regulator,
            registration_number=clinician.registration_number,
        )
        if person is None:
            person = StaffMember(display_name=clinician.name, regulator=clinician.regulator)
            person.registration_number = clinician.registration_number
        for field, value in (
            ("job_title", clinician.role),
            ("credentials", clinician.credentials),
            ("bio", clinician.bio),
        ):
            if value and not getattr(person, field):
                setattr(person, field, value)
        person.save()
        staff_for[clinician.pk] = person.pk

    for model_name, (old, new) in PAGE_FIELDS.items():
        model = apps.get_model("website", model_name)
        for clinician_id, staff_id in staff_for.items():
            model.objects.filter(**{f"{old}_id": clinician_id}).update(**{f"{new}_id": staff_id})
        content_type = ContentType.objects.filter(app_label="website", model=model_name).first()
        if content_type is None:
            continue
        for revision in Revision.objects.filter(content_type=content_type).only("pk", "content"):
            value = revision.content.get(old)
            if value is not None and value in staff_for:
                revision.content[old] = staff_for[value]
                revision.save(update_fields=["content"])


def staff_to_clinicians(apps, schema_editor):
    """Back again: a clinician per staff member that signs or reviews a page."""
    Clinician = apps.get_model("website", "Clinician")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")
    StaffMember = apps.get_model("staff", "StaffMember")
    clinician_for = {}
    for model_name, (old, new) in PAGE_FIELDS.items():
        model = apps.get_model("website", model_name)
        for staff_id in model.objects.exclude(**{f"{new}_id": None}).values_list(f"{new}_id", flat=True).distinct():
            if staff_id not in clinician_for:
                person = StaffMember.objects.get(pk=staff_id)
                clinician_for[staff_id] = Clinician.objects.create(
                    name=person.display_name,
                    role=person.job_title,
                    credentials=person.credentials,
                    regulator=person.regulator,
                    registration_number=person.registration_number,
                    bio=person.bio,
                ).pk
            model.objects.filter(**{f"{new}_id": staff_id}).update(**{f"{old}_id": clinician_for[staff_id]})
        content_type = ContentType.objects.filter(app_label="website", model=model_name).first()
        for revision in Revision.objects.filter(content_type=content_type).only("pk", "content"):
            value = revision.content.get(old)
            if value in clinician_for:
                revision.content[old] = clinician_for[value]
                revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("website", "0003_staff_bylines"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(clinicians_to_staff, staff_to_clinicians)]
