"""Engine throughput and latency beside the floor: one transaction reading and writing one row.

    python -m bench.engine --backend both --users 10000 --contacts 5 --events 5000 \\
        --write bench/RESULTS.md

Not a test. Users and contacts are preloaded with Core bulk inserts, then the real
``Engine.handle`` runs a random journey mix in one process and one thread (figures are per core).
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar, cast

import psycopg
import sqlalchemy
from sqlalchemy import Table, bindparam, insert, select, text, update

from bench.results import publish
from infointerview.core.clock import SimulatedClock
from infointerview.core.engine import Engine
from infointerview.core.journey.catalog.actions import allowed
from infointerview.core.journey.questions import QuestionBank
from infointerview.core.journey.state import HowFound, MeetingMode, OutreachChannel, Sector, Stage
from infointerview.core.model import (
    ActionClicked,
    Actor,
    CommandInvoked,
    Event,
    Place,
    TextReceived,
)
from infointerview.core.store.db import Database
from infointerview.core.store.models import ContactRow, UserRow

T = TypeVar("T")
USERS = cast(Table, UserRow.__table__)
FLOOR_READ = select(USERS).where(USERS.c.id == bindparam("pk")).with_for_update()
FLOOR_WRITE = update(USERS).where(USERS.c.id == bindparam("pk")).values(updated_at=bindparam("at"))
PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
START = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
TARGET_EPS, TARGET_P99_MS, TARGET_RATIO, WARMUP = 1000.0, 10.0, 3.0, 200
S = Stage
PATH = (S.IDENTIFIED, S.OUTREACH_DRAFTED, S.OUTREACH_SENT, S.REPLIED, S.SCHEDULED, S.PREPARED,
        S.INTERVIEWED, S.THANKED, S.CONNECTED, S.KEEPING_IN_TOUCH)
RANK = {s: i for i, s in enumerate(PATH)} | {S.NO_REPLY: 2, S.FOLLOW_UP_SENT: 2, S.PARKED: 0}
STAGE_WEIGHTS = {S.IDENTIFIED: 12, S.OUTREACH_DRAFTED: 8, S.OUTREACH_SENT: 14, S.REPLIED: 8,
                 S.SCHEDULED: 8, S.PREPARED: 8, S.INTERVIEWED: 8, S.THANKED: 8, S.CONNECTED: 6,
                 S.KEEPING_IN_TOUCH: 6, S.NO_REPLY: 6, S.FOLLOW_UP_SENT: 4, S.PARKED: 4}
# Clicks that keep the stage (so the in-memory stage map stays true), besides "card" and "star".
CLICKS: dict[Stage, tuple[str, ...]] = {
    S.IDENTIFIED: ("questions",), S.OUTREACH_DRAFTED: ("shorter", "longer"),
    S.OUTREACH_SENT: ("follow_up",), S.REPLIED: ("propose", "questions"),
    S.SCHEDULED: ("calendar", "questions"), S.PREPARED: ("calendar", "questions"),
    S.INTERVIEWED: ("thank_you", "questions"), S.THANKED: ("thank_you", "linkedin"),
    S.CONNECTED: ("linkedin",), S.KEEPING_IN_TOUCH: ("linkedin",), S.NO_REPLY: ("follow_up",)}
MIX = {"note": 35, "list": 20, "click": 15, "text": 10, "show": 10, "questions": 10}
TENANTS = ("T0LAKESIDE", "T0NORTHFIELD", "T0RIVERTON")
FIRST = ("Ada", "Jordan", "Priya", "Wei", "Sam", "Lena", "Tomás", "Amara", "Kofi", "Mina")
LAST = ("Lee", "Okafor", "Rivera", "Chen", "Novak", "Haddad", "Silva", "Kim", "Moreau", "Berg")
ROLES = ("Regulatory affairs manager", "Data scientist", "Policy analyst", "Assistant professor",
         "Medical science liaison", "Programme officer", "Patent agent", "Science writer")
ORGS = ("Northwind Biologics", "Contoso Health", "State Science Office", "Lakeside University",
        "Open Data Trust", "Fabrikam Labs", "Global Water Fund", "Tailspin Analytics")
NOTES = ("Moved from bench work after a postdoc; says networking mattered most.",
         "Hiring happens in spring; internal referrals get read first.",
         "Suggested reading the agency's annual report before applying.",
         "Typical day: two thirds meetings, one third writing and review.")


@dataclass(frozen=True)
class Stats:
    n: int
    wall_s: float
    cpu_s: float  # this process only: the PostgreSQL server's CPU is not in it
    p50_ms: float
    p99_ms: float

    @property
    def eps(self) -> float:
        return self.n / self.wall_s


@dataclass(frozen=True)
class Result:
    backend: str
    server: str
    preload_s: float
    floors: list[Stats]  # one per repeat; floor and engine alternate, so noise hits both
    engines: list[Stats]
    failed: int  # the engine logs each failure's traceback and answers with an apology

    @property
    def median(self) -> int:
        """The repeat with the median engine events/s: the one the verdicts use."""
        order = sorted(range(len(self.engines)), key=lambda i: self.engines[i].eps)
        return order[len(order) // 2]


def actor(index: int) -> Actor:
    return Actor("slack", TENANTS[index % len(TENANTS)], f"U{index:07d}", f"user{index}")


def contact_row(pk: int, tenant: str, no: int, stage: Stage, created: datetime,
                rng: random.Random, agendas: dict[str, list[str]]) -> dict[str, Any]:
    rank = RANK[stage]
    first, gap = created + timedelta(days=rng.randint(0, 20)), timedelta(days=rng.randint(2, 6))

    def at(k: int) -> datetime | None:
        return first + gap * k if rank >= k else None

    meeting = START + timedelta(days=rng.randint(1, 14), hours=rng.randint(0, 6)) \
        if stage in (S.SCHEDULED, S.PREPARED) else at(6)
    sector, channel = rng.choice(list(Sector)).value, rng.choice(list(OutreachChannel)).value
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    slug = name.lower().replace(" ", ".")
    notes = [{"no": k, "text": rng.choice(NOTES), "at": (meeting + timedelta(minutes=6 * k))
              .isoformat(), "starred": k == 2} for k in range(1, rng.randint(2, 4) + 1)] \
        if meeting and rank >= 6 else []
    agenda = agendas[sector] + (["c:How did you choose your first role?"] if no % 2 else []) \
        if rank >= 4 else []
    return {
        "user_pk": pk, "platform": "slack", "tenant": tenant, "no": no, "name": name,
        "role": rng.choice(ROLES), "organisation": rng.choice(ORGS), "sector": sector,
        "channel": channel, "how_found": rng.choice(list(HowFound)).value, "found_detail": "",
        "email": f"{slug}@example.org" if channel == "email" else "",
        "profile_url": f"https://www.linkedin.com/in/{slug}" if channel == "linkedin" else "",
        "reason": "works where I would like to be in five years", "stage": stage.value,
        "draft_length": "standard", "outreach_custom": None, "referred_by_no": None,
        "contact_tz": "", "windows": ["Tue 10 Mar 2026, 10 AM (CDT)"] if rank >= 3 else [],
        "meeting_at": meeting if rank >= 4 else None, "duration_min": rng.choice((20, 30, 45)),
        "mode": rng.choice(list(MeetingMode)).value if rank >= 4 else None, "mode_detail": "",
        "agenda": agenda, "notes": notes, "created_at": first, "outreach_sent_at": at(2),
        "replied_at": at(3), "follow_up_sent_at": at(2) if stage is S.FOLLOW_UP_SENT else None,
        "interview_started_at": at(6), "interviewed_at": at(6), "thanked_at": at(7),
        "connected_at": at(8), "applied_at": None, "last_contact_at": at(9) or at(6),
    }


def preload(db: Database, n_users: int, n_contacts: int,
            rng: random.Random) -> tuple[list[list[Stage]], list[tuple[int, int]]]:
    """Insert the rows; return each user's contact stages and the (user, contact no) in session."""
    agendas = {s.value: QuestionBank.load().suggested_agenda(s.value) for s in Sector}
    all_stages, in_interview, users, contacts = [], [], [], []
    for index in range(n_users):
        pk, who = index + 1, actor(index)
        stages = rng.choices(list(STAGE_WEIGHTS), list(STAGE_WEIGHTS.values()), k=n_contacts)
        all_stages.append(stages)
        prepared = [no for no, s in enumerate(stages, 1) if s is S.PREPARED]
        state: dict[str, Any] = {}
        if prepared and rng.random() < 0.5:
            state = {"focus_no": prepared[0], "interview_no": prepared[0]}
            in_interview.append((index, prepared[0]))
        elif rng.random() < 0.6:
            state = {"focus_no": rng.randint(1, n_contacts)}
        created = START - timedelta(days=rng.randint(90, 400))
        users.append({
            "id": pk, "platform": who.platform, "tenant": who.tenant, "user_id": who.user_id,
            "display_name": who.display_name, "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "programme": "PhD student in biomedical sciences", "institution": "Lakeside University",
            "interests": "regulatory affairs and science policy",
            "intro": "I am a PhD student exploring careers beyond the bench." if index % 3 else "",
            "tz": rng.choice(("America/Chicago", "Europe/Berlin", "Asia/Tokyo", "UTC")),
            "quiet_start": "21:00", "quiet_end": "08:00", "session_state": state,
            "next_contact_no": n_contacts + 1, "created_at": created, "updated_at": created,
        })
        contacts += [contact_row(pk, who.tenant, no, s, created, rng, agendas)
                     for no, s in enumerate(stages, 1)]
    with db.engine.begin() as conn:
        for rows, model in ((users, UserRow), (contacts, ContactRow)):
            for i in range(0, len(rows), 5000):
                conn.execute(insert(model), rows[i:i + 5000])
        if db.is_postgres:  # ids were given explicitly; move the sequence past them
            conn.execute(text("SELECT setval(pg_get_serial_sequence('users', 'id'), :n)"),
                         {"n": n_users})
    return all_stages, in_interview


