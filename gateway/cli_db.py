"""``consentgate db upgrade`` and ``consentgate db current``: the schema of the configured
database (``CONSENTGATE_DATABASE_URL``, else the SQLite file under the data dir).

On PostgreSQL the gateway no longer migrates at start (gateway/schema.py says why): upgrade
once per release, before the new gateways start. Exit status: 0 done / at head, 1 the schema
is behind or ahead of this gateway (``current``), 2 the database could not be used.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from gateway.settings import get_settings

if TYPE_CHECKING:
    from gateway.schema import SchemaState

# sqlalchemy, alembic and the schema module are imported by the commands that use them: the
# other commands (audit verify) must start without them.

EXIT_OK = 0
EXIT_NOT_AT_HEAD = 1
EXIT_UNUSABLE = 2


def upgrade(url: str) -> tuple[SchemaState, SchemaState]:
    """Bring the database at ``url`` to this gateway's head: the state before and after.

    Raises:
        alembic.util.CommandError: the database is at a revision these migrations do not know.
        sqlalchemy.exc.SQLAlchemyError: the database did not answer, or a migration failed.
    """
    from gateway.db import connect
    from gateway.schema import migrate, schema_state

    db = connect(url)
    try:
        before = schema_state(db)
        migrate(db)
        return before, schema_state(db)
    finally:
        db.dispose()


def register(commands: Any) -> None:
    """Add ``db upgrade`` and ``db current`` (``commands``: the parser's sub-parsers)."""
    db_cmd = commands.add_parser("db", help="the database schema (migrations)")
    db_sub = db_cmd.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser(
        "upgrade", help="apply the migrations up to this gateway's head"
    ).set_defaults(run=_upgrade)
    db_sub.add_parser(
        "current", help="print the schema revision and whether it is at head"
    ).set_defaults(run=_current)


def _database_url() -> str:
    settings = get_settings()
    if settings.database_url is None:  # the SQLite file lives in the data dir
        settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    return settings.resolved_database_url


def _unusable(exc: Exception) -> int:
    # The first line only: a driver's message names the host, never the password, but its
    # later lines carry SQL and a link that help nobody running a command.
    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    print(f"the database could not be used: {type(exc).__name__}: {first_line}", file=sys.stderr)
    return EXIT_UNUSABLE


def _upgrade(_args: argparse.Namespace) -> int:
    from alembic.util import CommandError
    from sqlalchemy.exc import SQLAlchemyError

    try:
        before, after = upgrade(_database_url())
    except (SQLAlchemyError, CommandError) as exc:
        return _unusable(exc)
    if before.current == after.current:
        print(f"already at head: {after.current}")
    else:
        print(f"upgraded from {before.current or 'an empty database'} to {after.current}")
    return EXIT_OK


def _current(_args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from gateway.db import connect
    from gateway.schema import UPGRADE_COMMAND, schema_state

    db = connect(_database_url())
    try:
        state = schema_state(db)
    except SQLAlchemyError as exc:
        return _unusable(exc)
    finally:
        db.dispose()
    if state.at_head:
        print(f"{state.current} (head)")
        return EXIT_OK
    if state.ahead:
        print(f"{state.current}: unknown to this gateway (head {state.head}); a newer one ran")
    else:
        print(f"{state.current or 'empty'}: behind head {state.head}; run `{UPGRADE_COMMAND}`")
    return EXIT_NOT_AT_HEAD
