"""Scheduling for ``bench.reminders``: our way (``apply_reminders``) beside the naive way (one
APScheduler 3 job per reminder in a SQLAlchemyJobStore on SQLite).

In the product a reminder is never scheduled in a transaction of its own: ``Engine.handle`` calls
``apply_reminders`` inside the event's transaction, after saving the person's state, so what a
reminder adds is its upsert (and whatever the commit then writes for it), not a commit. ``in_event``
measures exactly that; ``per_txn`` keeps the older figures (one transaction per 1 or 100
reminders, as information). APScheduler's ``add_job`` commits every job: it cannot share the
event's transaction.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import event

from infointerview.core.model import Actor, Cancel, Schedule
from infointerview.core.store.db import Database
from infointerview.core.store.repo import (
    apply_reminders,
    load_state,
    lock_user,
    record_event,
    save_state,
    write_back,
)

NAIVE_N = 2_000
PER_TXN_N = {1: 2_000, 100: 20_000}  # reminders per transaction -> reminders per timed run
EVENT_PAIRS, EVENT_WARMUP = 3_000, 100  # the added cost is a difference of two means


def deliver(reminder: int) -> None:  # the naive way's job function, one job per reminder
    ...


def per_txn(db: Database, users: list[Any], now: datetime, kinds: tuple[str, ...], per: int,
            n: int, tag: str, floor: bool = False) -> float:
    """Reminders/s through ``apply_reminders``, ``per`` reminders to a transaction of their own;
    or, with ``floor``, through ``floor_upsert`` (the same rows by hand)."""
    effects = [Schedule(f"{tag}:{i}", kinds[i % 10], now + timedelta(days=2, seconds=i), i % 20 + 1)
               for i in range(n)]
    write = floor_upsert if floor else apply_reminders
    started = time.perf_counter()
    for i in range(0, n, per):
        with db.begin() as conn:
            write(conn, users[i // per % len(users)], [*effects[i:i + per]], now)
    return n / (time.perf_counter() - started)


@dataclass(frozen=True)
class EventCost:
    """One ``in_event`` run: mean event transaction without and with the reminders (µs), the
    mean reminders per event, and what they add to the ``write_back`` call (µs, commit not
    included)."""
    without_us: float
    with_us: float
    per_event: float
    call_us: float

    @property
    def marginal(self) -> float:  # reminders/s: what the reminders add to the event's transaction
        extra = self.with_us - self.without_us
        return self.per_event / extra * 1e6 if extra > 0 else float("inf")

    @property
    def call(self) -> float:  # reminders/s added to the write-back, the commit left to the event
        return self.per_event / self.call_us * 1e6 if self.call_us > 0 else float("inf")


_FLOOR_SQL = (
    "INSERT INTO reminders (platform, tenant, user_pk, user_id, contact_no, kind, dedupe_key, "
    "due_at, status, attempts, created_at, updated_at) VALUES {rows} "
    "ON CONFLICT (user_pk, dedupe_key) DO UPDATE SET due_at = excluded.due_at, "
    "status = 'pending', attempts = CASE WHEN reminders.status = 'sending' "
    "THEN reminders.attempts - 1 ELSE 0 END, lease_until = NULL, delivered_ref = NULL, "
    "last_error = NULL, contact_no = excluded.contact_no, updated_at = excluded.updated_at")


def floor_upsert(conn: Any, user: Any, effects: list[Schedule | Cancel], now: datetime) -> None:
    """The same rows as ``apply_reminders`` writes, by hand: one multi-row upsert written as
    SQL text, run on the driver's cursor with values as the driver takes them (SQLite: the
    text SQLAlchemy would store), no type processing, nothing checked."""
    sqlite = conn.dialect.name == "sqlite"
    mark = "?" if sqlite else "%s"

    def at(value: datetime) -> Any:
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else value

    person = (user["platform"], user["tenant"], user["id"], user["user_id"])
    prefix = f"{user['platform']}:{user['tenant']}:{user['user_id']}:"
    args: list[Any] = []
    rows = [e for e in effects if isinstance(e, Schedule)]
    for e in rows:
        args += (*person, e.contact_no, e.kind, prefix + e.key, at(e.due_at), at(now), at(now))
    row = "(" + ", ".join([mark] * 8) + f", 'pending', 0, {mark}, {mark})"
    cursor = conn.connection.cursor()
    try:
        cursor.execute(_FLOOR_SQL.format(rows=", ".join([row] * len(rows))), args)
    finally:
        cursor.close()


def in_event(db: Database, users: list[Any], now: datetime, kinds: tuple[str, ...], tag: str,
             pairs: int = EVENT_PAIRS, floor: bool = False) -> EventCost:
    """Events as ``Engine.handle`` stores them, in pairs: the engine's own writes for the person
    (``record_event``, ``lock_user``, ``load_state``, then ``write_back`` of a changed session),
    once without and once with ``apply_reminders`` of 1, 2 or 3 new reminders (in turn), in
    alternating order; each timed from BEGIN to the end of COMMIT. With ``floor`` the
    reminders go through ``floor_upsert`` instead, in the same round trip."""
    timed: dict[bool, list[int]] = {False: [], True: []}
    calls: dict[bool, list[int]] = {False: [], True: []}
    counts: list[int] = []

    def one(i: int, reminders: bool, keep: bool) -> None:
        user = users[i % len(users)]
        actor = Actor(user["platform"], user["tenant"], user["user_id"])
        k = 1 + i % 3
        effects: list[Schedule | Cancel] = [
            Schedule(f"{tag}:{i}:{j}", kinds[(i + j) % 10], now + timedelta(days=2, seconds=i),
                     None) for j in range(k)] if reminders else []
        began = time.perf_counter_ns()
        with db.begin() as conn:
            record_event(conn, actor, f"{tag}:{i}:{reminders:d}", now)
            row = lock_user(conn, actor, now)
            rows, state = load_state(conn, row)
            state.conversation.focus_no = i % 7 + 1 if reminders else i % 7 + 8  # the row changes
            called = time.perf_counter_ns()
            if floor and effects:
                save_state(conn, row, state, rows, now)
                floor_upsert(conn, row, effects, now)
            else:
                write_back(conn, row, state, rows, effects, now)
            if keep:
                calls[reminders].append(time.perf_counter_ns() - called)
                if reminders:
                    counts.append(k)
        if keep:
            timed[reminders].append(time.perf_counter_ns() - began)

    for i in range(-EVENT_WARMUP, pairs):
        for reminders in (True, False) if i % 2 else (False, True):
            one(i + EVENT_WARMUP, reminders, keep=i >= 0)
    mean = statistics.fmean
    return EventCost(mean(timed[False]) / 1e3, mean(timed[True]) / 1e3, mean(counts),
                     (mean(calls[True]) - mean(calls[False])) / 1e3)


def naive(repeat: int) -> tuple[list[float], list[float]]:
    """APScheduler jobs/s on SQLite: its default pragmas, then ours (WAL, synchronous=NORMAL)."""
    def run(wal: bool) -> float:
        with tempfile.TemporaryDirectory(prefix="bench-reminders-") as tmp:
            engine = sqlalchemy.create_engine(f"sqlite:///{tmp}/jobs.db")
            if wal:
                event.listen(engine, "connect", lambda dbapi, _: dbapi.executescript(
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"))
            scheduler = BackgroundScheduler(jobstores={"default": SQLAlchemyJobStore(
                engine=engine)}, timezone="UTC")
            scheduler.start(paused=True)  # paused: add_job writes to the store, nothing runs
            run_date, started = datetime.now(UTC) + timedelta(days=30), 0.0
            for i in range(-100, NAIVE_N):  # 100 untimed warm-up jobs first
                started = time.perf_counter() if i == 0 else started
                scheduler.add_job(deliver, "date", run_date=run_date + timedelta(seconds=i),
                                  id=f"reminder-{i}", args=(i,), replace_existing=True,
                                  jobstore="default")
            rate = NAIVE_N / (time.perf_counter() - started)
            scheduler.shutdown(wait=False)
            engine.dispose()
        return rate

    return [run(False) for _ in range(repeat)], [run(True) for _ in range(repeat)]
