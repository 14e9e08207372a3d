"""A second person at the same organisation, when the first has not answered the one follow-up
(issue 17): who cohort members shared there, where alumni may be found, or someone added by
hand (the "Someone else there" button, :func:`core.journey.setup.act_someone_else`)."""

from __future__ import annotations

from typing import Any

from infointerview.core.cohorts.ports import Row
from infointerview.core.cohorts.results import numbered
from infointerview.core.cohorts.visibility import visible
from infointerview.core.journey.catalog.actions import AFTER_INTERVIEW
from infointerview.core.journey.context import Ctx
from infointerview.core.journey.followup import same_organisation
from infointerview.core.journey.setup import PARK_SUGGESTION
from infointerview.core.journey.state import Contact, Stage
from infointerview.core.model import Button

SHARED_AT_MOST = 3  # a suggestion, not a search: `cohort find` lists more


def shared_there(ctx: Ctx, contact: Contact) -> list[Row]:
    """Contacts members of the person's cohorts (in this workspace) shared at the contact's
    organisation, most recently shared first; judged by what the person may see of them."""
    if ctx.cohorts is None or ctx.actor is None or not contact.organisation.strip():
        return []
    platform, tenant = ctx.actor.platform, ctx.actor.tenant
    mine = [r["id"] for r in ctx.cohorts.my_cohorts(ctx.cohorts.me)
            if (r["platform"], r["tenant"]) == (platform, tenant)]
    if not mine:
        return []
    rows = [r for r in ctx.cohorts.findable(ctx.cohorts.me, platform, tenant, mine)
            if same_organisation(visible(r)["organisation"], contact.organisation)]
    rows.sort(key=lambda r: r["shared_at"], reverse=True)
    return rows[:SHARED_AT_MOST]


def suggestion(ctx: Ctx, contact: Contact) -> tuple[dict[str, Any], tuple[Button, ...]]:
    """What ``nudges/no_reply_park.j2`` lists as shared there, and their intro buttons."""
    results, buttons = numbered(shared_there(ctx, contact))
    return {"shared": results}, buttons


# --- the pipeline: an organisation still being explored ------------------------------------------


def gone_quiet(ctx: Ctx, contact: Contact) -> bool:
    """Parked, or the one follow-up unanswered for as long as the coach waits before suggesting
    someone else there: the person will not be nudged about them again."""
    if contact.stage is Stage.PARKED:
        return True
    sent = contact.follow_up_sent_at
    return contact.stage is Stage.FOLLOW_UP_SENT and sent is not None \
        and ctx.days_later(PARK_SUGGESTION.days, sent) <= ctx.now


def still_exploring(ctx: Ctx) -> dict[int, dict[str, Any]]:
    """For the first quiet contact at each organisation nobody there has talked to yet (by its
    number): the organisation, and who there is next (a contact in progress), if anyone."""
    contacts = sorted(ctx.state.contacts.values(), key=lambda c: c.no)
    quiet = {c.no: c for c in contacts if c.organisation.strip() and gone_quiet(ctx, c)}
    lines: dict[int, dict[str, Any]] = {}
    for contact in quiet.values():
        there = [c for c in contacts if same_organisation(c.organisation, contact.organisation)]
        if any(c.no in lines for c in there) or any(c.stage in AFTER_INTERVIEW for c in there):
            continue  # said once per organisation; one who talked to them has explored it
        nxt = next((c for c in there if c.no not in quiet), None)
        lines[contact.no] = {"organisation": contact.organisation, "next": nxt}
    return lines
