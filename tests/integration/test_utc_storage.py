"""Every stored instant is UTC, in one representation, on both backends, however it came in.

Round 1's multi-row reminder upsert bound only its first row's due time through the column's
type; the later rows were written as local text with an offset on SQLite
(``'2026-04-08 13:00:00+02:00'``), claimed hours early west of UTC and never east of it, where
``advance_by`` then looped. These tests write due times given in zones on both sides of UTC and
read them back, raw and through the claim query.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Connection, bindparam, select, text
from sqlalchemy.exc import StatementError

from infointerview.core import Engine
from infointerview.core.model import Cancel, Schedule
from infointerview.core.store import queue, repo
from infointerview.core.store.repo import REMINDERS, USERS
from tests.helpers import User

BERLIN, NEW_YORK, KOLKATA = (ZoneInfo(z) for z in ("Europe/Berlin", "America/New_York",
                                                  "Asia/Kolkata"))
ZONES = [BERLIN, NEW_YORK, KOLKATA]


def _person(engine: Engine) -> Any:
    User(engine).onboard()
    with engine.database.begin() as conn:
        return conn.execute(select(USERS).where(USERS.c.user_id == "sam")).mappings().one()


def _raw_due_times(conn: Connection) -> list[Any]:
    return list(conn.execute(text("SELECT due_at FROM reminders WHERE dedupe_key LIKE "
                                  "'console:local:sam:z%' ORDER BY due_at")).scalars())


def test_local_due_times_in_one_event_are_stored_as_utc(engine: Engine) -> None:
    user, now = _person(engine), engine.clock()
    base = datetime(2026, 4, 8, 13, 0, tzinfo=UTC)
    # one event scheduling several reminders whose due times carry the person's zone
    due = [(base + timedelta(minutes=i)).astimezone(ZONES[i % 3]) for i in range(5)]
    effects: list[Schedule | Cancel] = [Schedule(f"z{i}", "k", d, None) for i, d in enumerate(due)]
    with engine.database.begin() as conn:
        repo.apply_reminders(conn, user, effects, now)
    with engine.database.begin() as conn:
        raw = _raw_due_times(conn)
        stored = conn.execute(select(REMINDERS.c.due_at).where(
            REMINDERS.c.dedupe_key.like("console:local:sam:z%"))
            .order_by(REMINDERS.c.due_at)).scalars().all()
    assert stored == [base + timedelta(minutes=i) for i in range(5)]
    assert all(d.tzinfo is UTC for d in stored)
    if engine.database.is_postgres:
        assert all(r.utcoffset() == timedelta(0) for r in raw)
    else:  # one text form, naive UTC, so string comparison orders by instant
        assert raw == [(base + timedelta(minutes=i)).strftime("%Y-%m-%d %H:%M:%S.%f")
                       for i in range(5)]


@pytest.mark.parametrize("zone", ZONES, ids=str)
def test_a_second_reminder_of_an_event_is_claimed_at_its_instant_not_before(
        engine: Engine, zone: ZoneInfo) -> None:
    user, now = _person(engine), engine.clock()
    first = datetime(2026, 4, 7, 18, 0, tzinfo=zone)
    second = datetime(2026, 4, 8, 13, 0, tzinfo=zone)
    with engine.database.begin() as conn:
        repo.apply_reminders(conn, user, [Schedule("z1", "prep_day", first, 1),
                                          Schedule("z2", "prep_hour", second, 1)], now)
    with engine.database.begin() as conn:
        assert queue.next_due(conn, "console", second - timedelta(hours=20)) == first
        # leased across the minute (the default lease is shorter), so still held at ``second``
        early = queue.claim_due(conn, "console", second - timedelta(minutes=1),
                                lease=timedelta(minutes=5))
        assert [c.kind for c in early] == ["prep_day"]
        assert queue.next_due(conn, "console", second - timedelta(minutes=1)) == second
        on_time = queue.claim_due(conn, "console", second)
        assert [c.kind for c in on_time] == ["prep_hour"]
        assert on_time[0].due_at == second


def test_a_naive_datetime_is_refused_when_stored(engine: Engine) -> None:
    user, now = _person(engine), engine.clock()
    naive = datetime(2026, 4, 8, 13, 0)
    # the column type's ValueError, as SQLAlchemy reports a bind that failed to convert
    with pytest.raises(StatementError, match="naive"), engine.database.begin() as conn:
        repo.apply_reminders(conn, user, [Schedule("z1", "a", now, None),
                                          Schedule("z2", "b", naive, None)], now)


def test_a_bind_compared_with_a_utc_column_takes_its_type(engine: Engine) -> None:
    """A parameter compared with a stored instant is converted as the column stores it, so a
    Berlin time finds the reminders due before that instant, not before its local text."""
    user, now = _person(engine), engine.clock()
    due = datetime(2026, 4, 8, 12, 30, tzinfo=UTC)  # 14:30 in Berlin
    with engine.database.begin() as conn:
        repo.apply_reminders(conn, user, [Schedule("z1", "k", due, None)], now)
    query = select(REMINDERS.c.dedupe_key).where(REMINDERS.c.due_at < bindparam("at"),
                                                 REMINDERS.c.dedupe_key.like("%:z1"))
    with engine.database.begin() as conn:
        # 14:00 in Berlin is 12:00 UTC: before the reminder, although "14:00" > "12:30" as text
        assert conn.execute(query, {"at": datetime(2026, 4, 8, 14, 0, tzinfo=BERLIN)}).all() == []
        assert len(conn.execute(query, {"at": datetime(2026, 4, 8, 15, 0, tzinfo=BERLIN)})
                   .all()) == 1


def test_sqlite_refuses_a_datetime_that_skipped_its_column_type(tmp_path: Any) -> None:
    from infointerview.core import Database

    database = Database(f"sqlite:///{tmp_path}/t.db")
    try:
        with pytest.raises(TypeError, match="without its column's type"), \
                database.begin() as conn:
            conn.execute(text("SELECT :at"), {"at": datetime(2026, 4, 8, 13, tzinfo=BERLIN)})
    finally:
        database.dispose()
