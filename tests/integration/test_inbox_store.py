"""The inbox keeps each acknowledged request until it is handled: pending rows come back in the
order they were received, a row marked done never comes back, and done rows are pruned."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from infointerview.core import Database
from infointerview.core.store import inbox
from infointerview.core.store.migrate import upgrade
from tests.conftest import START


def _receive(database: Database, user_id: str, marker: str, platform: str = "slack") -> int:
    with database.begin() as connection:
        return inbox.record(connection, platform=platform, tenant="T1", user_id=user_id,
                            kind="command", event_id=f"command:{marker}",
                            payload={"text": f"note 1 {marker}"}, received_at=START)


def test_pending_rows_come_back_in_the_order_received_with_their_payload(
        database: Database) -> None:
    ids = [_receive(database, user, marker)
           for user, marker in (("U1", "a"), ("U2", "b"), ("U1", "c"))]
    _receive(database, "U1", "elsewhere", platform="discord")
    with database.begin() as connection:
        pending = inbox.pending(connection, "slack")
    assert [entry.id for entry in pending] == ids
    first = pending[0]
    assert (first.platform, first.tenant, first.user_id, first.kind, first.event_id) == \
        ("slack", "T1", "U1", "command", "command:a")
    assert first.payload == {"text": "note 1 a"}
    assert first.received_at == START


def test_a_row_marked_done_is_not_pending_and_keeps_its_first_outcome(
        database: Database) -> None:
    first, second = _receive(database, "U1", "a"), _receive(database, "U1", "b")
    with database.begin() as connection:
        assert inbox.mark_done(connection, first, START, "handled")
        assert not inbox.mark_done(connection, first, START, "not_saved")  # already done
    with database.begin() as connection:
        assert [entry.id for entry in inbox.pending(connection, "slack")] == [second]
        outcome = connection.execute(text("SELECT outcome FROM inbox WHERE id = :id"),
                                     {"id": first}).scalar_one()
    assert outcome == "handled"


def test_marking_done_rolls_back_with_the_transaction_it_is_part_of(
        database: Database) -> None:
    row = _receive(database, "U1", "a")
    try:
        with database.begin() as connection:
            inbox.mark_done(connection, row, START, "handled")
            raise RuntimeError("the event's own writes failed")
    except RuntimeError:
        pass
    with database.begin() as connection:
        assert [entry.id for entry in inbox.pending(connection, "slack")] == [row]


def test_done_rows_older_than_the_cutoff_are_pruned_and_pending_ones_never(
        database: Database) -> None:
    old, recent, waiting = (_receive(database, "U1", m) for m in ("old", "recent", "waiting"))
    with database.begin() as connection:
        inbox.mark_done(connection, old, START, "handled")
        inbox.mark_done(connection, recent, START + timedelta(days=2), "handled")
    with database.begin() as connection:
        assert inbox.prune(connection, START + timedelta(days=1)) == 1
        left = connection.execute(text("SELECT id FROM inbox ORDER BY id")).scalars().all()
    assert left == [recent, waiting]


def test_0009_creates_the_inbox_on_an_existing_database(tmp_path: object) -> None:
    db = Database(f"sqlite:///{tmp_path}/old.db")
    try:
        upgrade(db.engine, "0008")
        upgrade(db.engine)
        assert _receive(db, "U1", "a") == 1
        with db.begin() as connection:
            assert len(inbox.pending(connection, "slack")) == 1
    finally:
        db.engine.dispose()
