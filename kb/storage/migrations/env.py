"""Alembic environment: runs on the connection handed over by ``kb.storage.store``."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import kb.storage.models  # noqa: F401  (registers the tables on SQLModel.metadata)

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
)
with context.begin_transaction():
    context.run_migrations()
