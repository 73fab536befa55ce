"""Bylines and medical reviews point at staff members (3 of 3): the staff columns take the old names."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("website", "0004_clinicians_to_staff"),
    ]

    operations = [
        migrations.RemoveField(model_name="questionpage", name="author"),
        migrations.RemoveField(model_name="treatmentpage", name="reviewed_by"),
        migrations.RenameField(model_name="questionpage", old_name="author_staff", new_name="author"),
        migrations.RenameField(model_name="treatmentpage", old_name="reviewed_by_staff", new_name="reviewed_by"),
        migrations.AlterField(
            model_name="questionpage",
            name="author",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="answers", to="staff.staffmember"
            ),
        ),
        migrations.AlterField(
            model_name="treatmentpage",
            name="reviewed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="reviewed_treatments",
                to="staff.staffmember",
            ),
        ),
        migrations.DeleteModel(name="Clinician"),
    ]
