"""Storage: migrations match the models, forget-me deletes every row, reminders are claimed once."""

from __future__ import annotations

from datetime import timedelta

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from infointerview.core import Database, Engine, SendDM, SimulatedClock
from infointerview.core.store.models import Base, ContactRow, ReminderRow, UserRow
from tests.helpers import User, messages


def test_migrations_create_exactly_the_models(database: Database) -> None:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "include_name": _ours})
        assert compare_metadata(context, Base.metadata) == []


def _ours(name: str | None, kind: str, parents: object) -> bool:
    """slack_sdk's installation tables are created by migration 0004 and tested with the store."""
    return not (kind == "table" and (name or "").startswith("slack_"))


def _count(database: Database, table: type, **where: object) -> int:
    with database.transaction() as session:
        query = select(func.count()).select_from(table)
        for column, value in where.items():
            query = query.where(getattr(table, column) == value)
        return int(session.scalar(query) or 0)


def test_forget_me_removes_every_row_of_that_user_only(engine: Engine) -> None:
    sam, alex = User(engine, "sam"), User(engine, "alex")
    for person in (sam, alex):
        person.onboard()
        number = person.add_contact()
        person.click("mark_sent", str(number))
        person.command("note", f"{number} private thought")
    assert _count(engine.database, ReminderRow, user_id="sam") > 0
    confirm = sam.command("forget-me")
    assert [b.action for m in messages(confirm) for b in m.buttons] == [
        "forget_confirm", "forget_cancel"]
    assert _count(engine.database, UserRow, user_id="sam") == 1  # nothing gone before confirming
    sam.click("forget_confirm")
    assert _count(engine.database, UserRow, user_id="sam") == 0
    assert _count(engine.database, ReminderRow, user_id="sam") == 0
    assert _count(engine.database, ContactRow) == 1  # alex's contact stays
    assert _count(engine.database, UserRow, user_id="alex") == 1


def test_private_content_goes_to_the_dm_not_the_channel(engine: Engine) -> None:
    sam = User(engine, "sam", channel="#cohort")
    sam.onboard()
    sam.add_contact()
    effects = sam.command("list")
    dms = [e for e in effects if isinstance(e, SendDM)]
    assert dms and "Dr. Jordan Lee" in dms[0].message.plain_text()
    in_channel = [m.plain_text() for e in effects if not isinstance(e, SendDM)
                  for m in [getattr(e, "message", None)] if m is not None]
    assert in_channel and not any("Jordan" in text for text in in_channel)


def _outreach_a_week_old(engine: Engine, clock: SimulatedClock) -> None:
    """One contact written to eight days ago: both no-reply reminders are due."""
    sam = User(engine)
    sam.onboard()
    sam.click("mark_sent", str(sam.add_contact()))
    clock.advance(timedelta(days=8))


def test_due_reminders_are_claimed_once(engine: Engine, clock: SimulatedClock) -> None:
    _outreach_a_week_old(engine, clock)
    first = engine.claim_due_reminders("console")
    assert {e.kind for e in first} == {"no_reply_nudge", "no_reply_follow_up"}
    assert engine.claim_due_reminders("console") == []  # leased, not handed out twice
    assert engine.claim_due_reminders("slack") == []  # only the platform's own processes
    for event in first:
        assert messages(engine.handle(event))
        engine.reminder_delivered(event.reminder_id, "ok")
    clock.advance(timedelta(hours=1))
    assert engine.claim_due_reminders("console") == []


def test_an_expired_lease_is_reclaimed(engine: Engine, clock: SimulatedClock) -> None:
    _outreach_a_week_old(engine, clock)
    claimed = engine.claim_due_reminders("console")
    assert claimed  # and then the process "dies" without marking them delivered
    clock.advance(timedelta(minutes=10))
    again = engine.claim_due_reminders("console")
    assert {e.reminder_id for e in again} == {e.reminder_id for e in claimed}
