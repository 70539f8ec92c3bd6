"""Lessons that live: dedupe and recurrence, curation memory, history actions, feedback, review items.

- ``constraints.duplicate_of``: a lesson stated again in another document points at the one that
  is shown (its canonical); ``recurrence`` counts the documents that state it (1 + duplicates).
- ``constraints.dedupe_key``: the statement normalised for the exact-duplicate lookup (indexed).
- ``constraints.extracted``: what extraction last said for each field a person changed, so a
  re-ingest that changes the source under a curated field raises a review item instead of
  overwriting it (or silently ignoring the source).
- ``constraints.last_confirmed``: when a person (review) or positive feedback last confirmed it.
- ``constraint_changes.action`` and ``note``: the change log becomes the lesson's history.
- ``feedback`` and ``review_items``: new tables.

Rows stored before this revision get recurrence 1 and an empty key; the next ingest of their
document fills the key in.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("constraints", sa.Column("duplicate_of", sa.Integer, nullable=True))
    op.add_column("constraints", sa.Column("recurrence", sa.Integer, nullable=False, server_default="1"))
    op.add_column("constraints", sa.Column("dedupe_key", sa.String, nullable=False, server_default=""))
    op.add_column("constraints", sa.Column("extracted", sa.JSON, nullable=False, server_default="{}"))
    op.add_column("constraints", sa.Column("last_confirmed", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_constraints_duplicate_of", "constraints", ["duplicate_of"])
    op.create_index("ix_constraints_dedupe_key", "constraints", ["dedupe_key"])
    op.add_column("constraint_changes", sa.Column("action", sa.String, nullable=False, server_default="edit"))
    op.add_column("constraint_changes", sa.Column("note", sa.Text, nullable=False, server_default=""))
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("constraint_id", sa.Integer, nullable=False, index=True),
        sa.Column("helpful", sa.Boolean, nullable=False),
        sa.Column("task", sa.Text, nullable=False, server_default=""),
        sa.Column("actor", sa.String, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "review_items",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("team", sa.String, nullable=False, index=True),
        sa.Column("reason", sa.String, nullable=False),
        sa.Column("constraint_id", sa.Integer, nullable=False, index=True),
        sa.Column("other_id", sa.Integer, nullable=True),
        sa.Column("detail", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution", sa.String, nullable=True),
        sa.Column("resolved_by", sa.String, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("review_items")
    op.drop_table("feedback")
    with op.batch_alter_table("constraint_changes") as batch:
        batch.drop_column("note")
        batch.drop_column("action")
    op.drop_index("ix_constraints_dedupe_key", table_name="constraints")
    op.drop_index("ix_constraints_duplicate_of", table_name="constraints")
    with op.batch_alter_table("constraints") as batch:
        for column in ("last_confirmed", "extracted", "dedupe_key", "recurrence", "duplicate_of"):
            batch.drop_column(column)
