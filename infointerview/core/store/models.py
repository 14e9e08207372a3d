"""Tables. Every row carries its platform and tenant; every query is scoped by them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class _SQLiteDateTime(sqlite.DATETIME):
    """SQLite's DATETIME read with ``fromisoformat``: several times faster than the default
    regular expression, on the engine's hot path (dozens of timestamps per event)."""

    def result_processor(self, dialect: Dialect, coltype: object) -> Any:
        def process(value: str | None) -> datetime | None:
            return None if value is None else datetime.fromisoformat(value)

        return process


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on every backend (SQLite stores naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "sqlite":
            return _SQLiteDateTime()  # type: ignore[no-untyped-call]  # as is: not re-adapted
        return dialect.type_descriptor(DateTime(timezone=True))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; times are stored in UTC")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(), dict[str, Any]: JSON(), list[Any]: JSON(),
    }


class UserRow(Base):
    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("platform", "tenant", "user_id", name="uq_users_identity"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    tenant: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    name: Mapped[str] = mapped_column(String(200), default="")
    programme: Mapped[str] = mapped_column(String(200), default="")
    institution: Mapped[str] = mapped_column(String(200), default="")
    interests: Mapped[str] = mapped_column(Text, default="")
    intro: Mapped[str] = mapped_column(Text, default="")
    tz: Mapped[str] = mapped_column(String(64), default="UTC")
    quiet_start: Mapped[str] = mapped_column(String(5), default="21:00")
    quiet_end: Mapped[str] = mapped_column(String(5), default="08:00")
    weekdays_only: Mapped[bool] = mapped_column(default=False, server_default=false())
    paused_until: Mapped[date | None]
    weekly_summary: Mapped[bool] = mapped_column(default=False, server_default=false())
    undelivered_reminders: Mapped[int] = mapped_column(default=0, server_default="0")
    delivery_error: Mapped[str] = mapped_column(String(400), default="", server_default="")
    session_state: Mapped[dict[str, Any]] = mapped_column(default=dict)
    next_contact_no: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ContactRow(Base):
    __tablename__ = "contacts"
    __table_args__ = (
        UniqueConstraint("user_pk", "no", name="uq_contacts_user_no"),
        Index("ix_contacts_tenant_organisation", "platform", "tenant", "organisation"),
        Index("ix_contacts_introduced_by", "introduced_by_pk"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    user_pk: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(16))
    tenant: Mapped[str] = mapped_column(String(64))
    no: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    sector: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(16))
    how_found: Mapped[str] = mapped_column(String(16))
    found_detail: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    profile_url: Mapped[str] = mapped_column(String(400), default="")
    reason: Mapped[str] = mapped_column(String(400), default="")
    stage: Mapped[str] = mapped_column(String(24))
    draft_length: Mapped[str] = mapped_column(String(12), default="standard")
    outreach_custom: Mapped[str | None] = mapped_column(Text)
    referred_by_no: Mapped[int | None]
    contact_tz: Mapped[str] = mapped_column(String(64), default="")
    windows: Mapped[list[Any]] = mapped_column(default=list)
    meeting_at: Mapped[datetime | None]
    duration_min: Mapped[int] = mapped_column(default=30)
    mode: Mapped[str | None] = mapped_column(String(16))
    mode_detail: Mapped[str] = mapped_column(String(400), default="")
    agenda: Mapped[list[Any]] = mapped_column(default=list)
    notes: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime | None]
    outreach_sent_at: Mapped[datetime | None]
    replied_at: Mapped[datetime | None]
    follow_up_sent_at: Mapped[datetime | None]
    interview_started_at: Mapped[datetime | None]
    interviewed_at: Mapped[datetime | None]
    thanked_at: Mapped[datetime | None]
    connected_at: Mapped[datetime | None]
    applied_at: Mapped[datetime | None]
    applied_to: Mapped[str] = mapped_column(String(150), default="", server_default="")
    second_thanked_at: Mapped[datetime | None]
    last_contact_at: Mapped[datetime | None]
    # the member whose accepted introduction created this contact: their name is in
    # found_detail, and forget-me finds it here to take it out (no foreign key: it is cleared
    # by forget-me itself, before the person's row goes)
    introduced_by_pk: Mapped[int | None] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"))


class ProcessedEvent(Base):
    """Event ids already handled, so a platform's retry produces no second effect."""

    __tablename__ = "processed_events"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    handled_at: Mapped[datetime]


