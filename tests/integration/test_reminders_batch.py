"""Batch bookkeeping of the reminder queue: ``mark_delivered_many``, the dispatcher marking the
reminders that needed no DM together, and the SQLite WAL checkpoint it runs between batches."""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, insert, select, update

from infointerview.core import Database, Engine, SimulatedClock
from infointerview.core.dispatch import Dispatcher
from infointerview.core.store import queue
from infointerview.core.store.repo import REMINDERS, USERS
from tests.conftest import START
from tests.helpers import User
from tests.integration.test_reminders import RecordingGateway, contact_ready


def add_reminders(engine: Engine, kind: str, count: int, due_ago: timedelta) -> list[int]:
    """Rows for sam directly in the table; a kind the journey does not know is answered with
    nothing (it needs no DM)."""
    now = engine.clock()
    with engine.database.begin() as conn:
        user = conn.execute(select(USERS).where(USERS.c.user_id == "sam")).mappings().one()
        return [conn.execute(insert(REMINDERS).values(
            platform="console", tenant="local", user_pk=user["id"], user_id="sam",
            contact_no=None, kind=kind, dedupe_key=f"console:local:sam:{kind}:{i}",
            due_at=now - due_ago, status="pending", attempts=0, created_at=now,
            updated_at=now).returning(REMINDERS.c.id)).scalar_one() for i in range(count)]


def statuses(engine: Engine, ids: list[int]) -> list[str]:
    with engine.database.begin() as conn:
        rows = conn.execute(select(REMINDERS.c.id, REMINDERS.c.status)
                            .where(REMINDERS.c.id.in_(ids))).all()
    return [status for _, status in sorted(rows)]


def test_mark_delivered_many_marks_only_reminders_still_being_sent(engine: Engine) -> None:
    User(engine).onboard()
    ids = add_reminders(engine, "retired_kind", 4, timedelta(minutes=1))
    now = engine.clock()
    with engine.database.begin() as conn:
        claimed = [r.id for r in queue.claim_due(conn, "console", now, 3)]
        assert len(claimed) == 3
        conn.execute(update(REMINDERS).where(REMINDERS.c.id == claimed[0])
                     .values(status="cancelled"))  # cancelled meanwhile
        assert queue.mark_delivered_many(conn, [], now) == []
        marked = queue.mark_delivered_many(conn, [*claimed, *ids], now, "ref")
    assert sorted(marked) == sorted(claimed[1:])
    expected = {i: "pending" for i in ids} | {i: "delivered" for i in claimed[1:]} | {
        claimed[0]: "cancelled"}
    assert statuses(engine, ids) == [expected[i] for i in sorted(ids)]


