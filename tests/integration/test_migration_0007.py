"""Migration 0007 rewrites times stored with an offset (round 1's multi-row upsert wrote them
on SQLite) as the naive UTC text every other time has, so they compare and claim correctly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, text

from infointerview.core import Database
from infointerview.core.store import queue
from infointerview.core.store.migrate import upgrade
from infointerview.core.store.repo import REMINDERS, USERS
from tests.conftest import START


def test_0007_repairs_offset_times_and_keeps_the_rest(tmp_path: object) -> None:
    db = Database(f"sqlite:///{tmp_path}/old.db")
    try:
        upgrade(db.engine, "0006")
        with db.begin() as conn:
            conn.execute(insert(USERS).values(
                platform="console", tenant="local", user_id="sam", display_name="Sam",
                tz="Europe/Berlin", created_at=START, updated_at=START))
            for key, due in (("evening", START), ("hour", START + timedelta(days=1))):
                conn.execute(insert(REMINDERS).values(
                    platform="console", tenant="local", user_pk=1, user_id="sam",
                    contact_no=1, kind=key, dedupe_key=f"console:local:sam:{key}:1",
                    due_at=due, status="pending", attempts=0, created_at=START,
                    updated_at=START))
            # as round 1 wrote a second reminder of one event: local text with an offset
            conn.exec_driver_sql("UPDATE reminders SET due_at = '2026-03-03 16:00:00+01:00' "
                                 "WHERE kind = 'hour'")
            conn.exec_driver_sql("UPDATE users SET updated_at = '2026-03-02 10:00:00-05:00'")
        upgrade(db.engine)
        with db.begin() as conn:
            raw = dict(conn.execute(text("SELECT kind, due_at FROM reminders")).all())
            updated = conn.execute(text("SELECT updated_at FROM users")).scalar_one()
            assert raw == {"evening": "2026-03-02 15:00:00.000000",
                           "hour": "2026-03-03 15:00:00.000000"}
            assert updated == "2026-03-02 15:00:00.000000"
            hour = datetime(2026, 3, 3, 15, tzinfo=UTC)
            # leased across the minute (the default lease is shorter), so still held at ``hour``
            early = queue.claim_due(conn, "console", hour - timedelta(minutes=1),
                                    lease=timedelta(minutes=5))
            assert [c.kind for c in early] == ["evening"]
            assert [c.kind for c in queue.claim_due(conn, "console", hour)] == ["hour"]
    finally:
        db.dispose()
