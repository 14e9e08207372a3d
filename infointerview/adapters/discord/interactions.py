"""Interactions in, effects out: the Discord adapter's translator.

Who and where
    ``Actor(platform="discord", tenant="discord", user_id=<Discord user id>)``. A Discord user id
    is global, a person's coaching pipeline is personal, and every reminder goes to their DMs,
    which belong to no guild. Keying the tenant by guild would give one person a different
    pipeline in every server and none in DMs, so all of Discord is one tenant. (Per-guild
    features such as a cohort directory would key by the guild id carried in ``Place``.)
    ``Place`` is the channel id, ``is_dm`` when the interaction has no guild.

The three seconds
    Discord wants an answer within 3 s, and a modal can only be the *first* answer. The engine is
    fast (milliseconds) but does database I/O, so it runs in a thread with a budget of
    ``budget`` seconds (2 s). Within the budget, a lone form opens as the modal; otherwise the
    messages are the answer (ephemeral in guild channels). Past the budget the interaction is
    deferred (ephemeral in guilds) and the messages follow; a form then waits behind a button.
    Messages carrying files are deferred first too, so a slow upload cannot miss the window.
    A form that comes with other messages, or after a modal submission (a modal cannot answer a
    modal), is offered behind a button ("Continue", or "Fix it" with the errors listed); the
    form, with what was typed, waits in :class:`PendingForms`.

Private content
    ``SendDM`` goes to the person's DMs, sent after the interaction is answered. If their DMs are
    closed (403, code 50007) they are told ephemerally how to open them; nothing private is ever
    posted in a guild channel instead. When the answer would say "I've sent that to your DMs"
    (a ``Reply`` with ``points_to_dm``), the DMs go first, so that sentence is said only when it
    is true; closed DMs replace it with how to open them. If the DMs are not through by the
    budget's end, the interaction is deferred first.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import discord

from infointerview.adapters.discord.forms import (
    fits_a_modal,
    form_prompt,
    modal_for,
    submitted_values,
)
from infointerview.adapters.discord.gateway import DiscordGateway
from infointerview.adapters.discord.intake import KEEP_BEFORE_DEFERRAL_S, kept_payload
from infointerview.adapters.discord.intake import KIND as KEPT
from infointerview.adapters.discord.render import CONTENT_MAX, Outgoing, render
from infointerview.adapters.discord.routing import EVERYONE
from infointerview.adapters.discord.wording import (
    CONTINUE,
    DMS_CLOSED,
    FIX_IT,
    FORM_EXPIRED,
    NOT_YOURS,
    NOTHING_TO_SAY,
    SORRY,
)
from infointerview.core import (
    ActionClicked,
    Actor,
    CommandInvoked,
    Effect,
    Engine,
    Event,
    Form,
    FormSubmitted,
    OpenForm,
    Place,
    PostToChannel,
    Reply,
    Request,
    SendDM,
    TextReceived,
    Undeliverable,
    handle_in_time,
    incoming,
    keep_in_time,
)

log = logging.getLogger(__name__)

PLATFORM = "discord"
TENANT = "discord"
ENGINE_BUDGET = 2.0


class PendingForms:
    """Forms waiting behind a button, with what was typed; in memory, bounded, expiring."""

    def __init__(self, ttl: float = 24 * 3600, limit: int = 10_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl, self.limit, self.clock = ttl, limit, clock
        self._forms: OrderedDict[tuple[int, str], tuple[float, Form]] = OrderedDict()

    def put(self, owner: int, form: Form) -> str:
        token = secrets.token_hex(6)
        self._forms[(owner, token)] = (self.clock() + self.ttl, form)
        while len(self._forms) > self.limit:
            self._forms.popitem(last=False)
        return token

    def get(self, owner: int, token: str) -> Form | None:
        found = self._forms.get((owner, token))
        if found is None or found[0] < self.clock():
            self._forms.pop((owner, token), None)
            return None
        return found[1]


async def apologise(interaction: discord.Interaction[Any]) -> None:
    try:
        if not interaction.response.is_done():
            await interaction.response.send_message(SORRY, ephemeral=True)
        else:
            await interaction.followup.send(SORRY, ephemeral=True)
    except discord.HTTPException:
        log.warning("could not apologise for interaction %s", interaction.id)


def _plain(out: Outgoing) -> bool:
    return not (out.embeds or out.buttons or out.files or out.form_button)


def actor_of(user: discord.abc.User, *, manager: bool = False) -> Actor:
    return Actor(PLATFORM, TENANT, str(user.id), user.display_name, manager=manager)


def manages_channel(interaction: discord.Interaction[Any]) -> bool:
    """May make this channel a cohort: "Manage Channels" (or administrator) where it happens."""
    if interaction.guild_id is None:
        return False
    permissions = interaction.permissions
    return bool(permissions.manage_channels or permissions.administrator)


def place_of(interaction: discord.Interaction[Any]) -> Place:
    channel = str(interaction.channel_id or "dm")
    return Place(channel, is_dm=interaction.guild_id is None)


def adapter_of(interaction: discord.Interaction[Any]) -> DiscordAdapter:
    adapter: DiscordAdapter = interaction.client.adapter
    return adapter


class DiscordAdapter:
    def __init__(self, engine: Engine, gateway: DiscordGateway, *,
                 budget: float = ENGINE_BUDGET, forms: PendingForms | None = None) -> None:
        self.engine = engine
        self.gateway = gateway
        self.budget = budget
        self.forms = forms or PendingForms()
        self.inflight = 0  # interactions and DM lines still being answered (drained on close)

    async def drain(self, timeout: float = 20.0) -> None:
        """Let the answers being worked on finish (graceful shutdown)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.inflight and loop.time() < deadline:
            await asyncio.sleep(0.05)

    # --- events in -------------------------------------------------------------------------------

    def _event(self, interaction: discord.Interaction[Any], kind: type[Request],
               **fields: Any) -> Request:
        return incoming(kind, actor_of(interaction.user, manager=manages_channel(interaction)),
                        place_of(interaction), event_id=f"discord:{interaction.id}",
                        received_at=self.engine.clock(), **fields)

    async def command(self, interaction: discord.Interaction[Any], name: str,
                      args: str = "") -> None:
        await self._run(interaction, self._event(interaction, CommandInvoked, name=name,
                                                 args=args.strip()), modal_ok=True)

    async def click(self, interaction: discord.Interaction[Any], owner: int, action: str,
                    value: str) -> None:
        if owner != EVERYONE and interaction.user.id != owner:
            await interaction.response.send_message(NOT_YOURS, ephemeral=True)
            return
        await self._run(interaction, self._event(interaction, ActionClicked, action=action,
                                                 value=value), modal_ok=True)

    async def submit(self, interaction: discord.Interaction[Any], form_id: str) -> None:
        data: Any = interaction.data or {}
        values = submitted_values(data.get("components", []))
        await self._run(interaction, self._event(interaction, FormSubmitted, form_id=form_id,
                                                 values=values), modal_ok=False)

    async def open_pending(self, interaction: discord.Interaction[Any], owner: int,
                           token: str) -> None:
        if interaction.user.id != owner:
            await interaction.response.send_message(NOT_YOURS, ephemeral=True)
            return
        form = self.forms.get(owner, token)
        if form is None:
            await interaction.response.send_message(FORM_EXPIRED, ephemeral=True)
            return
        await interaction.response.send_modal(modal_for(form))

    async def direct_message(self, message: discord.Message) -> None:
        """A line typed in the DM (during an interview it is a note)."""
        event = incoming(TextReceived, actor_of(message.author),
                         Place(str(message.channel.id), is_dm=True),
                         event_id=f"discord-message:{message.id}",
                         received_at=self.engine.clock(), text=message.content)
        self.inflight += 1
        try:
            effects = (await handle_in_time(self.engine, event)).effects
            owner = message.author.id
            for outgoing in self.outgoing(owner, effects, with_forms=True):
                await message.channel.send(**outgoing.send_kwargs(owner))
            await self.send_dms(owner, effects, f"discord-message-{message.id}")
        finally:
            self.inflight -= 1

    # --- effects out -----------------------------------------------------------------------------

    async def _run(self, interaction: discord.Interaction[Any], event: Event, *,
                   modal_ok: bool) -> None:
        self.inflight += 1
        try:
            await self._handle(interaction, event, modal_ok=modal_ok)
        except Exception:  # Discord trouble mid-answer: log it, say sorry if still possible
            log.exception("answering %s failed", type(event).__name__)
            await apologise(interaction)
        finally:
            self.inflight -= 1

    async def _handle(self, interaction: discord.Interaction[Any], event: Event, *,
                      modal_ok: bool) -> None:
        answer_by = asyncio.get_running_loop().time() + self.budget
        # bounded: a sick database is answered "couldn't save that just now", never silence
        work = asyncio.ensure_future(handle_in_time(self.engine, event))
        done, _ = await asyncio.wait({work}, timeout=self.budget)
        ephemeral = interaction.guild_id is not None
        kept = None
        if not done:
            # Discord never sends a deferred interaction again: keep it first (if the database
            # will not take it in time, the engine's own answer still follows the deferral)
            kept = await keep_in_time(self.engine, platform=PLATFORM, tenant=TENANT,
                                      user_id=event.actor.user_id, kind=KEPT, payload=
                                      kept_payload(event), event_id=event.event_id,
                                      within=KEEP_BEFORE_DEFERRAL_S)
            await interaction.response.defer(ephemeral=ephemeral, thinking=True)
        handled = work.result() if done else await work
        if kept is not None:  # right after the engine's transaction: a replay is a no-op
            await asyncio.to_thread(self.engine.inbox_done, kept,
                                    "handled" if handled.saved else "not_saved")
        await self._answer(interaction, handled.effects, modal_ok=modal_ok and bool(done),
                           answer_by=answer_by)

    async def _answer(self, interaction: discord.Interaction[Any], effects: list[Effect], *,
                      modal_ok: bool, answer_by: float) -> None:
        owner = interaction.user.id
        forms = [e.form for e in effects if isinstance(e, OpenForm)]
        talk = [e for e in effects if isinstance(e, Reply | PostToChannel)]
        if modal_ok and len(forms) == 1 and not talk and fits_a_modal(forms[0]):
            await interaction.response.send_modal(modal_for(forms[0]))
            await self.send_dms(owner, effects, f"discord-{interaction.id}")
            return
        in_guild = interaction.guild_id is not None
        key = f"discord-{interaction.id}"
        points_to_dm = any(isinstance(e, Reply) and e.points_to_dm for e in effects)
        closed = points_to_dm and await self._dms_first(interaction, effects, key, answer_by)
        if closed:
            effects = [e for e in effects if not (isinstance(e, Reply) and e.points_to_dm)]
        outgoing = self.outgoing(owner, effects, with_forms=True)
        if any(o.files for o in outgoing) and not interaction.response.is_done():
            await interaction.response.defer(ephemeral=in_guild, thinking=True)
        if not outgoing and not closed and not interaction.response.is_done():
            outgoing = [Outgoing(content=NOTHING_TO_SAY)]
        for out in outgoing:
            await self._say(interaction, out, ephemeral=in_guild)
        if not points_to_dm:
            closed = await self.send_dms(owner, effects, key)
        if closed:
            await self._say(interaction, Outgoing(content=DMS_CLOSED), ephemeral=True)
        for index, effect in enumerate(effects):
            if isinstance(effect, PostToChannel):  # buttons there are open to everyone
                await self.gateway.post_to_channel(TENANT, effect.channel_id, effect.message,
                                                   idempotency_key=f"discord-{interaction.id}"
                                                                   f"-post-{index}")

    async def _dms_first(self, interaction: discord.Interaction[Any], effects: list[Effect],
                         key: str, answer_by: float) -> bool:
        """Send the DMs before answering; True when the person's DMs are closed. Discord's
        3 seconds still hold: past ``answer_by`` the interaction is deferred while they go."""
        sending = asyncio.ensure_future(self.send_dms(interaction.user.id, effects, key))
        if not interaction.response.is_done():
            wait = max(0.0, answer_by - asyncio.get_running_loop().time())
            done, _ = await asyncio.wait({sending}, timeout=wait)
            if not done:
                await interaction.response.defer(ephemeral=interaction.guild_id is not None,
                                                 thinking=True)
        return await sending

    def outgoing(self, owner: int, effects: list[Effect], *,
                  with_forms: bool) -> list[Outgoing]:
        """Replies rendered, then each form as a prompt with a button that opens it."""
        outgoing: list[Outgoing] = []
        for effect in effects:
            if isinstance(effect, Reply):
                outgoing += render(effect.message)
            elif isinstance(effect, OpenForm) and with_forms:
                token = self.forms.put(owner, effect.form)
                parts = render(form_prompt(effect.form))
                parts[-1].form_button = (token, FIX_IT if effect.form.errors else CONTINUE)
                last = outgoing[-1] if outgoing else None
                if last is not None and len(parts) == 1 and _plain(last) and \
                        len(last.content) + 2 + len(parts[0].content) <= CONTENT_MAX:
                    last.content += "\n\n" + parts[0].content  # one message, button below
                    last.form_button = parts[0].form_button
                else:
                    outgoing += parts
        return outgoing

    async def _say(self, interaction: discord.Interaction[Any], out: Outgoing, *,
                   ephemeral: bool) -> None:
        kwargs = out.send_kwargs(interaction.user.id)
        if not interaction.response.is_done():
            await interaction.response.send_message(**kwargs, ephemeral=ephemeral)
        else:
            await interaction.followup.send(**kwargs, ephemeral=ephemeral)

    async def send_dms(self, owner: int, effects: list[Effect], key: str) -> bool:
        """Send the DMs; True when the person's DMs are closed."""
        closed = False
        for index, effect in enumerate(effects):
            if not isinstance(effect, SendDM):
                continue
            try:
                await self.gateway.send_dm(TENANT, effect.user_id, effect.message,
                                           idempotency_key=f"{key}-{index}")
            except Undeliverable as exc:
                log.info("DM to %s refused: %s", effect.user_id, exc)
                closed = closed or effect.user_id == str(owner)
        return closed
