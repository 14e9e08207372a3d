"""Rows of the web window's sign-in: one-time links, sessions, the installation's signing key.

Every function takes the caller's connection: the engine writes a link in the transaction of
the event that asked for it, ``core.access.WebAccess`` in transactions of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, cast

from sqlalchemy import Connection, Table, delete, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from infointerview.core.store.models import AppSecretRow, UserRow, WebLinkRow, WebSessionRow

LINKS = cast(Table, WebLinkRow.__table__)
SESSIONS = cast(Table, WebSessionRow.__table__)
SECRETS = cast(Table, AppSecretRow.__table__)
USERS = cast(Table, UserRow.__table__)

_INSERT: dict[str, Any] = {"postgresql": pg_insert, "sqlite": sqlite_insert}

Reason = Literal["invalid", "expired", "used"]  # why a link opens nothing


@dataclass(frozen=True, slots=True)
class SessionPerson:
    """Who a live session belongs to, as the users row has them."""

    user_pk: int
    platform: str
    tenant: str
    user_id: str
    name: str  # profile name, else display name, else user id
    tz: str
    csrf: str


def signing_key(connection: Connection, name: str, candidate: str) -> tuple[str, bool]:
    """The stored key ``name``; stored as ``candidate`` first when there is none. Two processes
    racing both insert-if-absent, then read: they end with the one key that won. The flag says
    whether this call stored it (so it is not committed yet)."""
    stored = connection.execute(
        _INSERT[connection.dialect.name](SECRETS).values(name=name, value=candidate)
        .on_conflict_do_nothing().returning(SECRETS.c.name)).first()
    value = connection.execute(select(SECRETS.c.value).where(SECRETS.c.name == name)).scalar_one()
    return str(value), stored is not None


def find_person(connection: Connection, platform: str, tenant: str, user_id: str) -> int | None:
    """The id of the person's row, None when they never spoke to the coach (or were forgotten)."""
    found = connection.execute(select(USERS.c.id).where(
        USERS.c.platform == platform, USERS.c.tenant == tenant,
        USERS.c.user_id == user_id)).scalar()
    return None if found is None else int(found)


def add_link(connection: Connection, user_pk: int, nonce: str, now: datetime,
             expires_at: datetime) -> None:
    connection.execute(insert(LINKS).values(nonce=nonce, user_pk=user_pk, created_at=now,
                                            expires_at=expires_at, used_at=None))


def use_link(connection: Connection, nonce: str, now: datetime) -> int | None:
    """Mark the link used and return its person's id, in one statement: of two requests
    redeeming the same link at once, the second finds ``used_at`` set (PostgreSQL re-checks
    the condition once the first commits; SQLite has one writer) and gets None."""
    used = connection.execute(
        update(LINKS).where(LINKS.c.nonce == nonce, LINKS.c.used_at.is_(None),
                            LINKS.c.expires_at > now)
        .values(used_at=now).returning(LINKS.c.user_pk)).scalar()
    return None if used is None else int(used)


def why_refused(connection: Connection, nonce: str, now: datetime) -> Reason:
    """Why ``use_link`` found nothing: "used", "expired", or "invalid" (no such link: never
    made, forgotten, or pruned)."""
    row = connection.execute(select(LINKS.c.used_at, LINKS.c.expires_at)
                             .where(LINKS.c.nonce == nonce)).first()
    if row is None:
        return "invalid"
    if row.used_at is not None:
        return "used"
    return "expired" if row.expires_at <= now else "invalid"


def add_session(connection: Connection, user_pk: int, token_hash: str, csrf: str,
                now: datetime, expires_at: datetime) -> None:
    connection.execute(insert(SESSIONS).values(token_hash=token_hash, user_pk=user_pk,
                                               csrf=csrf, created_at=now, expires_at=expires_at))


def session_person(connection: Connection, token_hash: str, now: datetime) -> SessionPerson | None:
    """The person of a session that has not expired; None for an unknown or expired one."""
    row = connection.execute(
        select(USERS.c.id, USERS.c.platform, USERS.c.tenant, USERS.c.user_id, USERS.c.name,
               USERS.c.display_name, USERS.c.tz, SESSIONS.c.csrf)
        .join(USERS, USERS.c.id == SESSIONS.c.user_pk)
        .where(SESSIONS.c.token_hash == token_hash, SESSIONS.c.expires_at > now)).first()
    if row is None:
        return None
    return SessionPerson(user_pk=int(row.id), platform=row.platform, tenant=row.tenant,
                         user_id=row.user_id, name=row.name or row.display_name or row.user_id,
                         tz=row.tz or "UTC", csrf=row.csrf)


def end_session(connection: Connection, token_hash: str) -> None:
    connection.execute(delete(SESSIONS).where(SESSIONS.c.token_hash == token_hash))


def prune(connection: Connection, now: datetime) -> None:
    """Delete links and sessions past their end: used or not, they can open nothing more."""
    connection.execute(delete(LINKS).where(LINKS.c.expires_at <= now))
    connection.execute(delete(SESSIONS).where(SESSIONS.c.expires_at <= now))


def forget_person(connection: Connection, user_pk: int) -> None:
    """Delete the person's links and sessions (forget-me): their browser is signed out."""
    connection.execute(delete(LINKS).where(LINKS.c.user_pk == user_pk))
    connection.execute(delete(SESSIONS).where(SESSIONS.c.user_pk == user_pk))
