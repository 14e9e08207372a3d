"""Small helpers to drive the engine the way an adapter does."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import timedelta

from infointerview.core import (
    ActionClicked,
    Actor,
    CommandInvoked,
    Effect,
    Engine,
    FormSubmitted,
    Message,
    OpenForm,
    Place,
    Reply,
    SendDM,
    SimulatedClock,
    TextReceived,
)

_ids = itertools.count(1)

PROFILE = {"name": "Sam Rivera", "programme": "PhD student in biomedical sciences",
           "institution": "Lakeside University",
           "interests": "regulatory affairs and science policy", "tz": "America/Chicago"}
CONTACT = {"name": "Dr. Jordan Lee", "role": "Regulatory affairs manager",
           "organisation": "Northwind Biologics", "sector": "industry", "channel": "email"}
SOURCE = {"how_found": "referral", "found_detail": "Prof. Ada Okafor",
          "email": "jordan.lee@example.org", "profile_url": "",
          "reason": "moved from bench science into regulatory work"}


class User:
    """One person talking to the engine, in the DM unless a channel is given."""

    def __init__(self, engine: Engine, user_id: str = "sam", *, tenant: str = "local",
                 platform: str = "console", channel: str | None = None,
                 manager: bool = False) -> None:
        self.engine = engine
        self.actor = Actor(platform, tenant, user_id, user_id, manager=manager)
        self.place = Place(channel, False) if channel else Place("dm", True)

    def _fields(self) -> dict[str, object]:
        return {"event_id": f"e{next(_ids)}", "actor": self.actor, "place": self.place,
                "received_at": self.engine.clock()}

    def command(self, name: str, args: str = "") -> list[Effect]:
        return self.engine.handle(CommandInvoked(name=name, args=args, **self._fields()))

    def text(self, text: str) -> list[Effect]:
        return self.engine.handle(TextReceived(text=text, **self._fields()))

    def click(self, action: str, value: str = "") -> list[Effect]:
        return self.engine.handle(ActionClicked(action=action, value=value, **self._fields()))

    def submit(self, form_id: str, values: dict[str, str]) -> list[Effect]:
        return self.engine.handle(FormSubmitted(form_id=form_id, values=values, **self._fields()))

    def onboard(self) -> None:
        self.command("start")
        self.submit("profile", PROFILE)

    def add_contact(self, contact: dict[str, str] | None = None,
                    source: dict[str, str] | None = None) -> int:
        effects = self.command("start")
        form = forms(effects)[0]
        assert form.form_id == "contact:new"
        effects = self.submit("contact:new", contact or CONTACT)
        source_form = forms(effects)[0]
        self.submit(source_form.form_id, source or SOURCE)
        return int(source_form.form_id.split(":")[1])


# someone a cohort's coach shared at the same organisation as CONTACT (issue 17's escalation)
SHARED_THERE = {"name": "Dr. Maya Chen", "role": "Clinical operations lead",
                "organisation": "Northwind Biologics", "sector": "industry",
                "channel": "email"}
WEEK = timedelta(days=7)


def followed_up_with_someone_shared_there(engine: Engine, clock: SimulatedClock, user_id: str,
                                          coach_id: str, *, platform: str = "console",
                                          tenant: str = "local") -> User:
    """A coach shares SHARED_THERE as a card in a cohort the person joined; the person's own
    contact there (CONTACT) had the outreach and, a week later, the one follow-up. A week on,
    the coach suggests someone else at Northwind Biologics. Returns the person, in the DM."""
    where = {"platform": platform, "tenant": tenant, "channel": "C-fellows"}
    User(engine, coach_id, manager=True, **where).command("cohort", "create Fellows")
    User(engine, user_id, **where).command("cohort", "join")
    coach = User(engine, coach_id, platform=platform, tenant=tenant)
    coach.onboard()
    shared = coach.add_contact(SHARED_THERE)
    [share] = forms(coach.command("share", str(shared)))
    coach.submit(share.form_id, {"cohort": share.values["cohort"], "visibility": "card",
                                 "email": "no", "consent": "yes"})
    person = User(engine, user_id, platform=platform, tenant=tenant)
    person.onboard()
    number = str(person.add_contact())
    person.click("mark_sent", number)
    clock.advance(WEEK)
    person.click("follow_up_sent", number)
    return person


def messages(effects: Iterable[Effect]) -> list[Message]:
    return [e.message for e in effects if isinstance(e, Reply | SendDM)]


def forms(effects: Iterable[Effect]) -> list:  # type: ignore[type-arg]
    return [e.form for e in effects if isinstance(e, OpenForm)]


def text_of(effects: Iterable[Effect]) -> str:
    return "\n".join(m.plain_text() for m in messages(effects))
