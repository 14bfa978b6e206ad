"""Alembic migrations of the app's own store (run by ``data_access.store_migrations``, never by hand-written DDL)."""
