"""Cohorts with no database: the cohort port (``core.cohorts.ports.CohortRepository``) over
lists of dicts, and people whose events go through ``step()`` as the engine would send them.

What the engine adds (dedupe, locks, the transaction, the SQL's scoping) is covered by the
integration tests (tests/integration/test_cohort*.py); here a cohort flow runs in milliseconds.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from infointerview.core import (
    ActionClicked,
    Actor,
    Cancel,
    CommandInvoked,
    Effect,
    Event,
    FormSubmitted,
    Place,
    ReminderDue,
    Schedule,
)
from infointerview.core.cohorts import asking
from infointerview.core.cohorts import export as cohort_export
from infointerview.core.cohorts import service as cohort_service
from infointerview.core.cohorts.ports import IntroAsked, Row
from infointerview.core.journey.context import Ctx, JourneyConfig
from infointerview.core.journey.questions import QuestionBank
from infointerview.core.journey.router import step
from infointerview.core.journey.state import Contact, UserState
from infointerview.core.store.cohorts import NEUTRAL_INTRODUCER
from infointerview.core.templates import Templates

_TEMPLATES = Templates()
_BANK = QuestionBank.load()
_CONTACT_KEY = 100_000  # a contact's key: its owner's key times this, plus its number


@dataclass
class Person:
    pk: int
    actor: Actor
    state: UserState
    updated_at: datetime | None = None


@dataclass
class World:
    """Every table a cohort touches, in memory; ``now`` is the clock the test moves."""

    now: datetime
    people: dict[int, Person] = field(default_factory=dict)
    cohorts: list[dict[str, Any]] = field(default_factory=list)
    members: list[dict[str, Any]] = field(default_factory=list)
    shares: list[dict[str, Any]] = field(default_factory=list)
    intros: list[dict[str, Any]] = field(default_factory=list)
    reminders: list[dict[str, Any]] = field(default_factory=list)
    introduced_by: dict[tuple[int, int], int] = field(default_factory=dict)
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def schedule(self, user_pk: int, effect: Schedule | Cancel) -> None:
        """As the store applies a reminder effect: one queued row per person and key."""
        for row in self.reminders:
            if row["user_pk"] == user_pk and row["key"] == effect.key \
                    and row["status"] == "pending":
                row["status"] = "cancelled"
        if isinstance(effect, Schedule):
            self.reminders.append({"id": next(self.ids), "user_pk": user_pk, "key": effect.key,
                                   "kind": effect.kind, "contact_no": effect.contact_no,
                                   "due_at": effect.due_at, "status": "pending"})

    def pending(self, kind: str | None = None) -> list[dict[str, Any]]:
        return [r for r in self.reminders
                if r["status"] == "pending" and kind in (None, r["kind"])]


class FakeCohorts:
    """The cohort port for one person's event, over a :class:`World`."""

    def __init__(self, world: World, me: int) -> None:
        self.world = world
        self._me = me

    @property
    def me(self) -> int:
        return self._me

    # --- cohorts ----------------------------------------------------------------------------------

    def cohort_in_channel(self, platform: str, tenant: str, channel_id: str) -> Row | None:
        return next((dict(c) for c in self.world.cohorts
                     if (c["platform"], c["tenant"], c["channel_id"])
                     == (platform, tenant, channel_id)), None)

    def cohort(self, cohort_id: int, platform: str, tenant: str) -> Row | None:
        return next((dict(c) for c in self.world.cohorts
                     if (c["id"], c["platform"], c["tenant"]) == (cohort_id, platform, tenant)),
                    None)

    def create_cohort(self, platform: str, tenant: str, channel_id: str, name: str, tz: str,
                      now: datetime) -> int:
        cohort_id = next(self.world.ids)
        self.world.cohorts.append({"id": cohort_id, "platform": platform, "tenant": tenant,
                                   "channel_id": channel_id, "name": name[:100], "tz": tz,
                                   "digest_day": 4, "digest_time": "16:00",
                                   "intro_period_days": asking.DEFAULT_PERIOD_DAYS,
                                   "created_at": now})
        return cohort_id

    def set_digest(self, cohort_id: int, day: int, at: str, tz: str) -> None:
        self._cohort(cohort_id).update(digest_day=day, digest_time=at, tz=tz)

    def set_intro_period(self, cohort_id: int, days: int) -> None:
        self._cohort(cohort_id)["intro_period_days"] = days

    def _cohort(self, cohort_id: int) -> dict[str, Any]:
        return next(c for c in self.world.cohorts if c["id"] == cohort_id)

    # --- members ----------------------------------------------------------------------------------

    def _member(self, cohort_id: int, user_pk: int) -> dict[str, Any] | None:
        return next((m for m in self.world.members
                     if (m["cohort_id"], m["user_pk"]) == (cohort_id, user_pk)), None)

    def membership(self, cohort_id: int, user_pk: int) -> Row | None:
        found = self._member(cohort_id, user_pk)
        return dict(found) if found is not None else None

    def join(self, cohort_id: int, user_pk: int, role: str, now: datetime) -> None:
        self.world.members.append({"id": next(self.world.ids), "cohort_id": cohort_id,
                                   "user_pk": user_pk, "role": role, "paused": False,
                                   "shoutouts": False, "joined_at": now})

    def set_member(self, cohort_id: int, user_pk: int, *, role: str | None = None,
                   paused: bool | None = None, shoutouts: bool | None = None) -> None:
        member = self._member(cohort_id, user_pk)
        if member is None:
            return
        for name, value in (("role", role), ("paused", paused), ("shoutouts", shoutouts)):
            if value is not None:
                member[name] = value

    def leave(self, cohort_id: int, user_pk: int) -> None:
        gone = {s["id"] for s in self.world.shares
                if (s["cohort_id"], s["owner_pk"]) == (cohort_id, user_pk)}
        self.world.shares = [s for s in self.world.shares if s["id"] not in gone]
        self.world.intros = [r for r in self.world.intros if r["share_id"] not in gone]
        self.world.members = [m for m in self.world.members
                              if (m["cohort_id"], m["user_pk"]) != (cohort_id, user_pk)]

    def my_cohorts(self, user_pk: int) -> list[Row]:
        return [{**c, "role": m["role"], "paused": m["paused"]}
                for c in sorted(self.world.cohorts, key=lambda c: c["id"])
                for m in self.world.members
                if m["cohort_id"] == c["id"] and m["user_pk"] == user_pk]

    def members(self, cohort_id: int) -> list[Row]:
        return [{**m, **self._person_columns(m["user_pk"])}
                for m in sorted(self.world.members, key=lambda m: m["id"])
                if m["cohort_id"] == cohort_id]

    def _person_columns(self, user_pk: int) -> dict[str, Any]:
        person = self.world.people[user_pk]
        return {"user_id": person.actor.user_id, "display_name": person.state.display_name,
                "name": person.state.profile.name, "updated_at": person.updated_at,
                "platform": person.actor.platform, "tenant": person.actor.tenant}

    def user(self, user_pk: int) -> Row | None:
        if user_pk not in self.world.people:
            return None
        return {"id": user_pk, **self._person_columns(user_pk)}

    # --- the digest's reminders -------------------------------------------------------------------

    def digest_reminders(self, cohort: Row, kind: str) -> list[Row]:
        holders = {m["user_pk"] for m in self.world.members if m["cohort_id"] == cohort["id"]}
        return [dict(r) for r in self.world.reminders
                if r["user_pk"] in holders and r["kind"] == kind
                and self.world.people[r["user_pk"]].actor.platform == cohort["platform"]
                and self.world.people[r["user_pk"]].actor.tenant == cohort["tenant"]
                and r["contact_no"] == cohort["id"] and r["status"] in ("pending", "sending")]

    def cancel_reminders(self, reminder_ids: Sequence[int], now: datetime) -> None:
        for row in self.world.reminders:
            if row["id"] in reminder_ids and row["status"] == "pending":
                row["status"] = "cancelled"

    def schedule_for(self, user_pk: int, reminder: Schedule, now: datetime) -> None:
        if user_pk in self.world.people:
            self.world.schedule(user_pk, reminder)

    # --- shares -----------------------------------------------------------------------------------

    def _contact(self, contact_pk: int) -> Contact:
        owner, no = divmod(contact_pk, _CONTACT_KEY)
        return self.world.people[owner].state.contacts[no]

    def contact_pk(self, user_pk: int, no: int) -> int | None:
        person = self.world.people.get(user_pk)
        if person is None or no not in person.state.contacts:
            return None
        return user_pk * _CONTACT_KEY + no

    def share(self, cohort_id: int, owner_pk: int, contact_pk: int, visibility: str,
              share_email: bool, consent: bool, now: datetime) -> None:
        for share in self.world.shares:  # a change in place: its requests stay counted
            if (share["cohort_id"], share["contact_pk"]) == (cohort_id, contact_pk):
                share.update(visibility=visibility, share_email=share_email, consent=consent)
                return
        self.world.shares.append({"id": next(self.world.ids), "cohort_id": cohort_id,
                                  "owner_pk": owner_pk, "contact_pk": contact_pk,
                                  "visibility": visibility, "share_email": share_email,
                                  "consent": consent, "created_at": now})

    def unshare(self, owner_pk: int, contact_pk: int) -> int:
        before = len(self.world.shares)
        self.world.shares = [s for s in self.world.shares
                             if (s["owner_pk"], s["contact_pk"]) != (owner_pk, contact_pk)]
        kept = {s["id"] for s in self.world.shares}  # as the store's ON DELETE CASCADE
        self.world.intros = [r for r in self.world.intros if r["share_id"] in kept]
        return before - len(self.world.shares)

    def _shared(self, share: dict[str, Any]) -> dict[str, Any]:
        contact = self._contact(share["contact_pk"])
        owner = self.world.people[share["owner_pk"]]
        cohort = self._cohort(share["cohort_id"])
        return {"share_id": share["id"], "visibility": share["visibility"],
                "share_email": share["share_email"], "consent": share["consent"],
                "owner_pk": share["owner_pk"],
                "cohort_id": share["cohort_id"], "shared_at": share["created_at"],
                "name": contact.name, "role": contact.role,
                "organisation": contact.organisation, "sector": contact.sector.value,
                "profile_url": contact.profile_url, "email": contact.email,
                "contact_pk": share["contact_pk"], "contact_no": contact.no,
                "owner_user_id": owner.actor.user_id, "owner_display": owner.state.display_name,
                "owner_name": owner.state.profile.name, "cohort_name": cohort["name"],
                "platform": cohort["platform"], "tenant": cohort["tenant"]}

    def _active(self, share: dict[str, Any], active_only: bool) -> bool:
        member = self._member(share["cohort_id"], share["owner_pk"])
        return member is not None and not (active_only and member["paused"])

    def findable(self, asker_pk: int, platform: str, tenant: str,
                 cohort_ids: Sequence[int]) -> list[Row]:
        return [self._shared(s) for s in self.world.shares
                if s["cohort_id"] in cohort_ids and self._member(s["cohort_id"], asker_pk)
                and s["owner_pk"] != asker_pk and self._active(s, True)
                and (self._cohort(s["cohort_id"])["platform"],
                     self._cohort(s["cohort_id"])["tenant"]) == (platform, tenant)]

    def shared(self, share_id: int) -> Row | None:
        return next((self._shared(s) for s in self.world.shares
                     if s["id"] == share_id and self._active(s, True)), None)

    def shares_of(self, owner_pk: int, *, active_only: bool = True) -> list[Row]:
        return [self._shared(s) for s in self.world.shares
                if s["owner_pk"] == owner_pk and self._active(s, active_only)]

    def memberships_of(self, user_pk: int) -> list[Row]:
        return [{**m, "name": self._cohort(m["cohort_id"])["name"],
                 "channel_id": self._cohort(m["cohort_id"])["channel_id"]}
                for m in self.world.members if m["user_pk"] == user_pk]

    def shared_between(self, cohort_id: int, since: datetime, until: datetime) -> int:
        return sum(1 for s in self.world.shares
                   if s["cohort_id"] == cohort_id and since <= s["created_at"] < until)

    # --- warm introductions -----------------------------------------------------------------------

    def _cohort_shares(self, cohort_id: int) -> list[dict[str, Any]]:
        return [self._shared(s) for s in self.world.shares
                if s["cohort_id"] == cohort_id and self._active(s, False)]

    def intro_free_from(self, share_id: int, now: datetime) -> datetime | None:
        share = next((self._shared(s) for s in self.world.shares if s["id"] == share_id), None)
        if share is None:
            return None
        same = asking.matching(share, self._cohort_shares(share["cohort_id"]))
        period = timedelta(days=self._cohort(share["cohort_id"])["intro_period_days"])
        return asking.free_from([r for r in self.world.intros if r["share_id"] in same],
                                period, now)

    def request_intro_capped(self, share_id: int, requester_pk: int, reason: str,
                             now: datetime) -> IntroAsked:
        if not any(s["id"] == share_id for s in self.world.shares) or any(
                (r["share_id"], r["requester_pk"], r["status"])
                == (share_id, requester_pk, "pending") for r in self.world.intros):
            return IntroAsked()
        free_from = self.intro_free_from(share_id, now)
        if free_from is not None:
            return IntroAsked(free_from=free_from)
        request_id = next(self.world.ids)
        self.world.intros.append({"id": request_id, "share_id": share_id,
                                  "requester_pk": requester_pk, "reason": reason[:300],
                                  "status": "pending", "created_at": now, "decided_at": None})
        return IntroAsked(request_id=request_id)

    def intro_requests_per_contact(self, cohort_id: int, since: datetime,
                                   until: datetime | None = None) -> list[Row]:
        return asking.per_contact(self._cohort_shares(cohort_id), [
            r for r in self.world.intros
            if since <= r["created_at"] and (until is None or r["created_at"] < until)])

    def intro(self, request_id: int) -> Row | None:
        return next((dict(r) for r in self.world.intros if r["id"] == request_id), None)

    def decide(self, request_id: int, status: str, now: datetime) -> bool:
        for request in self.world.intros:
            if request["id"] == request_id and request["status"] == "pending":
                request.update(status=status, decided_at=now)
                return True
        return False

    def intros_asked_by(self, requester_pk: int) -> list[Row]:
        shares = {s["id"]: s for s in self.world.shares}
        return [{"reason": r["reason"], "status": r["status"], "created_at": r["created_at"],
                 "decided_at": r["decided_at"], **self._shared(shares[r["share_id"]])}
                for r in self.world.intros
                if r["requester_pk"] == requester_pk and r["share_id"] in shares]

    def intros_asked_of(self, owner_pk: int) -> list[Row]:
        shares = {s["id"]: s for s in self.world.shares if s["owner_pk"] == owner_pk}
        return [{"share_id": r["share_id"], "status": r["status"],
                 "created_at": r["created_at"],
                 "decided_at": r["decided_at"],
                 "contact_no": self._contact(shares[r["share_id"]]["contact_pk"]).no,
                 "cohort_name": self._cohort(shares[r["share_id"]]["cohort_id"])["name"]}
                for r in self.world.intros if r["share_id"] in shares]

    def add_referred_contact(self, person: Row, make: Callable[[int], Contact],
                             introducer_pk: int, now: datetime) -> int | None:
        found = next((p for p in self.world.people.values()
                      if (p.actor.platform, p.actor.tenant, p.actor.user_id)
                      == (person["platform"], person["tenant"], person["user_id"])), None)
        if found is None:
            return None
        contact = make(found.state.new_contact_no())
        found.state.contacts[contact.no] = contact
        self.world.introduced_by[(found.pk, contact.no)] = introducer_pk
        return contact.no

    def unname_introducer(self, introducer_pk: int) -> None:
        for (user_pk, no), by in list(self.world.introduced_by.items()):
            if by == introducer_pk:
                self.world.people[user_pk].state.contacts[no].found_detail = NEUTRAL_INTRODUCER
                del self.world.introduced_by[(user_pk, no)]

    def member_contacts(self, user_pks: Sequence[int]) -> list[Row]:
        return [{"user_pk": pk, "stage": c.stage.value, "sector": c.sector.value,
                 "interviewed_at": c.interviewed_at, "thanked_at": c.thanked_at}
                for pk in user_pks for c in self.world.people[pk].state.contacts.values()]


