"""``apply_reminders`` writes a person's new reminders with one multi-row upsert per 8: new rows,
moved rows (the conflict path, which also undoes a claim in flight), cancels, and a repeated key
applied in order."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import event, select, update

from infointerview.core import Engine
from infointerview.core.model import Cancel, Schedule
from infointerview.core.store import repo
from infointerview.core.store.repo import REMINDERS, USERS
from tests.helpers import User


def _person(engine: Engine) -> Any:
    User(engine).onboard()
    with engine.database.begin() as conn:
        return conn.execute(select(USERS).where(USERS.c.user_id == "sam")).mappings().one()


def _rows(engine: Engine) -> dict[str, tuple[Any, ...]]:
    with engine.database.begin() as conn:
        rows = conn.execute(select(REMINDERS.c.dedupe_key, REMINDERS.c.kind, REMINDERS.c.due_at,
                                   REMINDERS.c.status, REMINDERS.c.attempts,
                                   REMINDERS.c.contact_no, REMINDERS.c.lease_until)
                            .where(REMINDERS.c.dedupe_key.like("console:local:sam:t%"))).all()
    return {row[0].rsplit(":", 1)[1]: tuple(row[1:]) for row in rows}


def _upserts(engine: Engine) -> list[int]:
    """Rows per reminders INSERT sent to the driver, recorded while the test runs."""
    sent: list[int] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.startswith("INSERT INTO reminders"):
            sent.append(statement.count("'pending', 0,"))  # one per row of VALUES

    event.listen(engine.database.engine, "before_cursor_execute", count)
    return sent


def test_ten_new_reminders_go_in_two_statements_and_read_back_exactly(
        engine: Engine) -> None:
    user, now = _person(engine), engine.clock()
    due = [now + timedelta(hours=i + 1) for i in range(10)]
    effects: list[Schedule | Cancel] = [
        Schedule(f"t{i}", f"kind{i}", due[i], i if i % 2 else None) for i in range(10)]
    sent = _upserts(engine)
    with engine.database.begin() as conn:
        repo.apply_reminders(conn, user, effects, now)
    assert sent == [8, 2]
    assert _rows(engine) == {f"t{i}": (f"kind{i}", due[i], "pending", 0, i if i % 2 else None,
                                       None) for i in range(10)}


def test_a_moved_reminder_is_pending_again_and_a_claim_in_flight_is_no_attempt(
        engine: Engine) -> None:
    user, now = _person(engine), engine.clock()
    with engine.database.begin() as conn:
        repo.apply_reminders(conn, user, [Schedule("t1", "a", now, 1), Schedule("t2", "b", now, 2),
                                          Schedule("t3", "c", now, 3)], now)
        conn.execute(update(REMINDERS).where(REMINDERS.c.dedupe_key.like("%:t1"))
                     .values(status="sending", attempts=2, lease_until=now))
        conn.execute(update(REMINDERS).where(REMINDERS.c.dedupe_key.like("%:t2"))
                     .values(status="delivered", attempts=1))
    later = now + timedelta(days=1)
    with engine.database.begin() as conn:
        repo.apply_reminders(conn, user, [
            Schedule("t1", "a", later, 7), Schedule("t2", "b", later, 8), Cancel("t3")], now)
    assert _rows(engine) == {"t1": ("a", later, "pending", 1, 7, None),
                             "t2": ("b", later, "pending", 0, 8, None),
                             "t3": ("c", now, "cancelled", 0, 3, None)}


def test_a_key_given_twice_ends_as_the_later_effect_said(engine: Engine) -> None:
    user, now = _person(engine), engine.clock()
    later = now + timedelta(hours=5)
    with engine.database.begin() as conn:
        repo.apply_reminders(conn, user, [Schedule("t1", "a", now, 1), Schedule("t2", "b", now, 2),
                                          Cancel("t1"), Schedule("t2", "b", later, 2)], now)
    assert _rows(engine) == {"t1": ("a", now, "cancelled", 0, 1, None),
                             "t2": ("b", later, "pending", 0, 2, None)}
