"""Load one person's state for an event and write back what changed, inside one transaction.

SQLAlchemy Core on the hot path (a handful of small statements per event); the ORM classes in
``models`` define the tables and the migrations.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import fields
from datetime import datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import (
    Connection,
    RowMapping,
    Table,
    bindparam,
    case,
    delete,
    insert,
    literal_column,
    null,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from infointerview.core.journey.state import (
    Contact,
    Conversation,
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
from infointerview.core.model import Actor, Cancel, Schedule
from infointerview.core.store import access
from infointerview.core.store.contacts import LazyContacts
from infointerview.core.store.models import ContactRow, ProcessedEvent, ReminderRow, UserRow

Row = RowMapping | Mapping[str, Any]  # a row keyed by column
USERS = cast(Table, UserRow.__table__)
CONTACTS = cast(Table, ContactRow.__table__)
EVENTS = cast(Table, ProcessedEvent.__table__)
REMINDERS = cast(Table, ReminderRow.__table__)

_CONTACT_SCALARS = (
    "name", "role", "organisation", "found_detail", "email", "profile_url", "reason",
    "draft_length", "outreach_custom", "referred_by_no", "contact_tz", "meeting_at",
    "duration_min", "mode_detail", "created_at", "outreach_sent_at", "replied_at",
    "follow_up_sent_at", "interview_started_at", "interviewed_at", "thanked_at", "connected_at",
    "applied_at", "applied_to", "second_thanked_at", "last_contact_at",
)
_CONVERSATION = tuple(f.name for f in fields(Conversation))


_DIALECT_INSERT: dict[str, Any] = {"postgresql": pg_insert, "sqlite": sqlite_insert}


def _insert(connection: Connection) -> Any:
    return _DIALECT_INSERT[connection.dialect.name]


# The statements every event runs, built once (SQLAlchemy caches their compiled form).
@cache
def _record_event(dialect: str) -> Any:
    return (_DIALECT_INSERT[dialect](EVENTS).on_conflict_do_nothing()
            .returning(EVENTS.c.event_id))


_FIND_USER = select(USERS).where(
    USERS.c.platform == bindparam("platform"), USERS.c.tenant == bindparam("tenant"),
    USERS.c.user_id == bindparam("user_id"),
).with_for_update()
_LOAD_CONTACTS = (select(CONTACTS).where(CONTACTS.c.user_pk == bindparam("user_pk"))
                  .order_by(CONTACTS.c.no))
_WRITES: dict[tuple[str, tuple[str, ...]], Any] = {}
_DELETE_CONTACT = delete(CONTACTS).where(
    CONTACTS.c.user_pk == bindparam("user_pk"), CONTACTS.c.no == bindparam("no"))


def _write(connection: Connection, kind: str, table: Table, values: dict[str, Any],
           row_id: int | None = None) -> None:
    """INSERT a row, or UPDATE the row ``row_id``, with these columns; one prebuilt statement
    per table, kind and set of columns."""
    key = (f"{kind} {table.name}", tuple(values))
    statement = _WRITES.get(key)
    if statement is None:
        binds: dict[str, Any] = {name: bindparam(f"v_{name}") for name in values}
        statement = _WRITES[key] = (
            insert(table).values(binds) if kind == "insert"
            else update(table).where(table.c.id == bindparam("row_id")).values(binds))
    connection.execute(statement, {"row_id": row_id,
                                   **{f"v_{name}": value for name, value in values.items()}})


def _insert_row(connection: Connection, table: Table, values: dict[str, Any]) -> None:
    _write(connection, "insert", table, values)


def _update(connection: Connection, table: Table, row_id: int, values: dict[str, Any]) -> None:
    _write(connection, "update", table, values, row_id)


def record_event(connection: Connection, actor: Actor, event_id: str, now: datetime) -> bool:
    """Remember an event id; False when it was seen before (a platform retry)."""
    returned = connection.execute(_record_event(connection.dialect.name), {
        "platform": actor.platform, "tenant": actor.tenant, "event_id": event_id,
        "handled_at": now})
    return returned.first() is not None


def find_user(connection: Connection, actor: Actor) -> Row | None:
    """The person's row, locked until the transaction ends; None when they are unknown."""
    params = {"platform": actor.platform, "tenant": actor.tenant, "user_id": actor.user_id}
    return connection.execute(_FIND_USER, params).mappings().first()


