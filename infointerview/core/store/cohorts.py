"""Cohort rows: the cohort port (:class:`core.cohorts.ports.CohortRepository`) over the event's
transaction. Every query a handler can reach is scoped by platform and tenant; what another
member may see of a shared contact is decided in the core (:mod:`core.cohorts.visibility`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection, RowMapping, Table, and_, delete, insert, select, true, update

from infointerview.core.store.models import (
    CohortMemberRow,
    CohortRow,
    ContactRow,
    IntroRequestRow,
    ReminderRow,
    ShareRow,
    UserRow,
)

COHORTS = cast(Table, CohortRow.__table__)
MEMBERS = cast(Table, CohortMemberRow.__table__)
SHARES = cast(Table, ShareRow.__table__)
INTROS = cast(Table, IntroRequestRow.__table__)
USERS = cast(Table, UserRow.__table__)
CONTACTS = cast(Table, ContactRow.__table__)
REMINDERS = cast(Table, ReminderRow.__table__)
Row = Mapping[str, Any]

def cohort_in_channel(c: Connection, platform: str, tenant: str,
                      channel_id: str) -> RowMapping | None:
    return c.execute(select(COHORTS).where(
        COHORTS.c.platform == platform, COHORTS.c.tenant == tenant,
        COHORTS.c.channel_id == channel_id)).mappings().first()


def cohort(c: Connection, cohort_id: int, platform: str, tenant: str) -> RowMapping | None:
    return c.execute(select(COHORTS).where(
        COHORTS.c.id == cohort_id, COHORTS.c.platform == platform,
        COHORTS.c.tenant == tenant)).mappings().first()


def create_cohort(c: Connection, platform: str, tenant: str, channel_id: str, name: str,
                  tz: str, now: datetime) -> int:
    result = c.execute(insert(COHORTS).values(
        platform=platform, tenant=tenant, channel_id=channel_id, name=name[:100], tz=tz,
        digest_day=4, digest_time="16:00", created_at=now).returning(COHORTS.c.id))
    return int(result.scalar_one())


def set_digest(c: Connection, cohort_id: int, day: int, at: str, tz: str) -> None:
    c.execute(update(COHORTS).where(COHORTS.c.id == cohort_id).values(
        digest_day=day, digest_time=at, tz=tz))


def set_intro_period(c: Connection, cohort_id: int, days: int) -> None:
    c.execute(update(COHORTS).where(COHORTS.c.id == cohort_id).values(intro_period_days=days))


# --- members ---------------------------------------------------------------------------------


def membership(c: Connection, cohort_id: int, user_pk: int) -> RowMapping | None:
    return c.execute(select(MEMBERS).where(
        MEMBERS.c.cohort_id == cohort_id, MEMBERS.c.user_pk == user_pk)).mappings().first()


def join(c: Connection, cohort_id: int, user_pk: int, role: str, now: datetime) -> None:
    c.execute(insert(MEMBERS).values(cohort_id=cohort_id, user_pk=user_pk, role=role,
                                     paused=False, shoutouts=False, joined_at=now))


def set_member(c: Connection, cohort_id: int, user_pk: int, **values: Any) -> None:
    c.execute(update(MEMBERS).where(MEMBERS.c.cohort_id == cohort_id,
                                    MEMBERS.c.user_pk == user_pk).values(**values))


def leave(c: Connection, cohort_id: int, user_pk: int) -> None:
    """Leaving withdraws every share of this member in this cohort (and requests for them)."""
    c.execute(delete(SHARES).where(SHARES.c.cohort_id == cohort_id,
                                   SHARES.c.owner_pk == user_pk))
    c.execute(delete(MEMBERS).where(MEMBERS.c.cohort_id == cohort_id,
                                    MEMBERS.c.user_pk == user_pk))


def my_cohorts(c: Connection, user_pk: int) -> list[RowMapping]:
    return list(c.execute(
        select(COHORTS, MEMBERS.c.role, MEMBERS.c.paused)
        .join(MEMBERS, MEMBERS.c.cohort_id == COHORTS.c.id)
        .where(MEMBERS.c.user_pk == user_pk).order_by(COHORTS.c.id)).mappings())


def members(c: Connection, cohort_id: int) -> list[RowMapping]:
    """The members, longest-standing first (joined earliest; rows are added as people join)."""
    return list(c.execute(
        select(MEMBERS, USERS.c.user_id, USERS.c.display_name, USERS.c.name,
               USERS.c.updated_at, USERS.c.platform, USERS.c.tenant)
        .join(USERS, USERS.c.id == MEMBERS.c.user_pk)
        .where(MEMBERS.c.cohort_id == cohort_id).order_by(MEMBERS.c.id)).mappings())


def digest_reminders(c: Connection, cohort: Row, kind: str) -> list[RowMapping]:
    """The digest's queued reminders, whoever holds them (one, unless something went wrong)."""
    holders = select(MEMBERS.c.user_pk).where(MEMBERS.c.cohort_id == cohort["id"])
    return list(c.execute(select(REMINDERS).where(
        REMINDERS.c.user_pk.in_(holders), REMINDERS.c.platform == cohort["platform"],
        REMINDERS.c.tenant == cohort["tenant"], REMINDERS.c.kind == kind,
        REMINDERS.c.contact_no == cohort["id"],
        REMINDERS.c.status.in_(("pending", "sending")))).mappings())


