"""Shared fixtures: every storage and engine test runs on SQLite and on PostgreSQL.

PostgreSQL is the local server on 127.0.0.1:5432 (database ``test``). Without a server the
PostgreSQL cases are skipped, unless INFOINTERVIEW_REQUIRE_POSTGRES=1 (as in .ci/run), where they
fail instead.

Migrating a database takes about half a second, so ``database`` does not migrate per test: the
test session migrates one template per backend and each test gets a copy of it (SQLite: the
file; PostgreSQL: ``CREATE DATABASE … TEMPLATE``, tens of milliseconds). ``db_url`` and
``postgres_url`` stay empty, for the tests of migrating itself.
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
def postgres_template(postgres_dsn: str) -> Iterator[str]:
    """A PostgreSQL database migrated to head once per test session (its own name, so test
    sessions running side by side do not share one), dropped at the end."""
    name = f"ii_template_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    template = Database(_with_database(postgres_dsn, name))
    template.migrate()
    template.dispose()  # CREATE DATABASE … TEMPLATE refuses a template with open connections
    yield name
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def migrated_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database of this test's own, already at the newest migration."""
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    dsn = request.getfixturevalue("postgres_dsn")
    template = request.getfixturevalue("postgres_template")
    name = f"ii_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    yield _with_database(dsn, name)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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