def make_events(all_stages: list[list[Stage]], in_interview: list[tuple[int, int]], n: int,
                rng: random.Random, tag: str) -> list[Event]:
    events: list[Event] = []
    for i, kind in enumerate(rng.choices(list(MIX), list(MIX.values()), k=n)):
        index = rng.randrange(len(all_stages))
        stages = all_stages[index]
        no = rng.randint(1, len(stages))
        if kind == "text" and in_interview:
            index, no = rng.choice(in_interview)
        common: dict[str, Any] = {"event_id": f"bench-{tag}-{i}", "actor": actor(index),
                                  "place": Place(), "received_at": START}
        if kind == "note" or (kind == "text" and not in_interview):
            events.append(CommandInvoked(name="note", args=f"{no} {rng.choice(NOTES)}", **common))
        elif kind == "list":
            events.append(CommandInvoked(name="list", **common))
        elif kind == "click":
            action = rng.choice(("card", "star", *CLICKS.get(stages[no - 1], ())))
            events.append(ActionClicked(action=action, value=str(no), **common))
        elif kind == "text":
            events.append(TextReceived(text=rng.choice(NOTES), **common))
        elif kind == "show":
            events.append(CommandInvoked(name="show", args=str(no), **common))
        else:
            ok = [k for k, s in enumerate(stages, 1) if allowed("questions", s)] or [no]
            events.append(CommandInvoked(name="questions", args=str(rng.choice(ok)), **common))
    return events


