"""The database schema's revision: where it is, where this gateway needs it, and the upgrade.

On the embedded SQLite default the gateway migrates at start (one file, one gateway). On
PostgreSQL several gateways share one database, and a schema change is an operator's step
(``consentgate db upgrade``) taken once, before the new gateways start: a gateway that finds
the schema behind (or ahead, after a rollback of the code) refuses to start and says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import text

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).parent / "migrations"
UPGRADE_COMMAND = "consentgate db upgrade"
_PG_MIGRATION_LOCK = 0x6D696772  # advisory lock key ("migr"): one upgrade at a time


class SchemaOutOfDate(RuntimeError):
    """The database's schema is not the revision this gateway was built for."""

    def __init__(self, state: SchemaState) -> None:
        if state.current is not None and "+" in state.current:
            advice = "alembic_version holds several revisions: repair it to the one applied"
        elif state.ahead:
            advice = "it was migrated by a newer gateway: run that version, or downgrade it"
        else:
            advice = f"run `{UPGRADE_COMMAND}` with the same CONSENTGATE_DATABASE_URL first"
        super().__init__(
            f"the database schema is at revision {state.current or 'none (empty)'}, "
            f"this gateway needs {state.head}: {advice}"
        )
        self.state = state


@dataclass(frozen=True)
class SchemaState:
    current: str | None  # None: no schema yet (an empty database)
    head: str
    known: bool  # the current revision is one of this gateway's migrations

    @property
    def at_head(self) -> bool:
        return self.current == self.head

    @property
    def ahead(self) -> bool:
        return self.current is not None and not self.known


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


@lru_cache(maxsize=1)
def _scripts() -> ScriptDirectory:
    # Parsed once: readiness probes ask for the head every few seconds.
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = _scripts().get_current_head()
    assert head is not None, "the migrations have one head"
    return head


def schema_state(db: Engine) -> SchemaState:
    """Where the database's schema is.

    Raises:
        sqlalchemy.exc.SQLAlchemyError: the database did not answer.
    """
    with db.connect() as connection:
        heads = MigrationContext.configure(connection).get_current_heads()
    if len(heads) > 1:  # alembic_version edited by hand or half-repaired: never "at head"
        return SchemaState(current="+".join(sorted(heads)), head=head_revision(), known=False)
    current = heads[0] if heads else None
    known = current is None or _known(current)
    return SchemaState(current=current, head=head_revision(), known=known)


def _known(revision: str) -> bool:
    try:
        return _scripts().get_revision(revision) is not None
    except CommandError:  # alembic's ResolutionError for a revision it has no script of
        return False


def require_current(db: Engine) -> SchemaState:
    """Refuse a database whose schema is not this gateway's head.

    Raises:
        SchemaOutOfDate: behind (run ``consentgate db upgrade``) or ahead of this gateway.
        sqlalchemy.exc.SQLAlchemyError: the database did not answer.
    """
    state = schema_state(db)
    if not state.at_head:
        raise SchemaOutOfDate(state)
    return state


def migrate(db: Engine, revision: str = "head") -> None:
    """Apply migrations up to ``revision`` in one transaction; safe to repeat.

    On PostgreSQL an advisory lock held to commit makes a second upgrade (another operator,
    another gateway's deploy hook) wait and then find nothing to do, instead of racing.

    Raises:
        alembic.util.CommandError: ``revision`` is unknown, or the database is at a revision
            these migrations do not know.
        sqlalchemy.exc.SQLAlchemyError: a migration failed; nothing of it was applied on
            PostgreSQL (its DDL is transactional).
    """
    config = alembic_config()
    with db.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK}
            )
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
