"""Shared fixtures: every storage and engine test runs on SQLite and on PostgreSQL.

PostgreSQL is the local server on 127.0.0.1:5432 (database ``test``); each test gets a schema of
its own. Without a server the PostgreSQL cases are skipped, unless
INFOINTERVIEW_REQUIRE_POSTGRES=1 (as in .ci/run), where they fail instead.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import psycopg
import pytest

from core import Database, Engine, SimulatedClock

PG_DSN = os.environ.get("INFOINTERVIEW_TEST_POSTGRES",
                        "postgresql://postgres@127.0.0.1:5432/test")
START = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # Monday 09:00 in Chicago


def _postgres_available() -> str | None:
    try:
        with psycopg.connect(PG_DSN, connect_timeout=3):
            return None
    except Exception as exc:  # any failure means: no usable server here
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


@pytest.fixture(scope="session")
def postgres_dsn() -> str:
    problem = _postgres_available()
    if problem is not None:
        if os.environ.get("INFOINTERVIEW_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required but not reachable at {PG_DSN}: {problem}")
        pytest.skip(f"PostgreSQL not reachable at {PG_DSN}: {problem}")
    return PG_DSN


@pytest.fixture
def postgres_url(postgres_dsn: str) -> Iterator[str]:
    """A database URL whose search_path is a fresh schema, dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in postgres_dsn else "?"
    yield f"{postgres_dsn}{separator}options=-csearch_path%3D{schema}"
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: object) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/test.db"  # type: ignore[str-bytes-safe]
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def database(db_url: str) -> Iterator[Database]:
    db = Database(db_url)
    db.migrate()
    yield db
    db.dispose()


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock(START)


@pytest.fixture
def engine(database: Database, clock: SimulatedClock) -> Engine:
    return Engine(database, clock=clock)
