"""audit search: ids and roles in their own indexed columns, trigram text search over prompts

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 02:50:00

The new columns and tables sit beside the hashed entry (the hash covers ``details`` and
``roles``, where the same values stay): they are copies kept to be searched. Existing entries
are filled in from their JSON here (their prompts indexed as stored: the NFKC form and the
dropping of format characters that new prompts get, in ``audit.rows.searchable``, are not
applied to them).
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

SEARCH_COLUMNS = (
    "request_id",
    "subject",
    "action",
    "engine",
    "model",
    "purpose",
    "decision",
    "code",
    "output_sha256",
    "artifact_id",
    "voice_id",
    "consent_id",
    "job_id",
)
LINK_COLUMNS = ("artifact_id", "voice_id", "consent_id", "job_id")
REPLACED_INDEXES = ("code", "decision", "request_id", "subject")  # now led by (column, seq)

# SQLite: an FTS5 index with the trigram tokenizer over audit_prompts.search_text, kept in step
# by triggers, so a redaction (search_text set to NULL) takes the prompt out of the index.
_SQLITE_SEARCH = (
    "CREATE VIRTUAL TABLE audit_prompt_search USING fts5("
    "search_text, content='audit_prompts', content_rowid='seq', tokenize='trigram')",
    "CREATE TRIGGER audit_prompt_search_insert AFTER INSERT ON audit_prompts "
    "WHEN new.search_text IS NOT NULL BEGIN "
    "INSERT INTO audit_prompt_search(rowid, search_text) VALUES (new.seq, new.search_text); END",
    "CREATE TRIGGER audit_prompt_search_unset AFTER UPDATE OF search_text ON audit_prompts "
    "WHEN old.search_text IS NOT NULL BEGIN "
    "INSERT INTO audit_prompt_search(audit_prompt_search, rowid, search_text) "
    "VALUES ('delete', old.seq, old.search_text); END",
    "CREATE TRIGGER audit_prompt_search_set AFTER UPDATE OF search_text ON audit_prompts "
    "WHEN new.search_text IS NOT NULL BEGIN "
    "INSERT INTO audit_prompt_search(rowid, search_text) VALUES (new.seq, new.search_text); END",
    "CREATE TRIGGER audit_prompt_search_delete AFTER DELETE ON audit_prompts "
    "WHEN old.search_text IS NOT NULL BEGIN "
    "INSERT INTO audit_prompt_search(audit_prompt_search, rowid, search_text) "
    "VALUES ('delete', old.seq, old.search_text); END",
)
_SQLITE_SEARCH_DROP = (
    "DROP TRIGGER IF EXISTS audit_prompt_search_insert",
    "DROP TRIGGER IF EXISTS audit_prompt_search_unset",
    "DROP TRIGGER IF EXISTS audit_prompt_search_set",
    "DROP TRIGGER IF EXISTS audit_prompt_search_delete",
    "DROP TABLE IF EXISTS audit_prompt_search",
)
# PostgreSQL: pg_trgm (a trusted extension: the database owner may create it).
_PG_SEARCH = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_audit_prompts_search_trgm ON audit_prompts "
    "USING gin (search_text gin_trgm_ops)",
)

_BACKFILL = {
    "sqlite": (
        *(
            f"UPDATE audit_entries SET {name} = json_extract(details, '$.{name}') "
            f"WHERE json_type(details, '$.{name}') = 'text'"
            for name in LINK_COLUMNS
        ),
        "INSERT INTO audit_entry_roles (role, seq) "
        "SELECT DISTINCT json_each.value, audit_entries.seq "
        "FROM audit_entries, json_each(audit_entries.roles)",
        "UPDATE audit_prompts SET search_text = ("
        "SELECT group_concat(value, char(10)) FROM json_each(audit_prompts.fields) "
        "WHERE type = 'text') WHERE fields IS NOT NULL",
    ),
    "postgresql": (
        *(
            f"UPDATE audit_entries SET {name} = details::jsonb ->> '{name}' "
            f"WHERE jsonb_typeof(details::jsonb -> '{name}') = 'string'"
            for name in LINK_COLUMNS
        ),
        "INSERT INTO audit_entry_roles (role, seq) "
        "SELECT DISTINCT jsonb_array_elements_text(roles::jsonb), seq FROM audit_entries",
        "UPDATE audit_prompts SET search_text = ("
        "SELECT string_agg(value #>> '{}', E'\\n') FROM jsonb_each(fields::jsonb) "
        "WHERE jsonb_typeof(value) = 'string') WHERE fields IS NOT NULL",
    ),
}


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table(
        "audit_entry_roles",
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["seq"], ["audit_entries.seq"], ondelete="CASCADE", onupdate="CASCADE"
        ),
        sa.PrimaryKeyConstraint("role", "seq"),
    )
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        for name in LINK_COLUMNS:
            batch_op.add_column(sa.Column(name, sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        for name in REPLACED_INDEXES:
            batch_op.drop_index(f"ix_audit_entries_{name}")
    with op.batch_alter_table("audit_prompts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_text", sa.Text(), nullable=True))
    for statement in _BACKFILL.get(dialect, ()):
        op.execute(statement)
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        for name in SEARCH_COLUMNS:
            batch_op.create_index(f"ix_audit_{name}_seq", [name, "seq"], unique=False)
    if dialect == "sqlite":
        for statement in _SQLITE_SEARCH:
            op.execute(statement)
        op.execute("INSERT INTO audit_prompt_search(audit_prompt_search) VALUES ('rebuild')")
    elif dialect == "postgresql":
        for statement in _PG_SEARCH:
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in _SQLITE_SEARCH_DROP:
            op.execute(statement)
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_audit_prompts_search_trgm")
    with op.batch_alter_table("audit_prompts", schema=None) as batch_op:
        batch_op.drop_column("search_text")
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        for name in SEARCH_COLUMNS:
            batch_op.drop_index(f"ix_audit_{name}_seq")
        for name in REPLACED_INDEXES:
            batch_op.create_index(f"ix_audit_entries_{name}", [name], unique=False)
        for name in LINK_COLUMNS:
            batch_op.drop_column(name)
    op.drop_table("audit_entry_roles")
