"""What a coach sees of a cohort, computed from rows the store reads (pure: no storage here).

Rows are mappings keyed by column name: a member as ``core.cohorts.ports`` describes one; a
member's contact with ``user_pk, stage, sector, interviewed_at, thanked_at`` and, for its other
steps, only whether each was taken (``outreach_sent, follow_up_sent, replied, meeting_agreed,
connected, applied, second_thanked``: its timestamp is set), never a name or a note; a share
as ``core.store.cohorts`` gives it (the contact's card columns, ``visibility, share_email`` and
the owner's names). Whether, not when: ten thousand contacts' dates would cost the page more to
read than anything it does with them.

Every member counts, paused ones too: a pause stops the digest's shout-outs and others finding
their shares, not the career office's view of the cohort's work. The table marks them paused.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from infointerview.core.cohorts import progress
from infointerview.core.cohorts.ports import Row
from infointerview.core.cohorts.visibility import CARD, visible
from infointerview.core.insights.views import (
    CoachView,
    CohortLink,
    FunnelStep,
    MemberLine,
    SectorCount,
    SharedCard,
    Week,
)
from infointerview.core.journey.forms_catalog import SECTOR_CHOICES
from infointerview.core.journey.state import Stage

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
_SCHEDULED_STAGES = frozenset({Stage.SCHEDULED.value, Stage.PREPARED.value})


def furthest_step(contact: Row) -> int:
    """The index in :data:`FUNNEL` of the furthest step this contact shows evidence of.

    Each step's evidence is its own timestamp (outreach sent: the outreach's or a follow-up's;
    scheduled: a meeting time or the stage; thanked within 48 hours: ``progress.on_time``). A
    contact has reached every step up to its furthest one: someone the person already knew,
    interviewed without any outreach, has reached "outreach sent" and "replied"; a thank-you
    sent late, followed by a LinkedIn connection, counts as reaching "thanked within 48 hours"
    (the members' table has the true on-time rate). So every step's count is at most the
    previous one's."""
    # from the last step back: most contacts stop early, so the first hit ends the search
    if contact["second_thanked"]:
        return 8
    if contact["applied"]:
        return 7
    if contact["connected"]:
        return 6
    interviewed_at = contact["interviewed_at"]
    if interviewed_at is not None:
        return 5 if progress.on_time(interviewed_at, contact["thanked_at"]) else 4
    if contact["meeting_agreed"] or contact["stage"] in _SCHEDULED_STAGES:
        return 3
    if contact["replied"]:
        return 2
    return 1 if contact["outreach_sent"] or contact["follow_up_sent"] else 0


def funnel(contacts: Sequence[Row]) -> tuple[FunnelStep, ...]:
    """How many contacts reached each step or went past it, and what share of the previous
    step's that is ("—" for the first step and after a step nobody reached)."""
    furthest = Counter(furthest_step(c) for c in contacts)
    steps: list[FunnelStep] = []
    reached = len(contacts)
    for index, (key, label) in enumerate(FUNNEL):
        previous = reached
        reached -= furthest[index - 1] if index else 0
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


def weeks(contacts: Sequence[Row], shared_at: Sequence[datetime], now: datetime,
          tz: str) -> tuple[Week, ...]:
    """The last twelve weeks, oldest first, this one last; a week runs from Monday midnight in
    the cohort's zone (``tz``), so a clock change moves no interview into another week."""
    zone = zone_of(tz)
    this_week = monday_of(now, zone)
    starts = [this_week - timedelta(weeks=back) for back in range(WEEKS_SHOWN - 1, -1, -1)]
    # older moments are passed over before the (costly) conversion to the cohort's zone
    since = datetime.combine(starts[0], time(), zone)
    held: Counter[date] = Counter()
    thanked: Counter[date] = Counter()
    for contact in contacts:
        interviewed_at = contact["interviewed_at"]
        if interviewed_at is not None and interviewed_at >= since:
            week = monday_of(interviewed_at, zone)
            held[week] += 1
            thanked[week] += progress.on_time(interviewed_at, contact["thanked_at"])
    shared = Counter(monday_of(moment, zone) for moment in shared_at if moment >= since)
    return tuple(Week(start, held[start], thanked[start], shared[start]) for start in starts)


def sector_label(value: str) -> str:
    return SECTOR_LABELS.get(value, value)


def sectors(contacts: Sequence[Row]) -> tuple[SectorCount, ...]:
    """The sectors the cohort's contacts work in, most contacts first."""
    explored = Counter(c["sector"] for c in contacts)
    interviewed = Counter(c["sector"] for c in contacts if c["interviewed_at"] is not None)
    counts = [SectorCount(sector_label(sector), n, interviewed[sector])
              for sector, n in explored.items()]
    return tuple(sorted(counts, key=lambda s: (-s.contacts, s.label)))


def _by_name(members: Sequence[Row], contacts: Sequence[Row],
             now: datetime) -> list[progress.MemberProgress]:
    rows = progress.report(members, contacts, now)
    return sorted(rows, key=lambda row: (row.name.casefold(), row.name))


def member_lines(members: Sequence[Row], contacts: Sequence[Row],
                 now: datetime) -> tuple[MemberLine, ...]:
    """The coach's report (``progress.report``) as the table's lines, sorted by name."""
    return tuple(MemberLine(name=row.name, role=row.role, paused=row.paused, stages=row.stages,
                            contacts=row.contacts, interviews=row.interviews,
                            thank_you_rate=row.thank_you_rate, last_active=row.last_active)
                 for row in _by_name(members, contacts, now))


def members_csv(members: Sequence[Row], contacts: Sequence[Row], now: datetime) -> bytes:
    """The table as the chat's report CSV (``progress.report_csv``), in the table's order."""
    return progress.report_csv(_by_name(members, contacts, now))


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


def coach_view(cohort: Row, members: Sequence[Row], contacts: Sequence[Row],
               shares: Sequence[Row], shared_at: Sequence[datetime], intro_requests: int,
               now: datetime) -> CoachView:
    """The whole page: ``contacts`` are all the members' contacts, ``shares`` the cohort's
    shares (only cards are shown), ``shared_at`` when each share in the cohort was made."""
    return CoachView(
        cohort=CohortLink(int(cohort["id"]), str(cohort["name"])), tz=str(cohort["tz"]),
        members=len(members), funnel=funnel(contacts),
        weeks=weeks(contacts, shared_at, now, str(cohort["tz"])), sectors=sectors(contacts),
        table=member_lines(members, contacts, now), cards=cards(shares),
        intro_requests=intro_requests)
