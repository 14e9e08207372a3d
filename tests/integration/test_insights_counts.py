"""The coach's page counted by the database (core/store/insights.py's GROUP BY statements) equals
what a plain reading of every contact row gives: an oracle written here, row by row, on SQLite
and PostgreSQL, for random cohorts (stages, steps taken, thank-yous around the 48-hour line to
the microsecond, paused members, zones east and west, half-hour offsets, clock changes)."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Table, delete, insert

from infointerview.core import Database, Insights, SimulatedClock, Viewer
from infointerview.core.cohorts import progress
from infointerview.core.journey.catalog.actions import STAGES
from infointerview.core.journey.forms_catalog import SECTOR_CHOICES
from infointerview.core.journey.state import Stage
from infointerview.core.store import insights as rows
from infointerview.core.store.models import (
    CohortMemberRow,
    CohortRow,
    ContactRow,
    ShareRow,
    UserRow,
)

H = timedelta(hours=1)
MAX_SHARES = 5
US = timedelta(microseconds=1)
TENANT = "T1"
STEPS = ("outreach_sent", "follow_up_sent", "replied", "connected", "applied", "second_thanked")
DATES = (*(f"{step}_at" for step in STEPS), "meeting_at", "interviewed_at", "thanked_at")
SECTORS = ("academia", "government", "technology", "industry")
ZONES = ("UTC", "Asia/Kolkata", "America/Los_Angeles", "Australia/Adelaide", "America/St_Johns")
NOWS = (datetime(2026, 3, 9, 9, 30, tzinfo=UTC),  # the Monday after the US clock change
        datetime(2026, 4, 5, 16, 0, tzinfo=UTC),  # Adelaide's clock change that Sunday
        datetime(2026, 11, 2, 7, 59, 59, 999999, tzinfo=UTC))
TABLES = {name: cast(Table, model.__table__) for name, model in (
    ("users", UserRow), ("contacts", ContactRow), ("cohorts", CohortRow),
    ("members", CohortMemberRow), ("shares", ShareRow))}
# person 1 coaches, 2..4 are members (3 paused), 5 is in no cohort: their contacts never count
PEOPLE = ((1, "Zoe Coach", "coach", False), (2, "amy Adams", "member", False),
          (3, "Bob Brown", "member", True), (4, "", "member", False), (5, "Out Sider", "", False))


def _moment(now: datetime) -> st.SearchStrategy[datetime]:
    """Up to fourteen weeks before ``now`` and a week after, to the microsecond."""
    span = int(timedelta(weeks=15).total_seconds() * 1_000_000)
    return st.integers(0, span).map(
        lambda us: now + timedelta(weeks=1) - timedelta(microseconds=us))


@st.composite
def contact(draw: st.DrawFn, now: datetime) -> dict[str, Any]:
    """A contact row: a stage, a sector, and any of its steps' timestamps."""
    row: dict[str, Any] = {
        "user_pk": draw(st.integers(1, 5)), "stage": draw(st.sampled_from(list(Stage))).value,
        "sector": draw(st.sampled_from(SECTORS))}
    for step in STEPS:
        row[f"{step}_at"] = draw(st.none() | _moment(now))
    row["meeting_at"] = draw(st.none() | _moment(now))
    interviewed = row["interviewed_at"] = draw(st.none() | _moment(now))
    gap = st.sampled_from((48 * H, 48 * H + US, 48 * H - US, -H)) | st.builds(
        timedelta, microseconds=st.integers(0, int(100 * H / US)))
    if interviewed is not None and draw(st.booleans()):
        row["thanked_at"] = interviewed + draw(gap)
    else:  # no interview, or a thank-you without one (kept as it is: not on time)
        row["thanked_at"] = draw(st.none() | _moment(now)) if interviewed is None else None
    return row


