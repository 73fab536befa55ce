"""Each practitioner is a staff member (3 of 3): the link is required."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("booking", "0009_practitioners_to_staff")]

    operations = [
        migrations.AlterField(
            model_name="practitioner",
            name="staff",
            field=models.OneToOneField(
                help_text="Who they are: name, login and registration are edited on the Staff list.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="practitioner",
                to="staff.staffmember",
            ),
        ),
    ]