def timed(run: Callable[[T], object], items: Sequence[T]) -> Stats:
    """Run the first WARMUP items untimed, then time each of the rest."""
    for item in items[:WARMUP]:
        run(item)
    latencies: list[int] = []
    wall, cpu = time.perf_counter(), time.process_time()
    for item in items[WARMUP:]:
        start = time.perf_counter_ns()
        run(item)
        latencies.append(time.perf_counter_ns() - start)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return Stats(len(latencies), wall, cpu, cuts[49] / 1e6, cuts[98] / 1e6)


@contextmanager
def database_url(backend: str, pg_url: str) -> Iterator[str]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="bench-engine-") as tmp:
            yield f"sqlite:///{tmp}/bench.db"
        return
    schema = f"bench_{os.getpid()}_{time.time_ns() % 10**9}"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{pg_url}{'&' if '?' in pg_url else '?'}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def bench(backend: str, args: argparse.Namespace) -> Result:
    rng = random.Random(args.seed)
    with database_url(backend, args.pg_url) as url:
        db = Database(url)
        try:
            db.migrate()
            began = time.perf_counter()
            all_stages, in_interview = preload(db, args.users, args.contacts, rng)
            preload_s = time.perf_counter() - began
            with db.engine.connect() as conn:
                show = conn.exec_driver_sql
                server = f"SQLite {sqlite3.sqlite_version}" if backend == "sqlite" else (
                    f"PostgreSQL {show('SHOW server_version').scalar()}, "
                    f"synchronous_commit={show('SHOW synchronous_commit').scalar()}")
            clock, second = SimulatedClock(START), timedelta(seconds=1)

            def floor(pk: int) -> None:
                with db.engine.begin() as conn:
                    conn.execute(FLOOR_READ, {"pk": pk}).one()
                    conn.execute(FLOOR_WRITE, {"pk": pk, "at": clock.advance(second)})

            n, engine, floors, engines = WARMUP + args.events, Engine(db, clock=clock), [], []
            for repeat in range(args.repeat):
                floors.append(timed(floor, [rng.randint(1, args.users) for _ in range(n)]))
                events = make_events(all_stages, in_interview, n, rng, f"{backend}-{repeat}")
                engines.append(timed(lambda e: (clock.advance(second), engine.handle(e)),
                                     events))
            with db.engine.connect() as conn:  # a failed event rolls back its dedupe row too
                done = conn.execute(text("SELECT count(*) FROM processed_events")).scalar_one()
            failed = n * args.repeat - int(done)
        finally:
            db.dispose()
    return Result(backend, server, preload_s, floors, engines, failed)


