"""The state the journey works on: one person's profile, contacts and conversation.

Plain dataclasses, loaded by the store for one event and handed to the pure journey functions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any


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
class Session:
    """Where the conversation is: which contact is in focus and what a free-text line means."""

    focus_no: int | None = None
    interview_no: int | None = None
    after_profile: str | None = None
    in_cohort: bool | None = None  # a member of some cohort: cards offer "Share with cohort"


class Contacts(MutableMapping[int, Contact]):
    """A person's contacts by number, in order. Each stored contact is decoded the first time it
    is used: most events touch one contact, so the others are neither decoded nor compared
    when the state is saved."""

    __slots__ = ("_decode", "_items")

    def __init__(self, stored: dict[int, Any] | None = None,
                 decode: Callable[[int], Contact] | None = None) -> None:
        self._items: dict[int, Any] = dict(stored or {})
        self._decode = decode

    def __getitem__(self, no: int) -> Contact:
        item = self._items[no]
        if isinstance(item, Contact):
            return item
        assert self._decode is not None, "stored contacts need a decoder"
        contact = self._items[no] = self._decode(no)
        return contact

    def __setitem__(self, no: int, contact: Contact) -> None:
        self._items[no] = contact

    def __delitem__(self, no: int) -> None:
        del self._items[no]

    def __iter__(self) -> Iterator[int]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, no: object) -> bool:
        return no in self._items

    def __repr__(self) -> str:
        return f"Contacts({dict(self.items())!r})"

    def decoded(self) -> Iterator[tuple[int, Contact]]:
        """The contacts used (or added) so far: the only ones that can have changed."""
        return ((no, item) for no, item in self._items.items() if isinstance(item, Contact))


@dataclass(slots=True)
class UserState:
    display_name: str = ""
    profile: Profile = field(default_factory=Profile)
    settings: Settings = field(default_factory=Settings)
    session: Session = field(default_factory=Session)
    contacts: Contacts = field(default_factory=Contacts)
    next_contact_no: int = 1
    forgotten: bool = False
    undelivered_reminders: int = 0  # DMs the platform refused (closed DMs, left the workspace)
    delivery_error: str = ""

    def new_contact_no(self) -> int:
        no = self.next_contact_no
        self.next_contact_no += 1
        return no
