"""Alembic, driven from code so `infointerview migrate` works from an installed wheel.

Every command migrates its database before it starts, and nearly always there is nothing to do:
``upgrade`` then reads the database's revision and stops there, without importing Alembic (about
0.3 s of each start, most of it in Alembic's imports).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


def newest_revision() -> str:
    """The newest migration's revision: migrations are numbered, and each file's name starts
    with its revision (``0009_inbox.py`` is revision ``0009``)."""
    return max(path.name.split("_", 1)[0] for path in (MIGRATIONS / "versions").glob("*_*.py"))


def is_up_to_date(engine: Engine) -> bool:
    """Whether the database has every migration already (no tables yet, or no database: no)."""
    try:
        with engine.connect() as connection:
            found = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    except DBAPIError:
        return False
    return [row[0] for row in found] == [newest_revision()]


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


# Any fixed number: replicas starting together take turns instead of racing to create tables.
MIGRATION_LOCK = 0x1F0_1E_77


def upgrade(engine: Engine, revision: str = "head") -> None:
    if revision == "head" and is_up_to_date(engine):
        return
    from alembic import command

    config = alembic_config(engine)
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":  # held until this transaction ends
            # a migration may rewrite big tables, and waits for another process's migration:
            # the timeouts that protect requests do not apply to it
            connection.execute(text("SET LOCAL statement_timeout = 0"))
            connection.execute(text("SET LOCAL lock_timeout = 0"))
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                               {"key": MIGRATION_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
