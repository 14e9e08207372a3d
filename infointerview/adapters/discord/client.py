"""The Discord client: gateway connection, command tree, persistent buttons, reminder dispatcher.

- ``allowed_mentions=AllowedMentions.none()``: no message the bot sends can ping anyone, whatever
  a user typed into it.
- Intents: ``guilds`` and ``dm_messages`` only, none privileged. Slash commands, buttons and
  modals arrive as interactions whatever the intents; ``guilds`` keeps discord.py's guild and
  channel state; ``dm_messages`` lets a line typed in the DM count as a note during an
  interview (message content is always visible in DMs to the bot).
- ``setup_hook`` registers the :class:`DynamicItem` buttons (so clicks on messages sent before a
  restart route), syncs the commands to ``guild_id`` when one is given (instant, for development;
  ``infointerview discord sync`` registers them globally), and starts the core reminder
  dispatcher with the Discord gateway.
- Sharding: this is an ``AutoShardedClient``. With no ``shard_count`` it asks Discord how many
  shards it needs and runs them all in this process; large installs pass ``shard_count`` and
  ``shard_ids`` to split the shards across processes. Every process may run the dispatcher: the
  reminder queue is claimed with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, and a DM goes through
  the REST API, which does not depend on the shard.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import discord
from discord import app_commands

from infointerview.adapters.discord.buttons import ActionButton, FormButton
from infointerview.adapters.discord.commands import build_group
from infointerview.adapters.discord.gateway import DiscordGateway
from infointerview.adapters.discord.interactions import ENGINE_BUDGET, DiscordAdapter, apologise
from infointerview.adapters.discord.replay import replay_pending
from infointerview.adapters.discord.routing import MODAL_PREFIX
from infointerview.core import Dispatcher, Engine

log = logging.getLogger(__name__)

# Rate-limit waits longer than this come back to the dispatcher as RateLimited (retry later)
# instead of holding a tick; discord.py does not accept less than 30 s here.
MAX_RATELIMIT_WAIT = 30.0


def intents() -> discord.Intents:
    chosen = discord.Intents.none()
    chosen.guilds = True  # discord.py's state (channels, permissions) relies on it
    chosen.dm_messages = True
    return chosen


def stale_command(error: app_commands.CommandNotFound) -> tuple[str, str]:
    """The engine's command for one Discord offers but this version does not have.

    ``/infointerview frobnicate`` is ``frobnicate``; ``/infointerview cohort frobnicate`` is
    ``cohort frobnicate``; a whole command of ours that is gone, ``/weather``, is ``weather``.
    The engine answers an unknown command with its name and the help, as on Slack."""
    path = [*error.parents[1:], error.name] if error.parents else [error.name]
    return path[0], " ".join(path[1:])


class Tree(app_commands.CommandTree[Any]):
    async def on_error(self, interaction: discord.Interaction[Any],
                       error: app_commands.AppCommandError) -> None:
        if isinstance(error, app_commands.CommandNotFound | app_commands.CommandSignatureMismatch):
            # Discord only offers what was registered: the registration is older than this code.
            # The person gets the help; the operator a hint, without a traceback.
            invoked = ("/" + " ".join([*error.parents, error.name])
                       if isinstance(error, app_commands.CommandNotFound)
                       else f"/{error.command.qualified_name}")
            log.warning("Discord sent %s, which this version does not have as registered; "
                        "run `infointerview discord sync`", invoked[:120])
            if interaction.type is not discord.InteractionType.application_command:
                return  # an autocomplete request for it: there are no suggestions to give
            name, args = (stale_command(error) if isinstance(error, app_commands.CommandNotFound)
                          else ("help", ""))
            await self.client.adapter.command(interaction, name, args)
            return
        log.error("command %s failed", interaction.command and interaction.command.qualified_name,
                  exc_info=error)
        await apologise(interaction)


class InfoInterviewBot(discord.AutoShardedClient):
    def __init__(self, engine: Engine, *, guild_id: int | None = None,
                 run_dispatcher: bool = True, sync_on_start: bool | None = None,
                 shard_count: int | None = None, shard_ids: Sequence[int] | None = None,
                 budget: float = ENGINE_BUDGET, dispatcher_interval: float = 15.0,
                 replay_inbox: bool = True, **options: Any) -> None:
        if shard_ids is not None:
            options["shard_ids"] = list(shard_ids)
        super().__init__(intents=intents(), allowed_mentions=discord.AllowedMentions.none(),
                         max_ratelimit_timeout=MAX_RATELIMIT_WAIT, shard_count=shard_count,
                         **options)
        self.engine = engine
        self.guild_id = guild_id
        self.replay_inbox = replay_inbox  # False for a process that only syncs commands
        self.sync_on_start = guild_id is not None if sync_on_start is None else sync_on_start
        self.tree = Tree(self)
        self.tree.add_command(build_group())
        self.gateway = DiscordGateway(self)
        self.adapter = DiscordAdapter(engine, self.gateway, budget=budget)
        self.dispatcher = (Dispatcher(engine, self.gateway, interval=dispatcher_interval)
                           if run_dispatcher else None)

    async def setup_hook(self) -> None:
        self.add_dynamic_items(ActionButton, FormButton)
        # before connecting: interactions deferred by a process that died come first
        if self.replay_inbox:
            await replay_pending(self.adapter, self)
        if self.sync_on_start:
            await self.sync_commands()
        if self.dispatcher is not None:
            self.dispatcher.start()

    async def sync_commands(self) -> list[app_commands.AppCommand]:
        """Register the commands: with Discord for one guild (instant) or globally."""
        if self.guild_id is not None:
            guild = discord.Object(self.guild_id)
            self.tree.copy_global_to(guild=guild)
            return await self.tree.sync(guild=guild)
        return await self.tree.sync()

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        """Modal submissions are routed here by their custom_id (restart-proof)."""
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        data: Any = interaction.data or {}
        custom_id = str(data.get("custom_id", ""))
        if custom_id.startswith(MODAL_PREFIX):
            await self.adapter.submit(interaction, custom_id.removeprefix(MODAL_PREFIX))

    async def on_message(self, message: discord.Message) -> None:
        if message.guild is not None or message.author.bot or not message.content.strip():
            return
        if self.user is not None and message.author.id == self.user.id:
            return
        await self.adapter.direct_message(message)

    async def close(self) -> None:
        """Graceful: the DM being sent finishes and the rest of its batch is handed back; the
        interactions being answered finish; then the gateway closes."""
        if self.dispatcher is not None:
            await self.dispatcher.aclose()
        await self.adapter.drain()
        await super().close()
