"""A one-hour outage: every reminder that fell due while no dispatcher ran is delivered exactly
once when the dispatchers come back (SQLite and PostgreSQL, simulated time)."""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update

from infointerview.core import Engine, SimulatedClock
from infointerview.core.dispatch import Dispatcher
from infointerview.core.store.repo import REMINDERS
from tests.helpers import CONTACT, User
from tests.integration.test_reminders import RecordingGateway

CHICAGO = ZoneInfo("America/Chicago")
PEOPLE, CONTACTS = 6, 5
OUTAGE = timedelta(hours=1)
KEY = re.compile(r"reminder-(\d+)-0")


def test_reminders_due_during_a_one_hour_outage_arrive_once_each(
        engine: Engine, clock: SimulatedClock) -> None:
    names: dict[tuple[str, int], str] = {}
    for p in range(PEOPLE):
        person = User(engine, f"person{p}")
        person.onboard()
        for c in range(CONTACTS):
            name = f"Contact {p}-{c}"
            number = person.add_contact({**CONTACT, "name": name})
            person.click("mark_sent", str(number))
            names[(person.actor.user_id, number)] = name
    # Thursday 10:00 in Chicago, out of quiet hours; the nudges fall due one every two minutes
    # over the next hour (their own moment would be Thursday 09:00)
    start = datetime(2026, 3, 5, 10, 0, tzinfo=CHICAGO)
    with engine.database.begin() as db:
        nudges = db.execute(select(REMINDERS.c.id, REMINDERS.c.user_id, REMINDERS.c.contact_no)
                            .where(REMINDERS.c.kind == "no_reply_nudge")
                            .order_by(REMINDERS.c.id)).all()
        assert len(nudges) == PEOPLE * CONTACTS
        for i, (reminder_id, _, _) in enumerate(nudges):
            db.execute(update(REMINDERS).where(REMINDERS.c.id == reminder_id)
                       .values(due_at=start + timedelta(minutes=2 * i)))
    expected = {rid: names[(user_id, no)] for rid, user_id, no in nudges}
    down = start - timedelta(minutes=1)  # the last tick before the outage
    assert start + timedelta(minutes=2 * (len(nudges) - 1)) < down + OUTAGE

    gateway = RecordingGateway(clock)
    replicas = [Dispatcher(engine, gateway, batch=7), Dispatcher(engine, gateway, batch=7)]
    clock.set(down)
    asyncio.run(replicas[0].tick())
    assert gateway.sent == []  # nothing due yet

    clock.advance(OUTAGE)  # the outage: no dispatcher ticks for an hour
    with engine.database.begin() as db:
        overdue = db.scalar(select(func.count()).where(REMINDERS.c.status == "pending",
                                                       REMINDERS.c.due_at <= clock()))
    assert overdue == len(expected)

    first = asyncio.run(replicas[0].tick())
    second = asyncio.run(replicas[1].tick())
    for _ in range(3):  # later ticks, past the lease, must send nothing again
        clock.advance(timedelta(minutes=6))
        for replica in replicas:
            asyncio.run(replica.tick())

    counts = Counter(int(KEY.fullmatch(s.key)[1]) for s in gateway.sent)  # type: ignore[index]
    assert counts == dict.fromkeys(expected, 1), counts
    assert (first.delivered, second.delivered) == (len(expected), 0)
    for sent in gateway.sent:
        reminder_id = int(KEY.fullmatch(sent.key)[1])  # type: ignore[index]
        assert f"No reply from {expected[reminder_id]} " in sent.text, sent.text
        assert sent.at == down + OUTAGE  # all at the first tick after the outage
    with engine.database.begin() as db:
        rows = db.execute(select(REMINDERS.c.id, REMINDERS.c.status, REMINDERS.c.due_at,
                                 REMINDERS.c.attempts)).all()
    for reminder_id, status, due_at, attempts in rows:
        if reminder_id in expected:
            assert (status, attempts) == ("delivered", 1), (reminder_id, status, attempts)
        else:  # the follow-ups of the series, due next week, still wait
            assert status == "pending" and due_at > clock(), (reminder_id, status, due_at)
