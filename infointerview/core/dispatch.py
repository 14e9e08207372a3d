"""The reminder dispatcher every bot process runs.

APScheduler only ticks: one interval job per process (``max_instances=1``, ``coalesce=True``).
Each tick claims due rows from the ``reminders`` table (``FOR UPDATE SKIP LOCKED`` on PostgreSQL,
so any number of replicas can run), asks the engine for the DM, sends it through the adapter's
gateway and marks the row delivered (reminders that turn out to need no DM: all of a batch's
together, after it). A process that dies mid-send leaves a lease that expires and
another process reclaims the row; the gateway gets an idempotency key so the platform can refuse a
second copy where it supports that. Leases are short (30 s by default) so that a crashed process's
claims come back quickly; while a batch is being worked a heartbeat renews its lease every third
of it. A live process never sends on an expired lease: what is left of a batch when its lease
nears its end (the heartbeat could not reach the database) goes back to the queue and is claimed
afresh, and a reminder another process took over meanwhile is left to that process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from infointerview.core.engine import Engine
from infointerview.core.model import Message, PostToChannel, ReminderDue, SendDM
from infointerview.core.store.queue import DEFAULT_LEASE

if TYPE_CHECKING:  # imported when the dispatcher starts: the console never starts one
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

log = logging.getLogger(__name__)

TRANSIENT_BACKOFF_CAP = timedelta(hours=1)
UNDELIVERABLE_RETRY = timedelta(hours=6)
LEASE_MARGIN = timedelta(minutes=1)  # what is left of a batch this near its lease end goes back


class DeliveryError(Exception):
    """A DM could not be delivered this time (network trouble, a server error)."""


class RateLimited(DeliveryError):
    def __init__(self, retry_after: float) -> None:
        super().__init__(f"rate limited; retry after {retry_after:g} s")
        self.retry_after = retry_after


class Undeliverable(DeliveryError):
    """The platform refuses for good: DMs closed, the person left the workspace or guild."""


class Gateway(Protocol):
    """What an adapter gives the dispatcher: a way to DM one person."""

    platform: str

    async def send_dm(self, tenant: str, user_id: str, message: Message, *,
                      idempotency_key: str, sent_since: datetime | None = None) -> str:
        """Send and return the platform's reference of the message (for the audit trail).
        ``sent_since`` is the earliest moment an earlier copy could have been sent (the
        reminder's due time): a gateway that finds duplicates by looking back looks that far."""
        ...


@runtime_checkable
class ChannelGateway(Gateway, Protocol):
    """A gateway that can also post in a channel, for reminders that do (a cohort's weekly
    digest). Adapters declare it by subclassing (so mypy checks the method); the dispatcher
    asks once, at construction, and a gateway without it gets such reminders refused."""

    async def post_to_channel(self, tenant: str, channel_id: str, message: Message, *,
                              idempotency_key: str) -> str:
        ...


@dataclass(slots=True)
class TickReport:
    claimed: int = 0
    delivered: int = 0
    silent: int = 0  # nothing to say any more (the step was done meanwhile), or it waits
    retried: int = 0
    failed: int = 0


@dataclass(slots=True)
class _Claim:
    """One claimed batch as the heartbeat sees it: what is still held, and until when."""

    until: datetime
    held: set[int]
    lost: set[int] = field(default_factory=set)  # taken over by another process: not ours


class Dispatcher:
    def __init__(self, engine: Engine, gateway: Gateway, *, interval: float = 15.0,
                 jitter: float = 3.0, batch: int = 50, max_attempts: int = 5,
                 undeliverable_attempts: int = 3, lease: timedelta = DEFAULT_LEASE,
                 heartbeat: float | None = None) -> None:
        self.engine = engine
        self.gateway = gateway
        self.channels = gateway if isinstance(gateway, ChannelGateway) else None
        self.interval = interval
        self.jitter = jitter
        self.batch = batch
        self.max_attempts = max_attempts
        self.undeliverable_attempts = undeliverable_attempts
        self.lease = lease
        # seconds between lease renewals: a third of the lease leaves two chances to renew
        self.heartbeat = heartbeat if heartbeat is not None else lease.total_seconds() / 3
        self._scheduler: AsyncIOScheduler | None = None
        self._stopping = False
        self._ticking = 0  # ticks in progress (0 or 1: max_instances=1)

    async def tick(self, user_id: str | None = None) -> TickReport:
        """Claim what is due and deliver it; keeps going while full batches come back. With
        ``user_id``, only that person's reminders: the console delivers to whoever is at the
        terminal, and the others' wait until someone acts as them."""
        report = TickReport()
        while not self._stopping:
            events = await asyncio.to_thread(self.engine.claim_due_reminders,
                                             self.gateway.platform, self.batch, user_id,
                                             self.lease)
            for _ in events:
                self._note(report, "claimed")
            await self._checkpoint()
            if not events:
                break
            claim = _Claim(events[0].received_at + self.lease,
                           {e.reminder_id for e in events})
            heartbeat = asyncio.create_task(self._beat(claim))
            try:
                handed_back = await self._work(events, claim, report)
            finally:
                heartbeat.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await heartbeat
            if self._stopping:
                return report
            if len(events) < self.batch and not handed_back:
                break
        return report

    async def _work(self, events: list[ReminderDue], claim: _Claim,
                    report: TickReport) -> bool:
        """Deliver a claimed batch; True when what was left of it went back to the queue."""
        silent: list[int] = []  # handled, nothing to send: marked together below
        try:
            for index, event in enumerate(events):
                # shutting down, or the lease running out because the heartbeat could not
                # renew it (after it, another process may claim and send the rest)
                if self._stopping or self._lease_running_out(claim):
                    await asyncio.to_thread(self.engine.release_reminders,
                                            [e.reminder_id for e in events[index:]
                                             if e.reminder_id not in claim.lost])
                    return True
                if event.reminder_id in claim.lost:
                    continue  # its lease ran out and another process has it now
                await self._deliver(event, report, silent)
                if event.reminder_id not in silent:
                    claim.held.discard(event.reminder_id)
        finally:
            if silent:
                await asyncio.to_thread(self.engine.reminders_needed_no_dm, silent)
                for _ in silent:
                    self._note(report, "silent")
        return False

    async def _beat(self, claim: _Claim) -> None:
        """Renew the batch's lease every ``heartbeat`` seconds while it is worked. A failed
        renewal (the database unreachable) is only logged: the lease then runs out, the rest of
        the batch is handed back or, if this process is cut off, reclaimed by another."""
        while True:
            await asyncio.sleep(self.heartbeat)
            held = sorted(claim.held - claim.lost)
            if not held:
                continue
            try:
                renewed, until = await asyncio.to_thread(
                    self.engine.renew_reminder_leases, held, claim.until, self.lease)
            except Exception as exc:
                log.warning("reminder lease not renewed: %s", exc)
                continue
            claim.lost.update(set(held) - set(renewed))
            claim.until = until

    def _lease_running_out(self, claim: _Claim) -> bool:
        """Whether the claim's lease ends within a margin (a fifth of it, at most a minute), so
        a clock a little ahead on another process cannot already count it expired."""
        margin = min(self.lease / 5, LEASE_MARGIN)
        return self.engine.clock() >= claim.until - margin

    async def _checkpoint(self) -> None:
        """Once per claim, before the batch is delivered: on SQLite, move the WAL into the
        database file here, off the commit path. The database's own thread does this every
        second, but a burst of claims can fill the log faster, and the commit that takes it
        past the automatic threshold would pay the copy and two fsyncs. After the claim rather
        than before it: the WAL restart that follows a checkpoint (one fsync of its header)
        then falls to the batch's first write rather than to the claim. PostgreSQL: nothing."""
        try:
            await asyncio.to_thread(self.engine.database.checkpoint)
        except Exception as exc:  # harmless: SQLite still checkpoints by itself
            log.warning("WAL checkpoint failed: %s", exc)

    async def _deliver(self, event: ReminderDue, report: TickReport,
                       silent: list[int]) -> None:
        reminder_id = event.reminder_id
        try:
            effects = await asyncio.to_thread(self.engine.handle, event)
        except Exception as exc:  # e.g. the database connection dropped: try again later
            log.exception("reminder %s: could not be prepared", reminder_id)
            await self._retry_later(event, f"could not be prepared: {exc}", report)
            return
        dms = [e for e in effects if isinstance(e, SendDM | PostToChannel)]
        if not dms:
            silent.append(reminder_id)
            return
        attempts, tenant = event.attempts, event.actor.tenant
        try:
            refs = [await self._send(tenant, out, f"reminder-{reminder_id}-{i}", event.due_at)
                    for i, out in enumerate(dms)]
        except RateLimited as exc:
            wait = timedelta(seconds=max(exc.retry_after, 1.0))
            await asyncio.to_thread(self.engine.reminder_retry, reminder_id, str(exc),
                                    self.engine.clock() + wait)
            self.engine.observer.platform_error(self.gateway.platform, "rate_limited")
            self._note(report, "retried")
        except Undeliverable as exc:
            final = attempts >= self.undeliverable_attempts
            later = None if final else self.engine.clock() + UNDELIVERABLE_RETRY
            await asyncio.to_thread(self.engine.reminder_undeliverable, reminder_id, str(exc),
                                    later)
            self.engine.observer.platform_error(self.gateway.platform, "undeliverable")
            self._note(report, "failed")
        except Exception as exc:  # a transient failure: back off, bounded
            log.warning("reminder %s: delivery failed: %s", reminder_id, exc)
            await self._retry_later(event, str(exc), report)
        else:
            await asyncio.to_thread(self.engine.reminder_delivered, reminder_id, ",".join(refs))
            late = (self.engine.clock() - event.due_at).total_seconds()
            self._note(report, "delivered", max(late, 0.0))

    def _note(self, report: TickReport, outcome: str, late_seconds: float = 0.0) -> None:
        """Count an outcome in this tick's report and for the process's metrics."""
        setattr(report, outcome, getattr(report, outcome) + 1)
        self.engine.observer.reminder(outcome, late_seconds)

    async def _send(self, tenant: str, out: SendDM | PostToChannel, key: str,
                    due_at: datetime) -> str:
        if isinstance(out, SendDM):
            return await self.gateway.send_dm(tenant, out.user_id, out.message,
                                              idempotency_key=key, sent_since=due_at)
        if self.channels is None:  # e.g. a cohort's weekly digest on a DM-only platform
            raise Undeliverable(f"{self.gateway.platform} cannot post to channels")
        return await self.channels.post_to_channel(tenant, out.channel_id, out.message,
                                                   idempotency_key=key)

    async def _retry_later(self, event: ReminderDue, error: str, report: TickReport) -> None:
        """Back off exponentially; after ``max_attempts`` give up and record it."""
        if event.attempts >= self.max_attempts:
            await asyncio.to_thread(self.engine.reminder_undeliverable, event.reminder_id,
                                    f"gave up after {event.attempts} attempts: {error}", None)
            self._note(report, "failed")
            return
        backoff = min(timedelta(minutes=2 ** event.attempts), TRANSIENT_BACKOFF_CAP)
        await asyncio.to_thread(self.engine.reminder_retry, event.reminder_id, error,
                                self.engine.clock() + backoff)
        self._note(report, "retried")

    async def _tick_safely(self) -> None:
        self._ticking += 1
        try:
            await self.tick()
        except Exception:  # the next tick tries again; one bad tick must not stop the job
            log.exception("reminder tick failed")
        finally:
            self._ticking -= 1

    def start(self) -> None:
        """Start ticking now (catching up on anything overdue), then every ``interval`` s."""
        from apscheduler.schedulers.asyncio import AsyncIOScheduler

        self._stopping = False
        scheduler = AsyncIOScheduler(timezone="UTC")
        scheduler.add_job(self._tick_safely, "interval", seconds=self.interval,
                          jitter=self.jitter, max_instances=1, coalesce=True,
                          next_run_time=datetime.now(UTC), id="reminders",
                          misfire_grace_time=None)
        scheduler.start()
        self._scheduler = scheduler

    def stop(self) -> None:
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None

    async def aclose(self, timeout: float = 30.0) -> None:
        """Graceful shutdown: no new ticks; the DM being sent finishes, the rest of the claimed
        batch is handed back at once (not left to its lease)."""
        self._stopping = True
        if self._scheduler is not None:
            # no new ticks, but no shutdown yet: APScheduler's shutdown cancels the job that is
            # running, which would cut the DM in flight off mid-send
            self._scheduler.pause()
        deadline = asyncio.get_running_loop().time() + timeout
        while self._ticking and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.05)
        self.stop()
