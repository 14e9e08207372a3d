"""The web window's read service on a large cohort: what a coach's page and a person's page cost.

    python -m bench.web --runs 50 --write bench/RESULTS.md

On PostgreSQL, a cohort of 500 members with 20 contacts each (10,000 contacts, as the journey
fills them in: notes, agendas, dated steps) among other people of the workspace who are in no
cohort, a tenth of the cohort's contacts shared (60% as cards) and some intro requests. Rows
are bulk-inserted (``bench.engine.contact_row``), not played through the engine. Then, ``--runs``
times each after three warm-up runs: ``Insights.coach_view``, ``Insights.members_csv`` and one
``Insights.student_view``, each beside its own statements alone (the same store functions in one
transaction: the page's own queries, without building the view).

A page's render comes on top of ``coach_view``. ``main(render=…)`` (or ``--render
module:function`` on the command line) measures it too: ``render(insights, viewer, cohort_id)``
returns the page's HTML, and it is timed like the rest; ``--render bench.web_page:coach_page``
is the web adapter's own rendering of the coach's page, in-process. Not a test.
"""

from __future__ import annotations

import argparse
import importlib
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, insert, text

from bench.engine import PG_URL, STAGE_WEIGHTS, contact_row, database_url, git, verdict
from bench.results import publish
from infointerview.core import Database, Insights, SimulatedClock, Viewer
from infointerview.core.insights.coach import WEEKS_SHOWN, first_week
from infointerview.core.journey.questions import QuestionBank
from infointerview.core.journey.state import Sector
from infointerview.core.store import insights as rows
from infointerview.core.store import repo
from infointerview.core.store.models import (
    CohortMemberRow,
    CohortRow,
    ContactRow,
    IntroRequestRow,
    ShareRow,
    UserRow,
)

Render = Callable[[Insights, Viewer, int], str]
NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
TENANT = "T0LAKESIDE"
PAGE_P99_MS = 150.0  # the whole coach's page, render included
WARMUP = 3


@dataclass
class Measured:
    label: str
    ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)  # this process's CPU (the server's not)

    def time(self, fn: Callable[[], object]) -> None:
        start, cpu = time.perf_counter_ns(), time.process_time_ns()
        fn()
        self.ms.append((time.perf_counter_ns() - start) / 1e6)
        self.cpu_ms.append((time.process_time_ns() - cpu) / 1e6)

    def quantile(self, q: int) -> float:
        return statistics.quantiles(self.ms, n=100, method="inclusive")[q - 1]

    @property
    def p50(self) -> float:
        return self.quantile(50)

    @property
    def p99(self) -> float:
        return self.quantile(99)


def measure(label: str, fn: Callable[[], object], runs: int) -> Measured:
    """``fn`` run ``WARMUP`` times untimed, then ``runs`` times, each timed."""
    return interleaved([(label, fn)], runs)[0]


def interleaved(timings: list[tuple[str, Callable[[], object]]], runs: int) -> list[Measured]:
    """Like :func:`measure` for each, taking turns run by run: load from other work on the
    machine falls on all of them alike, so a call and its queries alone compare fairly."""
    for _ in range(WARMUP):
        for _, fn in timings:
            fn()
    measured = [Measured(label) for label, _ in timings]
    for _ in range(runs):
        for into, (_, fn) in zip(measured, timings, strict=True):
            into.time(fn)
    return measured


@dataclass(frozen=True)
class Seeded:
    cohort_id: int
    coach_pk: int
    student_pk: int
    counts: dict[str, int]


