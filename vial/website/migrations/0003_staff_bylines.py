"""Bylines and medical reviews point at staff members (1 of 3): the new columns."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0001_initial"),
        ("website", "0002_remove_treatmentpage_price_from"),
    ]

    operations = [
        migrations.AddField(
            model_name="questionpage",
            name="author_staff",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="staff.staffmember"
            ),
        ),
        migrations.AddField(
            model_name="treatmentpage",
            name="reviewed_by_staff",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="staff.staffmember"
            ),
        ),
    ]
