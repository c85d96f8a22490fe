"""audit seqs as 64-bit integers on PostgreSQL

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28 03:20:00

PostgreSQL's ``integer`` ends at 2**31 - 1: a log writing 100 entries a second reaches it in
eight months, and a filter above it failed the query. Every column holding an audit seq becomes
``bigint`` there. SQLite's INTEGER is already 64-bit (and ``seq`` stays its rowid): nothing to do.
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

SEQ_COLUMNS = (
    ("audit_entries", "seq"),
    ("audit_prompts", "seq"),
    ("audit_entry_roles", "seq"),
    ("audit_checkpoints", "seq"),
    ("artifacts", "audit_seq"),
    ("jobs", "submitted_seq"),
)


def _retype(type_name: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in SEQ_COLUMNS:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE {type_name}")


def upgrade() -> None:
    _retype("bigint")


def downgrade() -> None:
    _retype("integer")
