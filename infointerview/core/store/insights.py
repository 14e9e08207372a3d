"""The rows the web window's read-only pages are computed from (``core.insights``).

A cohort's page is a handful of statements whatever its size: the members, all their contacts
(two dates and whether each other step was taken: never a name, detail or note), the cohort's
card shares, when its shares were made, and a count of its intro requests. Every cohort is looked up
within the viewer's platform and tenant.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import Connection, DateTime, RowMapping, func, select, text, type_coerce

from infointerview.core.cohorts.coaching import COACH
from infointerview.core.cohorts.visibility import CARD
from infointerview.core.store import cohorts
from infointerview.core.store.cohorts import (
    COHORTS,
    CONTACTS,
    INTROS,
    MEMBERS,
    SHARES,
    USERS,
    Row,
)

_STEPS_TAKEN = ("outreach_sent", "follow_up_sent", "replied", "connected", "applied",
                "second_thanked")


def _date(column: Any, dialect: str) -> Any:
    """PostgreSQL hands back aware datetimes (in the session's zone, which compares and
    converts as UTC does): read as they come, not through ``UTCDateTime``, which costs a large
    cohort's page 20,000 conversions. SQLite stores naive text: its column type reads it."""
    if dialect == "postgresql":
        return type_coerce(column, DateTime(timezone=True)).label(column.name)
    return column


@cache
def figures(dialect: str) -> tuple[Any, ...]:
    """What the coach's figures read of a member's contact (``core.insights.coach``): the two
    dates the weeks and the thank-you rate need; of the other steps only whether each was
    taken."""
    return (CONTACTS.c.user_pk, CONTACTS.c.stage, CONTACTS.c.sector,
            _date(CONTACTS.c.interviewed_at, dialect), _date(CONTACTS.c.thanked_at, dialect),
            *(CONTACTS.c[f"{step}_at"].is_not(None).label(step) for step in _STEPS_TAKEN),
            CONTACTS.c.meeting_at.is_not(None).label("meeting_agreed"))


@cache
def report_columns(dialect: str) -> tuple[Any, ...]:
    """What the members' report reads (``core.cohorts.progress.report``)."""
    return (CONTACTS.c.user_pk, CONTACTS.c.stage, _date(CONTACTS.c.interviewed_at, dialect),
            _date(CONTACTS.c.thanked_at, dialect))


def read_only(c: Connection) -> None:
    """PostgreSQL refuses any write in the rest of this transaction: a page only reads."""
    if c.dialect.name == "postgresql":
        c.execute(text("SET TRANSACTION READ ONLY"))


def person(c: Connection, user_pk: int, platform: str, tenant: str) -> RowMapping | None:
    """The person's row in this workspace, not locked (nothing of theirs is written)."""
    return c.execute(select(USERS).where(
        USERS.c.id == user_pk, USERS.c.platform == platform,
        USERS.c.tenant == tenant)).mappings().first()


def _coached() -> Any:
    return (select(COHORTS.c.id, COHORTS.c.name, COHORTS.c.tz, COHORTS.c.platform,
                   COHORTS.c.tenant)
            .join(MEMBERS, MEMBERS.c.cohort_id == COHORTS.c.id)
            .join(USERS, USERS.c.id == MEMBERS.c.user_pk))


def coached(c: Connection, user_pk: int, platform: str, tenant: str) -> list[RowMapping]:
    """The cohorts this person coaches in their own workspace, by id."""
    return list(c.execute(_coached().where(
        MEMBERS.c.user_pk == user_pk, MEMBERS.c.role == COACH, COHORTS.c.platform == platform,
        COHORTS.c.tenant == tenant, USERS.c.platform == platform, USERS.c.tenant == tenant)
        .order_by(COHORTS.c.id)).mappings())


def coached_cohort(c: Connection, cohort_id: int, user_pk: int, platform: str,
                   tenant: str) -> Row | None:
    """The cohort, if this person coaches it and it is in their workspace; else None."""
    return cast(Row | None, c.execute(_coached().where(
        COHORTS.c.id == cohort_id, MEMBERS.c.user_pk == user_pk, MEMBERS.c.role == COACH,
        COHORTS.c.platform == platform, COHORTS.c.tenant == tenant,
        USERS.c.platform == platform, USERS.c.tenant == tenant)).mappings().first())


def members(c: Connection, cohort_id: int) -> list[Row]:
    """The members with their names, as the cohort port gives them."""
    return cast(list[Row], cohorts.members(c, cohort_id))


def member_contacts_query(cohort: Row, columns: Sequence[Any]) -> Any:
    in_cohort = select(MEMBERS.c.user_pk).where(MEMBERS.c.cohort_id == cohort["id"])
    return select(*columns).where(
        CONTACTS.c.user_pk.in_(in_cohort), CONTACTS.c.platform == cohort["platform"],
        CONTACTS.c.tenant == cohort["tenant"])


def member_contacts(c: Connection, cohort: Row,
                    columns: Callable[[str], Sequence[Any]] = figures) -> list[Row]:
    """Every contact of the cohort's members (paused ones too), only the ``columns`` (for this
    dialect): one statement for the whole cohort."""
    query = member_contacts_query(cohort, columns(c.dialect.name))
    return cast(list[Row], list(c.execute(query).mappings().all()))


def cards(c: Connection, cohort_id: int) -> list[Row]:
    """The cohort's card shares (of members who have not paused), newest first."""
    return cast(list[Row], cohorts.shared_in(c, cohort_id, CARD))


def shared_since(c: Connection, cohort_id: int, since: datetime) -> list[datetime]:
    """When each share in the cohort made since ``since`` was made."""
    return list(c.execute(select(SHARES.c.created_at).where(
        SHARES.c.cohort_id == cohort_id, SHARES.c.created_at >= since)).scalars().all())


def intro_requests(c: Connection, cohort_id: int) -> int:
    """Warm-intro requests made for the cohort's shares (a count: never who or why)."""
    return int(c.execute(select(func.count()).select_from(INTROS)
                         .join(SHARES, SHARES.c.id == INTROS.c.share_id)
                         .where(SHARES.c.cohort_id == cohort_id)).scalar_one())
