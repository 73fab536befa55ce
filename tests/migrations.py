"""Taking the test database back to an old migration and forward again, for the data-migration tests."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets):
    """Migrate to `targets` ([(app, migration), ...]); answer the models as they were there (`apps`)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_latest() -> None:
    """Leave the schema as every other test expects it."""
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
