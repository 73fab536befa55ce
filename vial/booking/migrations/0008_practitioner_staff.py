"""Each practitioner is a staff member (1 of 3): the link, empty for now."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0007_appointment_patient"),
        ("staff", "0001_initial"),
        ("website", "0005_remove_clinician"),  # clinicians are staff members first, so each person is matched
    ]

    operations = [
        migrations.AddField(
            model_name="practitioner",
            name="staff",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="practitioner",
                to="staff.staffmember",
            ),
        ),
    ]
