"""Load one person's state for an event and write back what changed, inside one transaction."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from core.journey.state import (
    Contact,
    HowFound,
    MeetingMode,
    Note,
    OutreachChannel,
    Profile,
    Sector,
    Settings,
    Stage,
    UserState,
)
from core.journey.state import (
    Session as ConversationSession,
)
from core.model import Actor, Cancel, Schedule
from core.store.models import ContactRow, ProcessedEvent, ReminderRow, UserRow

_CONTACT_SCALARS = (
    "name", "role", "organisation", "found_detail", "email", "profile_url", "reason",
    "draft_length", "outreach_custom", "referred_by_no", "contact_tz", "meeting_at",
    "duration_min", "mode_detail", "created_at", "outreach_sent_at", "replied_at",
    "follow_up_sent_at", "interview_started_at", "interviewed_at", "thanked_at", "connected_at",
    "applied_at", "last_contact_at",
)


def _insert(session: Session) -> Any:
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def record_event(session: Session, actor: Actor, event_id: str, now: datetime) -> bool:
    """Remember an event id; False when it was seen before (a platform retry)."""
    statement = _insert(session)(ProcessedEvent).values(
        platform=actor.platform, tenant=actor.tenant, event_id=event_id, handled_at=now,
    ).on_conflict_do_nothing().returning(ProcessedEvent.event_id)
    return session.execute(statement).first() is not None


def lock_user(session: Session, actor: Actor, now: datetime) -> UserRow:
    """Fetch (or create) the person's row and hold it locked until the transaction ends."""
    query = select(UserRow).where(
        UserRow.platform == actor.platform, UserRow.tenant == actor.tenant,
        UserRow.user_id == actor.user_id,
    ).with_for_update()
    row = session.scalars(query).one_or_none()
    if row is not None:
        return row
    session.execute(_insert(session)(UserRow).values(
        platform=actor.platform, tenant=actor.tenant, user_id=actor.user_id,
        display_name=actor.display_name[:200], tz=actor.tz or "UTC", session_state={},
        next_contact_no=1, name="", programme="", institution="", interests="", intro="",
        quiet_start="21:00", quiet_end="08:00", created_at=now, updated_at=now,
    ).on_conflict_do_nothing())
    return session.scalars(query).one()


def load_state(session: Session, user: UserRow) -> tuple[UserState, dict[int, ContactRow]]:
    rows = {r.no: r for r in session.scalars(
        select(ContactRow).where(ContactRow.user_pk == user.id).order_by(ContactRow.no))}
    saved = user.session_state or {}
    state = UserState(
        display_name=user.display_name,
        profile=Profile(user.name, user.programme, user.institution, user.interests, user.intro),
        settings=Settings(user.tz, user.quiet_start, user.quiet_end),
        session=ConversationSession(**{k: saved.get(k) for k in
                                       ("focus_no", "interview_no", "expect", "after_profile")}),
        contacts={no: _contact(row) for no, row in rows.items()},
        next_contact_no=user.next_contact_no,
    )
    return state, rows


def _contact(row: ContactRow) -> Contact:
    contact = Contact(
        no=row.no, name=row.name, sector=Sector(row.sector),
        channel=OutreachChannel(row.channel), how_found=HowFound(row.how_found),
        stage=Stage(row.stage), mode=MeetingMode(row.mode) if row.mode else None,
        windows=list(row.windows or []), agenda=list(row.agenda or []),
        notes=[Note(n["no"], n["text"], datetime.fromisoformat(n["at"]), n["starred"])
               for n in row.notes or []],
    )
    for name in _CONTACT_SCALARS:
        setattr(contact, name, getattr(row, name))
    return contact


def save_state(session: Session, user: UserRow, state: UserState,
               rows: dict[int, ContactRow], now: datetime) -> None:
    """Write the state back; SQLAlchemy only updates the columns whose values changed."""
    p, s = state.profile, state.settings
    values: dict[str, Any] = {
        "display_name": state.display_name[:200], "name": p.name, "programme": p.programme,
        "institution": p.institution, "interests": p.interests, "intro": p.intro, "tz": s.tz,
        "quiet_start": s.quiet_start, "quiet_end": s.quiet_end,
        "session_state": {k: v for k, v in asdict(state.session).items() if v is not None},
        "next_contact_no": state.next_contact_no,
    }
    changed = False
    for key, value in values.items():
        if getattr(user, key) != value:
            setattr(user, key, value)
            changed = True
    for no, contact in state.contacts.items():
        row = rows.get(no)
        if row is None:
            row = ContactRow(user_pk=user.id, platform=user.platform, tenant=user.tenant, no=no)
            session.add(row)
        changed |= _write_contact(row, contact)
    for no in rows.keys() - state.contacts.keys():
        session.delete(rows[no])
        changed = True
    if changed:
        user.updated_at = now


def _write_contact(row: ContactRow, contact: Contact) -> bool:
    values: dict[str, Any] = {name: getattr(contact, name) for name in _CONTACT_SCALARS}
    values.update(
        sector=contact.sector.value, channel=contact.channel.value,
        how_found=contact.how_found.value, stage=contact.stage.value,
        mode=contact.mode.value if contact.mode else None, windows=list(contact.windows),
        agenda=list(contact.agenda),
        notes=[{"no": n.no, "text": n.text, "at": n.at.isoformat(), "starred": n.starred}
               for n in contact.notes],
    )
    changed = False
    for key, value in values.items():
        if getattr(row, key, None) != value:
            setattr(row, key, value)
            changed = True
    return changed


def forget_user(session: Session, user: UserRow) -> None:
    """Delete every row of this person: reminders, contacts, and the person."""
    session.execute(delete(ReminderRow).where(ReminderRow.user_pk == user.id))
    session.execute(delete(ContactRow).where(ContactRow.user_pk == user.id))
    session.execute(delete(UserRow).where(UserRow.id == user.id))


def apply_reminders(session: Session, user: UserRow, effects: list[Schedule | Cancel],
                    now: datetime) -> None:
    """Create, move or cancel reminders in the same transaction as the change that caused them."""
    for effect in effects:
        key = f"{user.platform}:{user.tenant}:{user.user_id}:{effect.key}"
        if isinstance(effect, Cancel):
            session.execute(update(ReminderRow).where(
                ReminderRow.dedupe_key == key, ReminderRow.status == "pending",
            ).values(status="cancelled", updated_at=now))
            continue
        statement = _insert(session)(ReminderRow).values(
            platform=user.platform, tenant=user.tenant, user_pk=user.id, user_id=user.user_id,
            contact_no=effect.contact_no, kind=effect.kind, dedupe_key=key,
            due_at=effect.due_at, status="pending", attempts=0, created_at=now, updated_at=now,
        )
        session.execute(statement.on_conflict_do_update(
            index_elements=["dedupe_key"],
            set_={"due_at": statement.excluded.due_at, "status": "pending", "attempts": 0,
                  "lease_until": None, "delivered_ref": None, "last_error": None,
                  "contact_no": statement.excluded.contact_no, "updated_at": now},
        ))
