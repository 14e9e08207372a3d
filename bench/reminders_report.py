"""The figures ``bench.reminders`` collects, and its Markdown section of bench/RESULTS.md."""

from __future__ import annotations

import os
import statistics
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy

from bench.engine import verdict
from bench.reminders_schedule import EVENT_PAIRS, NAIVE_N, EventCost

DUE, BATCH, N_USERS = 10_000, 50, 1_000
TARGET_RATIO, TARGET_CPS, TARGET_SPEEDUP = 1.5, 2_000.0, 20.0
UNSTEADY = "met by the median run, missed by another: not robust"


@dataclass(frozen=True)
class Drain:
    mode: str  # "batch": mark_delivered_many marks the batch; "each": one txn per reminder
    claims_ns: list[int]  # one claim_due transaction each (the final empty claim excluded)
    claimed: int  # rows those claims returned
    checkpoint_ns: int  # Database.checkpoint after each claim, as the dispatcher (SQLite only)
    wal_pages: list[int]  # SQLite: WAL frames each claim's commit wrote
    delivered: int
    wall_s: float

    @property
    def rate(self) -> float:  # the whole drain: claim, checkpoint, mark
        return self.delivered / self.wall_s

    @property
    def claim_rate(self) -> float:  # rows claimed per second spent in claim_due transactions
        return self.claimed / sum(self.claims_ns) * 1e9


@dataclass
class Result:
    backend: str
    size: int
    layout: str = "scattered"  # or "in due order" (bench.reminders.LAYOUTS)
    server: str = ""
    due: int = 0
    load_s: float = 0.0
    drains: list[Drain] = field(default_factory=list)
    per_txn: dict[tuple[int, bool], list[float]] = field(default_factory=dict)  # reminders/s
    events: list[EventCost] = field(default_factory=list)
    floor_events: list[EventCost] = field(default_factory=list)  # a hand-written upsert
    plan: str = ""

    def median(self, what: str, mode: str = "batch") -> float:
        return float(statistics.median(getattr(d, what) for d in self.drains if d.mode == mode))

    def pooled(self, q: int) -> float:
        return quantile([ns for d in self.drains if d.mode == "batch" for ns in d.claims_ns], q)

    def pages(self) -> float:
        return statistics.median(p for d in self.drains for p in d.wal_pages)


def _first_and_rest(r: Result) -> tuple[float, float]:
    """Median WAL pages per claim: the first drain, and the later ``batch`` drains."""
    batch = [d for d in r.drains if d.mode == "batch"]
    later = [p for d in batch[1:] for p in d.wal_pages]
    return statistics.median(batch[0].wal_pages), statistics.median(later) if later else 0.0


def _floor_notes(timed: list[Result], base: float) -> list[str]:
    """Where even the hand-written upsert stays under the scheduling target."""
    under = [f"{r.backend} at {r.size:,} rows {x:.1f}x (ours {mine:.1f}x)" for r in timed
             if (x := statistics.median(e.marginal for e in r.floor_events) / base)
             < TARGET_SPEEDUP
             and (mine := statistics.median(e.marginal for e in r.events) / base) < TARGET_SPEEDUP]
    if not under:
        return []
    return [f"The floor, the same rows written by hand in the same events, stays under "
            f"{TARGET_SPEEDUP:.0f}x naive too: {'; '.join(under)}. A reminder there costs "
            f"more than 1/{TARGET_SPEEDUP:.0f} of the naive way's committed job: its upsert "
            "touches the table, its id and two indexes (the person's keys, the pending due "
            "times) and, on PostgreSQL, checks the owner's foreign key.", ""]


def _in_order_notes(results: list[Result]) -> list[str]:
    """What the in-due-order tables show beside the verdicts' scattered ones (information)."""
    notes = []
    for extra in (r for r in results if r.layout != "scattered"):
        same = {r.size: r for r in results
                if r.backend == extra.backend and r.layout == "scattered"}
        if extra.size not in same:
            continue
        biggest = same[max(same)]
        pages = (f"; WAL pages per claim {extra.pages():.0f}, against "
                 f"{same[extra.size].pages():.0f} scattered and {biggest.pages():.0f} at "
                 f"{biggest.size:,}" if extra.backend == "sqlite" else "")
        notes.append(
            f"For information, {extra.backend} at {extra.size:,} rows {extra.layout}: claim "
            f"p50/p99 {extra.pooled(50):.2f}/{extra.pooled(99):.2f} ms (scattered: "
            f"{same[extra.size].pooled(50):.2f}/{same[extra.size].pooled(99):.2f}){pages}. "
            f"Measured against this best case, {biggest.size:,} scattered rows take "
            f"{biggest.pooled(50) / extra.pooled(50):.2f}x (p50) and "
            f"{biggest.pooled(99) / extra.pooled(99):.2f}x (p99).")
    return [" ".join(notes), ""] if notes else []


