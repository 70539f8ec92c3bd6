"""Documents keep their text: ``documents.body`` (nullable), read by the document ranker.

Documents stored before this revision have NULL there; the next ingest of their folder reads
them again (see ``KnowledgeBase.stored_hashes``).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("documents", sa.Column("body", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("body")