def seed(db: Database, now: datetime, tz: str, contacts: list[dict[str, Any]],
         shared_at: list[datetime]) -> None:
    with db.begin() as c:
        for name in ("shares", "members", "contacts", "cohorts", "users"):
            c.execute(delete(TABLES[name]))
        c.execute(insert(TABLES["users"]), [
            {"id": pk, "platform": "slack", "tenant": TENANT, "user_id": f"U{pk}",
             "display_name": "" if pk == 4 else f"user{pk}", "name": name,
             "created_at": now - 900 * H, "updated_at": now - pk * H}
            for pk, name, _, _ in PEOPLE])
        c.execute(insert(TABLES["cohorts"]), [{
            "id": 1, "platform": "slack", "tenant": TENANT, "channel_id": "C1", "name": "Fellows",
            "tz": tz, "digest_day": 4, "digest_time": "16:00", "created_at": now - 900 * H}])
        c.execute(insert(TABLES["members"]), [
            {"cohort_id": 1, "user_pk": pk, "role": role, "paused": paused, "shoutouts": False,
             "joined_at": now - 900 * H} for pk, _, role, paused in PEOPLE if role])
        # the outsider's own contacts, shared below, are never counted
        kept = [{"user_pk": 5, "stage": "identified", "sector": "academia",
                 **dict.fromkeys(DATES)}] * MAX_SHARES
        c.execute(insert(TABLES["contacts"]), [
            {"id": no, "no": no, "platform": "slack", "tenant": TENANT, "name": f"C{no}",
             "channel": "email", "how_found": "other", **row}
            for no, row in enumerate([*kept, *contacts], 1)])
        if shared_at:  # intro-only shares: counted by week, never shown as cards
            c.execute(insert(TABLES["shares"]), [
                {"id": n, "cohort_id": 1, "owner_pk": 5, "contact_pk": n, "visibility": "intro",
                 "share_email": False, "consent": False, "created_at": moment}
                for n, moment in enumerate(shared_at, 1)])


# --- the oracle: every row read in Python, the rules as the funnel's docstring states them ----


def on_time(row: dict[str, Any]) -> bool:
    interviewed, thanked = row["interviewed_at"], row["thanked_at"]
    return (interviewed is not None and thanked is not None
            and thanked - interviewed <= 48 * H)


def furthest(row: dict[str, Any]) -> int:
    taken = {step: row[f"{step}_at"] is not None for step in STEPS}
    evidence = [taken["outreach_sent"] or taken["follow_up_sent"], taken["replied"],
                row["meeting_at"] is not None or row["stage"] in ("scheduled", "prepared"),
                row["interviewed_at"] is not None, on_time(row), taken["connected"],
                taken["applied"], taken["second_thanked"]]
    return max([0] + [i for i, seen in enumerate(evidence, 1) if seen])


def oracle_funnel(contacts: list[dict[str, Any]]) -> list[tuple[int, str]]:
    counts = [sum(furthest(row) >= step for row in contacts) for step in range(9)]
    return [(n, "—" if i == 0 or not counts[i - 1] else f"{round(100 * n / counts[i - 1])}%")
            for i, n in enumerate(counts)]


def oracle_weeks(contacts: list[dict[str, Any]], shared_at: list[datetime], now: datetime,
                 tz: str) -> list[tuple[date, int, int, int]]:
    zone = ZoneInfo(tz)
    today = now.astimezone(zone).date()
    this_monday = today - timedelta(days=today.weekday())
    weeks = []
    for back in range(11, -1, -1):
        monday = this_monday - timedelta(weeks=back)
        start = datetime.combine(monday, time(), zone)
        end = datetime.combine(monday + timedelta(days=7), time(), zone)
        held = [r for r in contacts if r["interviewed_at"] is not None
                and start <= r["interviewed_at"] < end]
        weeks.append((monday, len(held), sum(map(on_time, held)),
                      sum(start <= moment < end for moment in shared_at)))
    return weeks


def oracle_table(contacts: list[dict[str, Any]], now: datetime) -> list[tuple[Any, ...]]:
    lines = []
    for pk, name, role, paused in PEOPLE:
        if not role:
            continue
        mine = [r for r in contacts if r["user_pk"] == pk]
        held = [r for r in mine if r["interviewed_at"] is not None]
        settled = [r for r in held
                   if r["thanked_at"] is not None or now - r["interviewed_at"] >= 48 * H]
        stages = Counter(r["stage"] for r in mine)
        shown = name or ("" if pk == 4 else f"user{pk}") or f"U{pk}"  # then display name, id
        lines.append((shown, role, paused,
                      tuple((spec.label, stages[s.value]) for s, spec in STAGES.items()
                            if stages[s.value]), len(mine), len(held),
                      f"{round(100 * sum(map(on_time, settled)) / len(settled))}%"
                      if settled else "—", now - pk * H))
    return sorted(lines, key=lambda line: (line[0].casefold(), line[0]))


