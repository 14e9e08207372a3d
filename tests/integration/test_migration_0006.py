"""Migration 0006 swaps the dedupe key's unique index and the owner index for one unique index on
(user_pk, dedupe_key): rows survive it both ways, the partial indexes stay partial (SQLite
rebuilds the table for it), and a key is still unique for its person."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic import command
from sqlalchemy import insert, inspect, select
from sqlalchemy.exc import IntegrityError

from infointerview.core import Database
from infointerview.core.store.migrate import alembic_config, upgrade
from infointerview.core.store.repo import REMINDERS, USERS
from tests.conftest import START


@pytest.fixture
def at_0005(db_url: str) -> Iterator[Database]:
    db = Database(db_url)
    upgrade(db.engine, "0005")
    with db.begin() as conn:
        conn.execute(insert(USERS).values(
            platform="console", tenant="local", user_id="sam", display_name="Sam", tz="UTC",
            created_at=START, updated_at=START))
        conn.execute(insert(REMINDERS).values(
            platform="console", tenant="local", user_pk=1, user_id="sam", contact_no=None,
            kind="thank_you", dedupe_key="console:local:sam:thank_you:1", due_at=START,
            status="pending", attempts=0, created_at=START, updated_at=START))
    yield db
    db.dispose()


def _reminder_indexes(db: Database) -> dict[str, tuple[tuple[str, ...], bool, str]]:
    found = {}
    for index in inspect(db.engine).get_indexes("reminders"):
        options = index.get("dialect_options", {})
        where = options.get("sqlite_where", options.get("postgresql_where", ""))
        found[str(index["name"])] = (tuple(index["column_names"]), bool(index["unique"]),
                                     " ".join(str(where).split()))
    return found


def _keys(db: Database) -> list[tuple[int, str]]:
    with db.begin() as conn:
        return [tuple(row) for row in conn.execute(select(REMINDERS.c.user_pk,
                                                          REMINDERS.c.dedupe_key))]


def test_0006_keeps_rows_and_partial_indexes_and_one_key_per_person(at_0005: Database) -> None:
    upgrade(at_0005.engine)
    assert _keys(at_0005) == [(1, "console:local:sam:thank_you:1")]
    indexes = _reminder_indexes(at_0005)
    assert "ix_reminders_user" not in indexes
    assert indexes["ix_reminders_due_pending"][0] == ("platform", "due_at")
    assert "pending" in indexes["ix_reminders_due_pending"][2]
    assert "sending" in indexes["ix_reminders_leased"][2]
    uniques = {tuple(c["column_names"]) for c in
               inspect(at_0005.engine).get_unique_constraints("reminders")}
    assert uniques == {("user_pk", "dedupe_key")}
    with pytest.raises(IntegrityError), at_0005.begin() as conn:
        conn.execute(insert(REMINDERS).values(
            platform="console", tenant="local", user_pk=1, user_id="sam", contact_no=None,
            kind="thank_you", dedupe_key="console:local:sam:thank_you:1", due_at=START,
            status="pending", attempts=0, created_at=START, updated_at=START))


def test_0006_goes_back_to_the_two_indexes(at_0005: Database) -> None:
    upgrade(at_0005.engine)
    config = alembic_config(at_0005.engine)
    with at_0005.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0005")
    assert _keys(at_0005) == [(1, "console:local:sam:thank_you:1")]
    assert "ix_reminders_user" in _reminder_indexes(at_0005)
    uniques = {tuple(c["column_names"]) for c in
               inspect(at_0005.engine).get_unique_constraints("reminders")}
    assert uniques == {("dedupe_key",)}
