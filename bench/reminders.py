"""Reminder queue: claim latency, claims per second and drain rate at 10k and 1M pending rows
(10k due); and the scheduling rate, in an event's transaction as the product does it, beside one
APScheduler 3 job per reminder in a SQLAlchemyJobStore on SQLite (bench/reminders_schedule.py).

    python -m bench.reminders --backend both --sizes 10000,1000000 --write bench/RESULTS.md

Not a test. ``--write`` replaces only this benchmark's marked section of the file
(bench/reminders_report.py writes it).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import os
import sqlite3
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy
from sqlalchemy import event, insert, select, text

from bench import reminders_schedule as sched
from bench.engine import PG_URL, database_url, git
from bench.reminders_report import BATCH, DUE, N_USERS, Drain, Result, report
from bench.results import publish
from infointerview.core.store.db import Database
from infointerview.core.store.models import ReminderRow, UserRow
from infointerview.core.store.queue import claim_due, mark_delivered, mark_delivered_many
from infointerview.core.store.repo import USERS

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
TENANTS = ("T0LAKESIDE", "T0NORTHFIELD", "T0RIVERTON")
KINDS = ("no_reply_nudge", "no_reply_follow_up", "no_reply_park", "prep_day", "prep_hour",
         "interview_wrap", "thank_you", "thank_you_last", "linkedin", "keep_in_touch")
LOAD = """WITH RECURSIVE kinds(i, kind) AS (VALUES {kinds}){seq_cte}
INSERT INTO reminders (platform, tenant, user_pk, user_id, contact_no, kind, dedupe_key, due_at,
                       status, attempts, created_at, updated_at)
SELECT 'slack', u.tenant, u.id, u.user_id, s.g % 20 + 1, k.kind,
       'slack:' || u.tenant || ':' || u.user_id || ':' || k.kind || ':' || s.g,
       CASE WHEN s.g % {step} = 0 THEN {past} ELSE {future} END, 'pending', 0, {made}, {made}
FROM (SELECT g, g * 2654435761 % 1000003 AS h
      FROM (SELECT CAST(g AS BIGINT) AS g FROM {seq}) AS t) AS s
