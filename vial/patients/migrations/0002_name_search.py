"""PostgreSQL: trigram indexes so staff find a patient by part of a name, or a misspelt one, among millions."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS patients_preferred_name_trgm ON patients_patient USING gin (preferred_name gin_trgm_ops);
CREATE INDEX IF NOT EXISTS patients_legal_name_trgm ON patients_patient USING gin (legal_name gin_trgm_ops);
"""
DROP = """
DROP INDEX IF EXISTS patients_legal_name_trgm;
DROP INDEX IF EXISTS patients_preferred_name_trgm;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("patients", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
