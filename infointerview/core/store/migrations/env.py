"""Alembic environment: runs on the connection handed over by core.store.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

from infointerview.core.store.models import Base

config = context.config
target_metadata = Base.metadata


def _ours(name: str | None, kind: str, parents: object) -> bool:
    """slack_sdk's installation tables (migration 0004) are shaped by slack_sdk, not our models."""
    return not (kind == "table" and (name or "").startswith("slack_"))


def run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        include_name=_ours,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


given = config.attributes.get("connection")
if given is not None:
    run(given)
else:
    engine = engine_from_config(config.get_section(config.config_ini_section, {}),
                                prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as conn:
        run(conn)
