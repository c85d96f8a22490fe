"""The database engine: SQLite under the data dir by default, PostgreSQL when configured."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel, create_engine

SQLITE_BUSY_TIMEOUT_S = 30  # concurrent writers wait for the lock instead of failing at once


def make_engine(url: str) -> Engine:
    """Create the engine and the tables (importing every package's table models first)."""
    import audit.tables  # noqa: F401  (registers the tables on SQLModel.metadata)
    import gateway.artifacts  # noqa: F401

    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_S}
        )
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    SQLModel.metadata.create_all(engine)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the audit writer
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
