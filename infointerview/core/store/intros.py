"""Warm-introduction requests: asking, the answer, and the cap that protects the people asked
(core/cohorts/asking.py decides who is one person; here the check and the new request are one
step under the cohort's row lock)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Connection, RowMapping, insert, select, update

from infointerview.core.cohorts import asking
from infointerview.core.cohorts.ports import IntroAsked
from infointerview.core.store.cohorts import COHORTS, INTROS, SHARES, Row, shares_query


def _cohort_period(c: Connection, cohort_id: int, *, lock: bool) -> timedelta:
    """The cohort's intro period; ``lock``: hold its row until the event's transaction ends
    (PostgreSQL; SQLite has one writer at a time anyway), so that two members asking for the
    same person at once are checked one after the other. The engine serialises events per
    person, not per cohort, hence this lock."""
    query = select(COHORTS.c.intro_period_days).where(COHORTS.c.id == cohort_id)
    days = c.execute(query.with_for_update() if lock else query).scalar_one()
    return timedelta(days=int(days))


def _free_from(c: Connection, share_row: Row, now: datetime, period: timedelta) -> datetime | None:
    shares = list(c.execute(shares_query(active_only=False).where(
        SHARES.c.cohort_id == share_row["cohort_id"])).mappings())
    same = asking.matching(share_row, _rows(shares))
    requests = list(c.execute(select(INTROS.c.status, INTROS.c.created_at).where(
        INTROS.c.share_id.in_(same), INTROS.c.status.in_(asking.COUNTED),
        INTROS.c.created_at > now - period)).mappings())
    return asking.free_from(_rows(requests), period, now)


def intro_free_from(c: Connection, share_id: int, now: datetime) -> datetime | None:
    share_row = _row(c.execute(shares_query(active_only=False).where(
        SHARES.c.id == share_id)).mappings().first())
    if share_row is None:
        return None
    return _free_from(c, share_row, now,
                      _cohort_period(c, int(share_row["cohort_id"]), lock=False))


def request_intro_capped(c: Connection, share_id: int, requester_pk: int, reason: str,
                         now: datetime) -> IntroAsked:
    """The cap's check and the new request in one step, under the cohort's row lock."""
    share_row = _row(c.execute(shares_query(active_only=False).where(
        SHARES.c.id == share_id)).mappings().first())
    if share_row is None:
        return IntroAsked()
    period = _cohort_period(c, int(share_row["cohort_id"]), lock=True)
    pending = c.execute(select(INTROS.c.id).where(
        INTROS.c.share_id == share_id, INTROS.c.requester_pk == requester_pk,
        INTROS.c.status == "pending")).first()
    if pending is not None:
        return IntroAsked()
    free = _free_from(c, share_row, now, period)
    if free is not None:
        return IntroAsked(free_from=free)
    result = c.execute(insert(INTROS).values(share_id=share_id, requester_pk=requester_pk,
                                             reason=reason[:300], status="pending",
                                             created_at=now).returning(INTROS.c.id))
    return IntroAsked(request_id=int(result.scalar_one()))


def intro_requests_per_contact(c: Connection, cohort_id: int, since: datetime,
                               until: datetime | None = None) -> list[Row]:
    """Counts per share and an opaque person id, never a name (the digest, the coach pages)."""
    shares = list(c.execute(shares_query(active_only=False).where(
        SHARES.c.cohort_id == cohort_id)).mappings())
    query = select(INTROS.c.share_id, INTROS.c.status, INTROS.c.created_at).where(
        INTROS.c.share_id.in_([s["share_id"] for s in shares]), INTROS.c.created_at >= since)
    if until is not None:
        query = query.where(INTROS.c.created_at < until)
    return asking.per_contact(_rows(shares), _rows(list(c.execute(query).mappings())))


def intro(c: Connection, request_id: int) -> RowMapping | None:
    return c.execute(select(INTROS).where(INTROS.c.id == request_id)).mappings().first()


def decide(c: Connection, request_id: int, status: str, now: datetime) -> bool:
    """Accept or decline once; False when it was already decided."""
    return c.execute(update(INTROS).where(INTROS.c.id == request_id,
                                          INTROS.c.status == "pending")
                     .values(status=status, decided_at=now)).rowcount == 1


def _row(row: RowMapping | None) -> Row | None:
    return cast(Row | None, row)


def _rows(rows: list[RowMapping]) -> list[Row]:
    return cast(list[Row], rows)
