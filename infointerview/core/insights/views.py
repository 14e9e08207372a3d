"""The shapes the web pages render. Plain frozen dataclasses: the web adapter reads them, tests
compare them, and nothing in them is a database row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class Viewer:
    """The signed-in person of a web session (their workspace is ``platform`` + ``tenant``)."""

    user_pk: int
    platform: str
    tenant: str
    user_id: str
    name: str  # their profile name, else display name, else user id
    tz: str
    csrf: str  # the session's token for POST forms (sign-out)


@dataclass(frozen=True, slots=True)
class CohortLink:
    id: int
    name: str


# --- a coach's view of one cohort ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FunnelStep:
    key: str  # identified, outreach_sent, replied, scheduled, interviewed, thanked_on_time,
    #           linkedin, applied, second_thank_you
    label: str  # "Outreach sent"
    count: int  # contacts that reached this step (or went past it)
    rate: str  # of the previous step's count, "64%"; "—" for the first step or after 0


@dataclass(frozen=True, slots=True)
class Week:
    start: date  # Monday, in the cohort's time zone
    interviews: int  # interviews held that week
    thanked_on_time: int  # of those, thanked within 48 hours
    shared: int  # contacts shared into the cohort that week


@dataclass(frozen=True, slots=True)
class SectorCount:
    label: str  # "Technology"
    contacts: int
    interviews: int


@dataclass(frozen=True, slots=True)
class MemberLine:
    name: str
    role: str  # member | coach
    paused: bool
    stages: tuple[tuple[str, int], ...]  # (stage label, contacts), stages with any, in order
    contacts: int
    interviews: int
    thank_you_rate: str  # "75%" or "—"
    last_active: datetime | None


@dataclass(frozen=True, slots=True)
class SharedCard:
    """A contact its owner shared with the cohort as a card: the only contacts a coach sees."""

    name: str
    role: str
    organisation: str
    sector: str  # its label, "Government"
    owner: str
    email: str = ""  # only when its owner shared the e-mail too
    profile_url: str = ""


@dataclass(frozen=True, slots=True)
class AskedContact:
    """One person shared in the cohort, and how often members asked for an introduction to
    them within the cohort's period: what others may see of any share, never a name."""

    role: str
    organisation: str
    sector: str
    requests: int  # within the period, declined ones included (the owner was asked)
    last_asked: datetime


@dataclass(frozen=True, slots=True)
class CoachView:
    cohort: CohortLink
    tz: str
    members: int
    funnel: tuple[FunnelStep, ...]
    weeks: tuple[Week, ...]  # oldest first, the last twelve weeks
    sectors: tuple[SectorCount, ...]  # most contacts first
    table: tuple[MemberLine, ...]
    cards: tuple[SharedCard, ...]
    intro_requests: int  # warm-intro requests in this cohort (counts only)
    intro_period_days: int = 28  # at most one request per person in this many days
    asked: tuple[AskedContact, ...] = ()  # within that period, most asked first


# --- a person's view of their own journey --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PipelineItem:
    no: int
    name: str
    organisation: str
    stage: str  # stage label
    next_step: str  # "draft your outreach message"
    due_at: datetime | None  # when the next step is due (the coach's reminder), if it is
    overdue: bool


@dataclass(frozen=True, slots=True)
class StageGroup:
    label: str
    items: tuple[PipelineItem, ...]


@dataclass(frozen=True, slots=True)
class NetworkNode:
    id: str  # "me", or "c<N>" for contact N
    label: str  # the contact's name (and organisation); "You" for the person
    stage: str  # stage label ("" for the person)


@dataclass(frozen=True, slots=True)
class NetworkEdge:
    source: str  # who led to...
    target: str  # ...whom (contacts without a referrer hang from "me")


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    at: datetime
    contact_no: int
    text: str  # "Interview with Dr Amara Okafor"


@dataclass(frozen=True, slots=True)
class StudentView:
    viewer: Viewer
    groups: tuple[StageGroup, ...]  # stages in the journey's order, only those with contacts
    due: tuple[PipelineItem, ...]  # due in the next seven days, soonest first
    overdue: tuple[PipelineItem, ...]
    nodes: tuple[NetworkNode, ...]
    edges: tuple[NetworkEdge, ...]
    timeline: tuple[TimelineEntry, ...]  # newest first
    coached: tuple[CohortLink, ...]  # cohorts this person coaches (links to coach pages)
