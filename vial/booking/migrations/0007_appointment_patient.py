"""Every appointment gets its patient record.

Appointments with the same e-mail address (any capitals) and date of birth become one patient; an
appointment without either (a walk-in booked by name and phone) gets a patient of its own, for staff
to merge if it is someone they know. The newest booking's name and phone become the record's.
"""

import django.db.models.deletion
from django.db import migrations, models


def link_patients(apps, schema_editor):
    Appointment = apps.get_model("booking", "Appointment")
    Patient = apps.get_model("patients", "Patient")
    by_key: dict = {}
    for appointment in Appointment.objects.filter(patient__isnull=True).order_by("created_at", "pk").iterator():
        email = appointment.patient_email.strip()
        dob = appointment.patient_date_of_birth
        key = (email.lower(), dob) if email and dob else None
        patient = by_key.get(key) if key else None
        if patient is None:
            patient = Patient.objects.create(
                preferred_name=appointment.patient_name,
                email=email,
                phone=appointment.patient_phone,
                date_of_birth=dob,
                care_by_email=bool(email),
                created_at=appointment.created_at,
            )
            if key:
                by_key[key] = patient
        else:
            patient.preferred_name = appointment.patient_name or patient.preferred_name
            patient.phone = appointment.patient_phone or patient.phone
            patient.save(update_fields=["preferred_name", "phone"])
        appointment.patient = patient
        appointment.save(update_fields=["patient"])


class Migration(migrations.Migration):
    # PostgreSQL refuses to make the column NOT NULL in the transaction that filled it (pending
    # deferred foreign-key checks), so each step commits on its own.
    atomic = False

    dependencies = [
        ("booking", "0006_staff_bookings_without_email"),
        ("patients", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="appointment",
            name="patient",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="appointments",
                to="patients.patient",
            ),
        ),
        migrations.RunPython(link_patients, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="appointment",
            name="patient",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="appointments", to="patients.patient"
            ),
        ),
    ]
