"""The inbox: requests acknowledged to a platform and not handled yet.

A platform that got its acknowledgement (Slack's HTTP 200, Discord's deferral) never sends the
request again, so the acknowledgement may only go out once the request is written here. The
row is marked done in the transaction that handles its event (or right after, when the event
turned out to be a repeat or could not be saved), and at start-up the rows still pending are
handled again, oldest first; the engine's event-id dedupe makes handling one twice harmless.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection, Table, delete, insert, select, update

from infointerview.core.store.models import InboxRow

INBOX = cast(Table, InboxRow.__table__)

HANDLED = "handled"  # the event's writes committed with the mark
DUPLICATE = "duplicate"  # its event id was already in processed_events
NOT_SAVED = "not_saved"  # the person was told it was not saved: never replayed
UNREADABLE = "unreadable"  # its payload could not be handled again (logged)


@dataclass(frozen=True, slots=True)
class InboxEntry:
    id: int
    platform: str
    tenant: str
    user_id: str
    kind: str
    event_id: str
    payload: dict[str, Any]
    received_at: datetime


def record(connection: Connection, *, platform: str, tenant: str, user_id: str, kind: str,
           event_id: str, payload: dict[str, Any], received_at: datetime) -> int:
    """Keep a request before acknowledging it; returns its inbox id."""
    returned = connection.execute(insert(INBOX).values(
        platform=platform, tenant=tenant, user_id=user_id, kind=kind, event_id=event_id,
        payload=payload, received_at=received_at).returning(INBOX.c.id))
    return int(returned.scalar_one())


def mark_done(connection: Connection, inbox_id: int, now: datetime, outcome: str) -> bool:
    """Mark a row handled; False when it was done already (its first outcome stays)."""
    changed = connection.execute(
        update(INBOX).where(INBOX.c.id == inbox_id, INBOX.c.done_at.is_(None))
        .values(done_at=now, outcome=outcome))
    return bool(changed.rowcount)


def pending(connection: Connection, platform: str, limit: int | None = None,
            ) -> list[InboxEntry]:
    """The rows not handled yet, in the order they were received (the id's)."""
    query = (select(INBOX).where(INBOX.c.platform == platform, INBOX.c.done_at.is_(None))
             .order_by(INBOX.c.id).limit(limit))
    return [InboxEntry(id=int(row.id), platform=row.platform, tenant=row.tenant,
                       user_id=row.user_id, kind=row.kind, event_id=row.event_id,
                       payload=dict(row.payload), received_at=row.received_at)
            for row in connection.execute(query)]


def prune(connection: Connection, done_before: datetime) -> int:
    """Forget rows done before ``done_before`` (they are only kept to look at)."""
    removed = connection.execute(delete(INBOX).where(INBOX.c.done_at.is_not(None),
                                                     INBOX.c.done_at < done_before))
    return int(removed.rowcount)


def forget_person(connection: Connection, platform: str, tenant: str, user_id: str) -> None:
    """forget-me: the person's handled requests go with what they typed (pending ones stay,
    to be handled: they were acknowledged)."""
    connection.execute(delete(INBOX).where(
        INBOX.c.platform == platform, INBOX.c.tenant == tenant, INBOX.c.user_id == user_id,
        INBOX.c.done_at.is_not(None)))
