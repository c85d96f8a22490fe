"""Alembic migrations of the gateway's database; applied at start-up by gateway.db."""
