"""What a journey handler gets: the state, the clock, the wording, and a place to put effects."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from infointerview.core.cohorts.ports import CohortRepository
from infointerview.core.forms import Form, parse_clock_time
from infointerview.core.journey.catalog.actions import STAGES
from infointerview.core.journey.catalog.reminders import ReminderKind
from infointerview.core.journey.forms_catalog import SECTOR_CHOICES
from infointerview.core.journey.questions import QuestionBank
from infointerview.core.journey.state import Contact, OutreachChannel, UserState
from infointerview.core.journey.timeparse import clock_text
from infointerview.core.journey.timing import Availability
from infointerview.core.model import (
    Actor,
    Attachment,
    Block,
    Button,
    Cancel,
    Effect,
    Message,
    OpenForm,
    Place,
    Reply,
    Schedule,
    SendDM,
)
from infointerview.core.templates import Templates
from infointerview.core.timezones import zone_label


def _label(table: dict[Any, str]) -> Callable[[Any], str]:
    return lambda key: table.get(key, str(key))


LABELS: dict[str, Callable[[Any], str]] = {
    "stage_label": _label({stage: spec.label for stage, spec in STAGES.items()}),
    "stage_next": _label({stage: spec.next_action for stage, spec in STAGES.items()}),
    "sector_label": _label({c.value: c.label for c in SECTOR_CHOICES}),
    "channel_label": _label({OutreachChannel.EMAIL: "e-mail", OutreachChannel.LINKEDIN: "LinkedIn",
                             OutreachChannel.OTHER: "another channel"}),
}


@dataclass(frozen=True, slots=True)
class JourneyConfig:
    career_office_name: str = "your career office"
    career_office_contact: str = ""
    thin_pipeline: int = 3  # fewer active contacts than this: suggest where to look


@dataclass(slots=True)
class Ctx:
    state: UserState
    now: datetime  # aware, UTC
    user_id: str
    place: Place
    templates: Templates
    bank: QuestionBank
    config: JourneyConfig
    effects: list[Effect] = field(default_factory=list)
    # what the person chose in cohorts, for their export: the journey holds no connection, so
    # the engine passes a reader in (nothing outside a cohort, as in tests of the journey alone)
    cohort_data: Callable[[], dict[str, Any]] = field(default=lambda: {})
    # who is acting (workspace, whether they may manage a channel) and the cohort storage port:
    # the engine fills both in; without a port (the journey alone) cohort commands are unknown
    actor: Actor | None = None
    cohorts: CohortRepository | None = None
    # a new one-time sign-in link to the web pages for this person: the engine fills it in
    # (the link's row is written in the event's transaction); None where there are no web pages
    web_link: Callable[[], str] | None = None

    # --- time ----------------------------------------------------------------------------------

    @property
    def zone(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.state.settings.tz or "UTC")
        except Exception:  # an unknown stored zone must not break a handler
            return ZoneInfo("UTC")

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone)

    def days_later(self, days: int, moment: datetime | None = None) -> datetime:
        """The same wall-clock time ``days`` later in the person's zone: a week after 10 AM is
        10 AM, across a clock change too (adding days in UTC would make it 9 or 11)."""
        return (moment or self.now).astimezone(self.zone) + timedelta(days=days)

    def fmt(self, moment: datetime | None, zone: ZoneInfo | None = None) -> str:
        if moment is None:
            return ""
        local = moment.astimezone(zone or self.zone)
        return f"{local:%a %d %b %Y}, {clock_text(local)} ({zone_label(local)})"

    # --- wording -------------------------------------------------------------------------------

    def base_context(self) -> dict[str, Any]:
        office = self.config
        return {
            "profile": self.state.profile,
            "office_name": office.career_office_name,
            "office_contact": office.career_office_contact,
            **LABELS,
        }

    def blocks(self, template: str, **values: Any) -> list[Block]:
        return self.templates.blocks(template, {**self.base_context(), **values})

    def message(
        self,
        template: str | None = None,
        *,
        extra: Sequence[Block] = (),
        buttons: Sequence[Button] = (),
        attachments: Sequence[Attachment] = (),
        **values: Any,
    ) -> Message:
        blocks = self.blocks(template, **values) if template else []
        return Message(tuple(blocks) + tuple(extra), tuple(buttons), tuple(attachments))

    # --- effects -------------------------------------------------------------------------------

    def say(self, message: Message) -> None:
        """Answer where the person spoke, visible only to them. Use for non-private wording."""
        self.effects.append(Reply(message, ephemeral=True))

    def private(self, message: Message, pointer: str = "common/sent_to_dm.j2") -> None:
        """Drafts, notes and contacts go to the DM; in a channel only a pointer is said there
        (the ``pointer`` template), to the person alone."""
        if self.place.is_dm:
            self.effects.append(Reply(message, ephemeral=True))
        else:
            self.effects.append(SendDM(self.user_id, message))
            self.effects.append(Reply(self.message(pointer), ephemeral=True, points_to_dm=True))

    def dm(self, message: Message) -> None:
        self.effects.append(SendDM(self.user_id, message))

    def form(self, form: Form) -> None:
        self.effects.append(OpenForm(form))

    @property
    def availability(self) -> Availability:
        s = self.state.settings
        return Availability(self.zone, parse_clock_time(s.quiet_start) or time(21, 0),
                            parse_clock_time(s.quiet_end) or time(8, 0), s.weekdays_only,
                            s.paused_until)

    def schedule(self, key: str, kind: str, due_at: datetime, contact: Contact | int | None, *,
                 exact: bool = False) -> None:
        """Ask for a reminder about a contact (or what a number names: a cohort's digest); it is
        moved out of quiet hours, weekends (if asked) and pauses unless ``exact``."""
        when = due_at if exact else self.availability.deliverable_at(due_at, kind)
        about = contact.no if isinstance(contact, Contact) else contact
        self.effects.append(Schedule(key, kind, when, about))

    def remind(self, kind: ReminderKind, due_at: datetime, contact: Contact | None, *,
               exact: bool = False) -> None:
        """Ask for a reminder of a catalogued kind, under the kind's key for the contact."""
        self.schedule(kind.key(contact.no if contact else None), kind.name, due_at, contact,
                      exact=exact)

    def unremind(self, contact: Contact, *kinds: ReminderKind) -> None:
        """Cancel the contact's reminders of these kinds."""
        for kind in kinds:
            self.cancel(kind.key(contact.no))

    def scheduled_keys(self) -> set[str]:
        """The reminders this event has asked for so far."""
        return {effect.key for effect in self.effects if isinstance(effect, Schedule)}

    def cancel(self, key: str) -> None:
        self.effects.append(Cancel(key))
