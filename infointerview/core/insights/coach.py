"""What a coach sees of a cohort, computed from what the store reads (pure: no storage here).

The members' contacts come counted (:class:`Counted`: the database groups them, so a cohort of
ten thousand contacts crosses into Python as a few hundred small rows), never a name or a note.
Rows are mappings keyed by column name: a member as ``core.cohorts.ports`` describes one; a
share as ``core.store.cohorts`` gives it (the contact's card columns, ``visibility,
share_email`` and the owner's names).

Every member counts, paused ones too: a pause stops the digest's shout-outs and others finding
their shares, not the career office's view of the cohort's work. The table marks them paused.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from infointerview.core.cohorts import progress
from infointerview.core.cohorts.ports import Row
from infointerview.core.cohorts.visibility import CARD, visible
from infointerview.core.insights.views import (
    AskedContact,
    CoachView,
    CohortLink,
    FunnelStep,
    MemberLine,
    SectorCount,
    SharedCard,
    Week,
)
from infointerview.core.journey.forms_catalog import SECTOR_CHOICES

FUNNEL = (
    ("identified", "Identified"),
    ("outreach_sent", "Outreach sent"),
    ("replied", "Replied"),
    ("scheduled", "Scheduled"),
    ("interviewed", "Interviewed"),
    ("thanked_on_time", "Thanked within 48 hours"),
    ("linkedin", "LinkedIn"),
    ("applied", "Applied"),
    ("second_thank_you", "Second thank-you"),
)
WEEKS_SHOWN = 12
SECTOR_LABELS = {choice.value: choice.label for choice in SECTOR_CHOICES}


def funnel(furthest: Mapping[int, int]) -> tuple[FunnelStep, ...]:
    """How many contacts reached each step or went past it, and what share of the previous
    step's that is ("—" for the first step and after a step nobody reached).

    ``furthest`` counts contacts by the index in :data:`FUNNEL` of the furthest step each shows
    evidence of (the store counts them: ``core.store.insights.steps_and_sectors``). Each step's
    evidence is its own timestamp (outreach sent: the outreach's or a follow-up's; scheduled: a
    meeting time or the stage; thanked within 48 hours: ``progress.on_time``). A contact has
    reached every step up to its furthest one: someone the person already knew, interviewed
    without any outreach, has reached "outreach sent" and "replied"; a thank-you sent late,
    followed by a LinkedIn connection, counts as reaching "thanked within 48 hours" (the
    members' table has the true on-time rate). So every step's count is at most the previous
    one's."""
    steps: list[FunnelStep] = []
    reached = sum(furthest.values())
    for index, (key, label) in enumerate(FUNNEL):
        previous = reached
        reached -= furthest.get(index - 1, 0) if index else 0
        steps.append(FunnelStep(key, label, reached,
                                progress.rate(reached, previous) if index else "—"))
    return tuple(steps)


def zone_of(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz or "UTC")
    except Exception:  # a zone unknown to this machine must not break the page
        return ZoneInfo("UTC")


def monday_of(moment: datetime, zone: ZoneInfo) -> date:
    local = moment.astimezone(zone).date()
    return local - timedelta(days=local.weekday())


def first_week(now: datetime, tz: str) -> datetime:
    """When the oldest week shown begins: Monday midnight in the cohort's zone, eleven weeks
    before this one's (the store reads interviews and shares from then on)."""
    zone = zone_of(tz)
    start = monday_of(now, zone) - timedelta(weeks=WEEKS_SHOWN - 1)
    return datetime.combine(start, time(), zone)


def weeks(interviews: Sequence[tuple[datetime, bool]], shared_at: Sequence[datetime],
          now: datetime, tz: str) -> tuple[Week, ...]:
    """The last twelve weeks, oldest first, this one last; a week runs from Monday midnight in
    the cohort's zone (``tz``), so a clock change moves no interview into another week.
    ``interviews`` are (when, thanked within 48 hours) of interviews held; those before
    :func:`first_week` (the store reads none) or after this week are left out."""
    zone = zone_of(tz)
    this_week = monday_of(now, zone)
    starts = [this_week - timedelta(weeks=back) for back in range(WEEKS_SHOWN - 1, -1, -1)]
    since = first_week(now, tz)
    held: Counter[date] = Counter()
    thanked: Counter[date] = Counter()
    for interviewed_at, on_time in interviews:
        if interviewed_at >= since:
            week = monday_of(interviewed_at, zone)
            held[week] += 1
            thanked[week] += on_time
    shared = Counter(monday_of(moment, zone) for moment in shared_at if moment >= since)
    return tuple(Week(start, held[start], thanked[start], shared[start]) for start in starts)


def sector_label(value: str) -> str:
    return SECTOR_LABELS.get(value, value)


def sectors(counted: Sequence[Row]) -> tuple[SectorCount, ...]:
    """The sectors the cohort's contacts work in, most contacts first; ``counted`` has a row per
    sector (stored value): its ``contacts`` and ``interviews``."""
    counts = [SectorCount(sector_label(row["sector"]), int(row["contacts"]),
                          int(row["interviews"])) for row in counted]
    return tuple(sorted(counts, key=lambda s: (-s.contacts, s.label)))


def _by_name(members: Sequence[Row],
             tallies: dict[Any, progress.MemberTally]) -> list[progress.MemberProgress]:
    rows = progress.report_from(members, tallies)
    return sorted(rows, key=lambda row: (row.name.casefold(), row.name))


def member_lines(members: Sequence[Row],
                 tallies: dict[Any, progress.MemberTally]) -> tuple[MemberLine, ...]:
    """The coach's report (``progress.report_from`` each member's counted contacts) as the
    table's lines, sorted by name."""
    return tuple(MemberLine(name=row.name, role=row.role, paused=row.paused, stages=row.stages,
                            contacts=row.contacts, interviews=row.interviews,
                            thank_you_rate=row.thank_you_rate, last_active=row.last_active)
                 for row in _by_name(members, tallies))


def members_csv(members: Sequence[Row], tallies: dict[Any, progress.MemberTally]) -> bytes:
    """The table as the chat's report CSV (``progress.report_csv``), in the table's order."""
    return progress.report_csv(_by_name(members, tallies))


def cards(shares: Sequence[Row]) -> tuple[SharedCard, ...]:
    """Contacts shared as cards, as another member would see them (``visibility.visible``);
    a contact shared for introductions on request is not shown at all."""
    shown = []
    for row in shares:
        if row["visibility"] != CARD:
            continue
        seen = visible(row)
        shown.append(SharedCard(name=seen["name"], role=seen["role"],
                                organisation=seen["organisation"],
                                sector=sector_label(seen["sector"]), owner=seen["owner"],
                                email=seen.get("email", ""), profile_url=seen["profile_url"]))
    return tuple(shown)


@dataclass(frozen=True, slots=True)
class Counted:
    """A cohort's contacts as the store counts them, all the members' (paused ones too)."""

    furthest: Mapping[int, int]  # for :func:`funnel`
    interviews: Sequence[tuple[datetime, bool]]  # for :func:`weeks`, since :func:`first_week`
    sectors: Sequence[Row]  # for :func:`sectors`
    tallies: dict[Any, progress.MemberTally]  # for :func:`member_lines`, by user_pk


def asked(per_share: Sequence[Row], shares: Sequence[Row]) -> tuple[AskedContact, ...]:
    """Requests per external person (``per_share`` as ``core.cohorts.asking.per_contact``
    counts them, one ``person`` for shares of the same person), labelled with what any member
    may see of a share: role, organisation and sector, never a name. Most asked first."""
    share_of = {int(share["share_id"]): share for share in shares}
    by_person: dict[int, list[Row]] = {}
    for row in per_share:
        by_person.setdefault(int(row["person"]), []).append(row)
    found = []
    for rows in by_person.values():
        first = share_of[min(int(row["share_id"]) for row in rows)]
        found.append(AskedContact(
            role=str(first["role"]), organisation=str(first["organisation"]),
            sector=sector_label(str(first["sector"])),
            requests=sum(int(row["requests"]) for row in rows),
            last_asked=max(row["last_asked_at"] for row in rows)))
    return tuple(sorted(found, key=lambda a: (-a.requests, a.organisation, a.role)))


def coach_view(cohort: Row, members: Sequence[Row], counted: Counted, shares: Sequence[Row],
               shared_at: Sequence[datetime], intro_requests: int, now: datetime,
               asked_in_period: tuple[AskedContact, ...] = ()) -> CoachView:
    """The whole page: ``shares`` are the cohort's shares (only cards are shown), ``shared_at``
    when each share in the cohort was made."""
    tz = str(cohort["tz"])
    return CoachView(
        cohort=CohortLink(int(cohort["id"]), str(cohort["name"])), tz=tz,
        members=len(members), funnel=funnel(counted.furthest),
        weeks=weeks(counted.interviews, shared_at, now, tz), sectors=sectors(counted.sectors),
        table=member_lines(members, counted.tallies), cards=cards(shares),
        intro_requests=intro_requests, intro_period_days=int(cohort["intro_period_days"]),
        asked=asked_in_period)
