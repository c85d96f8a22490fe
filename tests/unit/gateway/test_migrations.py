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
