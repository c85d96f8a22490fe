"""web workspace: sessions and sign-ins under way

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28 06:00:00

The workspace at /ui keeps its sessions server-side: a row per session holding the SHA-256 of
the random id in the browser's cookie (never the id), who signed in with their mapped roles,
the session's CSRF token and its times. A sign-in under way (OIDC state, nonce, PKCE verifier)
is a short-lived row that the request finishing it deletes.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ui_sessions",
        sa.Column("id_sha256", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("roles", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("groups", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("csrf_token", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("last_seen_at", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("id_sha256"),
    )
    with op.batch_alter_table("ui_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ui_sessions_expires_at"), ["expires_at"])
        batch_op.create_index(batch_op.f("ix_ui_sessions_last_seen_at"), ["last_seen_at"])
    op.create_table(
        "ui_pending_logins",
        sa.Column("state_sha256", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("flow", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("nonce", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("code_verifier", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("return_to", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("state_sha256"),
    )
    with op.batch_alter_table("ui_pending_logins", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ui_pending_logins_expires_at"), ["expires_at"])


def downgrade() -> None:
    with op.batch_alter_table("ui_pending_logins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ui_pending_logins_expires_at"))
    op.drop_table("ui_pending_logins")
    with op.batch_alter_table("ui_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ui_sessions_last_seen_at"))
        batch_op.drop_index(batch_op.f("ix_ui_sessions_expires_at"))
    op.drop_table("ui_sessions")
