"""The migrations build exactly the schema the table models describe."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

from gateway.db import alembic_config, make_engine, migrate, modelled


def test_migrated_schema_matches_the_models(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": modelled})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []


def test_migrations_run_down_and_up_again(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert "audit_entries" not in inspect(engine).get_table_names()
    migrate(engine)
    assert {"audit_entries", "audit_prompts", "audit_checkpoints", "artifacts"} <= set(
        inspect(engine).get_table_names()
    )


def test_starting_twice_is_harmless(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    make_engine(url)
    engine = make_engine(url)
    assert "alembic_version" in inspect(engine).get_table_names()


def test_several_recorded_revisions_are_never_taken_for_the_head(tmp_path: Path) -> None:
    """Two rows in alembic_version (0009 and 0001) read as "0009 (head)" and the gateway
    started (found by the attack): now they are refused, naming the repair."""
    import pytest
    from sqlalchemy import text

    from gateway.db import connect
    from gateway.schema import SchemaOutOfDate, require_current, schema_state

    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    make_engine(url)  # at head
    db = connect(url)
    with db.begin() as conn:
        conn.execute(text("INSERT INTO alembic_version (version_num) VALUES ('0001')"))
    state = schema_state(db)
    assert not state.at_head
    with pytest.raises(SchemaOutOfDate, match="several revisions"):
        require_current(db)
