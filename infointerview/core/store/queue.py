"""Claiming due reminders from the table, with a lease so a crashed process's work is reclaimed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, func, select, update

from infointerview.core.store.models import ReminderRow, UserRow

# Short, because a crashed process's claims wait this long before another process takes them;
# a live process renews it while it works (``renew``), so a slow batch keeps its claims.
DEFAULT_LEASE = timedelta(seconds=30)


@dataclass(frozen=True, slots=True)
class ClaimedReminder:
    id: int
    platform: str
    tenant: str
    user_id: str
    kind: str
    contact_no: int | None
    due_at: datetime
    attempts: int


def _pending(platform: str, user_id: str | None) -> ColumnElement[bool]:
    condition = and_(ReminderRow.platform == platform, ReminderRow.status == "pending")
    return and_(condition, ReminderRow.user_id == user_id) if user_id is not None else condition


def reclaim_expired(connection: Connection, platform: str, now: datetime) -> int:
    """Put back reminders whose lease ran out (their process died mid-send)."""
    result = connection.execute(
        update(ReminderRow)
        .where(ReminderRow.status == "sending", ReminderRow.lease_until < now,
               ReminderRow.platform == platform)
        .values(status="pending", lease_until=None, updated_at=now))
    return int(result.rowcount or 0)


def next_due(connection: Connection, platform: str, now: datetime,
             user_id: str | None = None) -> datetime | None:
    """When the earliest reminder of this platform can next be claimed (the simulated clock
    jumps there): a pending one's due time, or an abandoned claim's lease expiry."""
    pending = connection.scalar(select(func.min(ReminderRow.due_at))
                             .where(_pending(platform, user_id)))
    leased = select(func.min(ReminderRow.lease_until)).where(
        ReminderRow.platform == platform, ReminderRow.status == "sending")
    if user_id is not None:
        leased = leased.where(ReminderRow.user_id == user_id)
    expiry = connection.scalar(leased)
    times = [t if t.tzinfo else t.replace(tzinfo=now.tzinfo) for t in (pending, expiry) if t]
    return min(times) if times else None


_RETURNED = (ReminderRow.id, ReminderRow.platform, ReminderRow.tenant, ReminderRow.user_id,
             ReminderRow.kind, ReminderRow.contact_no, ReminderRow.due_at, ReminderRow.attempts)


def claim_due(connection: Connection, platform: str, now: datetime, limit: int = 50,
              lease: timedelta = DEFAULT_LEASE,
              user_id: str | None = None) -> list[ClaimedReminder]:
    """Mark up to ``limit`` due reminders of this platform as being sent, and return them.

    One statement: ``UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING …``, so
    on PostgreSQL concurrent dispatchers skip each other's rows; on SQLite the transaction
    already holds the single writer lock. The inner select walks the partial index of pending
    rows. Expired leases are put back first.
    """
    reclaim_expired(connection, platform, now)
    due = (
        select(ReminderRow.id)
        .where(_pending(platform, user_id), ReminderRow.due_at <= now)
        .order_by(ReminderRow.due_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    rows = connection.execute(
        update(ReminderRow).where(ReminderRow.id.in_(due))
        .values(status="sending", lease_until=now + lease, attempts=ReminderRow.attempts + 1,
                updated_at=now)
        .returning(*_RETURNED)
    ).all()
    claimed = [ClaimedReminder(row.id, row.platform, row.tenant, row.user_id, row.kind,
                               row.contact_no, row.due_at, row.attempts) for row in rows]
    claimed.sort(key=lambda r: (r.due_at, r.id))
    return claimed


def mark_delivered(connection: Connection, reminder_id: int, now: datetime, ref: str = "") -> bool:
    """Mark a claimed reminder delivered; False when it is no longer being sent (rescheduled,
    cancelled or deleted meanwhile)."""
    return bool(mark_delivered_many(connection, [reminder_id], now, ref))


def mark_delivered_many(connection: Connection, reminder_ids: Sequence[int], now: datetime,
                        ref: str = "") -> list[int]:
    """``mark_delivered`` for a batch, in one statement; returns the ids it marked (those still
    being sent)."""
    if not reminder_ids:
        return []
    result = connection.execute(update(ReminderRow).where(ReminderRow.id.in_(reminder_ids),
                                                       ReminderRow.status == "sending")
                             .values(status="delivered", delivered_ref=ref[:200] or None,
                                     lease_until=None, updated_at=now)
                             .returning(ReminderRow.id))
    return list(result.scalars())


def renew(connection: Connection, reminder_ids: Sequence[int], held_until: datetime,
          until: datetime, now: datetime) -> list[int]:
    """Extend a claim's lease to ``until``; returns the ids renewed. Only rows still being sent
    under this very claim (their lease still ``held_until``) are renewed: a row whose lease ran
    out and that another process claimed since carries that process's lease, not ours."""
    if not reminder_ids:
        return []
    result = connection.execute(update(ReminderRow).where(ReminderRow.id.in_(reminder_ids),
                                                       ReminderRow.status == "sending",
                                                       ReminderRow.lease_until == held_until)
                             .values(lease_until=until, updated_at=now)
                             .returning(ReminderRow.id))
    return list(result.scalars())


def release(connection: Connection, reminder_ids: list[int], now: datetime) -> None:
    """Hand claimed reminders back untouched (a shutting-down process): pending again, and the
    claim does not count as an attempt."""
    connection.execute(update(ReminderRow).where(ReminderRow.id.in_(reminder_ids),
                                              ReminderRow.status == "sending")
                    .values(status="pending", lease_until=None,
                            attempts=ReminderRow.attempts - 1, updated_at=now))


def _owner(reminder_id: int) -> Any:
    return select(ReminderRow.user_pk).where(ReminderRow.id == reminder_id).scalar_subquery()


def note_undelivered(connection: Connection, reminder_id: int, error: str) -> None:
    """Count a reminder the platform refused on its owner's row, for `/infointerview list`."""
    connection.execute(update(UserRow).where(UserRow.id == _owner(reminder_id)).values(
        undelivered_reminders=UserRow.undelivered_reminders + 1, delivery_error=error[:400]))


def clear_undelivered(connection: Connection, reminder_id: int) -> None:
    """A DM got through again: the warning in `list` can go."""
    connection.execute(update(UserRow).where(UserRow.id == _owner(reminder_id),
                                          UserRow.undelivered_reminders > 0)
                    .values(undelivered_reminders=0, delivery_error=""))


def mark_failed(connection: Connection, reminder_id: int, now: datetime, error: str,
                retry_at: datetime | None) -> None:
    """Record a failed delivery: back to pending at ``retry_at``, or failed for good."""
    values: dict[str, object] = {"last_error": error[:400], "lease_until": None, "updated_at": now}
    if retry_at is None:
        values["status"] = "failed"
    else:
        values.update(status="pending", due_at=retry_at)
    connection.execute(update(ReminderRow).where(ReminderRow.id == reminder_id).values(**values))
