"""Reminder crash test on PostgreSQL: two dispatcher processes, one killed with SIGKILL again and
again while a burst of reminders falls due; report delivered / lost / duplicated.

    python -m tests.crash.run [--reminders 2000] [--kills 6] [--timeout 150] [--seed 1]
                              [--write bench/RESULTS.md]

It creates a schema of its own (dropped at the end, also on failure), migrates it, and makes the
reminders through the real engine: one person onboards, adds five contacts and marks each outreach
sent, which schedules a ``no_reply_nudge`` per contact; that person, their contacts and their
nudges are then copied in SQL to as many people as the burst needs, the other reminder kinds are
deleted, quiet hours are switched off (the workers use the real clock) and every nudge is made due
a minute ago. Two ``tests.crash.worker`` processes then drain the queue; at random moments
(``--seed``) one of them, in turn, is killed with SIGKILL while it is delivering and started again
at once, ``--kills`` times at least.

The far side (``crash_deliveries``) records every DM, repeats included, and the workers log each
claim (``crash_claims``). Right after each kill the run notes which reminders the killed process
had claimed and not yet sent (still ``sending`` under its claim); their *crash delay* is the time
from the kill to their delivery by the other process (``crash_delay_max_seconds``, required
<= 60 s: one short lease, renewed by a heartbeat while a batch is worked, plus a tick).
Required: none lost, and no more duplicates than kills; more precisely, every repeat follows a
DM that a killed process had sent but not yet marked, at most one per killed process (only the
DM in flight at the instant of the kill may repeat). Exit status 0 when all holds; 1 otherwise.

``--cuts N`` (not used by CI) also cuts the dispatchers' database connections N times
(``pg_terminate_backend``); a process may then repeat the DM it was sending, once per cut.
When this was written, a cut could also lose a reminder: ``Engine.handle`` answers the failed
``ReminderDue`` with an apology and the dispatcher, seeing no DM, marks the reminder delivered
(``marked_delivered_without_dm`` in the report).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg

from bench.results import write_section
from infointerview.core import Database, Engine
from infointerview.core.store.queue import DEFAULT_LEASE
from infointerview.core.store.repo import CONTACTS, REMINDERS, USERS
from tests.crash.delays import CLAIMS, CRASH_DELAY_LIMIT_S, STRANDED, crash_delays
from tests.helpers import CONTACT, User

DEFAULT_DB = os.environ.get("INFOINTERVIEW_TEST_POSTGRES",
                            "postgresql://postgres@127.0.0.1:5432/test")
ROOT = Path(__file__).resolve().parents[2]
CONTACTS_PER_USER = 5
TEMPLATE = "u00000"
KIND = "no_reply_nudge"
MIN_KILLS = 5
DELIVERIES = """CREATE TABLE crash_deliveries (
    id BIGSERIAL PRIMARY KEY, reminder_id BIGINT NOT NULL, part INT NOT NULL, pid INT NOT NULL,
    tenant TEXT NOT NULL, user_id TEXT NOT NULL, chars INT NOT NULL,
    at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp())"""


def schema_url(dsn: str, schema: str) -> str:
    return f"{dsn}{'&' if '?' in dsn else '?'}options=-csearch_path%3D{schema}"


def _columns(table: Any, *skip: str) -> list[str]:
    return [c.name for c in table.c if c.name not in skip]


def seed(url: str, reminders: int) -> None:
    """``reminders`` nudges, all pending and due, each one for a contact in stage outreach_sent."""
    database = Database(url)
    database.migrate()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(DELIVERIES)
        conn.execute(CLAIMS)
    try:
        template = User(Engine(database), TEMPLATE)
        template.onboard()
        for i in range(CONTACTS_PER_USER):
            number = template.add_contact({**CONTACT, "name": f"Contact {i + 1}"})
            template.click("mark_sent", str(number))
    finally:
        database.dispose()
    users = math.ceil(reminders / CONTACTS_PER_USER)
    user_cols = _columns(USERS, "id", "user_id")
    contact_cols = _columns(CONTACTS, "id", "user_pk")
    reminder_cols = _columns(REMINDERS, "id", "user_pk", "user_id", "dedupe_key")
    with psycopg.connect(url) as conn:  # one transaction
        conn.execute(
            f"INSERT INTO users (user_id, {', '.join(user_cols)})"
            f" SELECT 'u' || lpad(g::text, 5, '0'), {', '.join('t.' + c for c in user_cols)}"
            " FROM users t CROSS JOIN generate_series(1, %s) AS g WHERE t.user_id = %s",
            (users - 1, TEMPLATE))
        conn.execute(
            f"INSERT INTO contacts (user_pk, {', '.join(contact_cols)})"
            f" SELECT u.id, {', '.join('c.' + c for c in contact_cols)} FROM contacts c"
            " JOIN users t ON t.id = c.user_pk AND t.user_id = %s"
            " JOIN users u ON u.user_id <> t.user_id", (TEMPLATE,))
        conn.execute(
            f"INSERT INTO reminders (user_pk, user_id, dedupe_key, {', '.join(reminder_cols)})"
            " SELECT u.id, u.user_id, replace(r.dedupe_key, ':' || t.user_id || ':',"
            f" ':' || u.user_id || ':'), {', '.join('r.' + c for c in reminder_cols)}"
            " FROM reminders r JOIN users t ON t.id = r.user_pk AND t.user_id = %s"
            " JOIN users u ON u.user_id <> t.user_id WHERE r.kind = %s", (TEMPLATE, KIND))
        conn.execute("DELETE FROM reminders WHERE kind <> %s", (KIND,))
        conn.execute("DELETE FROM reminders WHERE id NOT IN"
                     " (SELECT id FROM reminders ORDER BY id LIMIT %s)", (reminders,))
        # the workers run on the real clock: no quiet hours, weekends or pauses may defer a nudge
        conn.execute("UPDATE users SET quiet_start = '00:00', quiet_end = '00:00',"
                     " weekdays_only = false, paused_until = NULL")
        conn.execute("UPDATE reminders SET due_at = now() - interval '1 minute'")
        row = conn.execute(
            "SELECT count(*) FILTER (WHERE status = 'pending' AND due_at <= now()"
            " AND kind = %s AND attempts = 0), count(*), count(DISTINCT dedupe_key),"
            " (SELECT count(*) FROM contacts WHERE stage = 'outreach_sent')"
            " FROM reminders", (KIND,)).fetchone()
    assert row == (reminders, reminders, reminders, users * CONTACTS_PER_USER), row


@dataclass
class Worker:
    slot: int
    log: Path
    url: str
    args: list[str]
    process: subprocess.Popen[bytes] = field(init=False)
    pids: list[int] = field(default_factory=list)

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tests.crash.worker", "--db", self.url, *self.args],
                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        self.pids.append(self.process.pid)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.kill()


def scalar(conn: psycopg.Connection[Any], sql: str, *params: object) -> int:
    row = conn.execute(sql, params).fetchone()
    assert row is not None
    return int(row[0])


def scalar_text(conn: psycopg.Connection[Any], sql: str) -> str:
    row = conn.execute(sql).fetchone()
    return str(row[0]) if row else "?"


def drive(url: str, args: argparse.Namespace, logdir: Path) -> dict[str, Any]:
    """Run the two workers, kill and restart them (and, if asked, cut their database
    connections), until everything is delivered or time is up."""
    rng = random.Random(args.seed)
    app = f"crash-{uuid.uuid4().hex[:12]}"  # names this run's dispatcher connections
    worker_args = ["--app-name", app, "--parent", str(os.getpid()), "--batch", str(args.batch)]
    if args.lease is not None:
        worker_args += ["--lease", str(args.lease)]
    workers = [Worker(slot, logdir / f"worker{slot}.log", url, worker_args) for slot in (0, 1)]
    kills: list[dict[str, Any]] = []
    cuts: list[dict[str, Any]] = []
    exits: list[dict[str, Any]] = []
    timed_out = False
    started = time.monotonic()
    deadline = started + args.timeout

    def gap() -> float:
        return time.monotonic() + rng.uniform(args.min_gap, args.max_gap)

    with psycopg.connect(url, autocommit=True) as conn:
        try:
            for worker in workers:
                worker.start()
            next_kill, next_cut = gap(), gap()
            while True:
                remaining = scalar(conn, "SELECT count(*) FROM reminders"
                                         " WHERE status <> 'delivered'")
                if remaining == 0 and len(kills) >= args.kills and len(cuts) >= args.cuts:
                    break
                now = time.monotonic()
                if now > deadline:
                    timed_out = True
                    break
                for worker in workers:
                    code = worker.process.poll()
                    if code is not None:  # it stopped by itself: counted as a failure
                        exits.append({"pid": worker.process.pid, "code": code,
                                      "at": round(now - started, 3)})
                        worker.start()
                if len(kills) < args.kills and now >= next_kill:
                    victim = workers[len(kills) % 2]
                    pid = victim.process.pid
                    # kill it while it delivers, not while it is still starting up
                    if remaining == 0 or scalar(
                            conn, "SELECT count(*) FROM crash_deliveries WHERE pid = %s", pid):
                        victim.kill()
                        # what the dead process held and had not sent: waits for its lease
                        stranded = [row[0] for row in conn.execute(STRANDED, (pid,))]
                        kills.append({"pid": pid, "at": round(now - started, 3),
                                      "pending": remaining, "wall": time.time(),
                                      "stranded": stranded})
                        victim.start()
                        next_kill = gap()
                if len(cuts) < args.cuts and now >= next_cut:
                    cut = scalar(conn, "SELECT count(pg_terminate_backend(pid))"
                                       " FROM pg_stat_activity WHERE application_name = %s", app)
                    cuts.append({"at": round(now - started, 3), "pending": remaining,
                                 "backends": cut, "pids": [w.process.pid for w in workers]})
                    next_cut = gap()
                time.sleep(0.02)
        finally:
            for worker in workers:
                worker.stop()
    return {"kills": kills, "cuts": cuts, "exits": exits, "timed_out": timed_out,
            "seconds": time.monotonic() - started,
            "pids": [pid for worker in workers for pid in worker.pids]}


def tally(url: str, reminders: int, run: dict[str, Any], **extra: Any) -> dict[str, Any]:
    with psycopg.connect(url, autocommit=True) as conn:
        status = dict(conn.execute("SELECT status, count(*) FROM reminders GROUP BY status")
                      .fetchall())
        rows = dict(conn.execute("SELECT id, status FROM reminders").fetchall())
        deliveries = conn.execute("SELECT reminder_id, part, pid FROM crash_deliveries"
                                  " ORDER BY id").fetchall()
        span = conn.execute("SELECT extract(epoch FROM max(at) - min(at)) FROM crash_deliveries"
                            ).fetchone()
        delays = crash_delays(conn, run["kills"])
    by_reminder: dict[int, list[int]] = defaultdict(list)
    for reminder_id, _part, pid in deliveries:
        by_reminder[reminder_id].append(pid)
    # Every copy but the last was sent by a process that never marked it delivered. A process
    # sends one DM at a time, so it may leave one such copy when it is killed, and one each time
    # its database connections are cut (the mark fails); any other is unexplained.
    allowance = Counter(kill["pid"] for kill in run["kills"])
    allowance.update(pid for cut in run["cuts"] for pid in cut["pids"])
    in_flight = Counter(pid for pids in by_reminder.values() for pid in pids[:-1])
    killed = {kill["pid"] for kill in run["kills"]}
    delivered = len(by_reminder.keys() & rows.keys())
    report = {
        "test": "reminder-crash", "reminders": reminders, "delivered": delivered,
        "lost": reminders - delivered, "duplicated": len(deliveries) - len(by_reminder),
        "kills": len(run["kills"]),
        "kills_while_pending": sum(1 for kill in run["kills"] if kill["pending"] > 0),
        "kills_with_dm_in_flight": sum(1 for pid in killed if in_flight[pid]),
        "cuts": len(run["cuts"]), "duplicates_allowed": sum(allowance.values()),
        "unexplained_duplicates": sum(max(0, n - allowance[pid])
                                      for pid, n in in_flight.items()),
        "marked_delivered_without_dm": sum(1 for rid, s in rows.items()
                                           if s == "delivered" and rid not in by_reminder),
        "unknown_reminder_ids": len(by_reminder.keys() - rows.keys()),
        "extra_parts": sum(1 for d in deliveries if d[1] != 0),
        "unexpected_exits": len(run["exits"]),
        "stranded_by_kills": len(delays),
        "crash_delay_max_seconds": round(max(delays, default=0.0), 2),
        "crash_delay_median_seconds": round(sorted(delays)[len(delays) // 2], 2) if delays
        else 0.0,
        "status": status, "processes": len(run["pids"]),
        "seconds": round(run["seconds"], 2),
        "delivery_span_seconds": round(float(span[0] or 0), 2) if span else 0.0,
        "timed_out": run["timed_out"],
        "kill_log": [{k: v for k, v in kill.items() if k not in ("wall", "stranded")}
                     | {"stranded": len(kill["stranded"])} for kill in run["kills"]],
        "cut_log": run["cuts"], "exit_log": run["exits"], **extra,
    }
    report["failures"] = failures(report)
    report["ok"] = not report["failures"]
    return report


def failures(r: dict[str, Any]) -> list[str]:
    found = []
    if r["timed_out"]:
        found.append("timed out before every reminder was delivered")
    if r["lost"]:
        found.append(f"{r['lost']} reminders lost")
    if r["duplicated"] > r["duplicates_allowed"]:
        found.append(f"{r['duplicated']} duplicates > {r['duplicates_allowed']} allowed "
                     f"({r['kills']} kills, {r['cuts']} connection cuts)")
    if r["unexplained_duplicates"]:
        found.append(f"{r['unexplained_duplicates']} duplicates not explained by a kill")
    if r["kills"] < max(MIN_KILLS, r["kills_requested"]):
        found.append(f"only {r['kills']} kills")
    if r["crash_delay_max_seconds"] > CRASH_DELAY_LIMIT_S:
        found.append(f"a reminder a killed process had claimed came "
                     f"{r['crash_delay_max_seconds']} s after the kill (> {CRASH_DELAY_LIMIT_S:g})")
    if r["status"] != {"delivered": r["reminders"]}:
        found.append(f"reminder statuses at the end: {r['status']}")
    for key in ("marked_delivered_without_dm", "unknown_reminder_ids", "extra_parts",
                "unexpected_exits"):
        if r[key]:
            found.append(f"{key}: {r[key]}")
    return found


def write_results(path: Path, report: dict[str, Any], command: str) -> None:
    """Replace this test's marked section of ``path`` (appended when absent)."""
    kill_at = ", ".join(f"{k['at']:.1f}" for k in report["kill_log"])
    section = "\n".join([
        "## Reminder crash test",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; machine: nproc={os.cpu_count()}; "
        f"Python {platform.python_version()}; {report['server']}; load average (1 min) "
        f"{report['load'][0]:.2f} at the start, {report['load'][1]:.2f} at the end",
        f"- Command: `{command}`",
        f"- Setup: {report['reminders']:,} `no_reply_nudge` reminders due at once (made through "
        "the engine for one person, copied in SQL); two dispatcher processes (batch "
        f"{report['batch']}, lease {report['lease']:g} s renewed every third of it, a tick every "
        "20 ms); the far side "
        "records every DM and honours no idempotency key",
        f"- Kills: {report['kills']} SIGKILLs, each followed by an immediate restart, alternating "
        f"between the two processes, at {kill_at} s (seed {report['seed']})"
        + (f"; {report['cuts']} cuts of the dispatchers' database connections"
           if report["cuts"] else ""),
        "",
        "| reminders | delivered | lost | duplicated | kills | kills with a DM in flight "
        "| unexplained repeats | left claimed by a killed process | their delay (median / max) "
        "| time to drain | verdict |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        f"| {report['reminders']:,} | {report['delivered']:,} | {report['lost']} "
        f"| {report['duplicated']} | {report['kills']} | {report['kills_with_dm_in_flight']} "
        f"| {report['unexplained_duplicates']} | {report['stranded_by_kills']} "
        f"| {report['crash_delay_median_seconds']:.1f} s "
        f"/ {report['crash_delay_max_seconds']:.1f} s "
        f"| {report['seconds']:.1f} s "
        f"| {'pass' if report['ok'] else 'FAIL: ' + '; '.join(report['failures'])} |",
        "",
        "Required: 0 lost, duplicated <= kills, and each repeat follows a DM that a killed "
        "process had sent but not yet marked delivered (at most one per kill). What a killed "
        f"process had claimed comes again once its lease (here {report['lease']:g} s) runs out: "
        f"its delay, from the kill to the delivery, must stay <= {CRASH_DELAY_LIMIT_S:g} s.",
    ])
    write_section(path, "crash", section)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=DEFAULT_DB, help="PostgreSQL DSN (a schema is made)")
    parser.add_argument("--reminders", type=int, default=2000)
    parser.add_argument("--kills", type=int, default=6)
    parser.add_argument("--timeout", type=float, default=150.0,
                        help="seconds for the drain, after seeding")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: random)")
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--lease", type=float, default=None,
                        help="seconds (default: the dispatcher's own, as in production)")
    parser.add_argument("--min-gap", type=float, default=0.3, help="seconds between kills")
    parser.add_argument("--max-gap", type=float, default=1.5, help="seconds between kills")
    parser.add_argument("--cuts", type=int, default=0,
                        help="also cut the dispatchers' database connections this many times "
                             "(pg_terminate_backend), at random moments; not part of CI")
    parser.add_argument("--schema", help="name of the schema to make (default: random)")
    parser.add_argument("--write", type=Path, help="put the figures into this Markdown file")
    args = parser.parse_args(argv)
    if args.seed is None:
        args.seed = random.SystemRandom().randrange(1_000_000)
    schema = args.schema or f"crash_{uuid.uuid4().hex[:12]}"
    url = schema_url(args.db, schema)
    with psycopg.connect(args.db, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
        server = f"PostgreSQL {scalar_text(conn, 'SHOW server_version')}"
    logdir = Path(tempfile.mkdtemp(prefix="crash-"))
    try:  # the schema and the logs go, whatever happens
        began = time.monotonic()
        seed(url, args.reminders)
        seeded = time.monotonic() - began
        load = os.getloadavg()[0]
        run = drive(url, args, logdir)
        report = tally(url, args.reminders, run, kills_requested=args.kills, seed=args.seed,
                       batch=args.batch, lease=args.lease or DEFAULT_LEASE.total_seconds(),
                       seed_seconds=round(seeded, 2),
                       server=server, load=[round(load, 2), round(os.getloadavg()[0], 2)])
        print(json.dumps(report, sort_keys=True))
        cuts = f", {report['cuts']} connection cuts" if report["cuts"] else ""
        print(f"reminder crash test: {report['delivered']}/{report['reminders']} delivered, "
              f"{report['lost']} lost, {report['duplicated']} duplicated, {report['kills']} "
              f"kills ({report['kills_with_dm_in_flight']} with a DM in flight){cuts} in "
              f"{report['seconds']:.1f} s (+{seeded:.1f} s setup, seed {args.seed}): "
              f"{'OK' if report['ok'] else 'FAILED: ' + '; '.join(report['failures'])}")
        if not report["ok"]:
            for log in sorted(logdir.glob("*.log")):
                tail = log.read_text(errors="replace")[-3000:]
                if tail.strip():
                    print(f"--- {log.name} (last lines) ---\n{tail}", file=sys.stderr)
    finally:
        shutil.rmtree(logdir, ignore_errors=True)
        with psycopg.connect(args.db, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
    if args.write:
        command = " ".join(["python -m tests.crash.run", *(argv if argv is not None
                                                           else sys.argv[1:])])
        write_results(args.write, report, command)
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
