"""Answering, after a restart, the Discord interactions a previous process deferred and did not
finish (kept in the inbox by :mod:`adapters.discord.intake`).

At start-up, before connecting, the rows left pending are handled again, oldest first; the
engine's event-id dedupe makes one that was in fact handled a no-op. Their interaction tokens (and
"thinking…") went with the old process, so the answer goes to the person's DMs, after a line
saying where they left off; a form waits there behind its button, as after a deferral.
"""

from __future__ import annotations

import asyncio
import logging

import discord

from infointerview.adapters.discord.gateway import nonce_for
from infointerview.adapters.discord.intake import event_of
from infointerview.adapters.discord.interactions import DiscordAdapter
from infointerview.adapters.discord.render import Outgoing
from infointerview.core import Effect, InboxEntry, PostToChannel, handle_in_time

log = logging.getLogger(__name__)

PLATFORM = TENANT = "discord"  # as in interactions: all of Discord is one tenant
WHERE_YOU_LEFT_OFF = ("Here is where you left off: I was restarting when you used "
                      "/infointerview, so the answer comes here.")


async def replay_pending(adapter: DiscordAdapter, client: discord.Client) -> int:
    """Handle the interactions a previous process deferred and did not finish, oldest first
    (so each person's order holds), before this one connects; returns how many."""
    engine = adapter.engine
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
                await _answer_in_dms(adapter, client, entry, handled.effects)
        except Exception:  # Discord trouble: what was saved stays saved; the answer is lost
            log.exception("answering replayed inbox row %s failed", entry.id)
    return len(pending)


async def _answer_in_dms(adapter: DiscordAdapter, client: discord.Client, entry: InboxEntry,
                         effects: list[Effect]) -> None:
    owner = int(entry.user_id)
    channel = await client.create_dm(discord.Object(owner))
    key = f"discord-inbox-{entry.id}"
    outgoing = [Outgoing(content=WHERE_YOU_LEFT_OFF),
                *adapter.outgoing(owner, effects, with_forms=True)]
    for index, out in enumerate(outgoing):
        await channel.send(**out.send_kwargs(owner), nonce=nonce_for(key, index))
    await adapter.send_dms(owner, effects, key)
    for index, effect in enumerate(effects):
        if isinstance(effect, PostToChannel):
            await adapter.gateway.post_to_channel(TENANT, effect.channel_id, effect.message,
                                                    idempotency_key=f"{key}-post-{index}")
