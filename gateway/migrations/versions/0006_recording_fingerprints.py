"""recording fingerprints: copies of an enrolled recording are refused by content

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 22:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("voice_audio", schema=None) as batch_op:
        # Recordings enrolled before this stay without one (their audio may be shredded, and
        # the migration holds no master key to read the rest): only their SHA-256 is checked.
        batch_op.add_column(sa.Column("fingerprint", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("voice_audio", schema=None) as batch_op:
        batch_op.drop_column("fingerprint")
