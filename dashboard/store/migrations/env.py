"""Alembic environment: always run on a connection the store hands over (``config.attributes``)."""

from alembic import context

from dashboard.store.schema import metadata

connection = context.config.attributes["connection"]
if connection.dialect.name == "postgresql":
    # two processes opening an old store at once: the second waits, then finds it migrated
    connection.exec_driver_sql("SELECT pg_advisory_xact_lock(7417001)")
context.configure(connection=connection, target_metadata=metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
