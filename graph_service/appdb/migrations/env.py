"""Alembic environment: run on the connection :func:`graph_service.appdb.db.open_app_db` hands in."""

from __future__ import annotations

from alembic import context

from graph_service.appdb.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