def cancel_reminders(c: Connection, reminder_ids: list[int], now: datetime) -> None:
    if reminder_ids:
        c.execute(update(REMINDERS).where(REMINDERS.c.id.in_(reminder_ids),
                                          REMINDERS.c.status == "pending")
                  .values(status="cancelled", updated_at=now))


# --- shares ----------------------------------------------------------------------------------


def contact_row(c: Connection, user_pk: int, no: int) -> RowMapping | None:
    return c.execute(select(CONTACTS).where(CONTACTS.c.user_pk == user_pk,
                                            CONTACTS.c.no == no)).mappings().first()


def share(c: Connection, cohort_id: int, owner_pk: int, contact_pk: int, visibility: str,
          share_email: bool, consent: bool, now: datetime) -> None:
    """Share, or change how a contact is shared (one share per contact and cohort). A change
    is made in place: the requests already made for it stay, and the cap still counts them."""
    changed = c.execute(update(SHARES).where(
        SHARES.c.cohort_id == cohort_id, SHARES.c.contact_pk == contact_pk).values(
        visibility=visibility, share_email=share_email, consent=consent)).rowcount
    if not changed:
        c.execute(insert(SHARES).values(cohort_id=cohort_id, owner_pk=owner_pk,
                                        contact_pk=contact_pk, visibility=visibility,
                                        share_email=share_email, consent=consent,
                                        created_at=now))


def unshare(c: Connection, owner_pk: int, contact_pk: int) -> int:
    return c.execute(delete(SHARES).where(SHARES.c.owner_pk == owner_pk,
                                          SHARES.c.contact_pk == contact_pk)).rowcount


def shares_query(*, active_only: bool = True) -> Any:
    """Shares with their contact, owner, owner's membership and cohort; ``active_only``: only
    those of members who have not paused (what others may find)."""
    owner = USERS.alias("owner")
    return (select(SHARES.c.id.label("share_id"), SHARES.c.visibility, SHARES.c.share_email,
                   SHARES.c.consent, SHARES.c.owner_pk, SHARES.c.cohort_id,
                   SHARES.c.created_at.label("shared_at"),
                   CONTACTS.c.name, CONTACTS.c.role, CONTACTS.c.organisation,
                   CONTACTS.c.sector, CONTACTS.c.profile_url, CONTACTS.c.email,
                   CONTACTS.c.id.label("contact_pk"), CONTACTS.c.no.label("contact_no"),
                   owner.c.user_id.label("owner_user_id"),
                   owner.c.display_name.label("owner_display"), owner.c.name.label("owner_name"),
                   COHORTS.c.name.label("cohort_name"), COHORTS.c.platform, COHORTS.c.tenant)
            .join(CONTACTS, CONTACTS.c.id == SHARES.c.contact_pk)
            .join(owner, owner.c.id == SHARES.c.owner_pk)
            .join(COHORTS, COHORTS.c.id == SHARES.c.cohort_id)
            .join(MEMBERS, and_(MEMBERS.c.cohort_id == SHARES.c.cohort_id,
                                MEMBERS.c.user_pk == SHARES.c.owner_pk,
                                MEMBERS.c.paused.is_(False) if active_only else true())))


def findable(c: Connection, asker_pk: int, platform: str, tenant: str,
             cohort_ids: list[int]) -> list[RowMapping]:
    """Shares the asker may see: in cohorts of this tenant where the asker is a member, owned by
    another member who has not paused. Callers must still pass each through
    ``core.cohorts.visibility.visible``."""
    if not cohort_ids:
        return []
    mine = select(MEMBERS.c.cohort_id).where(MEMBERS.c.user_pk == asker_pk)
    query = shares_query().where(SHARES.c.cohort_id.in_(cohort_ids), SHARES.c.cohort_id.in_(mine),
                            SHARES.c.owner_pk != asker_pk, COHORTS.c.platform == platform,
                            COHORTS.c.tenant == tenant)
    return list(c.execute(query).mappings())


