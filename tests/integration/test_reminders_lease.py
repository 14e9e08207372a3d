"""Short reminder leases kept alive by a heartbeat: a crashed process's claims come back within
a minute, while a live process working through a slow batch keeps its claims to the end."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from infointerview.core import Engine, SimulatedClock
from infointerview.core.dispatch import Dispatcher
from infointerview.core.store.repo import REMINDERS
from tests.helpers import User
from tests.integration.test_reminders import RecordingGateway

CRASH_DELAY_TARGET = timedelta(seconds=60)


def nudges_due(engine: Engine, clock: SimulatedClock, people: int) -> None:
    """One no-reply nudge per person, all due now."""
    for p in range(people):
        person = User(engine, f"person{p}")
        person.onboard()
        person.click("mark_sent", str(person.add_contact()))
    clock.advance(timedelta(days=4))  # three business days on, in the morning


def test_a_crashed_process_s_claims_are_sent_by_another_within_a_minute(
        engine: Engine, clock: SimulatedClock) -> None:
    nudges_due(engine, clock, 3)
    survivor = Dispatcher(engine, RecordingGateway(clock))
    # the worst case: the process dies right after claiming (or right after a heartbeat)
    assert len(engine.claim_due_reminders("console", lease=survivor.lease)) == 3
    worst_wait = survivor.lease + timedelta(seconds=survivor.interval + survivor.jitter)
    assert worst_wait <= CRASH_DELAY_TARGET
    clock.advance(survivor.lease + timedelta(seconds=1))  # the dead process's lease ran out
    report = asyncio.run(survivor.tick())
    assert report.delivered == 3


@dataclass
class SlowButAliveGateway(RecordingGateway):
    """Each DM takes 40% of the lease (simulated) and a little real time, during which the
    dispatcher's heartbeat may run; records whether the lease was still held at each send and
    whether another process could have claimed the reminder then."""

    engine: Engine | None = None
    lease: timedelta = timedelta(seconds=3)
    held: list[bool] = field(default_factory=list)
    stolen: list[int] = field(default_factory=list)

    async def send_dm(self, tenant: str, user_id: str, message: Any, *,
                      idempotency_key: str, **kwargs: Any) -> str:
        assert self.engine is not None
        reminder_id = int(idempotency_key.split("-")[1])
        with self.engine.database.begin() as conn:
            status, lease = conn.execute(select(REMINDERS.c.status, REMINDERS.c.lease_until)
                                         .where(REMINDERS.c.id == reminder_id)).one()
        self.held.append(status == "sending" and lease > self.clock())
        other = self.engine.claim_due_reminders("console", lease=self.lease)
        self.stolen.extend(e.reminder_id for e in other)
        self.clock.advance(self.lease * 0.4)
        await asyncio.sleep(0.3)  # real time: the heartbeat beats every 0.1 s
        return await super().send_dm(tenant, user_id, message, idempotency_key=idempotency_key)


def test_a_heartbeat_keeps_a_slow_batch_claimed_past_its_first_lease(
        engine: Engine, clock: SimulatedClock) -> None:
    nudges_due(engine, clock, 5)
    lease = timedelta(seconds=3)
    gateway = SlowButAliveGateway(clock, engine=engine, lease=lease)
    dispatcher = Dispatcher(engine, gateway, lease=lease, heartbeat=0.1)
    report = asyncio.run(dispatcher.tick())
    # five DMs take twice the lease: without renewals the rest would have been handed back
    # and claimed again (claimed > 5); with them the batch is worked through in one claim
    assert report.claimed == 5 and report.delivered == 5, report
    assert gateway.held == [True] * 5 and gateway.stolen == []
    assert len({s.key for s in gateway.sent}) == 5


def test_a_batch_whose_heartbeat_fails_is_still_handed_back_before_its_lease_ends(
        engine: Engine, clock: SimulatedClock) -> None:
    nudges_due(engine, clock, 5)
    lease = timedelta(seconds=3)
    gateway = SlowButAliveGateway(clock, engine=engine, lease=lease)
    dispatcher = Dispatcher(engine, gateway, lease=lease, heartbeat=0.1)

    def cut(*_: Any, **__: Any) -> Any:
        raise ConnectionError("the database went away")

    engine.renew_reminder_leases = cut  # type: ignore[method-assign]
    report = asyncio.run(dispatcher.tick())
    assert report.claimed > 5 and report.delivered == 5  # handed back and claimed again
    assert gateway.held == [True] * 5 and gateway.stolen == []
