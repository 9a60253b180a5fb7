"""Alembic's entry point, run programmatically by `bot.feedback.database` on its connection."""

from __future__ import annotations

from alembic import context

from bot.feedback.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
