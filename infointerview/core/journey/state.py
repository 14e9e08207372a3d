"""The state the journey works on: one person's profile, contacts and conversation.

Plain dataclasses, loaded by the store for one event and handed to the pure journey functions.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class Stage(StrEnum):
    IDENTIFIED = "identified"
    OUTREACH_DRAFTED = "outreach_drafted"
    OUTREACH_SENT = "outreach_sent"
    REPLIED = "replied"
    SCHEDULED = "scheduled"
    PREPARED = "prepared"
    INTERVIEWED = "interviewed"
    THANKED = "thanked"
    CONNECTED = "connected"
    KEEPING_IN_TOUCH = "keeping_in_touch"
    NO_REPLY = "no_reply"
    FOLLOW_UP_SENT = "follow_up_sent"
    PARKED = "parked"


class Sector(StrEnum):
    """Stored as these values (a String(16) column); labels live in SECTOR_CHOICES."""

    ACADEMIA = "academia"
    CONSULTING = "consulting"
    FINANCE = "finance"
    GOVERNMENT = "government"
    HEALTHCARE = "healthcare"
    NON_PROFIT = "non-profit"
    TECHNOLOGY = "technology"
    INDUSTRY = "industry"  # "Other industry": contacts saved before the list grew keep this
    OTHER = "other"


class HowFound(StrEnum):
    EXISTING = "existing"
    REFERRAL = "referral"
    ALUMNI = "alumni"
    SOCIETY = "society"
    SOCIAL = "social"
    CONFERENCE = "conference"
    OTHER = "other"


class OutreachChannel(StrEnum):
    EMAIL = "email"
    LINKEDIN = "linkedin"
    OTHER = "other"


class MeetingMode(StrEnum):
    VIDEO = "video"
    PHONE = "phone"
    IN_PERSON = "in_person"


@dataclass(slots=True)
class Note:
    no: int
    text: str
    at: datetime
    starred: bool = False
    to_them: str = ""  # the student's wording of it for its author: "your advice to …"


@dataclass(slots=True)
class Contact:
    no: int
    name: str
    role: str = ""
    organisation: str = ""
    sector: Sector = Sector.OTHER
    channel: OutreachChannel = OutreachChannel.EMAIL
    how_found: HowFound = HowFound.OTHER
    found_detail: str = ""
    email: str = ""
    profile_url: str = ""
    reason: str = ""
    stage: Stage = Stage.IDENTIFIED
    draft_length: str = "standard"
    outreach_custom: str | None = None
    referred_by_no: int | None = None
    contact_tz: str = ""
    windows: list[str] = field(default_factory=list)
    meeting_at: datetime | None = None
    duration_min: int = 30
    mode: MeetingMode | None = None
    mode_detail: str = ""
    agenda: list[str] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    created_at: datetime | None = None
    outreach_sent_at: datetime | None = None
    replied_at: datetime | None = None
    follow_up_sent_at: datetime | None = None
    interview_started_at: datetime | None = None
    interviewed_at: datetime | None = None
    thanked_at: datetime | None = None
    connected_at: datetime | None = None
    applied_at: datetime | None = None
    applied_to: str = ""  # the organisation as typed with `applied` (kept for the export)
    second_thanked_at: datetime | None = None
    last_contact_at: datetime | None = None

    def starred_note(self) -> Note | None:
        starred = [n for n in self.notes if n.starred]
        return starred[-1] if starred else None


@dataclass(slots=True)
class Profile:
    name: str = ""
    programme: str = ""
    institution: str = ""
    interests: str = ""
    intro: str = ""

    def is_complete(self) -> bool:
        return bool(self.name and self.programme and self.interests)


@dataclass(slots=True)
class Settings:
    tz: str = "UTC"
    quiet_start: str = "21:00"
    quiet_end: str = "08:00"
    weekdays_only: bool = False
    paused_until: date | None = None
    weekly_summary: bool = False


@dataclass(slots=True)
class Conversation:
    """Where the conversation is: which contact is in focus and what a free-text line means."""

    focus_no: int | None = None
    interview_no: int | None = None
    after_profile: str | None = None
    in_cohort: bool | None = None  # a member of some cohort: cards offer "Share with cohort"


@dataclass(slots=True)
class UserState:
    display_name: str = ""
    profile: Profile = field(default_factory=Profile)
    settings: Settings = field(default_factory=Settings)
    conversation: Conversation = field(default_factory=Conversation)
    # by number, in order; the store may hand in a mapping that reads each contact when used
    contacts: MutableMapping[int, Contact] = field(default_factory=dict)
    next_contact_no: int = 1
    forgotten: bool = False
    undelivered_reminders: int = 0  # DMs the platform refused (closed DMs, left the workspace)
    delivery_error: str = ""

    def new_contact_no(self) -> int:
        no = self.next_contact_no
        self.next_contact_no += 1
        return no