def git(*args: str) -> str:
    run = subprocess.run(["git", *args], capture_output=True, text=True, check=False)
    return run.stdout.strip() if run.returncode == 0 else "unknown"


def verdict(headroom: float) -> str:
    if headroom < 1:
        return "**MISSED**"
    return "met" if headroom >= 1.1 else "met, but within 10% of the limit: not robust"


def report(results: list[Result], command: str, load: tuple[float, ...]) -> str:
    info = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    cpu = next((x.split(":")[1].strip() for x in info.splitlines() if "model name" in x), "?")
    pg = [r.server.split(",")[0] for r in results if r.backend == "postgresql"]
    lines = [
        "# Engine benchmark", "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: nproc={len(os.sched_getaffinity(0))} ({cpu}); Python "
        f"{sys.version.split()[0]}; SQLite {sqlite3.sqlite_version}; "
        f"{pg[0] if pg else 'PostgreSQL not measured'}; SQLAlchemy {sqlalchemy.__version__}",
        f"- Load average (1/5/15 min) at start / end: {'/'.join(f'{x:.2f}' for x in load)} / "
        f"{'/'.join(f'{x:.2f}' for x in os.getloadavg())} (this run adds about 1-1.5)",
        f"- Command: `{command}`",
        f"- Mix (random users, one process, one thread, {WARMUP} warm-up events before each "
        "timed run): "
        + ", ".join(f"{k} {v}%" for k, v in MIX.items()),
        f"- Code: git {git('rev-parse', '--short', 'HEAD')}"
        + (" with uncommitted changes in infointerview/core/"
           if git("status", "--porcelain", "infointerview/core") else ""),
        "- Floor: one Core transaction on the engine's own SQLAlchemy `Engine` (same pool and "
        "pragmas): prebuilt `SELECT * FROM users WHERE id = :pk FOR UPDATE` and `UPDATE users "
        "SET updated_at = :at WHERE id = :pk`, committed.", "",
    ]
    missed: list[str] = []
    for r in results:
        e, f = r.engines[r.median], r.floors[r.median]
        checks = (  # (target, figure, headroom: >= 1 when met)
            (f"engine >= {TARGET_EPS:,.0f} events/s", f"{e.eps:,.0f} "
             f"({e.eps / TARGET_EPS:.2f}x the target)", e.eps / TARGET_EPS),
            (f"engine p99 <= {TARGET_P99_MS:.0f} ms", f"{e.p99_ms:.3f} ms",
             TARGET_P99_MS / e.p99_ms),
            *((f"engine {p} / floor {p} <= {TARGET_RATIO:.0f}x", f"{a / b:.2f}x",
               TARGET_RATIO * b / a) for p, a, b in (("p50", e.p50_ms, f.p50_ms),
                                                     ("p99", e.p99_ms, f.p99_ms))))
        missed += [f"{r.backend}: {what} (got {figure})" for what, figure, h in checks if h < 1]
        lines += [
            f"## {r.backend} ({r.server}; preload {r.preload_s:.1f} s; "
            f"{r.failed} failed events)", "",
            "| run | repeat | events | events/s | p50 ms | p99 ms | client CPU ms/event |",
            "|---|---:|---:|---:|---:|---:|---:|",
            *(f"| {name} | {i + 1} | {s.n} | {s.eps:,.0f} | {s.p50_ms:.3f} | {s.p99_ms:.3f} | "
              f"{1000 * s.cpu_s / s.n:.3f} |" for name, runs in (("floor", r.floors),
                                                                 ("engine", r.engines))
              for i, s in enumerate(runs)), "",
            f"Verdicts use repeat {r.median + 1}, the median by engine events/s.", "",
            "| target | figure | verdict |", "|---|---:|---|",
            *(f"| {what} | {figure} | {verdict(h)} |" for what, figure, h in checks), "",
        ]
    lines += [
        "## What this shows / what limits it", "",
        "Targets missed: " + ("; ".join(missed) if missed else "none") + ".", "",
        "Beyond the floor's transaction, locked read and one write, an event pays for the dedupe "
        "insert into `processed_events`, reading the person's contact rows (each decoded only "
        "when the journey uses it: a note decodes one, `list` all of them), the journey with its "
        "Jinja rendering (a calendar click also builds an `.ics` with icalendar, about 0.5 ms), "
        "and writing back what changed, all as plain SQLAlchemy Core statements built once. "
        "SQLite's write-ahead log is checkpointed by the database's own thread in both runs. "
        "Engine "
        "events/s varied across repeats by " + ", ".join(
            f"{(max(x.eps for x in r.engines) / min(x.eps for x in r.engines) - 1) * 100:.0f}% "
            f"({r.backend})" for r in results) + " (max/min). The VM is shared (2 cores): other "
        "work there, such as test runs, slows both backends, PostgreSQL most since its server "
        "needs the second core (the load averages above hint at it), so a verdict near a limit "
        "can flip. "
        "SQLite (WAL, synchronous=NORMAL) commits without fsync, so its figures are mostly Python "
        "CPU. PostgreSQL adds a localhost round trip per statement and a WAL flush per commit "
        "(both runs pay them) and its server runs on the other core, so there 'per core' counts "
        "the client's core only (client CPU ms/event). Events run one after another; contention "
        "between concurrent events for one person is not measured here.", "",
        *(f"On {r.backend} the floor itself ran at {r.floors[r.median].eps:,.0f} transactions/s, "
          f"below the {TARGET_EPS:,.0f} events/s target: on this machine no event that commits "
          "its own transaction can reach it." for r in results
          if r.floors[r.median].eps < TARGET_EPS),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.engine", description=__doc__)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--contacts", type=int, default=5)
    parser.add_argument("--events", type=int, default=5_000)
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--seed", type=int, default=20260302)
    parser.add_argument("--repeat", type=int, default=3, help="floor + engine runs per backend")
    parser.add_argument("--write", type=Path, help="write the Markdown report here")
    args, load = parser.parse_args(argv), os.getloadavg()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    results = [bench(backend, args) for backend in backends]
    command = "python -m bench.engine " + " ".join(sys.argv[1:] if argv is None else argv)
    markdown = report(results, command.strip(), load)
    publish(markdown, args.write, "engine")


if __name__ == "__main__":
    main()
