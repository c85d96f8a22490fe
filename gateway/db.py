"""The database engine: SQLite under the data dir by default, PostgreSQL when configured."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import create_engine

from gateway.schema import MIGRATIONS, alembic_config, migrate, require_current

__all__ = ["MIGRATIONS", "alembic_config", "connect", "make_engine", "migrate", "modelled"]

SQLITE_BUSY_TIMEOUT_S = 30  # concurrent writers wait for the lock instead of failing at once

# What the migrations create that no table model can describe: SQLite's full-text index over
# prompts (a virtual table and its shadow tables) and PostgreSQL's trigram index.
_UNMODELLED = ("audit_prompt_search", "ix_audit_prompts_search_trgm")


def modelled(name: str | None, _type: str, _parents: Any) -> bool:
    """Alembic's ``include_name``: leave out what the models do not describe."""
    return not (name or "").startswith(_UNMODELLED)


def connect(url: str) -> Engine:
    """The engine for ``url``, leaving the schema as it is (``consentgate db`` starts here)."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_S}
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def make_engine(url: str) -> Engine:
    """The engine a gateway runs on, its schema at this gateway's revision.

    SQLite (the embedded default) is migrated here, so ``make run`` needs no other step. Any
    other database is only checked: gateways sharing it must not migrate it under each
    other's feet, so upgrading is the operator's step (``consentgate db upgrade``).

    Raises:
        SchemaOutOfDate: a shared database's schema is behind or ahead of this gateway.
        sqlalchemy.exc.SQLAlchemyError: the database did not answer, or a migration failed.
    """
    engine = connect(url)
    if url.startswith("sqlite"):
        migrate(engine)
    else:
        try:
            require_current(engine)
        except BaseException:
            engine.dispose()
            raise
    return engine


def refresh_statistics(engine: Engine) -> None:
    """Bring the query planner's statistics up to date, so it picks the search indexes that
    fit the data (a bulk-loaded log without them is planned as if empty). PostgreSQL's
    autovacuum analyses on its own schedule; this runs it now. SQLite samples each index
    (``analysis_limit``): milliseconds, not a scan of the log.

    Raises:
        sqlalchemy.exc.SQLAlchemyError: the database failed.
    """
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA analysis_limit=1000")
        conn.exec_driver_sql("ANALYZE")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the audit writer
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
