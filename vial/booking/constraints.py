"""Database guarantees that exist only on PostgreSQL.

`PostgresExclusionConstraint` is Django's ExclusionConstraint that produces no SQL (and no
validation query) on other databases, so it can sit in a model's Meta and in migrations that also
run on SQLite. There, `services.book_appointment` gives the same guarantee by doing its check and
its insert inside one write transaction (SQLite's `BEGIN IMMEDIATE`, see settings).
"""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Func


class TsTzRange(Func):
    """tstzrange(start, end): a half-open '[)' range, so back-to-back appointments do not overlap."""

    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class PostgresExclusionConstraint(ExclusionConstraint):
    def _enabled(self, schema_editor) -> bool:
        return schema_editor.connection.vendor == "postgresql"

    def constraint_sql(self, model, schema_editor):
        return super().constraint_sql(model, schema_editor) if self._enabled(schema_editor) else None

    def create_sql(self, model, schema_editor):
        return super().create_sql(model, schema_editor) if self._enabled(schema_editor) else None

    def remove_sql(self, model, schema_editor):
        return super().remove_sql(model, schema_editor) if self._enabled(schema_editor) else None

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        if connections[using].vendor == "postgresql":
            super().validate(model, instance, exclude=exclude, using=using)
