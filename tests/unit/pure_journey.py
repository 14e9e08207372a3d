"""The journey with no database: ``step()`` on a person's state held in memory.

What the engine adds around ``step()`` (dedupe, locks, the transaction, writing reminders) is
covered by the integration tests; here a reminder is a row in a dict, keyed as the store keys
it, so a test can ask what is due and deliver it, in microseconds.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from infointerview.core import (
    ActionClicked,
    Actor,
    Cancel,
    CommandInvoked,
    Effect,
    Event,
    FormSubmitted,
    OpenForm,
    Place,
    ReminderDue,
    Schedule,
    TextReceived,
)
from infointerview.core.cohorts.ports import CohortRepository
from infointerview.core.journey.context import Ctx, JourneyConfig
from infointerview.core.journey.questions import QuestionBank
from infointerview.core.journey.router import step
from infointerview.core.journey.state import UserState
from infointerview.core.templates import Templates
from tests.helpers import CONTACT, PROFILE, SOURCE

_TEMPLATES = Templates()
_BANK = QuestionBank.load()


@dataclass
class PureJourney:
    """One person in the DM (or ``place``), on a clock the test moves."""

    now: datetime
    tz: str = "UTC"
    state: UserState = field(default_factory=UserState)
    reminders: dict[str, Schedule] = field(default_factory=dict)  # pending, by key
    actor: Actor = field(default_factory=lambda: Actor("console", "local", "sam", "Sam"))
    place: Place = field(default_factory=lambda: Place("dm", True))
    web_link: Callable[[], str] | None = None  # the engine's port for sign-in links
    # the cohort port (tests/unit/fake_cohorts.py): without one the journey runs alone
    cohorts: CohortRepository | None = None
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def __post_init__(self) -> None:
        self.state.settings.tz = self.tz

    def _run(self, event: Event) -> list[Effect]:
        ctx = Ctx(state=self.state, now=self.now, user_id=self.actor.user_id,
                  place=self.place, templates=_TEMPLATES, bank=_BANK,
                  config=JourneyConfig(), web_link=self.web_link, actor=self.actor,
                  cohorts=self.cohorts)
        step(ctx, event)
        for effect in ctx.effects:
            if isinstance(effect, Schedule):
                self.reminders[effect.key] = effect
            elif isinstance(effect, Cancel):
                self.reminders.pop(effect.key, None)
        return ctx.effects

    def _fields(self) -> dict[str, object]:
        return {"event_id": f"e{next(self._ids)}", "actor": self.actor,
                "place": self.place, "received_at": self.now}

    def command(self, name: str, args: str = "") -> list[Effect]:
        return self._run(CommandInvoked(name=name, args=args, **self._fields()))  # type: ignore[arg-type]

    def text(self, text: str) -> list[Effect]:
        return self._run(TextReceived(text=text, **self._fields()))  # type: ignore[arg-type]

    def click(self, action: str, value: str = "") -> list[Effect]:
        return self._run(ActionClicked(action=action, value=value, **self._fields()))  # type: ignore[arg-type]

    def submit(self, form_id: str, values: dict[str, str]) -> list[Effect]:
        return self._run(FormSubmitted(form_id=form_id, values=values, **self._fields()))  # type: ignore[arg-type]

    def onboard(self) -> None:
        """The profile saved, in this person's zone."""
        self.command("start")
        self.submit("profile", {**PROFILE, "tz": self.tz})

    def add_contact(self, contact: dict[str, str] | None = None,
                    source: dict[str, str] | None = None) -> str:
        """Both contact forms filled in, as ``tests.helpers.User.add_contact``; its number."""
        [contact_form] = [e.form for e in self.command("start") if isinstance(e, OpenForm)]
        assert contact_form.form_id == "contact:new"
        [source_form] = [e.form for e in self.submit("contact:new", contact or CONTACT)
                         if isinstance(e, OpenForm)]
        self.submit(source_form.form_id, source or SOURCE)
        return source_form.form_id.split(":")[1]

    def deliver_due(self) -> list[tuple[Schedule, list[Effect]]]:
        """Every reminder due by ``now``, oldest first, as the dispatcher would deliver it."""
        due = sorted((r for r in self.reminders.values() if r.due_at <= self.now),
                     key=lambda r: r.due_at)
        delivered = []
        for reminder in due:
            del self.reminders[reminder.key]
            event = ReminderDue(reminder_id=0, kind=reminder.kind, contact_no=reminder.contact_no,
                                due_at=reminder.due_at, **self._fields())  # type: ignore[arg-type]
            delivered.append((reminder, self._run(event)))
        return delivered