def quantile(values_ns: list[int], q: int) -> float:
    return statistics.quantiles(values_ns, n=100, method="inclusive")[q - 1] / 1e6


def report(results: list[Result], naive_rates: tuple[list[float], list[float]], command: str,
           load_avg: tuple[float, ...], code: str, migrations_now: str) -> str:
    info = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    cpu = next((x.split(":")[1].strip() for x in info.splitlines() if "model name" in x), "?")
    med = statistics.median
    base, base_wal = (med(x) for x in naive_rates)
    drains = max(sum(d.mode == "batch" for d in r.drains) for r in results)

    def spread(v: list[float]) -> str:
        return f"{med(v):,.0f} ({min(v):,.0f}-{max(v):,.0f})"

    def row(way: str, r: Result, per: str, v: list[float]) -> str:
        return (f"| {way} | {r.backend} | {r.size:,} | {per} | {spread(v)} | "
                f"{med(v) / base:.1f} | {med(v) / base_wal:.1f} |")

    lines = [
        "## Reminders benchmark", "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; command: `{command}`; the core as "
        f"imported at the start: git {code}"
        + ("" if code.split("; ")[-1] == migrations_now else
           " (**the migrations changed during the run: figures may mix schemas**)"),
        f"- Machine: nproc={len(os.sched_getaffinity(0))} ({cpu}); Python "
        f"{sys.version.split()[0]}; {', '.join(sorted({r.server for r in results}))}; "
        f"SQLAlchemy {sqlalchemy.__version__}; load average (1/5/15 min) at start / end: "
        f"{'/'.join(f'{x:.2f}' for x in load_avg)} / "
        f"{'/'.join(f'{x:.2f}' for x in os.getloadavg())}",
        f"- Data: {N_USERS:,} users; `slack` reminders of 10 kinds, {DUE:,} due in the past week "
        "(spread through the table), the rest within 90 days; after loading ANALYZE, and on "
        "PostgreSQL VACUUM ANALYZE and a CHECKPOINT, so that the load's own upkeep does not run "
        "during a drain. Layout "
        "`scattered`: the due times do not follow the order rows were inserted in, as in a table "
        "filled by appends with delays of hours to months; this is the data of every verdict. "
        "Layout `in due order` (for information): the newest row is due first, so at 10,000 "
        f"rows, where every row is due, a claim's {BATCH} rows are neighbours on a few table "
        "pages: the best case for a claim, which an appended table does not have.",
        "- Drains: one worker (one thread) does what `Dispatcher.tick` does, minus the DMs: "
        f"`claim_due(conn, 'slack', now, {BATCH})` in one transaction; `Database.checkpoint()` "
        "(SQLite: a PASSIVE WAL checkpoint, which the dispatcher runs after each claim; nothing "
        "on PostgreSQL); then the batch marked delivered. `batch`: `mark_delivered_many`, one "
        "statement in one transaction, as the dispatcher marks the reminders of a batch that "
        "needed no DM. `each`: `mark_delivered` in a transaction per reminder, as "
        "`Engine.reminder_delivered` right after each DM sent (kept so: a crash then repeats at "
        f"most the DM in flight). {drains} `batch` drains, then one `each`; between drains rows "
        "go back to pending, then VACUUM ANALYZE (PostgreSQL) or ANALYZE and a checkpoint "
        "(SQLite).", "",
        "### Claiming", "",
        "`claimed/s in claims`: rows claimed per second spent inside `claim_due` transactions "
        "(BEGIN to the end of COMMIT), the issue's claims per second per worker. `drain/s`: "
        "reminders claimed and marked delivered per second of the whole drain (claims, "
        "checkpoints, marks): what one worker sustains on bookkeeping alone, before any DM. "
        "`WAL pages`: median WAL frames a claim's commit wrote (SQLite).", "",
        "| backend | pending rows | layout | due | load s | drain | mark | claims | claim p50 ms "
        "| claim p99 ms | WAL pages | claimed/s in claims | checkpoint ms per batch | drain/s |",
        "|---|---:|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|",
        *(f"| {r.backend} | {r.size:,} | {r.layout} | {r.due:,} | {r.load_s:.1f} | {i + 1} | "
          f"{d.mode} | "
          f"{len(d.claims_ns)} | {quantile(d.claims_ns, 50):.2f} | "
          f"{quantile(d.claims_ns, 99):.2f} | "
          f"{f'{med(d.wal_pages):.0f}' if d.wal_pages else '-'} | {d.claim_rate:,.0f} | "
          f"{f'{d.checkpoint_ns / 1e6 / (len(d.claims_ns) + 1):.2f}' if d.wal_pages else '-'} | "
          f"{d.rate:,.0f} |"
          for r in results for i, d in enumerate(r.drains)), "",
        "### Scheduling", "",
        "The product schedules reminders inside the event's own transaction: `Engine.handle` "
        "saves the person's state and calls `apply_reminders` before the one commit. So the "
        "`in an event` rows are the product's path: per run "
        f"{EVENT_PAIRS:,} pairs of event transactions on the loaded users (`record_event`, "
        "`lock_user`, `load_state`, then `write_back` of a changed session, as `Engine.handle` "
        "does), one of each pair with 1, 2 or 3 new reminders in turn (2 on average) for "
        "`write_back`'s `apply_reminders`, "
        "pairs in alternating order, each timed from BEGIN to the end of COMMIT. `added to the "
        "event` = reminders / (mean with - mean without): the reminders' whole cost, their "
        "share of the commit included. `write-back alone` = reminders / (mean `write_back` with - "
        "without), the commit counted to the event. `floor` runs the same pairs "
        "with the reminders written by hand instead (`floor_upsert`: one multi-row upsert as SQL "
        "text on the driver's cursor, values as the driver takes them): "
        "what these rows cost the database and driver with none of our code. The `own txn` rows "
        "give 1 or "
        "100 (one person's) reminders a transaction of their own, which the product never does "
        "(kept as information; there the floor is `floor_upsert` too). "
        "Naive: APScheduler 3 `add_job(func, 'date', run_date=..., id=..., "
        "replace_existing=True)` per reminder, paused BackgroundScheduler, SQLAlchemyJobStore "
        f"in a new SQLite file, {NAIVE_N:,} jobs a run; `add_job` commits each job and cannot "
        "join the event's transaction, so all of its cost is added cost. Median (min-max) of "
        "the runs.", "",
        "| way | backend | rows in table | reminders per txn | reminders/s | x naive | "
        "x naive (WAL) |", "|---|---|---:|---:|---:|---:|---:|",
        f"| naive APScheduler, SQLite default pragmas | sqlite | | 1 | {spread(naive_rates[0])} "
        "| 1.0 | |",
        f"| naive APScheduler, WAL + synchronous=NORMAL | sqlite | | 1 | "
        f"{spread(naive_rates[1])} | | 1.0 |",
    ]
    timed = [r for r in results if r.events]
    for r in timed:
        lines += [row("in an event: added to the event", r, "1-3 + event",
                      [e.marginal for e in r.events]),
                  row("in an event: added to `write_back` alone", r, "1-3 + event",
                      [e.call for e in r.events]),
                  row("in an event, floor: added to the event", r, "1-3 + event",
                      [e.marginal for e in r.floor_events]),
                  *(row(f"own txn: {'floor' if floor else '`apply_reminders`'}", r, str(k), v)
                    for (k, floor), v in r.per_txn.items())]
    lines += ["", "Event transactions, mean µs without / with the reminders, and what they add to "
              "the `write_back` call inside (medians of runs): "
              + "; ".join(f"{r.backend} at {r.size:,} rows: "
                          f"{med(e.without_us for e in r.events):,.0f} / "
                          f"{med(e.with_us for e in r.events):,.0f}, write-back +"
                          f"{med(e.call_us for e in r.events):,.0f}" for r in timed) + ".", "",
              "### Verdicts", "",
              "Claim latency pools the `batch` drains' claims; claims/s per worker is the median "
              "`batch` drain's `claimed/s in claims`, with the drain rates beside it (and, as a "
              "stricter reading, a verdict on the `batch` drain); scheduling: in an event's "
              "transaction over the naive way on SQLite defaults, medians.", "",
              "| target | figure | verdict |", "|---|---:|---|"]
    checks: list[tuple[str, str, float]] = []  # (target, figure, headroom: >= 1 when met)
    unsteady: set[str] = set()  # met by the median run, missed by another
    for backend in dict.fromkeys(r.backend for r in results):
        mine = sorted((r for r in results if r.backend == backend and r.layout == "scattered"),
                      key=lambda r: r.size)
        small, big = mine[0], mine[-1]
        if big.size > small.size:
            checks += [(f"{backend}: claim {p} at {big.size:,} <= {TARGET_RATIO}x at "
                        f"{small.size:,}", f"{big.pooled(q):.2f} / {small.pooled(q):.2f} ms = "
                        f"{big.pooled(q) / small.pooled(q):.2f}x",
                        TARGET_RATIO * small.pooled(q) / big.pooled(q))
                       for p, q in (("p50", 50), ("p99", 99))]
        if backend == "postgresql":
            for r in mine:
                cps, each = r.median("claim_rate"), r.median("rate", "each")
                checks += [
                    (f"postgresql: >= {TARGET_CPS:,.0f} claims/s per worker at {r.size:,}",
                     f"{cps:,.0f} (drain: {r.median('rate'):,.0f} `batch`, {each:,.0f} `each`)",
                     cps / TARGET_CPS),
                    (f"postgresql, stricter: `batch` drain (claim + checkpoint + "
                     f"`mark_delivered_many`) >= {TARGET_CPS:,.0f}/s at {r.size:,}",
                     f"{r.median('rate'):,.0f}", r.median("rate") / TARGET_CPS)]
        for way, what in (("added to the event", "marginal"),
                          ("added to the write-back alone", "call")):
            runs = [getattr(e, what) / base for e in big.events]
            target = (f"{backend}: scheduling in an event's transaction ({way}) >= "
                      f"{TARGET_SPEEDUP:.0f}x naive (at {big.size:,} rows)")
            checks.append((target, f"{med(runs):.1f}x (runs {min(runs):.1f}-{max(runs):.1f}x)",
                           med(runs) / TARGET_SPEEDUP))
            if min(runs) < TARGET_SPEEDUP:
                unsteady.add(target)
    missed = [what for what, _, h in checks if h < 1]
    lines += [*(f"| {what} | {figure} | "
                f"{UNSTEADY if what in unsteady and h >= 1 else verdict(h)} |"
                for what, figure, h in checks), "",
              "Targets missed: " + ("; ".join(missed) if missed else "none") + ".", ""]
    lines += _floor_notes(timed, base)
    lines += _in_order_notes(results)
    lite = sorted((r for r in results if r.backend == "sqlite" and r.layout == "scattered"),
                  key=lambda r: r.size)
    if lite:
        first, rest = _first_and_rest(lite[-1])
        if first > 1.2 * rest:
            lines += [
                f"At {lite[-1].size:,} rows the first drain wrote {first:.0f} WAL pages per "
                f"claim, the later ones {rest:.0f}: a claim lengthens its row (`lease_until` "
                "from NULL to a time), which overflows the full pages a bulk load leaves, so "
                "SQLite rebalances them with their neighbours; later drains find the room the "
                "first made. A table filled by appends, as the product's is, looks more like "
                "the first drain's when its rows are first claimed.", ""]
    lines += ["### Claim query plans (before the first drain)", ""]
    scans = [f"{r.backend} at {r.size:,}" for r in results
             if "Seq Scan on reminders" in r.plan or "SCAN reminders" in r.plan]
    lines += [f"Whole-table scans in `claim_due`: {', '.join(scans) or 'none'}.", ""]
    for r in results:
        lines += [f"{r.backend}, {r.size:,} pending rows ({r.layout}):", "", "```text", r.plan,
                  "```", ""]
    lines += [
        "### Noise", "",
        "The machine is shared: other work slows both backends, PostgreSQL most (its server "
        "needs the second core), so a verdict near a limit can flip. Claim latencies include "
        f"BEGIN and COMMIT; one drain's p99 rests on two of its 200 claims, hence {drains} "
        "drains pooled. SQLite (WAL, synchronous=NORMAL) commits without fsync but a WAL "
        "checkpoint fsyncs twice, and the next write after one fsyncs the WAL header; "
        "PostgreSQL flushes WAL per commit; the naive store on SQLite defaults (rollback "
        "journal, synchronous=FULL) fsyncs per job. The `added to the event` figures are "
        "differences of two means, so they carry both arms' noise.",
    ]
    return "\n".join(lines)