def test_reminders_needing_no_dm_are_marked_together_after_the_batch(
        engine: Engine, clock: SimulatedClock) -> None:
    gateway = RecordingGateway(clock)
    sam, number = contact_ready(engine)
    sam.click("mark_sent", number)  # a nudge, three working days later
    clock.advance(timedelta(days=3))
    silent = add_reminders(engine, "retired_kind", 5, timedelta(hours=1))
    with engine.database.begin() as conn:  # a warning from an earlier refusal
        conn.execute(update(USERS).where(USERS.c.user_id == "sam").values(
            undelivered_reminders=2, delivery_error="dms closed"))
    marks: list[str] = []

    def spy(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if statement.startswith("UPDATE reminders SET status") and "delivered" in str(params):
            marks.append(statement)

    event.listen(engine.database.engine, "before_cursor_execute", spy)
    report = asyncio.run(Dispatcher(engine, gateway).tick())
    event.remove(engine.database.engine, "before_cursor_execute", spy)
    assert report.claimed == 6 and report.silent == 5 and report.delivered == 1
    assert len(gateway.sent) == 1 and "No reply" in gateway.sent[0].text
    assert statuses(engine, silent) == ["delivered"] * 5
    assert len(marks) == 2  # the DM's own, and one for the five silent ones
    with engine.database.begin() as conn:  # the one DM that got through clears the warning
        user = conn.execute(select(USERS).where(USERS.c.user_id == "sam")).mappings().one()
    assert user["undelivered_reminders"] == 0 and user["delivery_error"] == ""


def test_reminders_needing_no_dm_leave_a_refusal_warning_standing(
        engine: Engine, clock: SimulatedClock) -> None:
    User(engine).onboard()
    silent = add_reminders(engine, "retired_kind", 2, timedelta(minutes=5))
    with engine.database.begin() as conn:
        conn.execute(update(USERS).where(USERS.c.user_id == "sam").values(
            undelivered_reminders=1, delivery_error="dms closed"))
    report = asyncio.run(Dispatcher(engine, RecordingGateway(clock)).tick())
    assert report.silent == 2 and report.delivered == 0
    assert statuses(engine, silent) == ["delivered"] * 2
    with engine.database.begin() as conn:  # no DM went out: nothing shows DMs work again
        user = conn.execute(select(USERS).where(USERS.c.user_id == "sam")).mappings().one()
    assert user["undelivered_reminders"] == 1 and user["delivery_error"] == "dms closed"


def test_a_crash_before_the_silent_ones_are_marked_sends_nothing_and_loses_nothing(
        engine: Engine, clock: SimulatedClock, monkeypatch: pytest.MonkeyPatch) -> None:
    gateway = RecordingGateway(clock)
    User(engine).onboard()
    silent = add_reminders(engine, "retired_kind", 3, timedelta(minutes=5))

    def die(*_: Any, **__: Any) -> list[int]:
        raise RuntimeError("the process died here")

    monkeypatch.setattr(queue, "mark_delivered_many", die)
    dispatcher = Dispatcher(engine, gateway, lease=timedelta(minutes=5))
    with pytest.raises(RuntimeError):
        asyncio.run(dispatcher.tick())
    assert statuses(engine, silent) == ["sending"] * 3  # leased, as after a SIGKILL
    monkeypatch.undo()
    clock.advance(timedelta(minutes=6))  # the lease runs out; any process takes them again
    report = asyncio.run(dispatcher.tick())
    assert report.claimed == 3 and report.silent == 3 and gateway.sent == []
    assert statuses(engine, silent) == ["delivered"] * 3


def test_the_dispatcher_checkpoints_once_per_claim(
        engine: Engine, clock: SimulatedClock, monkeypatch: pytest.MonkeyPatch) -> None:
    User(engine).onboard()
    add_reminders(engine, "retired_kind", 5, timedelta(minutes=1))
    calls: list[int] = []
    monkeypatch.setattr(engine.database, "checkpoint", lambda: calls.append(1))
    report = asyncio.run(Dispatcher(engine, RecordingGateway(clock), batch=2).tick())
    assert report.claimed == 5 and len(calls) == 3  # batches of 2, 2 and 1


def test_sqlite_checkpoint_moves_the_wal_into_the_database_file(tmp_path: Any) -> None:
    path = tmp_path / "wal.db"
    database = Database(f"sqlite:///{path}")
    database.migrate()
    database.checkpoint()
    with database.begin() as conn:
        conn.execute(insert(USERS).values(
            platform="console", tenant="local", user_id="ana", display_name="Ana",
            created_at=START, updated_at=START))

    def in_file() -> int:  # immutable: reads the database file alone, never the WAL
        with sqlite3.connect(f"file:{path}?immutable=1", uri=True) as raw:
            return int(raw.execute("SELECT count(*) FROM users").fetchone()[0])

    assert in_file() == 0
    database.checkpoint()
    assert in_file() == 1
    database.dispose()


def test_postgresql_checkpoint_is_left_to_the_server(postgres_url: str) -> None:
    database = Database(postgres_url)
    database.checkpoint()  # nothing to do, and no error
    database.dispose()


@dataclass
class SlowGateway(RecordingGateway):
    """A platform so slow that each DM takes two minutes; records, at each send, whether this
    process still held the reminder's lease."""

    engine: Engine | None = None
    held: list[bool] = field(default_factory=list)

    async def send_dm(self, tenant: str, user_id: str, message: Any, *,
                      idempotency_key: str, sent_since: datetime | None = None) -> str:
        assert self.engine is not None
        reminder_id = int(idempotency_key.split("-")[1])
        with self.engine.database.begin() as conn:
            status, lease = conn.execute(select(REMINDERS.c.status, REMINDERS.c.lease_until)
                                         .where(REMINDERS.c.id == reminder_id)).one()
        self.held.append(status == "sending" and lease > self.clock())
        self.clock.advance(timedelta(minutes=2))
        return await super().send_dm(tenant, user_id, message, idempotency_key=idempotency_key)


def test_a_batch_slower_than_its_lease_is_handed_back_before_the_lease_runs_out(
        engine: Engine, clock: SimulatedClock) -> None:
    for name in ("ana", "ben", "cho", "dev", "eli"):
        person = User(engine, name)
        person.onboard()
        person.click("mark_sent", str(person.add_contact()))  # a no-reply nudge, days later
    clock.advance(timedelta(days=7))
    gateway = SlowGateway(clock, engine=engine)
    report = asyncio.run(Dispatcher(engine, gateway).tick())  # lease: 5 minutes
    assert len(gateway.held) >= 5 and all(gateway.held), gateway.held
    assert len({s.key for s in gateway.sent}) == len(gateway.sent)  # none sent twice
    assert report.delivered == len(gateway.sent)
    with engine.database.begin() as conn:
        assert not conn.execute(select(REMINDERS.c.id).where(
            REMINDERS.c.status == "sending")).all()
