"""Cohort commands, buttons, forms and digests: the router (``core.journey.router.step``) hands
them here.

Unlike the journey, which sees one person's state, a cohort spans people, so these handlers read
and write cohorts as they go, through the port on ``ctx.cohorts``
(:class:`core.cohorts.ports.CohortRepository`). Consent rules: nobody is enrolled without
asking to join; a contact is visible only after its owner shares it, only in the cohort chosen,
only as much as the owner chose (:func:`core.cohorts.visibility.visible`); an owner's notes
are never read here.
"""

from __future__ import annotations

from collections.abc import Callable

from infointerview.core.cohorts.coaching import become_coach, click_become_coach, leave_all
from infointerview.core.cohorts.members import (
    click_join,
    coach_report,
    cohort_status,
    create,
    digest_settings,
    intro_period,
    join,
    leave,
    pause,
    post_digest,
    shoutouts,
)
from infointerview.core.cohorts.results import ASK_INTRO
from infointerview.core.cohorts.scope import DIGEST, Scope
from infointerview.core.cohorts.sharing import (
    accept_intro,
    ask_intro,
    cmd_share,
    cmd_unshare,
    decline_intro,
    find,
    my_shares,
    submit_intro,
    submit_share,
)
from infointerview.core.journey.catalog import commands as grammar
from infointerview.core.journey.catalog.forms import COHORT_FORMS
from infointerview.core.journey.context import Ctx
from infointerview.core.model import (
    ActionClicked,
    CommandInvoked,
    Event,
    FormSubmitted,
    ReminderDue,
)
from infointerview.core.richtext import clean_user_text

__all__ = ["claims", "forget_person", "handle"]

COMMANDS = grammar.COHORT_COMMANDS
ACTIONS = frozenset({"cohort_join", "cohort_coach", ASK_INTRO, "intro_accept", "intro_decline",
                     "share_contact"})
FORMS = COHORT_FORMS


def claims(ctx: Ctx, event: Event) -> bool:
    """Is this event for the cohort features rather than the person's own journey? Never
    without a cohort port (the journey on its own knows no cohort)."""
    if ctx.cohorts is None:
        return False
    if isinstance(event, CommandInvoked):
        return event.name.strip().lower() in COMMANDS
    if isinstance(event, ActionClicked):
        return event.action in ACTIONS
    if isinstance(event, FormSubmitted):
        return event.form_id.partition(":")[0] in FORMS
    if isinstance(event, ReminderDue):
        return event.kind == DIGEST
    return False


def forget_person(ctx: Ctx) -> None:
    """Before a person's rows are deleted: their cohorts go on without them (digest, coach),
    and their name leaves the contacts their introductions created for others."""
    scope = Scope.of(ctx)
    leave_all(scope)
    scope.store.unname_introducer(scope.pk)


def handle(ctx: Ctx, event: Event) -> None:
    scope = Scope.of(ctx)
    if isinstance(event, CommandInvoked):
        name, args = event.name.strip().lower(), clean_user_text(event.args).strip()
        if name == "cohort":
            sub, _, rest = args.partition(" ")
            SUBCOMMANDS.get(sub.lower(), cohort_status)(scope, rest.strip())
        elif name == "share":
            cmd_share(scope, args)
        else:
            cmd_unshare(scope, args)
    elif isinstance(event, ActionClicked):
        CLICKS[event.action](scope, event.value)
    elif isinstance(event, FormSubmitted):
        kind, _, rest = event.form_id.partition(":")
        SUBMITS[kind](scope, rest, event.values)
    elif isinstance(event, ReminderDue):
        post_digest(scope, event.contact_no, event.due_at)


# Each cohort subcommand of the catalogue to its handler; its aliases are the catalogue's.
SUBCOMMANDS: dict[str, Callable[[Scope, str], None]] = {
    "create": create, "join": join, "leave": leave, "pause": pause,
    "resume": lambda scope, rest: pause(scope, rest, paused=False),
    "find": find, "report": coach_report, "digest": digest_settings,
    "shoutouts": shoutouts, "coach": become_coach, "intro-period": intro_period,
    "shared": my_shares,
}
SUBCOMMANDS |= {alias: SUBCOMMANDS[name]
                for alias, name in grammar.aliases(grammar.COHORT_SUBCOMMANDS).items()}
CLICKS: dict[str, Callable[[Scope, str], None]] = {
    "cohort_join": click_join, "cohort_coach": click_become_coach, ASK_INTRO: ask_intro,
    "intro_accept": accept_intro, "intro_decline": decline_intro, "share_contact": cmd_share,
}
SUBMITS: dict[str, Callable[[Scope, str, dict[str, str]], None]] = {
    "share": submit_share, "warm_intro": submit_intro,
}
