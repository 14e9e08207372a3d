"""What a cohort handler works with: the person's journey context, who they are, and the
cohort port (``ctx.cohorts``) the engine hands in for this event."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from infointerview.core.cohorts.ports import CohortRepository, Row
from infointerview.core.forms import parse_number
from infointerview.core.journey.catalog.reminders import COHORT_DIGEST
from infointerview.core.journey.context import Ctx
from infointerview.core.model import Actor, Button

DIGEST = COHORT_DIGEST.name  # the reminder kind of a cohort's weekly digest


def digest_key(cohort_id: int) -> str:
    """The key of the reminder that posts the cohort's digest (the catalogue's)."""
    return COHORT_DIGEST.key(cohort_id)


@dataclass
class Scope:
    ctx: Ctx
    store: CohortRepository
    actor: Actor

    @classmethod
    def of(cls, ctx: Ctx) -> Scope:
        if ctx.cohorts is None or ctx.actor is None:
            raise ValueError("cohort handlers need Ctx.cohorts and Ctx.actor")
        return cls(ctx, ctx.cohorts, ctx.actor)

    @property
    def pk(self) -> int:
        return self.store.me

    def say(self, template: str, buttons: tuple[Button, ...] = (), **values: Any) -> None:
        self.ctx.say(self.ctx.message(template, buttons=buttons, **values))

    def here(self) -> Row | None:
        """The cohort of the channel this happens in, if it is one."""
        if self.ctx.place.is_dm:
            return None
        return self.store.cohort_in_channel(self.actor.platform, self.actor.tenant,
                                            self.ctx.place.channel_id)

    def button_cohort(self, value: str) -> Row | None:
        """The cohort a button's value names in this workspace; says so when it is gone."""
        number = parse_number(value)
        found = self.store.cohort(number, self.actor.platform, self.actor.tenant) \
            if number is not None else None
        if found is None:
            self.say("common/stale_button.j2")
        return found

    def mine(self) -> list[Row]:
        return [r for r in self.store.my_cohorts(self.pk)
                if r["platform"] == self.actor.platform and r["tenant"] == self.actor.tenant]

    def target(self, role: str | None = None) -> Row | None:
        """This channel's cohort, or in a DM the only cohort (with that role) the person is in.

        In a channel that is no cohort, nothing: ``leave`` typed in #random must not act on a
        cohort elsewhere; the fallback to the only cohort is for direct messages."""
        here = self.here()
        if here is not None:
            return here
        if not self.ctx.place.is_dm:
            self.say("cohort/not_a_cohort_channel.j2")
            return None
        mine = self.mine()
        candidates = [r for r in mine if role is None or r["role"] == role]
        if len(candidates) == 1:
            return candidates[0]
        if mine and not candidates:  # a member asking for what only a coach may do
            self.say("cohort/coaches_only.j2")
            return None
        self.say("cohort/which.j2", count=len(candidates))
        return None
