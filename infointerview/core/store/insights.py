"""The rows the web window's read-only pages are computed from (``core.insights``).

A cohort's page is a handful of statements whatever its size: the members, its contacts counted
by the database (per furthest funnel step, per sector, per member and stage; never a name,
detail or note), the interviews and shares of the weeks shown, the cohort's card shares, and a
count of its intro requests. Ten thousand contacts cost the page a few hundred small rows, not
ten thousand. Every cohort is looked up within the viewer's platform and tenant.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    Connection,
    DateTime,
    Interval,
    RowMapping,
    String,
    and_,
    case,
    func,
    literal,
    or_,
    select,
    text,
    type_coerce,
)

from infointerview.core.cohorts.coaching import COACH
from infointerview.core.cohorts.progress import MemberTally
from infointerview.core.cohorts.visibility import CARD
from infointerview.core.journey.cards import THANK_YOU_WINDOW
from infointerview.core.journey.state import Stage
from infointerview.core.store import cohorts, intros
from infointerview.core.store.cohorts import (
    COHORTS,
    CONTACTS,
    INTROS,
    MEMBERS,
    SHARES,
    USERS,
    Row,
    shares_query,
)


def _date(column: Any, dialect: str) -> Any:
    """PostgreSQL hands back aware datetimes (in the session's zone, which compares and
    converts as UTC does): read as they come, not through ``UTCDateTime``, which costs a large
    cohort's page a conversion per interview. SQLite stores naive text: its column type reads
    it."""
    if dialect == "postgresql":
        return type_coerce(column, DateTime(timezone=True)).label(column.name)
    return column


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
                   COHORTS.c.tenant, COHORTS.c.intro_period_days)
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


def asked_since(c: Connection, cohort_id: int, since: datetime) -> tuple[list[Row], list[Row]]:
    """Warm-intro requests since ``since`` counted per share with its person
    (``core.cohorts.asking``), and the cohort's shares they count, for their role,
    organisation and sector."""
    shares = cast(list[Row], list(c.execute(shares_query(active_only=False).where(
        SHARES.c.cohort_id == cohort_id)).mappings()))
    return intros.intro_requests_per_contact(c, cohort_id, since), shares


# --- a cohort's contacts counted by the database (``core.insights.coach``) ---------------------


def _thank_you_deadline(dialect: str) -> Any:
    """``interviewed_at`` + 48 hours, comparable with ``thanked_at`` to the microsecond.
    PostgreSQL adds an interval. SQLite stores fixed-width naive UTC text ('2026-03-02
    15:00:00.000000', SQLAlchemy's format; ``db.refuse_unprocessed_datetimes`` keeps it the
    only one): its ``datetime()`` adds the hours to the whole seconds and drops the fraction,
    which is put back, so the texts compare as the times do (``julianday`` arithmetic would
    round to the millisecond)."""
    interviewed = CONTACTS.c.interviewed_at
    if dialect == "postgresql":
        return interviewed + literal(THANK_YOU_WINDOW, Interval())
    as_text = type_coerce(interviewed, String())
    hours = int(THANK_YOU_WINDOW.total_seconds() // 3600)
    return type_coerce(func.datetime(func.substr(as_text, 1, 19), f"+{hours} hours")
                       .concat(func.substr(as_text, 20)), String())


def _on_time(dialect: str) -> Any:
    """Thanked within 48 hours of the interview (``progress.on_time``)."""
    thanked = type_coerce(CONTACTS.c.thanked_at, String()) if dialect == "sqlite" \
        else CONTACTS.c.thanked_at
    return and_(CONTACTS.c.interviewed_at.is_not(None), CONTACTS.c.thanked_at.is_not(None),
                thanked <= _thank_you_deadline(dialect))


def _taken(step: str) -> Any:
    return CONTACTS.c[f"{step}_at"].is_not(None)


def _furthest_step(dialect: str) -> Any:
    """The index in ``coach.FUNNEL`` of the furthest step a contact shows evidence of: the
    rule of ``coach.funnel``'s docstring, from the last step back."""
    scheduled = (Stage.SCHEDULED.value, Stage.PREPARED.value)
    return case(
        (_taken("second_thanked"), 8), (_taken("applied"), 7), (_taken("connected"), 6),
        (_on_time(dialect), 5), (CONTACTS.c.interviewed_at.is_not(None), 4),
        (or_(CONTACTS.c.meeting_at.is_not(None), CONTACTS.c.stage.in_(scheduled)), 3),
        (_taken("replied"), 2), (or_(_taken("outreach_sent"), _taken("follow_up_sent")), 1),
        else_=0)


