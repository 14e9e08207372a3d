"""Reminder queue: claim latency and drain rate at 10k and 1M pending rows (10k due), and the
scheduling rate beside one APScheduler 3 job per reminder in a SQLAlchemyJobStore on SQLite.

    python -m bench.reminders --backend both --sizes 10000,1000000 --write bench/RESULTS.md

Not a test. ``--write`` replaces only this benchmark's marked section of the file.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import event, insert, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bench.engine import PG_URL, database_url, git, verdict
from bench.results import write_section
from core.model import Schedule
from core.store.db import Database
from core.store.models import ReminderRow, UserRow
from core.store.queue import claim_due, mark_delivered
from core.store.repo import REMINDERS, USERS, apply_reminders

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
DUE, BATCH, N_USERS = 10_000, 50, 1_000
TARGET_RATIO, TARGET_CPS, TARGET_SPEEDUP = 1.5, 2_000.0, 20.0
SCHEDULE_N = {1: 2_000, 100: 20_000}  # reminders per transaction -> reminders per timed run
NAIVE_N = 2_000
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
PAST, FUTURE = "-(s.g * 37 % 604800 + 1)", "60 + s.g * 7919 % 7776000"  # a week ago / 90 days
SQL = {  # dialect -> (a time {s} seconds from NOW, the series CTE, the series)
    "postgresql": (f"TIMESTAMPTZ '{NOW:%Y-%m-%d %H:%M:%S}+00' + make_interval(secs => {{s}})",
                   "", "generate_series(1, {n}) AS g"),
    "sqlite": (f"strftime('%Y-%m-%d %H:%M:%S', '{NOW:%Y-%m-%d %H:%M:%S}', ({{s}}) || ' seconds') "
               "|| '.000000'", ", seq(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM seq "
               "WHERE g < {n})", "seq")}


def deliver(reminder: int) -> None:  # the naive way's job function, one job per reminder
    ...


@dataclass(frozen=True)
class Drain:
    mode: str  # "batch": one transaction marks the batch; "each": one per reminder
    claims_ns: list[int]  # one claim_due transaction each (the final empty claim excluded)
    delivered: int
    wall_s: float

    @property
    def rate(self) -> float:
        return self.delivered / self.wall_s


@dataclass
class Result:
    backend: str
    size: int
    server: str = ""
    due: int = 0
    load_s: float = 0.0
    drains: list[Drain] = field(default_factory=list)
    schedule: dict[tuple[int, bool], list[float]] = field(default_factory=dict)  # reminders/s
    plan: str = ""

    def median_rate(self) -> float:
        return statistics.median(d.rate for d in self.drains if d.mode == "batch")

    def pooled(self, q: int) -> float:
        return quantile([ns for d in self.drains if d.mode == "batch" for ns in d.claims_ns], q)


def quantile(values_ns: list[int], q: int) -> float:
    return statistics.quantiles(values_ns, n=100, method="inclusive")[q - 1] / 1e6


def load(db: Database, size: int) -> int:
    users = [{"platform": "slack", "tenant": TENANTS[i % 3], "user_id": f"U{i:07d}",
              "display_name": f"user{i}", "created_at": NOW, "updated_at": NOW}
             for i in range(1, N_USERS + 1)]
    at, seq_cte, seq = SQL[db.dialect]  # SQLite: the text SQLAlchemy stores, so `<=` holds
    sql = LOAD.format(kinds=", ".join(f"({i}, '{k}')" for i, k in enumerate(KINDS)),
                      seq_cte=seq_cte.format(n=size), seq=seq.format(n=size), users=N_USERS,
                      step=max(1, size // DUE), past=at.format(s=PAST), future=at.format(s=FUTURE),
                      made=at.format(s="-2592000"))
    with db.begin() as conn:
        conn.execute(insert(UserRow), users)
        assert conn.execute(text("SELECT max(id) FROM users")).scalar_one() == N_USERS
        conn.execute(text(sql))
        conn.exec_driver_sql("ANALYZE")
        return int(conn.execute(select(sqlalchemy.func.count()).where(
            ReminderRow.due_at <= NOW)).scalar_one())


def drain(db: Database, mode: str) -> Drain:
    claims: list[int] = []
    delivered, started = 0, time.perf_counter()
    while True:
        began = time.perf_counter_ns()
        with db.begin() as conn:
            batch = claim_due(conn, "slack", NOW, BATCH)
        if not batch:
            break
        claims.append(time.perf_counter_ns() - began)
        for group in [batch] if mode == "batch" else [[reminder] for reminder in batch]:
            with db.begin() as conn:
                for reminder in group:
                    mark_delivered(conn, reminder.id, NOW, "bench")
        delivered += len(batch)
    return Drain(mode, claims, delivered, time.perf_counter() - started)


def reset(db: Database) -> None:
    """Put the delivered rows back to pending, then VACUUM/ANALYZE as autovacuum would."""
    with db.begin() as conn:
        conn.exec_driver_sql("UPDATE reminders SET status = 'pending', attempts = 0, "
                             "lease_until = NULL, delivered_ref = NULL WHERE status <> 'pending'")
        if not db.is_postgres:
            conn.exec_driver_sql("ANALYZE")
    if db.is_postgres:  # VACUUM cannot run inside a transaction
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE reminders")


def schedule(db: Database, users: list[Any], per_txn: int, n: int, tag: str,
             floor: bool = False) -> float:
    """Reminders/s through ``apply_reminders``; or, with ``floor``, one prebuilt upsert
    statement run with executemany (a floor for the same rows, not the code path)."""
    effects = [Schedule(f"{tag}:{i}", KINDS[i % 10], NOW + timedelta(days=2, seconds=i), i % 20 + 1)
               for i in range(n)]
    upsert = (pg_insert if db.is_postgres else sqlite_insert)(REMINDERS)
    upsert = upsert.on_conflict_do_update(index_elements=["dedupe_key"], set_={
        "due_at": upsert.excluded.due_at, "status": "pending", "attempts": 0, "lease_until": None,
        "delivered_ref": None, "last_error": None, "contact_no": upsert.excluded.contact_no,
        "updated_at": NOW})
    started = time.perf_counter()
    for i in range(0, n, per_txn):
        user = users[i // per_txn % len(users)]
        with db.begin() as conn:
            if not floor:
                apply_reminders(conn, user, [*effects[i:i + per_txn]], NOW)
                continue
            conn.execute(upsert, [{
                "platform": user["platform"], "tenant": user["tenant"], "user_pk": user["id"],
                "user_id": user["user_id"], "contact_no": e.contact_no, "kind": e.kind,
                "dedupe_key": f"slack:{user['tenant']}:{user['user_id']}:{e.key}",
                "due_at": e.due_at, "status": "pending", "attempts": 0, "created_at": NOW,
                "updated_at": NOW} for e in effects[i:i + per_txn]])
    return n / (time.perf_counter() - started)


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


def bench(backend: str, size: int, args: argparse.Namespace) -> Result:
    result = Result(backend, size)
    with database_url(backend, args.pg_url) as url:
        db = Database(url)
        try:
            db.migrate()
            with db.engine.connect() as conn:
                result.server = f"SQLite {sqlite3.sqlite_version}" if backend == "sqlite" else \
                    f"PostgreSQL {conn.exec_driver_sql('SHOW server_version').scalar()}"
            began = time.perf_counter()
            result.due = load(db, size)
            result.load_s = time.perf_counter() - began
            result.plan = plan(db)
            for repeat in range(args.repeat + 1):  # the last drain marks one reminder per txn
                if repeat:
                    reset(db)
                result.drains.append(drain(db, "each" if repeat == args.repeat else "batch"))
            with db.begin() as conn:
                users = list(conn.execute(select(USERS).order_by(USERS.c.id)).mappings())
            schedule(db, users, 1, 200, "warm")
            for (per_txn, n), floor in itertools.product(SCHEDULE_N.items(), (False, True)):
                result.schedule[per_txn, floor] = [
                    schedule(db, users, per_txn, n, f"s{per_txn}{floor:d}_{r}", floor)
                    for r in range(args.repeat)]
        finally:
            db.dispose()
    print(f"done: {backend} {size:,}", file=sys.stderr, flush=True)
    return result


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


def code_version() -> str:
    """The last commit touching core/, a digest of uncommitted changes there, and a digest of
    the migrations (read per database, so the only core/ code a change mid-run reaches)."""
    diff = git("diff", "HEAD", "--", "core").encode()
    files = sorted((Path(__file__).parents[1] / "core/store/migrations").rglob("*.py"))
    migrations = hashlib.sha1(b"".join(f.read_bytes() for f in files)).hexdigest()[:8]
    return git("log", "-1", "--format=%h", "--", "core") + (
        f" + uncommitted changes (diff sha1 {hashlib.sha1(diff).hexdigest()[:8]})" if diff
        else "") + f"; migrations sha1 {migrations}"


def report(results: list[Result], naive_rates: tuple[list[float], list[float]], command: str,
           load_avg: tuple[float, ...], code: str) -> str:
    info = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    cpu = next((x.split(":")[1].strip() for x in info.splitlines() if "model name" in x), "?")
    med = statistics.median
    base, base_wal = (med(x) for x in naive_rates)

    def spread(v: list[float]) -> str:
        return f"{med(v):,.0f} ({min(v):,.0f}-{max(v):,.0f})"

    lines = [
        "## Reminders benchmark", "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; command: `{command}`; core/ as "
        f"imported at the start: git {code}"
        + ("" if code.split("; ")[-1] == code_version().split("; ")[-1] else
           " (**the migrations changed during the run: figures may mix schemas**)"),
        f"- Machine: nproc={len(os.sched_getaffinity(0))} ({cpu}); Python "
        f"{sys.version.split()[0]}; {', '.join(sorted({r.server for r in results}))}; "
        f"SQLAlchemy {sqlalchemy.__version__}; load average (1/5/15 min) at start / end: "
        f"{'/'.join(f'{x:.2f}' for x in load_avg)} / "
        f"{'/'.join(f'{x:.2f}' for x in os.getloadavg())}",
        f"- Data: {N_USERS:,} users; `slack` reminders of 10 kinds, {DUE:,} due in the past week "
        "(spread through the table), the rest within 90 days; ANALYZE after loading. One worker "
        f"(one thread) drains: `claim_due(conn, 'slack', now, {BATCH})` in one transaction, "
        "`mark_delivered` for the batch in a second (`each`: one transaction per reminder, as "
        "`Engine.reminder_delivered`). Between drains rows go back to pending, then VACUUM "
        "ANALYZE (PostgreSQL) or ANALYZE (SQLite).", "",
        "### Claiming", "",
        "| backend | pending rows | due | load s | drain | mark | claims | claim p50 ms | "
        "claim p99 ms | reminders/s |", "|---|---:|---:|---:|---:|---|---:|---:|---:|---:|",
        *(f"| {r.backend} | {r.size:,} | {r.due:,} | {r.load_s:.1f} | {i + 1} | {d.mode} | "
          f"{len(d.claims_ns)} | {quantile(d.claims_ns, 50):.2f} | "
          f"{quantile(d.claims_ns, 99):.2f} | {d.rate:,.0f} |"
          for r in results for i, d in enumerate(r.drains)), "",
        "### Scheduling", "",
        "`apply_reminders` upserts new reminders into the loaded table, one transaction per 1 "
        "or per 100 (one person's) reminders; the floor runs the same upserts as one prebuilt "
        "statement with executemany (a bound, not our code path). Naive: APScheduler 3 "
        "`add_job(func, 'date', run_date=..., id=..., replace_existing=True)` per reminder, "
        f"paused BackgroundScheduler, SQLAlchemyJobStore in a new SQLite file, {NAIVE_N:,} jobs "
        "a run. Median (min-max) of the runs.", "",
        "| way | backend | rows in table | per txn | reminders/s | x naive | x naive (WAL) |",
        "|---|---|---:|---:|---:|---:|---:|",
        f"| naive APScheduler, SQLite default pragmas | sqlite | | 1 | {spread(naive_rates[0])} "
        "| 1.0 | |",
        f"| naive APScheduler, WAL + synchronous=NORMAL | sqlite | | 1 | "
        f"{spread(naive_rates[1])} | | 1.0 |",
        *(f"| {'floor' if floor else '`apply_reminders`'} | {r.backend} | {r.size:,} | {k} | "
          f"{spread(v)} | {med(v) / base:.1f} | {med(v) / base_wal:.1f} |"
          for r in results for (k, floor), v in r.schedule.items()), "",
        "Same rows, same transactions, so a gap to the floor is client-side work in "
        "`apply_reminders`. At 100 per transaction it runs at " + ", ".join(
            f"{med(r.schedule[k, False]) / med(r.schedule[k, True]):.0%}"
            f" of the floor ({r.backend}, {r.size:,} rows)" for r in results
            for k in SCHEDULE_N if k > 1) + ".", "",
        "### Verdicts", "",
        "Claim latency pools the `batch` drains' claims; claims/s (reminders claimed and marked "
        "delivered) is the median `batch` drain; scheduling: `apply_reminders` over the naive "
        "way on SQLite defaults, medians.", "",
        "| target | figure | verdict |", "|---|---:|---|",
    ]
    checks: list[tuple[str, str, float]] = []  # (target, figure, headroom: >= 1 when met)
    for backend in dict.fromkeys(r.backend for r in results):
        mine = sorted((r for r in results if r.backend == backend), key=lambda r: r.size)
        small, big = mine[0], mine[-1]
        if big.size > small.size:
            checks += [(f"{backend}: claim {p} at {big.size:,} <= {TARGET_RATIO}x at "
                        f"{small.size:,}", f"{big.pooled(q):.2f} / {small.pooled(q):.2f} ms = "
                        f"{big.pooled(q) / small.pooled(q):.2f}x",
                        TARGET_RATIO * small.pooled(q) / big.pooled(q))
                       for p, q in (("p50", 50), ("p99", 99))]
        if backend == "postgresql":
            checks += [(f"postgresql: >= {TARGET_CPS:,.0f} claims/s per worker at {r.size:,}",
                        f"{r.median_rate():,.0f}", r.median_rate() / TARGET_CPS) for r in mine]
        checks += [(f"{backend}: scheduling, {k} per txn, >= {TARGET_SPEEDUP:.0f}x naive "
                    f"(at {big.size:,} rows)", f"{med(v) / base:.1f}x",
                    med(v) / base / TARGET_SPEEDUP)
                   for (k, floor), v in big.schedule.items() if not floor]
    missed = [what for what, _, h in checks if h < 1]
    lines += [*(f"| {what} | {figure} | {verdict(h)} |" for what, figure, h in checks), "",
              "Targets missed: " + ("; ".join(missed) if missed else "none") + ".", "",
              "### Claim query plans (before the first drain)", ""]
    scans = [f"{r.backend} at {r.size:,}" for r in results
             if "Seq Scan on reminders" in r.plan or "SCAN reminders" in r.plan]
    lines += [f"Whole-table scans in `claim_due`: {', '.join(scans) or 'none'}.", ""]
    for r in results:
        lines += [f"{r.backend}, {r.size:,} pending rows:", "", "```text", r.plan, "```", ""]
    lines += [
        "### Noise", "",
        "The machine is shared: other work slows both backends, PostgreSQL most (its server "
        "needs the second core), so a verdict near a limit can flip. Claim latencies include "
        "BEGIN and COMMIT; one drain's p99 rests on two of its 200 claims (hence the pooling). "
        "SQLite (WAL, synchronous=NORMAL) commits without fsync; PostgreSQL flushes WAL per "
        "commit; the naive store on SQLite defaults (rollback journal, synchronous=FULL) fsyncs "
        "per job.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.reminders", description=__doc__)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--sizes", default="10000,1000000", help="pending rows, comma-separated")
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--repeat", type=int, default=3, help="batch drains and schedule runs")
    parser.add_argument("--write", type=Path, help="replace the reminders section of this file")
    args, load_avg, code = parser.parse_args(argv), os.getloadavg(), code_version()
    sizes = sorted(int(x) for x in args.sizes.split(","))
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    results = [bench(backend, size, args) for backend in backends for size in sizes]
    naive_rates = naive(args.repeat)
    command = "python -m bench.reminders " + " ".join(sys.argv[1:] if argv is None else argv)
    markdown = report(results, naive_rates, command.strip(), load_avg, code)
    print(markdown)
    if args.write:
        write_section(args.write, "reminders", markdown)
        print(f"wrote {args.write}")


if __name__ == "__main__":
    main()