def oracle_sectors(contacts: list[dict[str, Any]]) -> list[tuple[str, int, int]]:
    labels = {choice.value: choice.label for choice in SECTOR_CHOICES}
    counts = [(labels[s], sum(r["sector"] == s for r in contacts),
               sum(r["sector"] == s and r["interviewed_at"] is not None for r in contacts))
              for s in SECTORS]
    return sorted((c for c in counts if c[1]), key=lambda c: (-c[1], c[0]))


def test_each_steps_evidence_as_the_funnel_states_it(database: Database) -> None:
    now, t = NOWS[0], NOWS[0] - 240 * H

    def row(stage: str, **dates: datetime) -> dict[str, Any]:
        return {"user_pk": 2, "stage": stage, "sector": "academia",
                **dict.fromkeys(DATES), **{f"{k}_at": v for k, v in dates.items()}}

    contacts = [
        row("prepared", outreach_sent=t, replied=t),  # scheduled by its stage alone: 3
        row("replied", outreach_sent=t, replied=t, meeting=t),  # by a meeting time alone: 3
        row("follow_up_sent", follow_up_sent=t),  # a follow-up is outreach sent: 1
        row("thanked", meeting=t, interviewed=t, thanked=t + 60 * H),  # late: 4
        row("thanked", interviewed=t, thanked=t + 48 * H),  # on the 48th hour: 5
        row("thanked", interviewed=t, thanked=t + 48 * H + US),  # a microsecond late: 4
        row("connected", interviewed=t, thanked=t + 60 * H, connected=t),  # late, then: 6
    ]
    seed(database, now, "UTC", contacts, [])
    with database.begin() as c:
        cohort = rows.coached_cohort(c, 1, 1, "slack", TENANT)
        assert cohort is not None
        assert rows.steps_and_sectors(c, cohort) == (
            {1: 1, 3: 2, 4: 2, 5: 1, 6: 1},
            [{"sector": "academia", "contacts": 7, "interviews": 4}])
        assert [contacts.index(r) for r in contacts if furthest(r) == 4] == [3, 5]


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data(), now=st.sampled_from(NOWS), tz=st.sampled_from(ZONES))
def test_the_counted_page_equals_every_row_read(database: Database, data: st.DataObject,
                                                now: datetime, tz: str) -> None:
    everyone = data.draw(st.lists(contact(now), max_size=40))
    shared_at = data.draw(st.lists(_moment(now), max_size=MAX_SHARES))
    seed(database, now, tz, everyone, shared_at)
    cohort_contacts = [row for row in everyone if row["user_pk"] != 5]
    coach = Viewer(1, "slack", TENANT, "U1", "Zoe Coach", "UTC", "token")
    view = Insights(database, clock=SimulatedClock(now)).coach_view(coach, 1)
    assert view is not None and view.members == 4 and view.cards == ()
    assert [(s.count, s.rate) for s in view.funnel] == oracle_funnel(cohort_contacts)
    assert [(w.start, w.interviews, w.thanked_on_time, w.shared)
            for w in view.weeks] == oracle_weeks(cohort_contacts, shared_at, now, tz)
    assert [(s.label, s.contacts, s.interviews)
            for s in view.sectors] == oracle_sectors(cohort_contacts)
    table = oracle_table(cohort_contacts, now)
    assert [(m.name, m.role, m.paused, m.stages, m.contacts, m.interviews, m.thank_you_rate,
             m.last_active) for m in view.table] == table
    exported = Insights(database, clock=SimulatedClock(now)).members_csv(coach, 1)
    assert exported is not None
    csv_rows = list(csv.DictReader(io.StringIO(exported.decode())))
    assert [(r["member"], r["interviews"], r["thank_you_within_48h"]) for r in csv_rows] == [
        (line[0], str(line[5]), line[6]) for line in table]
    # the chat's report counts rows in Python: the same tallies as the database's
    with database.begin() as c:
        cohort = rows.coached_cohort(c, 1, 1, "slack", TENANT)
        assert cohort is not None
        assert rows.member_tallies(c, cohort, now) == progress.tally(cohort_contacts, now)
