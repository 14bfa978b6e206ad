"""Alembic's environment for the app store: run on the connection ``store_migrations`` hands over (already
in a transaction and holding the migration lock), never from a URL of its own or an ``alembic.ini``."""
from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None, render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