def lock_user(connection: Connection, actor: Actor, now: datetime) -> Row:
    """Fetch (or create) the person's row and hold it locked until the transaction ends."""
    row = find_user(connection, actor)
    if row is not None:
        return row
    connection.execute(_insert(connection)(USERS).values(
        platform=actor.platform, tenant=actor.tenant, user_id=actor.user_id,
        display_name=actor.display_name[:200], tz=actor.tz or "UTC", session_state={},
        next_contact_no=1, name="", programme="", institution="", interests="", intro="",
        quiet_start="21:00", quiet_end="08:00", created_at=now, updated_at=now,
    ).on_conflict_do_nothing())
    found = find_user(connection, actor)
    assert found is not None
    return found


def load_contacts(connection: Connection, user_pk: int) -> dict[int, Row]:
    return {row["no"]: row
            for row in connection.execute(_LOAD_CONTACTS, {"user_pk": user_pk}).mappings()}


class StoredContacts:
    """A person's contact rows as read, made into contacts one by one as the journey uses
    them; kept so that only what changed is written back."""

    def __init__(self, connection: Connection, user_pk: int) -> None:
        self.rows = load_contacts(connection, user_pk)

    def row(self, no: int) -> Row | None:
        """The stored row of contact ``no``, None for a contact added by this event."""
        return self.rows.get(no)

    def contact(self, no: int) -> Contact:
        row = self.row(no)
        assert row is not None
        return _contact(row)


def load_state(connection: Connection, user: Row) -> tuple[StoredContacts, UserState]:
    """The person's stored contacts (to write back only what changed) and their state."""
    stored = StoredContacts(connection, user["id"])
    return stored, to_state(user, stored)


def to_state(user: Row, stored: StoredContacts) -> UserState:
    saved = user["session_state"] or {}
    return UserState(
        display_name=user["display_name"],
        profile=Profile(user["name"], user["programme"], user["institution"],
                        user["interests"], user["intro"]),
        settings=Settings(user["tz"], user["quiet_start"], user["quiet_end"],
                          user["weekdays_only"], user["paused_until"], user["weekly_summary"]),
        conversation=Conversation(**{k: saved.get(k) for k in _CONVERSATION}),
        contacts=LazyContacts(dict.fromkeys(stored.rows), stored.contact),
        next_contact_no=user["next_contact_no"],
        undelivered_reminders=user["undelivered_reminders"],
        delivery_error=user["delivery_error"],
    )


# value -> member by dict: calling an Enum class costs ten times as much, on every contact
_SECTOR = {member.value: member for member in Sector}
_CHANNEL = {member.value: member for member in OutreachChannel}
_HOW_FOUND = {member.value: member for member in HowFound}
_STAGE = {member.value: member for member in Stage}
_MODE = {member.value: member for member in MeetingMode}


def _contact(row: Row) -> Contact:
    contact = Contact(
        no=row["no"], name=row["name"], sector=_SECTOR[row["sector"]],
        channel=_CHANNEL[row["channel"]], how_found=_HOW_FOUND[row["how_found"]],
        stage=_STAGE[row["stage"]], mode=_MODE[row["mode"]] if row["mode"] else None,
        windows=list(row["windows"] or []), agenda=list(row["agenda"] or []),
        notes=[Note(n["no"], n["text"], datetime.fromisoformat(n["at"]), n["starred"],
                    n.get("to_them", ""))
               for n in row["notes"] or []],
    )
    for name in _CONTACT_SCALARS:
        setattr(contact, name, row[name])
    return contact