class ReminderRow(Base):
    """The reminder queue: the single source of truth for every nudge."""

    __tablename__ = "reminders"
    __table_args__ = (
        Index("ix_reminders_due_pending", "platform", "due_at",
              postgresql_where=text("status = 'pending'"),
              sqlite_where=text("status = 'pending'")),
        Index("ix_reminders_leased", "lease_until",
              postgresql_where=text("status = 'sending'"),
              sqlite_where=text("status = 'sending'")),
        # a dedupe key starts with its person's platform, tenant and id: unique within its
        # person is unique; the owner's lookups (forget-me, the cascade) use the first column
        UniqueConstraint("user_pk", "dedupe_key"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    tenant: Mapped[str] = mapped_column(String(64))
    user_pk: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(64))
    contact_no: Mapped[int | None]
    kind: Mapped[str] = mapped_column(String(32))
    dedupe_key: Mapped[str] = mapped_column(String(300))
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    lease_until: Mapped[datetime | None]
    delivered_ref: Mapped[str | None] = mapped_column(String(200))
    last_error: Mapped[str | None] = mapped_column(String(400))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


# --- cohorts: a channel whose members pool their networks, with consent --------------------------


class CohortRow(Base):
    """A channel made into a cohort; belongs to one workspace or guild."""

    __tablename__ = "cohorts"
    __table_args__ = (UniqueConstraint("platform", "tenant", "channel_id",
                                       name="uq_cohorts_channel"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    tenant: Mapped[str] = mapped_column(String(64))
    channel_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100))
    digest_day: Mapped[int] = mapped_column(default=4)  # Friday
    digest_time: Mapped[str] = mapped_column(String(5), default="16:00")
    tz: Mapped[str] = mapped_column(String(64), default="UTC")
    # one external person is asked at most once per this many days (core/cohorts/asking.py)
    intro_period_days: Mapped[int] = mapped_column(default=28, server_default="28")
    created_at: Mapped[datetime]


class CohortMemberRow(Base):
    """Someone who opted in; coaches see progress, members can pause or leave."""

    __tablename__ = "cohort_members"
    __table_args__ = (UniqueConstraint("cohort_id", "user_pk", name="uq_cohort_members_user"),
                      Index("ix_cohort_members_user", "user_pk"))

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    user_pk: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(8), default="member")  # member | coach
    paused: Mapped[bool] = mapped_column(default=False, server_default=false())
    shoutouts: Mapped[bool] = mapped_column(default=False, server_default=false())
    joined_at: Mapped[datetime]


class ShareRow(Base):
    """One contact shared into one cohort, with the visibility its owner chose."""

    __tablename__ = "shares"
    __table_args__ = (UniqueConstraint("cohort_id", "contact_pk", name="uq_shares_contact"),
                      Index("ix_shares_owner", "owner_pk"))

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    owner_pk: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    contact_pk: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    visibility: Mapped[str] = mapped_column(String(8))  # card | intro
    share_email: Mapped[bool] = mapped_column(default=False, server_default=false())
    # the contact said it's fine to pass on their details (needed before an e-mail is shared)
    consent: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime]


class IntroRequestRow(Base):
    """A member asking a contact's owner for a warm introduction."""

    __tablename__ = "intro_requests"
    __table_args__ = (Index("ix_intro_requests_share", "share_id"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    share_id: Mapped[int] = mapped_column(ForeignKey("shares.id", ondelete="CASCADE"))
    requester_pk: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(10), default="pending")
    created_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]


class InboxRow(Base):
    """Requests a platform was told we have (HTTP 200, a deferred interaction) and that are
    not handled yet. Slack never retries a slash command it got a 200 for, so a process killed
    between the ack and the work would lose it: the row is written before the ack, and the
    next start-up handles what is left (``core.store.inbox``)."""

    __tablename__ = "inbox"
    __table_args__ = (
        Index("ix_inbox_pending", "platform", "id",
              postgresql_where=text("done_at IS NULL"), sqlite_where=text("done_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    tenant: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))  # which listener handles the payload
    event_id: Mapped[str] = mapped_column(String(128))  # the engine's dedupe key for it
    payload: Mapped[dict[str, Any]]  # the platform's request, as received
    received_at: Mapped[datetime]
    done_at: Mapped[datetime | None]
    outcome: Mapped[str] = mapped_column(String(16), default="", server_default="")


# --- the web window: signed in from the chat, no passwords ---------------------------------------


class WebLinkRow(Base):
    """A one-time sign-in link sent in a DM: its random nonce is what the signed token carries;
    ``used_at`` makes it work once."""

    __tablename__ = "web_links"
    __table_args__ = (Index("ix_web_links_user", "user_pk"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(64), unique=True)
    user_pk: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class WebSessionRow(Base):
    """A signed-in browser: the cookie holds a random token, this row only its SHA-256."""

    __tablename__ = "web_sessions"
    __table_args__ = (Index("ix_web_sessions_user", "user_pk"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_pk: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class AppSecretRow(Base):
    """Keys the installation made for itself when none is configured (the links' signing key),
    shared by every process on the same database."""

    __tablename__ = "app_secrets"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
