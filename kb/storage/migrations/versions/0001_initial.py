"""Initial schema: documents, constraints, vectors, failures, state, API keys, change log.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("team", sa.String, nullable=False),
        sa.Column("source", sa.String, nullable=False),
        sa.Column("path", sa.String, nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("title", sa.String, nullable=False),
        sa.Column("sha256", sa.String, nullable=False),
        sa.Column("date", sa.String, nullable=True),
        sa.Column("status", sa.String, nullable=True),
        sa.Column("services", sa.JSON, nullable=False),
        sa.Column("metadata", sa.JSON, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.UniqueConstraint("team", "source", "path", name="uq_documents_team_source_path"),
        sqlite_autoincrement=True,
    )
    for column in ("team", "source", "path", "kind"):
        op.create_index(f"ix_documents_{column}", "documents", [column])

    op.create_table(
        "constraints",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("statement", sa.String, nullable=False),
        sa.Column("rationale", sa.String, nullable=False),
        sa.Column("category", sa.String, nullable=False),
        sa.Column("severity", sa.String, nullable=False),
        sa.Column("status", sa.String, nullable=False),
        sa.Column("services", sa.JSON, nullable=False),
        sa.Column("paths", sa.JSON, nullable=False),
        sa.Column("technologies", sa.JSON, nullable=False),
        sa.Column("tags", sa.JSON, nullable=False),
        sa.Column("section", sa.String, nullable=False),
        sa.Column("line_start", sa.Integer, nullable=False),
        sa.Column("line_end", sa.Integer, nullable=False),
        sa.Column("curated", sa.JSON, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sqlite_autoincrement=True,
    )
    for column in ("document_id", "category", "severity", "status"):
        op.create_index(f"ix_constraints_{column}", "constraints", [column])

    op.create_table(
        "constraint_vectors",
        sa.Column("constraint_id", sa.Integer, sa.ForeignKey("constraints.id"), primary_key=True),
        sa.Column("model", sa.String, nullable=False),
        sa.Column("dimension", sa.Integer, nullable=False),
        sa.Column("vector", sa.LargeBinary, nullable=False),
    )

    op.create_table(
        "ingest_failures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("team", sa.String, nullable=False),
        sa.Column("source", sa.String, nullable=False),
        sa.Column("path", sa.String, nullable=False),
        sa.Column("message", sa.String, nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.UniqueConstraint("team", "source", "path", name="uq_failures_team_source_path"),
    )
    op.create_index("ix_ingest_failures_team", "ingest_failures", ["team"])

    op.create_table(
        "kb_state",
        sa.Column("key", sa.String, primary_key=True),
        sa.Column("value", sa.Integer, nullable=False),
    )

    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("prefix", sa.String, nullable=False),
        sa.Column("secret_hash", sa.String, nullable=False),
        sa.Column("team", sa.String, nullable=False),
        sa.Column("role", sa.String, nullable=False),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("revoked_at", TZ, nullable=True),
    )
    op.create_index("ix_api_keys_prefix", "api_keys", ["prefix"], unique=True)
    op.create_index("ix_api_keys_team", "api_keys", ["team"])

    op.create_table(
        "constraint_changes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("constraint_id", sa.Integer, nullable=False),
        sa.Column("actor", sa.String, nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("before", sa.JSON, nullable=False),
        sa.Column("after", sa.JSON, nullable=False),
    )
    op.create_index("ix_constraint_changes_constraint_id", "constraint_changes", ["constraint_id"])


def downgrade() -> None:
    for table in (
        "constraint_changes",
        "api_keys",
        "kb_state",
        "ingest_failures",
        "constraint_vectors",
        "constraints",
        "documents",
    ):
        op.drop_table(table)