def steps_by_sector_query(cohort: Row, dialect: str) -> Any:
    step = _furthest_step(dialect).label("step")
    return member_contacts_query(cohort, (
        CONTACTS.c.sector, step, func.count().label("contacts"),
        func.count(CONTACTS.c.interviewed_at).label("interviews"),
    )).group_by(CONTACTS.c.sector, step)


def steps_and_sectors(c: Connection, cohort: Row) -> tuple[dict[int, int], list[Row]]:
    """How many of the members' contacts stop at each funnel step (step index -> contacts),
    and per sector (stored value) their ``contacts`` and ``interviews``: one pass over the
    contacts, grouped by both (at most a few dozen rows), summed here."""
    furthest: dict[int, int] = {}
    sectors: dict[str, dict[str, Any]] = {}
    for row in c.execute(steps_by_sector_query(cohort, c.dialect.name)):
        furthest[int(row.step)] = furthest.get(int(row.step), 0) + int(row.contacts)
        sector = sectors.setdefault(row.sector, {"sector": row.sector, "contacts": 0,
                                                 "interviews": 0})
        sector["contacts"] += int(row.contacts)
        sector["interviews"] += int(row.interviews)
    return furthest, list(sectors.values())


def interviews_since(c: Connection, cohort: Row, since: datetime) -> list[tuple[datetime, bool]]:
    """(when, thanked within 48 hours) of each of the members' interviews since ``since``."""
    dialect = c.dialect.name
    query = member_contacts_query(cohort, (
        _date(CONTACTS.c.interviewed_at, dialect), _on_time(dialect).label("on_time"),
    )).where(CONTACTS.c.interviewed_at >= since)
    return [(row.interviewed_at, bool(row.on_time)) for row in c.execute(query)]


def _counted(condition: Any) -> Any:
    return func.sum(case((condition, 1), else_=0))


# a column per stage (a CASE sum): one row per member, not one per member and stage, which
# came to 5,000 rows for 500 members and cost the page 30 ms of the driver's and SQLAlchemy's
_STAGES = tuple(stage.value for stage in Stage)


def member_tallies_query(cohort: Row, dialect: str, now: datetime) -> Any:
    interviewed = CONTACTS.c.interviewed_at.is_not(None)
    settled = and_(interviewed, or_(CONTACTS.c.thanked_at.is_not(None),
                                    CONTACTS.c.interviewed_at <= now - THANK_YOU_WINDOW))
    return member_contacts_query(cohort, (
        CONTACTS.c.user_pk, func.count().label("contacts"),
        func.count(CONTACTS.c.interviewed_at).label("interviews"),
        _counted(settled).label("settled"),
        _counted(and_(settled, _on_time(dialect))).label("on_time"),
        *(_counted(CONTACTS.c.stage == stage).label(f"stage_{i}")
          for i, stage in enumerate(_STAGES)),
    )).group_by(CONTACTS.c.user_pk)


def member_tallies(c: Connection, cohort: Row, now: datetime) -> dict[Any, MemberTally]:
    """Each member's contacts counted (``progress.MemberTally``), in one statement: settled is
    thanked or 48 hours past the interview (``progress.is_settled``)."""
    tallies = {}
    for row in c.execute(member_tallies_query(cohort, c.dialect.name, now)):
        user_pk, contacts, interviews, settled, on_time, *at_stage = row
        stages = {stage: int(n) for stage, n in zip(_STAGES, at_stage, strict=True) if n}
        tallies[user_pk] = MemberTally(stages, int(contacts), int(interviews), int(settled),
                                       int(on_time))
    return tallies