def shared_in(c: Connection, cohort_id: int, visibility: str) -> list[RowMapping]:
    """A cohort's shares made with this visibility, by members who have not paused (what
    another member may find), newest first. Callers must still pass each through
    ``core.cohorts.visibility.visible``."""
    return list(c.execute(shares_query().where(SHARES.c.cohort_id == cohort_id,
                                               SHARES.c.visibility == visibility)
                          .order_by(SHARES.c.id.desc())).mappings().all())


def shared(c: Connection, share_id: int) -> RowMapping | None:
    return c.execute(shares_query().where(SHARES.c.id == share_id)).mappings().first()


def shares_of(c: Connection, owner_pk: int, *, active_only: bool = True) -> list[RowMapping]:
    return list(c.execute(shares_query(active_only=active_only)
                          .where(SHARES.c.owner_pk == owner_pk)).mappings())


def memberships_of(c: Connection, user_pk: int) -> list[RowMapping]:
    return list(c.execute(
        select(MEMBERS, COHORTS.c.name, COHORTS.c.channel_id)
        .join(COHORTS, COHORTS.c.id == MEMBERS.c.cohort_id)
        .where(MEMBERS.c.user_pk == user_pk).order_by(MEMBERS.c.id)).mappings())


def intros_asked_by(c: Connection, requester_pk: int) -> list[RowMapping]:
    """Requests this person made, with the share as they may see it."""
    shared_row = shares_query(active_only=False).subquery()
    return list(c.execute(
        select(INTROS.c.reason, INTROS.c.status, INTROS.c.created_at, INTROS.c.decided_at,
               shared_row).join(shared_row, shared_row.c.share_id == INTROS.c.share_id)
        .where(INTROS.c.requester_pk == requester_pk).order_by(INTROS.c.id)).mappings())


def intros_asked_of(c: Connection, owner_pk: int) -> list[RowMapping]:
    """Requests others made for this person's shared contacts (their answers are the owner's;
    who asked and why is the asker's, and stays out of the owner's export)."""
    return list(c.execute(
        select(INTROS.c.share_id, INTROS.c.status, INTROS.c.created_at, INTROS.c.decided_at,
               CONTACTS.c.no.label("contact_no"), COHORTS.c.name.label("cohort_name"))
        .join(SHARES, SHARES.c.id == INTROS.c.share_id)
        .join(CONTACTS, CONTACTS.c.id == SHARES.c.contact_pk)
        .join(COHORTS, COHORTS.c.id == SHARES.c.cohort_id)
        .where(SHARES.c.owner_pk == owner_pk).order_by(INTROS.c.id)).mappings())


def shared_between(c: Connection, cohort_id: int, since: datetime, until: datetime) -> int:
    return len(list(c.execute(select(SHARES.c.id).where(
        SHARES.c.cohort_id == cohort_id, SHARES.c.created_at >= since,
        SHARES.c.created_at < until))))


def user_row(c: Connection, user_pk: int) -> RowMapping | None:
    return c.execute(select(USERS).where(USERS.c.id == user_pk)).mappings().first()


NEUTRAL_INTRODUCER = "a cohort member"


def mark_introduced(c: Connection, user_pk: int, no: int, introducer_pk: int) -> None:
    c.execute(update(CONTACTS).where(CONTACTS.c.user_pk == user_pk, CONTACTS.c.no == no)
              .values(introduced_by_pk=introducer_pk))


def unname_introducer(c: Connection, introducer_pk: int) -> None:
    """Contacts this member's introductions created keep the card (shared with consent) but
    no longer name them: "referred by" reads as a neutral phrase."""
    c.execute(update(CONTACTS).where(CONTACTS.c.introduced_by_pk == introducer_pk)
              .values(found_detail=NEUTRAL_INTRODUCER, introduced_by_pk=None))


def member_contacts(c: Connection, user_pks: list[int]) -> list[RowMapping]:
    """Only the columns progress figures need: never names, details or notes."""
    if not user_pks:
        return []
    return list(c.execute(select(
        CONTACTS.c.user_pk, CONTACTS.c.stage, CONTACTS.c.sector, CONTACTS.c.interviewed_at,
        CONTACTS.c.thanked_at).where(CONTACTS.c.user_pk.in_(user_pks))).mappings())
