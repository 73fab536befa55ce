"""The words of patients' names, which staff search goes through (`NameWord`, `PatientNameWord`).

On PostgreSQL: the `fuzzystrmatch` extension (`levenshtein_less_equal`, to find 'Lee' from 'Lfe'), and
the trigram indexes on the names from migration 0002 dropped (search no longer reads the names
themselves; they cost every write). Migration 0005 fills the words of the records already there.
"""

import django.db.models.deletion
from django.db import migrations, models

FORWARD = """
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;
DROP INDEX IF EXISTS patients_legal_name_trgm;
DROP INDEX IF EXISTS patients_preferred_name_trgm;
"""
BACKWARD = """
CREATE INDEX IF NOT EXISTS patients_preferred_name_trgm ON patients_patient USING gin (preferred_name gin_trgm_ops);
CREATE INDEX IF NOT EXISTS patients_legal_name_trgm ON patients_patient USING gin (legal_name gin_trgm_ops);
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):

    dependencies = [
        ("patients", "0003_phone_end_search"),
    ]

    operations = [
        migrations.CreateModel(
            name="NameWord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("word", models.CharField(max_length=200, unique=True)),
            ],
        ),
        migrations.CreateModel(
            name="PatientNameWord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "patient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="name_words", to="patients.patient"
                    ),
                ),
                (
                    "word",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="patients.nameword",
                    ),
                ),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("word", "patient"), name="patients_name_word_patient")],
            },
        ),
        migrations.RunPython(forward, backward),
    ]
