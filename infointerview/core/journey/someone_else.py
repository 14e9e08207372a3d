"""A second person at the same organisation, when the first has not answered the one follow-up
(issue 17): who cohort members shared there, where alumni may be found, or someone added by
hand (the "Someone else there" button, :func:`core.journey.setup.act_someone_else`)."""

from __future__ import annotations

from typing import Any

from infointerview.core.cohorts.ports import Row
from infointerview.core.cohorts.results import numbered
from infointerview.core.cohorts.visibility import visible
from infointerview.core.journey.context import Ctx
from infointerview.core.journey.followup import same_organisation
from infointerview.core.journey.state import Contact
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
