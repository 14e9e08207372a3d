"""Shared fixtures: every storage and engine test runs on SQLite and on PostgreSQL.

PostgreSQL is the local server on 127.0.0.1:5432 (database ``test``). Without a server the
PostgreSQL cases are skipped, unless INFOINTERVIEW_REQUIRE_POSTGRES=1 (as in .ci/run), where they
fail instead.

Migrating a database takes about half a second, so ``database`` does not migrate per test: the
test session migrates one database per backend once. SQLite: each test gets a copy of the file.
PostgreSQL: each test gets the session's database emptied (TRUNCATE, about 0.05 s), because a
copy (``CREATE DATABASE … TEMPLATE``) took 0.2 s and the first connection to a new database as
long again, which made the suite's PostgreSQL half slower than migrating per test had been
(``bench/suite.py``). ``db_url`` and ``postgres_url`` stay empty, for the tests of migrating
itself.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql

from infointerview.core import Database, Engine, SimulatedClock

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


def _with_database(dsn: str, name: str) -> str:
    return urlunsplit(urlsplit(dsn)._replace(path=f"/{name}"))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once per test session."""
    path = tmp_path_factory.mktemp("template") / "migrated.db"
    template = Database(f"sqlite:///{path}")
    template.migrate()
    template.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_migrated(postgres_dsn: str) -> Iterator[str]:
    """A PostgreSQL database migrated to head once per test session (its own name, so test
    sessions running side by side, as pytest-xdist's workers, do not share one), dropped at the
    end."""
    name = f"ii_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    migrated = Database(_with_database(postgres_dsn, name))
    migrated.migrate()
    migrated.dispose()
    yield _with_database(postgres_dsn, name)
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _emptied(url: str) -> str:
    """The database at ``url`` as migrating left it: no other connection to it (a previous
    test's process or pool), every table empty, every id sequence back at 1."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                     "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        tables = [row[0] for row in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename <> 'alembic_version'")]
        conn.execute(sql.SQL("TRUNCATE {} RESTART IDENTITY CASCADE").format(
            sql.SQL(", ").join(sql.Identifier(table) for table in tables)))
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def migrated_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database for this test alone, already at the newest migration."""
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    yield _emptied(request.getfixturevalue("postgres_migrated"))


@pytest.fixture
def database(migrated_url: str) -> Iterator[Database]:
    db = Database(migrated_url)
    yield db
    db.dispose()


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock(START)


@pytest.fixture
def engine(database: Database, clock: SimulatedClock) -> Engine:
    return Engine(database, clock=clock)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything in tests/e2e starts real processes: marked slow (``-m "not slow"`` skips it)."""
    for item in items:
        if "e2e" in item.path.parts:
            item.add_marker(pytest.mark.slow)
