"""Each practitioner is a staff member (2 of 3): link every practitioner to the staff member who is them.

The same person is found by login, else by registration (regulator and number), else by name among
staff members without a login: so "Dr Helena Marsh" who signs Q&A answers (a clinician until website
migration 0004) and "Dr Helena Marsh" in the diary become one record, which takes the diary's login,
prescriber flag and any registration it lacked. Anyone not found becomes a new staff member.
Its own migration: PostgreSQL refuses to alter a table in the transaction that just updated its rows.
"""

from django.db import migrations

from vial.staff.matching import find_staff_member


def link_practitioners(apps, schema_editor):
    Practitioner = apps.get_model("booking", "Practitioner")
    StaffMember = apps.get_model("staff", "StaffMember")
    for practitioner in Practitioner.objects.filter(staff__isnull=True).order_by("pk"):
        person = find_staff_member(
            StaffMember,
            user_id=practitioner.user_id,
            display_name=practitioner.display_name,
            regulator=practitioner.regulator,
            registration_number=practitioner.registration_number,
        ) or StaffMember(display_name=practitioner.display_name)
        person.user_id = practitioner.user_id
        person.is_prescriber = person.is_prescriber or practitioner.is_prescriber
        if practitioner.regulator and practitioner.registration_number:
            person.regulator, person.registration_number = practitioner.regulator, practitioner.registration_number
        person.active = person.active and practitioner.active
        person.save()
        # The diary's copy: exactly the staff member's, from now on kept equal by Practitioner.save.
        practitioner.staff_id = person.pk
        practitioner.display_name = person.display_name
        practitioner.is_prescriber = person.is_prescriber
        practitioner.regulator, practitioner.registration_number = person.regulator, person.registration_number
        practitioner.save()


def unlink(apps, schema_editor):
    apps.get_model("booking", "Practitioner").objects.update(staff=None)


class Migration(migrations.Migration):
    dependencies = [("booking", "0008_practitioner_staff")]

    operations = [migrations.RunPython(link_practitioners, unlink)]
