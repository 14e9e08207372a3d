"""Deferred Discord interactions kept before the deferral, and answered after a restart.

A deferral tells Discord we have the interaction, and Discord never sends it again: a process
killed after deferring and before the engine committed lost it. So when the engine runs past
its budget, the interaction is written to the inbox (the neutral event it stands for) before the
deferral, and marked done once the engine has answered. At start-up, before connecting, the
rows left pending are handled again, oldest first; the engine's event-id dedupe makes one that
was in fact handled a no-op. Its interaction token (and "thinking…") went with the old process,
so the answer goes to the person's DMs, after a line saying where they left off; a form waits
there behind its button, as after a deferral.

Interactions answered within the budget are not kept: their answer comes after the commit, so
a kill before it shows the person "The application did not respond", never a false promise.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

import discord

from adapters.discord.gateway import nonce_for
from adapters.discord.render import Outgoing
from core import (
    ActionClicked,
    Actor,
    CommandInvoked,
    Effect,
    Event,
    FormSubmitted,
    InboxEntry,
    Place,
    PostToChannel,
    handle_in_time,
)

if TYPE_CHECKING:
    from adapters.discord.interactions import Responder

log = logging.getLogger(__name__)

PLATFORM = TENANT = "discord"  # as in interactions: all of Discord is one tenant
KIND = "interaction"
KEEP_BEFORE_DEFERRAL_S = 0.4  # between the engine's 2 s budget and Discord's 3 s
WHERE_YOU_LEFT_OFF = ("Here is where you left off: I was restarting when you used "
                      "/infointerview, so the answer comes here.")

_KINDS: dict[str, type] = {"command": CommandInvoked, "click": ActionClicked,
                           "submit": FormSubmitted}
_FIELDS = {"command": ("name", "args"), "click": ("action", "value"),
           "submit": ("form_id", "values")}


def kept_payload(event: Event) -> dict[str, Any]:
    """What the inbox keeps of an interaction: the neutral event, enough to run it again."""
    kind = next(k for k, cls in _KINDS.items() if isinstance(event, cls))
    return {"kind": kind, "event_id": event.event_id, "user_id": event.actor.user_id,
            "display_name": event.actor.display_name, "manager": event.actor.manager,
            "channel": event.place.channel_id, "is_dm": event.place.is_dm,
            **{name: getattr(event, name) for name in _FIELDS[kind]}}


def event_of(entry: InboxEntry, now: datetime) -> Event:
    """The event an inbox row keeps (``ValueError``/``KeyError`` for one it cannot read)."""
    p = entry.payload
    kind = str(p["kind"])
    actor = Actor(entry.platform, entry.tenant, str(p["user_id"]), str(p["display_name"]),
                  manager=bool(p["manager"]))
    event: Event = _KINDS[kind](event_id=entry.event_id, actor=actor,
                                place=Place(str(p["channel"]), bool(p["is_dm"])),
                                received_at=now, **{n: p[n] for n in _FIELDS[kind]})
    return event


async def replay_pending(responder: Responder, client: discord.Client) -> int:
    """Handle the interactions a previous process deferred and did not finish, oldest first
    (so each person's order holds), before this one connects; returns how many."""
    engine = responder.engine
    pending = await asyncio.to_thread(engine.inbox_pending, PLATFORM)
    if pending:
        log.warning("handling %d Discord interaction(s) deferred before a restart",
                    len(pending))
    try:
        await asyncio.to_thread(engine.prune_inbox)
    except Exception:  # only housekeeping: tried again at the next start
        log.warning("old inbox rows not pruned", exc_info=True)
    for entry in pending:
        try:
            event = event_of(entry, engine.clock())
        except (KeyError, ValueError, TypeError):
            log.exception("inbox row %s cannot be read; set aside", entry.id)
            await asyncio.to_thread(engine.inbox_done, entry.id, "unreadable")
            continue
        try:
            handled = await handle_in_time(engine, event, inbox_id=entry.id)
            if handled.effects:
                await _answer_in_dms(responder, client, entry, handled.effects)
        except Exception:  # Discord trouble: what was saved stays saved; the answer is lost
            log.exception("answering replayed inbox row %s failed", entry.id)
    return len(pending)


async def _answer_in_dms(responder: Responder, client: discord.Client, entry: InboxEntry,
                         effects: list[Effect]) -> None:
    owner = int(entry.user_id)
    channel = await client.create_dm(discord.Object(owner))
    key = f"discord-inbox-{entry.id}"
    outgoing = [Outgoing(content=WHERE_YOU_LEFT_OFF),
                *responder.outgoing(owner, effects, with_forms=True)]
    for index, out in enumerate(outgoing):
        await channel.send(**out.send_kwargs(owner), nonce=nonce_for(key, index))
    await responder.send_dms(owner, effects, key)
    for index, effect in enumerate(effects):
        if isinstance(effect, PostToChannel):
            await responder.gateway.post_to_channel(TENANT, effect.channel_id, effect.message,
                                                    idempotency_key=f"{key}-post-{index}")
