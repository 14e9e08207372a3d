"""Graceful shutdown: the DM being sent finishes; the rest of a claimed batch is handed back."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from sqlalchemy import select

from infointerview.core import Dispatcher, Engine, Message, SimulatedClock
from infointerview.core.store.models import ReminderRow
from tests.helpers import User


class SlowGateway:
    platform = "console"

    def __init__(self) -> None:
        self.started = asyncio.Event()
        self.release = asyncio.Event()
        self.sent: list[str] = []

    async def send_dm(self, tenant: str, user_id: str, message: Message, *,
                      idempotency_key: str, sent_since: datetime | None = None) -> str:
        self.started.set()
        await self.release.wait()
        self.sent.append(user_id)
        return f"ref-{user_id}"


def test_aclose_finishes_the_current_send_and_releases_the_rest(
        engine: Engine, clock: SimulatedClock) -> None:
    for n in range(4):
        person = User(engine, f"u{n}")
        person.onboard()
        number = person.add_contact()
        person.click("mark_sent", str(number))
    clock.set(clock() + timedelta(days=4))
    gateway = SlowGateway()
    dispatcher = Dispatcher(engine, gateway, batch=10)

    async def main() -> None:
        tick = asyncio.create_task(dispatcher._tick_safely())
        await gateway.started.wait()
        closing = asyncio.create_task(dispatcher.aclose(timeout=5))
        await asyncio.sleep(0.05)
        gateway.release.set()
        await asyncio.wait_for(asyncio.gather(tick, closing), 10)

    asyncio.run(main())
    assert len(gateway.sent) == 1
    with engine.database.engine.connect() as c:
        rows = c.execute(select(ReminderRow.status, ReminderRow.attempts, ReminderRow.kind)
                         .where(ReminderRow.kind == "no_reply_nudge")).all()
    statuses = sorted(r.status for r in rows)
    assert statuses.count("delivered") == 1
    assert statuses.count("sending") == 0  # nothing left waiting for a lease to expire
    assert all(r.attempts == 0 for r in rows if r.status == "pending")


def test_aclose_lets_the_tick_the_scheduler_started_finish_its_dm(
        engine: Engine, clock: SimulatedClock) -> None:
    """As in a bot process: the tick runs as APScheduler's job, and shutting the scheduler down
    cancels a running job, so the DM in flight would be cut off mid-send."""
    for n in range(4):
        person = User(engine, f"u{n}")
        person.onboard()
        person.click("mark_sent", str(person.add_contact()))
    clock.set(clock() + timedelta(days=4))
    gateway = SlowGateway()
    dispatcher = Dispatcher(engine, gateway, batch=10)

    async def main() -> None:
        dispatcher.start()
        await asyncio.wait_for(gateway.started.wait(), 10)
        closing = asyncio.create_task(dispatcher.aclose(timeout=5))
        await asyncio.sleep(0.2)
        gateway.release.set()
        await asyncio.wait_for(closing, 10)

    asyncio.run(main())
    assert len(gateway.sent) == 1
    with engine.database.engine.connect() as c:
        statuses = sorted(c.execute(select(ReminderRow.status)
                                    .where(ReminderRow.kind == "no_reply_nudge")).scalars())
    assert statuses == ["delivered", "pending", "pending", "pending"]