def _user_values(state: UserState) -> dict[str, Any]:
    p, s = state.profile, state.settings
    return {
        "display_name": state.display_name[:200], "name": p.name, "programme": p.programme,
        "institution": p.institution, "interests": p.interests, "intro": p.intro, "tz": s.tz,
        "quiet_start": s.quiet_start, "quiet_end": s.quiet_end,
        "weekdays_only": s.weekdays_only, "paused_until": s.paused_until,
        "weekly_summary": s.weekly_summary,
        "session_state": {k: v for k in _CONVERSATION
                          if (v := getattr(state.conversation, k)) is not None},
        "next_contact_no": state.next_contact_no,
    }


def _contact_values(contact: Contact) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(contact, name) for name in _CONTACT_SCALARS}
    values.update(  # _value_: the plain value, without the slow .value property
        sector=contact.sector._value_, channel=contact.channel._value_,
        how_found=contact.how_found._value_, stage=contact.stage._value_,
        mode=contact.mode._value_ if contact.mode else None, windows=list(contact.windows),
        agenda=list(contact.agenda),
        notes=[{"no": n.no, "text": n.text, "at": n.at.isoformat(), "starred": n.starred,
                **({"to_them": n.to_them} if n.to_them else {})} for n in contact.notes],
    )
    return values


def _changes(row: Row, values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if row[key] != value}


def save_state(connection: Connection, user: Row, state: UserState,
               stored: StoredContacts, now: datetime) -> None:
    """Write back only the rows and columns whose values changed."""
    changed = _changes(user, _user_values(state))
    for no, contact in _touched(state.contacts):
        values = _contact_values(contact)
        row = stored.row(no)
        if row is None:
            _insert_row(connection, CONTACTS, {
                "user_pk": user["id"], "platform": user["platform"], "tenant": user["tenant"],
                "no": no, **values})
            continue
        diff = _changes(row, values)
        if diff:
            _update(connection, CONTACTS, row["id"], diff)
    gone = stored.rows.keys() - state.contacts.keys()
    if gone:
        connection.execute(_DELETE_CONTACT, [{"user_pk": user["id"], "no": no}
                                             for no in sorted(gone)])
    if changed:  # the person's own row: only when their profile, settings or conversation moved
        changed["updated_at"] = now
        _update(connection, USERS, user["id"], changed)


def _touched(contacts: Mapping[int, Contact]) -> Iterable[tuple[int, Contact]]:
    """The contacts that can have changed: those used so far (the others were not even looked
    at), or every one of a plain mapping."""
    return contacts.decoded() if isinstance(contacts, LazyContacts) else contacts.items()


def write_back(connection: Connection, user: Row, state: UserState, stored: StoredContacts,
               reminders: list[Schedule | Cancel], now: datetime) -> None:
    """Save what changed and apply the reminders."""
    save_state(connection, user, state, stored, now)
    apply_reminders(connection, user, reminders, now)


def forget_user(connection: Connection, user: Row) -> None:
    """Delete every row of this person: reminders, contacts, web sign-in links and sessions
    (deleted here, not left to the foreign keys' cascade alone: a connection without SQLite's
    foreign-key pragma would keep a session signed in), and the person."""
    connection.execute(delete(REMINDERS).where(REMINDERS.c.user_pk == user["id"]))
    access.forget_person(connection, user["id"])
    connection.execute(delete(CONTACTS).where(CONTACTS.c.user_pk == user["id"]))
    connection.execute(delete(USERS).where(USERS.c.id == user["id"]))


_UPSERT_ROWS = 8  # reminders per upsert statement; a person's event schedules 1-3
_ROW_COLUMNS = ("contact_no", "kind", "dedupe_key", "due_at")  # the rest are the person's
_ROW_BINDS = [tuple(f"b_{name}_{row}" for name in _ROW_COLUMNS) for row in range(_UPSERT_ROWS)]


