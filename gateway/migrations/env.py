"""Alembic environment: the gateway passes its open connection in ``config.attributes``."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import audit.tables  # noqa: F401  (registers tables on the metadata)
import consent.tables  # noqa: F401
import gateway.artifacts
import gateway.idempotency
import gateway.inputs
import gateway.jobs
import gateway.ui.logins
import gateway.ui.sessions  # noqa: F401
from gateway.db import modelled

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    include_name=modelled,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying
)
with context.begin_transaction():
    context.run_migrations()
