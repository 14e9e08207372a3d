"""Cohort figures for the weekly digest and the coach's report: counts and rates only, never a
contact's name, details or notes."""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from infointerview.core.cohorts.ports import Row
from infointerview.core.journey.cards import THANK_YOU_WINDOW
from infointerview.core.journey.catalog.actions import STAGES
from infointerview.core.journey.export import spreadsheet_cell
from infointerview.core.journey.state import Stage

WEEK = timedelta(days=7)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def next_digest(now: datetime, day: int, at: str, tz: str) -> datetime:
    """The next weekly digest moment after ``now``, in the cohort's own time zone."""
    zone = ZoneInfo(tz)
    hour, minute = (int(x) for x in at.split(":"))
    local = now.astimezone(zone)
    candidate = datetime.combine(local.date(), time(hour, minute), zone)
    candidate += timedelta(days=(day - local.weekday()) % 7)
    if candidate <= now:
        candidate += WEEK
    return candidate


def on_time(interviewed_at: datetime | None, thanked_at: datetime | None) -> bool:
    return bool(interviewed_at and thanked_at and thanked_at - interviewed_at <= THANK_YOU_WINDOW)


def rate(hits: int, total: int) -> str:
    return f"{round(100 * hits / total)}%" if total else "—"


@dataclass(frozen=True, slots=True)
class IntroFigures:
    """Warm introductions in the digest: counts, never whom they were for."""

    asked_this_week: int = 0
    asked_more_than_once: int = 0  # people, within the cohort's intro period
    period_weeks: int = 4


@dataclass(frozen=True, slots=True)
class Digest:
    interviews: int
    thanked_on_time: int
    thank_you_due: int  # interviews whose 48 hours have passed, or that were thanked already
    shared: int
    sectors: tuple[str, ...]
    shoutouts: tuple[tuple[str, int], ...]
    intros: IntroFigures = field(default_factory=IntroFigures)

    @property
    def thank_you_rate(self) -> str:
        return rate(self.thanked_on_time, self.thank_you_due)


def digest(members: Sequence[Row], contacts: Sequence[Row], shared: int,
           now: datetime, intros: IntroFigures | None = None) -> Digest:
    active = {m["user_pk"]: m for m in members if not m["paused"]}
    since = now - WEEK
    held = [c for c in contacts if c["user_pk"] in active and c["interviewed_at"]
            and since <= c["interviewed_at"] < now]
    settled = [c for c in held if c["thanked_at"] or now - c["interviewed_at"] >= THANK_YOU_WINDOW]
    per_member = Counter(c["user_pk"] for c in held)
    shoutouts = tuple((_name(active[pk]), n) for pk, n in per_member.most_common()
                      if active[pk]["shoutouts"])
    return Digest(
        interviews=len(held),
        thanked_on_time=sum(on_time(c["interviewed_at"], c["thanked_at"]) for c in settled),
        thank_you_due=len(settled), shared=shared,
        sectors=tuple(sorted({c["sector"] for c in held})), shoutouts=shoutouts,
        intros=intros or IntroFigures())


def _name(member: Row) -> str:
    return str(member["name"] or member["display_name"] or member["user_id"])


@dataclass(frozen=True, slots=True)
class MemberProgress:
    name: str
    role: str
    paused: bool
    stages: tuple[tuple[str, int], ...]
    interviews: int
    thank_you_rate: str
    last_active: datetime | None
    contacts: int


# (stored value, label) in the journey's order; an enum's .value costs a call each time, and
# a cohort's report asks for it a dozen times a member
_STAGE_LABELS = tuple((stage.value, spec.label) for stage, spec in STAGES.items())


@dataclass(frozen=True, slots=True)
class MemberTally:
    """A member's contacts counted: what a line of the report is made from. The chat counts
    its rows (:func:`tally`); the web window has the database count them
    (``core.store.insights.member_tallies``)."""

    stages: dict[str, int]  # stored stage value -> contacts at it
    contacts: int = 0
    interviews: int = 0
    settled: int = 0  # interviews thanked, or whose 48 hours have passed
    on_time: int = 0  # of those, thanked within 48 hours


def is_settled(interviewed_at: datetime, thanked_at: datetime | None, now: datetime) -> bool:
    """Whether an interview's thank-you counts yet: sent, or its 48 hours are over."""
    return thanked_at is not None or now - interviewed_at >= THANK_YOU_WINDOW


def tally(contacts: Sequence[Row], now: datetime) -> dict[Any, MemberTally]:
    """Each member's contacts counted in one pass (a cohort of hundreds of members with
    thousands of contacts)."""
    by_member: dict[Any, list[Row]] = defaultdict(list)
    for contact in contacts:
        by_member[contact["user_pk"]].append(contact)
    tallies = {}
    for user_pk, mine in by_member.items():
        held = [c for c in mine if c["interviewed_at"]]
        done = [c for c in held if is_settled(c["interviewed_at"], c["thanked_at"], now)]
        tallies[user_pk] = MemberTally(
            stages=Counter(c["stage"] for c in mine), contacts=len(mine), interviews=len(held),
            settled=len(done),
            on_time=sum(on_time(c["interviewed_at"], c["thanked_at"]) for c in done))
    return tallies


def report(members: Sequence[Row], contacts: Sequence[Row],
           now: datetime) -> list[MemberProgress]:
    """One line per member, in the members' order."""
    return report_from(members, tally(contacts, now))


def report_from(members: Sequence[Row], tallies: dict[Any, MemberTally]) -> list[MemberProgress]:
    """One line per member, in the members' order, from their contacts' counts."""
    nothing = MemberTally(stages={})
    rows = []
    for member in members:
        mine = tallies.get(member["user_pk"], nothing)
        rows.append(MemberProgress(
            name=_name(member), role=str(member["role"]), paused=bool(member["paused"]),
            stages=tuple((label, mine.stages[value]) for value, label in _STAGE_LABELS
                         if mine.stages.get(value)),
            interviews=mine.interviews, thank_you_rate=rate(mine.on_time, mine.settled),
            last_active=member["updated_at"], contacts=mine.contacts))
    return rows


def report_csv(rows: list[MemberProgress]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["member", "role", "paused", *(s.value for s in Stage), "interviews",
                     "thank_you_within_48h", "last_active_utc"])
    labels = {spec.label: stage.value for stage, spec in STAGES.items()}
    for row in rows:
        counts = {labels[label]: n for label, n in row.stages}
        writer.writerow([spreadsheet_cell(row.name), row.role, "yes" if row.paused else "no",
                         *(counts.get(s.value, 0) for s in Stage), row.interviews,
                         row.thank_you_rate,
                         row.last_active.isoformat(timespec="minutes") if row.last_active
                         else ""])
    return out.getvalue().encode("utf-8")