def _typed_bind(name: str, column: str) -> Any:
    return bindparam(name, type_=REMINDERS.c[column].type)


@cache
def _upsert_reminders(rows: int, dialect: str) -> Any:
    """One INSERT … ON CONFLICT for ``rows`` reminders of one person: the statement's own
    costs (parameters shared by the rows, execution, a round trip) are paid once instead of
    once a reminder."""
    # bound names differ from column names, which SQLAlchemy reserves in VALUES
    # every bind takes its column's type: in a multi-row VALUES only the first row's would be
    # inferred, and an untyped due time reaches SQLite as local text with an offset
    person: dict[str, Any] = {name: _typed_bind(f"b_{name}", name)
                              for name in ("platform", "tenant", "user_pk", "user_id")}
    now: Any = _typed_bind("b_now", "created_at")
    statement = _DIALECT_INSERT[dialect](REMINDERS).values([
        {**person, **{name: _typed_bind(bind, name)
                      for name, bind in zip(_ROW_COLUMNS, _ROW_BINDS[row], strict=True)},
         "status": literal_column("'pending'"), "attempts": literal_column("0"),
         "created_at": now, "updated_at": now}
        for row in range(rows)])
    return statement.on_conflict_do_update(
        index_elements=["user_pk", "dedupe_key"],
        # constants written into the SQL: as parameters they are a third of what is sent
        set_={"due_at": statement.excluded.due_at, "status": literal_column("'pending'"),
              # moved while being sent (quiet hours began): that claim was no attempt
              "attempts": case((REMINDERS.c.status == literal_column("'sending'"),
                                REMINDERS.c.attempts - literal_column("1")),
                               else_=literal_column("0")),
              "lease_until": null(), "delivered_ref": null(), "last_error": null(),
              "contact_no": statement.excluded.contact_no,
              "updated_at": statement.excluded.updated_at},
    )


_CANCEL_REMINDER = update(REMINDERS).where(
    REMINDERS.c.user_pk == bindparam("b_user_pk"),
    REMINDERS.c.dedupe_key == bindparam("b_dedupe_key"), REMINDERS.c.status == "pending",
).values(status="cancelled", updated_at=bindparam("b_now"))


def apply_reminders(connection: Connection, user: Row | RowMapping,
                    effects: list[Schedule | Cancel], now: datetime) -> None:
    """Create, move or cancel reminders in the same transaction as the change that caused them."""
    prefix = f"{user['platform']}:{user['tenant']}:{user['user_id']}:"
    keys = [prefix + e.key for e in effects]
    # effects are applied in order: a cancel followed by a new schedule of the same key (or the
    # reverse) must end as the later one said; one upsert statement cannot touch a row twice
    if len(set(keys)) != len(keys):
        for effect in effects:
            apply_reminders(connection, user, [effect], now)
        return
    schedules = [(key, e) for key, e in zip(keys, effects, strict=True) if isinstance(e, Schedule)]
    for start in range(0, len(schedules), _UPSERT_ROWS):
        chunk = schedules[start:start + _UPSERT_ROWS]
        params: dict[str, Any] = {"b_platform": user["platform"], "b_tenant": user["tenant"],
                                  "b_user_pk": user["id"], "b_user_id": user["user_id"],
                                  "b_now": now}
        for (contact_no, kind, dedupe_key, due_at), (key, e) in zip(_ROW_BINDS, chunk,
                                                                     strict=False):
            params[contact_no], params[kind] = e.contact_no, e.kind
            params[dedupe_key], params[due_at] = key, e.due_at
        connection.execute(_upsert_reminders(len(chunk), connection.dialect.name), params)
    cancels = [{"b_user_pk": user["id"], "b_dedupe_key": key, "b_now": now}
               for key, e in zip(keys, effects, strict=True) if isinstance(e, Cancel)]
    if cancels:
        connection.execute(_CANCEL_REMINDER, cancels)