@dataclass
class Member:
    """One person of a :class:`World`, speaking in a DM or a channel."""

    world: World
    person: Person

    def _run(self, event: Event) -> list[Effect]:
        port = FakeCohorts(self.world, self.person.pk)
        ctx = Ctx(state=self.person.state, now=self.world.now,
                  user_id=self.person.actor.user_id, place=event.place, templates=_TEMPLATES,
                  bank=_BANK, config=JourneyConfig(), actor=self.person.actor, cohorts=port,
                  cohort_data=lambda: cohort_export.personal_data(port))
        step(ctx, event)
        if self.person.state.forgotten:
            cohort_service.forget_person(ctx)
        self.person.updated_at = self.world.now
        for effect in ctx.effects:
            if isinstance(effect, Schedule | Cancel):
                self.world.schedule(self.person.pk, effect)
        return [e for e in ctx.effects if not isinstance(e, Schedule | Cancel)]

    def _fields(self, channel: str | None) -> dict[str, Any]:
        place = Place(channel, False) if channel else Place("dm", True)
        return {"event_id": f"e{next(self.world.ids)}", "actor": self.person.actor,
                "place": place, "received_at": self.world.now}

    def command(self, name: str, args: str = "", *, channel: str | None = None) -> list[Effect]:
        return self._run(CommandInvoked(name=name, args=args, **self._fields(channel)))

    def click(self, action: str, value: str = "", *, channel: str | None = None) -> list[Effect]:
        return self._run(ActionClicked(action=action, value=value, **self._fields(channel)))

    def submit(self, form_id: str, values: dict[str, str], *,
               channel: str | None = None) -> list[Effect]:
        return self._run(FormSubmitted(form_id=form_id, values=values, **self._fields(channel)))

    def reminder_due(self, reminder: dict[str, Any]) -> list[Effect]:
        reminder["status"] = "delivered"
        return self._run(ReminderDue(reminder_id=reminder["id"], kind=reminder["kind"],
                                     contact_no=reminder["contact_no"],
                                     due_at=reminder["due_at"], **self._fields(None)))


def person(world: World, user_id: str, name: str, *, manager: bool = False,
           tz: str = "UTC") -> Member:
    pk = next(world.ids)
    state = UserState(display_name=name)
    state.profile.name = name
    state.settings.tz = tz
    someone = Person(pk, Actor("console", "local", user_id, name, manager=manager), state)
    world.people[pk] = someone
    return Member(world, someone)