JOIN users u ON u.id = s.h % {users} + 1 JOIN kinds k ON k.i = s.h / {users} % 10"""
FUTURE = "60 + s.g * 7919 % 7776000"  # within 90 days
# the due rows' times, up to a week ago: independent of the order rows were inserted in, as in
# a table filled by appends with many delays; or, for information, in that order (newest row
# due first), which at 10,000 rows puts each claim's rows side by side
LAYOUTS = {"scattered": "-(s.g * 1000003 % 604800 + 1)", "in due order": "-(s.g * 37 % 604800 + 1)"}
SQL = {  # dialect -> (a time {s} seconds from NOW, the series CTE, the series)
    "postgresql": (f"TIMESTAMPTZ '{NOW:%Y-%m-%d %H:%M:%S}+00' + make_interval(secs => {{s}})",
                   "", "generate_series(1, {n}) AS g"),
    "sqlite": (f"strftime('%Y-%m-%d %H:%M:%S', '{NOW:%Y-%m-%d %H:%M:%S}', ({{s}}) || ' seconds') "
               "|| '.000000'", ", seq(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM seq "
               "WHERE g < {n})", "seq")}


def _no_statement_limit(db: Database, conn: Any) -> None:
    """A million rows in one statement outlast the 10-second limit that protects requests."""
    if db.is_postgres:
        conn.exec_driver_sql("SET LOCAL statement_timeout = 0")


def load(db: Database, size: int, layout: str = "scattered") -> int:
    users = [{"platform": "slack", "tenant": TENANTS[i % 3], "user_id": f"U{i:07d}",
              "display_name": f"user{i}", "created_at": NOW, "updated_at": NOW}
             for i in range(1, N_USERS + 1)]
    at, seq_cte, seq = SQL[db.dialect]  # SQLite: the text SQLAlchemy stores, so `<=` holds
    sql = LOAD.format(kinds=", ".join(f"({i}, '{k}')" for i, k in enumerate(KINDS)),
                      seq_cte=seq_cte.format(n=size), seq=seq.format(n=size), users=N_USERS,
                      step=max(1, size // DUE), past=at.format(s=LAYOUTS[layout]),
                      future=at.format(s=FUTURE), made=at.format(s="-2592000"))
    with db.begin() as conn:
        _no_statement_limit(db, conn)
        conn.execute(insert(UserRow), users)
        assert conn.execute(text("SELECT max(id) FROM users")).scalar_one() == N_USERS
        conn.execute(text(sql))
        conn.exec_driver_sql("ANALYZE")
        return int(conn.execute(select(sqlalchemy.func.count()).where(
            ReminderRow.due_at <= NOW)).scalar_one())


def wal_frames(db: Database) -> tuple[int, bytes]:
    """SQLite: the WAL's frame count and salt, from the wal-index header (-shm: mxFrame at
    offset 16, the salts at 32; see sqlite.org/walformat.html); (0, b"") elsewhere."""
    if db.is_postgres:
        return 0, b""
    try:
        with open(f"{db.engine.url.database}-shm", "rb") as shm:
            header = shm.read(40)
    except FileNotFoundError:  # no connection has opened the WAL yet
        return 0, b""
    return int.from_bytes(header[16:20], sys.byteorder), header[32:40]


def drain(db: Database, mode: str) -> Drain:
    """Claim and mark until nothing is due, as ``Dispatcher.tick`` does minus the DMs: claim a
    batch, checkpoint (SQLite), mark the batch delivered."""
    claims: list[int] = []
    pages: list[int] = []
    claimed = delivered = checkpoints = 0
    started = time.perf_counter()
    while True:
        frames, salt = wal_frames(db)
        began = time.perf_counter_ns()
        with db.begin() as conn:
            batch = claim_due(conn, "slack", NOW, BATCH)
        ended = time.perf_counter_ns()
        after, salt_after = wal_frames(db)
        db.checkpoint()
        checkpoints += time.perf_counter_ns() - ended
        if not batch:
            break
        claims.append(ended - began)
        pages.append(after - frames if salt_after == salt else after)  # else: WAL restarted
        claimed += len(batch)
        if mode == "batch":
            with db.begin() as conn:
                delivered += len(mark_delivered_many(conn, [r.id for r in batch], NOW, "bench"))
            continue
        for reminder in batch:
            with db.begin() as conn:
                delivered += mark_delivered(conn, reminder.id, NOW, "bench")
    assert delivered == claimed, (delivered, claimed)
    return Drain(mode, claims, claimed, checkpoints, pages if not db.is_postgres else [],
                 delivered, time.perf_counter() - started)


def reset(db: Database) -> None:
    """Put the delivered rows back to pending, then VACUUM/ANALYZE as autovacuum would."""
    with db.begin() as conn:
        _no_statement_limit(db, conn)
        conn.exec_driver_sql("UPDATE reminders SET status = 'pending', attempts = 0, "
                             "lease_until = NULL, delivered_ref = NULL WHERE status <> 'pending'")
        if not db.is_postgres:
            conn.exec_driver_sql("ANALYZE")
    if db.is_postgres:  # VACUUM cannot run inside a transaction
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("SET statement_timeout = 0")
            conn.exec_driver_sql("VACUUM ANALYZE reminders")
            conn.exec_driver_sql("RESET statement_timeout")  # back to the pool as it came
    db.checkpoint()  # SQLite: start each drain on an empty WAL, as after a quiet tick


def settle(db: Database) -> None:
    """After the bulk load, before the first drain: on PostgreSQL, VACUUM ANALYZE (as between
    drains; else autovacuum wakes for the million inserts in the middle of a drain) and a
    CHECKPOINT (else the load's WAL sets one off there). Each cost the 1,000,000-row drains
    tens of milliseconds at their p99 that no table grown by use would see."""
    reset(db)
    if db.is_postgres:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("CHECKPOINT")


def plan(db: Database) -> str:
    """EXPLAIN each statement ``claim_due`` sends, with its real parameters; then roll back."""
    sent: list[tuple[str, Any]] = []

    def grab(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "EXPLAIN")):
            sent.append((statement, params))

    out: list[str] = []
    with db.engine.connect() as conn:
        transaction = conn.begin()
        event.listen(conn, "before_cursor_execute", grab)
        claim_due(conn, "slack", NOW, BATCH)
        prefix = "EXPLAIN (ANALYZE, BUFFERS) " if db.is_postgres else "EXPLAIN QUERY PLAN "
        for statement, params in list(sent):
            rows = conn.exec_driver_sql(prefix + statement, params).all()
            out += [" ".join(statement.split()), "", *(
                str(row[0]) if db.is_postgres else f"{row[1]:>3} {row[3]}" for row in rows), ""]
        transaction.rollback()
    return "\n".join(out).strip()


def schedule(db: Database, result: Result, args: argparse.Namespace) -> None:
    """The scheduling figures on a loaded database (bench/reminders_schedule.py)."""
    with db.begin() as conn:
        users = list(conn.execute(select(USERS).order_by(USERS.c.id)).mappings())
    sched.per_txn(db, users, NOW, KINDS, 1, 200, "warm")
    for r in range(args.repeat):  # our way and the floor in turn, so drift hits both
        result.events.append(sched.in_event(db, users, NOW, KINDS, f"e{r}"))
        result.floor_events.append(sched.in_event(db, users, NOW, KINDS, f"f{r}", floor=True))
    for (per, n), floor in itertools.product(sched.PER_TXN_N.items(), (False, True)):
        result.per_txn[per, floor] = [
            sched.per_txn(db, users, NOW, KINDS, per, n, f"s{per}{floor:d}_{r}", floor)
            for r in range(args.repeat)]


def bench(backend: str, size: int, args: argparse.Namespace, layout: str = "scattered") -> Result:
    """Claims on one loaded database; scheduling too, unless it is the extra in-order layout."""
    result = Result(backend, size, layout)
    with database_url(backend, args.pg_url) as url:
        db = Database(url)
        try:
            db.migrate()
            with db.engine.connect() as conn:
                result.server = f"SQLite {sqlite3.sqlite_version}" if backend == "sqlite" else \
                    f"PostgreSQL {conn.exec_driver_sql('SHOW server_version').scalar()}"
            began = time.perf_counter()
            result.due = load(db, size, layout)
            result.load_s = time.perf_counter() - began
            settle(db)
            result.plan = plan(db)
            for n in range(args.drains + 1):  # the last drain marks one reminder per txn
                if n:
                    reset(db)
                result.drains.append(drain(db, "each" if n == args.drains else "batch"))
            if layout == "scattered":
                schedule(db, result, args)
        finally:
            db.dispose()
    print(f"done: {backend} {size:,} ({layout})", file=sys.stderr, flush=True)
    return result


def code_version() -> str:
    """The last commit touching infointerview/core/, a digest of uncommitted changes there, and
    a digest of the migrations (read per database, so the only core code a change mid-run
    reaches)."""
    diff = git("diff", "HEAD", "--", "infointerview/core").encode()
    migrations_dir = Path(__file__).parents[1] / "infointerview" / "core" / "store" / "migrations"
    files = sorted(migrations_dir.rglob("*.py"))
    migrations = hashlib.sha1(b"".join(f.read_bytes() for f in files)).hexdigest()[:8]
    return git("log", "-1", "--format=%h", "--", "infointerview/core") + (
        f" + uncommitted changes (diff sha1 {hashlib.sha1(diff).hexdigest()[:8]})" if diff
        else "") + f"; migrations sha1 {migrations}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.reminders", description=__doc__)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--sizes", default="10000,1000000", help="pending rows, comma-separated")
    parser.add_argument("--in-order-sizes", default="10000",
                        help="also load these sizes with due times in row order (information)")
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--drains", type=int, default=8, help="batch drains per database")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each scheduling way")
    parser.add_argument("--write", type=Path, help="replace the reminders section of this file")
    args, load_avg, code = parser.parse_args(argv), os.getloadavg(), code_version()
    sizes = sorted(int(x) for x in args.sizes.split(","))
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    in_order = sorted(int(x) for x in args.in_order_sizes.split(",") if x)
    results = [bench(backend, size, args) for backend in backends for size in sizes] + [
        bench(backend, size, args, "in due order") for backend in backends for size in in_order]
    naive_rates = sched.naive(args.repeat)
    command = "python -m bench.reminders " + " ".join(sys.argv[1:] if argv is None else argv)
    markdown = report(results, naive_rates, command.strip(), load_avg, code,
                      code_version().split("; ")[-1])
    publish(markdown, args.write, "reminders")


if __name__ == "__main__":
    main()
