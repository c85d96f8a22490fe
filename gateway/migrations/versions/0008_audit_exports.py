"""audit exports: the signed digest of each finished export, fetched after its stream ends

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 04:10:00

A CSV export's digest is detached (``GET /v1/audit/exports/{id}/digest``): it is kept here so
that it can be read after the stream, after a restart, and from another gateway on the same
database. Rows are only inserted; each digest is signed, and checked again when read.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_exports",
        sa.Column("export_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("exported_at", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("format", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("digest", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("export_id"),
    )
    with op.batch_alter_table("audit_exports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_audit_exports_exported_at"), ["exported_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("audit_exports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_exports_exported_at"))
    op.drop_table("audit_exports")