def seed(db: Database, members: int, contacts: int, others: int, rng: random.Random) -> Seeded:
    """Bulk-insert the workspace: ``members`` in one cohort (the first its coach, one in twenty
    paused), ``others`` outside it, ``contacts`` each."""
    agendas = {s.value: QuestionBank.load().suggested_agenda(s.value) for s in Sector}
    users, contact_rows = [], []
    for pk in range(1, members + others + 1):
        created = NOW - timedelta(days=rng.randint(90, 400))
        users.append({
            "id": pk, "platform": "slack", "tenant": TENANT, "user_id": f"U{pk:07d}",
            "display_name": f"user{pk}", "name": f"Student {pk:04d}", "programme": "PhD",
            "institution": "Lakeside University", "interests": "science policy", "intro": "",
            "tz": rng.choice(("America/Chicago", "Europe/Berlin", "Asia/Kolkata")),
            "quiet_start": "21:00", "quiet_end": "08:00", "session_state": {},
            "next_contact_no": contacts + 1, "created_at": created, "updated_at": created})
        stages = rng.choices(list(STAGE_WEIGHTS), list(STAGE_WEIGHTS.values()), k=contacts)
        contact_rows += [contact_row(pk, TENANT, no, stage, created, rng, agendas)
                         for no, stage in enumerate(stages, 1)]
    cohort = {"id": 1, "platform": "slack", "tenant": TENANT, "channel_id": "C-fellows",
              "name": "Fellows", "tz": "Europe/Berlin", "digest_day": 4,
              "digest_time": "16:00", "created_at": NOW - timedelta(days=200)}
    memberships = [{"cohort_id": 1, "user_pk": pk, "role": "coach" if pk == 1 else "member",
                    "paused": pk % 20 == 0, "shoutouts": False, "joined_at": cohort["created_at"]}
                   for pk in range(1, members + 1)]
    in_cohort = [i for i, row in enumerate(contact_rows) if row["user_pk"] <= members]
    shared = rng.sample(in_cohort, len(in_cohort) // 10)
    shares = [{"id": n, "cohort_id": 1, "owner_pk": contact_rows[i]["user_pk"],
               "contact_pk": i + 1, "visibility": "card" if rng.random() < 0.6 else "intro",
               "share_email": (with_email := rng.random() < 0.3), "consent": with_email,
               "created_at": NOW - timedelta(minutes=rng.randint(0, WEEKS_SHOWN * 7 * 1440))}
              for n, i in enumerate(shared, 1)]
    intros = [{"share_id": rng.randint(1, len(shares)), "requester_pk": rng.randint(2, members),
               "reason": "moving into policy", "status": "pending", "created_at": NOW}
              for _ in range(len(shares) // 5)]
    with db.engine.begin() as conn:
        for table, batch in ((UserRow, users), (ContactRow, contact_rows), (CohortRow, [cohort]),
                             (CohortMemberRow, memberships), (ShareRow, shares),
                             (IntroRequestRow, intros)):
            for start in range(0, len(batch), 5000):
                conn.execute(insert(cast(Table, table.__table__)), batch[start:start + 5000])
        conn.execute(text("ANALYZE"))
    counts = {"members": members, "cohort contacts": len(in_cohort), "people": len(users),
              "contacts": len(contact_rows), "shares": len(shares), "intro requests": len(intros)}
    return Seeded(1, 1, 2, counts)


def viewer(db: Database, user_pk: int) -> Viewer:
    with db.begin() as connection:
        row = rows.person(connection, user_pk, "slack", TENANT)
    assert row is not None
    return Viewer(user_pk, "slack", TENANT, str(row["user_id"]), str(row["name"]),
                  str(row["tz"]), "bench")


def coach_queries(db: Database, who: Viewer, cohort_id: int) -> None:
    """The coach's page's statements alone, as ``Insights.coach_view`` runs them."""
    with db.begin() as c:
        rows.read_only(c)
        cohort = rows.coached_cohort(c, cohort_id, who.user_pk, who.platform, who.tenant)
        assert cohort is not None
        rows.members(c, cohort_id)
        since = first_week(NOW, str(cohort["tz"]))
        rows.steps_and_sectors(c, cohort)
        rows.interviews_since(c, cohort, since)
        rows.member_tallies(c, cohort, NOW)
        rows.cards(c, cohort_id)
        rows.shared_since(c, cohort_id, since)
        rows.intro_requests(c, cohort_id)


def csv_queries(db: Database, who: Viewer, cohort_id: int) -> None:
    with db.begin() as c:
        rows.read_only(c)
        cohort = rows.coached_cohort(c, cohort_id, who.user_pk, who.platform, who.tenant)
        assert cohort is not None
        rows.members(c, cohort_id)
        rows.member_tallies(c, cohort, NOW)


def student_queries(db: Database, who: Viewer) -> None:
    with db.begin() as c:
        rows.read_only(c)
        person = rows.person(c, who.user_pk, who.platform, who.tenant)
        assert person is not None
        repo.load_contacts(c, person["id"])
        rows.coached(c, who.user_pk, who.platform, who.tenant)


def server_ms(db: Database, who: Viewer, cohort_id: int) -> float:
    """What PostgreSQL itself spends on the two statements counting every contact of the
    cohort (by sector and furthest funnel step; by member): EXPLAIN ANALYZE's execution
    times."""
    with db.begin() as c:
        cohort = rows.coached_cohort(c, cohort_id, who.user_pk, who.platform, who.tenant)
        assert cohort is not None
        total = 0.0
        for query in (rows.steps_by_sector_query(cohort, c.dialect.name),
                      rows.member_tallies_query(cohort, c.dialect.name, NOW)):
            sql = str(query.compile(c, compile_kwargs={"literal_binds": True}))
            plan = c.exec_driver_sql("EXPLAIN (ANALYZE, FORMAT JSON) " + sql).scalar_one()
            total += float(plan[0]["Execution Time"])
    return total


def report(results: list[Measured], counts: dict[str, int], server: str, command: str,
           load: tuple[float, ...], runs: int, counting_ms: float) -> str:
    by_label = {m.label: m for m in results}
    page = by_label.get("coach page, rendered") or by_label["Insights.coach_view"]
    rendered = page.label == "coach page, rendered"
    view, queries = by_label["Insights.coach_view"], by_label["coach_view's queries alone"]
    lines = [
        "# Web window: the read service on a large cohort", "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: nproc={len(os.sched_getaffinity(0))}; Python {sys.version.split()[0]}; "
        f"{server}",
        f"- Load average at start / end: {'/'.join(f'{x:.2f}' for x in load)} / "
        f"{'/'.join(f'{x:.2f}' for x in os.getloadavg())}",
        f"- Command: `{command}`",
        f"- Code: git {git('rev-parse', '--short', 'HEAD')}",
        "- Data: " + ", ".join(f"{n:,} {what}" for what, n in counts.items())
        + "; one workspace; the coach's cohort holds every member",
        f"- Each row: {WARMUP} warm-up runs, then {runs} timed, the rows taking turns run by run, "
        "one thread; 'queries alone' runs the same store functions in one read-only "
        "transaction without building the view; client CPU is this process's (the Python "
        "side), PostgreSQL's server runs on the other core.", "",
        "| run | p50 ms | p99 ms | max ms | client CPU ms (median) |",
        "|---|---:|---:|---:|---:|",
        *(f"| {m.label} | {m.p50:.1f} | {m.p99:.1f} | {max(m.ms):.1f} | "
          f"{statistics.median(m.cpu_ms):.1f} |" for m in results), "",
        "| target | figure | verdict |", "|---|---:|---|",
        f"| coach's page p99 <= {PAGE_P99_MS:.0f} ms"
        + ("" if rendered else " (render not measured: `coach_view` alone)")
        + f" | {page.p99:.1f} ms | {verdict(PAGE_P99_MS / page.p99)} |", "",
        "## What this shows / what limits it", "",
        "`coach_view` runs eight statements in one read-only transaction (the cohort if the "
        "viewer coaches it, the members; the members' contacts counted by PostgreSQL: by "
        "sector and furthest funnel step, by member with a column per stage; the interviews of "
        "the weeks shown with whether each was thanked on time; the card shares, when shares "
        "were made, a count of intro requests); none is per member, and only the weeks' "
        "interviews, shares and cards come a row each, not all the cohort's contacts. "
        f"Beyond its queries ({queries.p50:.1f} ms at p50), "
        f"{view.p50 - queries.p50:.1f} ms is Python building the view from those counts "
        "(funnel, weeks in the cohort's zone, sectors, the members' table through "
        "`progress.report_from`, the cards). PostgreSQL executes the two statements that "
        f"count all {counts['cohort contacts']:,} contacts in {counting_ms:.1f} ms together "
        "(EXPLAIN ANALYZE, once). The VM is shared (2 cores) with other work (the load "
        f"averages above say how much): p99 over {runs} runs is close to the slowest run, so it "
        "moves most with that load; the client CPU column moves less."
        + (f" Rendering the page (pygal's three charts, the sorted members' table, the cards, "
           f"the Jinja template) adds {page.p50 - view.p50:.1f} ms at p50 to `coach_view`, "
           f"{statistics.median(page.cpu_ms) - statistics.median(view.cpu_ms):.1f} ms of "
           "client CPU." if rendered else ""),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None, render: Render | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.web", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--contacts", type=int, default=20, help="per person")
    parser.add_argument("--others", type=int, default=1_500,
                        help="people of the workspace in no cohort")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--seed", type=int, default=20260302)
    parser.add_argument("--render", help="module:function rendering the coach's page "
                                         "(insights, viewer, cohort_id) -> HTML")
    parser.add_argument("--write", type=Path, help="write the Markdown report here")
    args, load = parser.parse_args(argv), os.getloadavg()
    if args.render:
        module, _, name = args.render.partition(":")
        render = cast(Render, getattr(importlib.import_module(module), name))
    with database_url("postgresql", args.pg_url) as url:
        db = Database(url)
        try:
            db.migrate()
            seeded = seed(db, args.members, args.contacts, args.others,
                          random.Random(args.seed))
            with db.engine.connect() as conn:
                server = f"PostgreSQL {conn.exec_driver_sql('SHOW server_version').scalar()}"
            insights = Insights(db, clock=SimulatedClock(NOW))
            coach, student = viewer(db, seeded.coach_pk), viewer(db, seeded.student_pk)
            cohort = seeded.cohort_id
            timings: list[tuple[str, Callable[[], Any]]] = [
                ("Insights.coach_view", lambda: insights.coach_view(coach, cohort)),
                ("coach_view's queries alone", lambda: coach_queries(db, coach, cohort)),
                ("Insights.members_csv", lambda: insights.members_csv(coach, cohort)),
                ("members_csv's queries alone", lambda: csv_queries(db, coach, cohort)),
                (f"Insights.student_view ({args.contacts} contacts)",
                 lambda: insights.student_view(student)),
                ("student_view's queries alone", lambda: student_queries(db, student)),
            ]
            if render is not None:
                page_render = render
                timings.append(("coach page, rendered",
                                lambda: page_render(insights, coach, cohort)))
            results = interleaved(timings, args.runs)
            counting_ms = server_ms(db, coach, cohort)
        finally:
            db.dispose()
    command = "python -m bench.web " + " ".join(sys.argv[1:] if argv is None else argv)
    publish(report(results, seeded.counts, server, command.strip(), load, args.runs,
                   counting_ms), args.write, "web_insights")


if __name__ == "__main__":
    main()
