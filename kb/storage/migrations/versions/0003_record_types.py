"""Lessons say what they are: ``constraints.record_type``, ``state`` and ``rules``.

Rows stored before this revision become constraints with no state and no rule names; the next
ingest of their document fills the fields in.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "constraints",
        sa.Column("record_type", sa.String, nullable=False, server_default="constraint"),
    )
    op.add_column("constraints", sa.Column("state", sa.String, nullable=True))
    op.add_column("constraints", sa.Column("rules", sa.JSON, nullable=False, server_default="[]"))
    op.create_index("ix_constraints_record_type", "constraints", ["record_type"])


def downgrade() -> None:
    op.drop_index("ix_constraints_record_type", table_name="constraints")
    with op.batch_alter_table("constraints") as batch:
        batch.drop_column("rules")
        batch.drop_column("state")
        batch.drop_column("record_type")
