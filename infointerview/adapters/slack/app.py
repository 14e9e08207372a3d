"""The Slack adapter: Bolt listeners that turn Slack payloads into neutral events.

Every listener keeps the request in the inbox (``adapters.slack.intake``), acks (inside Slack's
3 seconds) and then does the work in the person's turn: engine in a worker thread, then the Web
API calls; a process killed after the ack leaves the request to the next one's start-up. A modal
submission is the one exception: its answer *is* the ack (``response_action: errors`` keeps the
modal open with what was typed), so the engine runs before the ack there; it takes
milliseconds. Retried deliveries carry the same ids and the engine drops the repeat, so a retry
never produces a second effect.

The engine is given 2 s (``handle_in_time``): when the database is sick the person hears "I
couldn't save that just now" inside Slack's 3 seconds, and nothing of the event is committed
later; a modal stays open with what was typed, to be submitted again.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.web.async_client import AsyncWebClient

from infointerview.adapters.slack.delivery import Delivery
from infointerview.adapters.slack.intake import ACTION as KEPT_ACTION
from infointerview.adapters.slack.intake import COMMAND as KEPT_COMMAND
from infointerview.adapters.slack.intake import MESSAGE as KEPT_MESSAGE
from infointerview.adapters.slack.intake import (
    RESUME_ACTION,
    ClientFor,
    SlackIntake,
    left_off_at_click,
    left_off_at_command,
    resumed_command,
    without_modals,
)
from infointerview.adapters.slack.modals import (
    CALLBACK_ID,
    errors_response,
    modal,
    opened_from,
    submitted_values,
)
from infointerview.adapters.slack.payloads import (
    Body,
    Sender,
    click_id,
    message_id,
    sender_of,
    tenant_of,
    typed_in_dm,
)
from infointerview.adapters.slack.render import ACTION_PREFIX, action_of, home_view, unescape
from infointerview.core import (
    ANSWER_WITHIN_S,
    ActionClicked,
    Actor,
    CommandInvoked,
    Engine,
    Event,
    FormSubmitted,
    Handled,
    OpenForm,
    Place,
    TextReceived,
    handle_in_time,
    incoming,
    keep_in_time,
)

log = logging.getLogger(__name__)

PLATFORM = "slack"
COMMAND = "/infointerview"
NOT_SAVED_IN_FORM = ("I couldn't save that just now \u2014 press Submit again in a moment; "
                     "what you typed is kept.")


def _now() -> datetime:
    return datetime.now(UTC)


Listener = Callable[..., Awaitable[None]]


class SlackAdapter:
    """Owns the Bolt app; ``engine`` does all the thinking."""

    def __init__(self, engine: Engine, *, signing_secret: str, token: str | None = None,
                 client: AsyncWebClient | None = None,
                 oauth_settings: AsyncOAuthSettings | None = None,
                 delivery: Delivery | None = None, coaches: frozenset[str] = frozenset(),
                 client_for: ClientFor | None = None) -> None:
        self.engine = engine
        self.coaches = coaches  # user ids who may make a channel a cohort (besides admins)
        self.app = AsyncApp(signing_secret=signing_secret, token=token, client=client,
                            oauth_settings=oauth_settings, process_before_response=False,
                            ignoring_self_events_enabled=True)
        self.delivery = delivery or Delivery()
        self.inflight = 0  # listeners still working after their ack (drained on shutdown)
        # the workspace's client for a request replayed at start-up (no Bolt context then)
        self.client_for = client_for or self._one_client
        self.intake = SlackIntake(engine)
        self.intake.handlers[KEPT_COMMAND] = self._replayed(self.run_command)
        self.intake.handlers[KEPT_ACTION] = self._replayed(self.run_action)
        self.intake.handlers[KEPT_MESSAGE] = self._replayed(self.run_message)
        self._register()
        if oauth_settings is not None:  # uninstalled or revoked: forget that workspace's tokens
            self.app.enable_token_revocation_listeners()

    def _after_ack(self, listener: Listener) -> Listener:
        """Work after the ack never escapes: an exception there would make Bolt forget the ack
        it already has (and answer 404), and it must not take the process down either."""

        @functools.wraps(listener)
        async def guarded(*args: Any, **kwargs: Any) -> None:
            self.inflight += 1
            try:
                await listener(*args, **kwargs)
            except Exception:
                log.exception("Slack %s failed", listener.__name__)
            finally:
                self.inflight -= 1

        return guarded

    def _replayed(self, handle: Callable[..., Awaitable[None]]) -> Any:
        """A kept request handled again at start-up: the workspace's client, and Slack's
        ``response_url`` for the ephemeral answers (it stays valid for 30 minutes)."""

        async def replay(body: Body, kept: int | None, replayed: bool) -> None:
            self.inflight += 1
            try:
                client = await self.client_for(tenant_of(body))
                respond = AsyncRespond(response_url=body.get("response_url"))
                await handle(body, kept, client=client, respond=respond, replayed=replayed)
            finally:
                self.inflight -= 1

        return replay

    async def _one_client(self, tenant: str) -> AsyncWebClient:
        return self.app.client

    async def drain(self, timeout: float = 20.0) -> None:
        """Let events that were acked finish their work (graceful shutdown)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.inflight and loop.time() < deadline:
            await asyncio.sleep(0.05)

    # --- wiring ------------------------------------------------------------------------------

    def _register(self) -> None:
        app = self.app
        app.command(COMMAND)(self._after_ack(self.on_command))
        # before the other buttons: Bolt runs the first listener that matches
        app.action(re.compile(f"^{re.escape(ACTION_PREFIX + RESUME_ACTION)}:"))(
            self._after_ack(self.on_resume))
        app.action(re.compile(f"^{re.escape(ACTION_PREFIX)}"))(self._after_ack(self.on_action))
        app.view_submission(CALLBACK_ID)(self._after_ack(self.on_view_submission))
        app.view_closed(CALLBACK_ID)(self._ack_only)
        app.event("app_home_opened")(self._after_ack(self.on_home_opened))
        app.event("message")(self._after_ack(self.on_message))
        app.middleware(self.keep_dm)

    async def _ack_only(self, ack: AsyncAck) -> None:
        await ack()

    async def _actor(self, client: AsyncWebClient, who: Sender) -> Actor:
        tz, real_name, admin = await self.delivery.profile(client, who.tenant, who.user_id)
        return Actor(PLATFORM, who.tenant, who.user_id, real_name or who.name, tz,
                     manager=admin or who.user_id in self.coaches)

    async def _origin(self, client: AsyncWebClient, who: Sender) -> tuple[Actor, Place]:
        """The opening every command and click shares: the person (with their Slack profile)
        and the place, a click on App Home (no channel) answered in their DM."""
        actor = await self._actor(client, who)
        if not who.channel:
            return actor, Place(await self.delivery.dm_channel(client, who.tenant, who.user_id),
                                True)
        return actor, await self.delivery.place(client, who.tenant, who.user_id, who.channel)

    # --- listeners ---------------------------------------------------------------------------

    async def on_command(self, ack: AsyncAck, body: Body, client: AsyncWebClient,
                         respond: AsyncRespond) -> None:
        """Kept before the ack: Slack never sends a command again once it got a 200."""
        who = sender_of(body)
        kept, turn = await self.intake.keep(KEPT_COMMAND, body, who.tenant, who.user_id,
                                            f"command:{body['trigger_id']}")
        async with turn.held(first=ack):
            await self.run_command(body, kept, client=client, respond=respond)

    async def run_command(self, body: Body, kept: int | None, *, client: AsyncWebClient,
                          respond: AsyncRespond, replayed: bool = False) -> None:
        """A slash command after its ack; ``kept`` is its inbox row (None: not kept, so the
        person hears it was not saved and nothing runs)."""
        text = unescape(str(body.get("text") or "")).strip()
        name, _, args = text.partition(" ")
        actor, place = await self._origin(client, sender_of(body))
        event = incoming(CommandInvoked, actor, place, event_id=f"command:{body['trigger_id']}",
                         received_at=_now(), name=name or "help", args=args.strip())
        effects = await self._kept(event, kept)
        trigger_id = body.get("trigger_id")
        if replayed:  # its trigger expired long ago: no modal, a DM to pick it up again
            effects, trigger_id = without_modals(effects, actor,
                                                 *left_off_at_command(text)), None
        await self.delivery.deliver(client, effects, actor=actor, place=place,
                                    trigger_id=trigger_id, respond=respond)

    async def on_resume(self, ack: AsyncAck, body: Body, action: Body, client: AsyncWebClient,
                        respond: AsyncRespond) -> None:
        """"Open the form" under a replayed command: the command again, with a live trigger."""
        channel = (body.get("channel") or {}).get("id") \
            or (body.get("container") or {}).get("channel_id") or ""
        await self.on_command(ack, resumed_command(body, action, str(channel)), client, respond)

    async def on_action(self, ack: AsyncAck, body: Body, action: Body, client: AsyncWebClient,
                        respond: AsyncRespond) -> None:
        """Kept before the ack, like a command: Slack does not send a click again either."""
        who = sender_of(body)
        kept, turn = await self.intake.keep(KEPT_ACTION, body, who.tenant, who.user_id,
                                            click_id(body, action))
        async with turn.held(first=ack):
            await self.run_action(body, kept, client=client, respond=respond)

    async def run_action(self, body: Body, kept: int | None, *, client: AsyncWebClient,
                         respond: AsyncRespond | None, replayed: bool = False) -> None:
        action = body["actions"][0]
        who = sender_of(body)
        actor, place = await self._origin(client, who)
        if not who.channel:  # a click on App Home: no response_url, the answer is a DM
            respond = None
        name, value = action_of(str(action["action_id"])), str(action.get("value") or "")
        event = incoming(ActionClicked, actor, place, event_id=click_id(body, action),
                         received_at=_now(), action=name, value=value)
        effects = await self._kept(event, kept)
        trigger_id = body.get("trigger_id")
        if replayed:
            effects, trigger_id = without_modals(effects, actor,
                                                 *left_off_at_click(name, value)), None
        await self.delivery.deliver(client, effects, actor=actor, place=place,
                                    trigger_id=trigger_id, respond=respond)

    async def on_view_submission(self, ack: AsyncAck, body: Body, view: Body,
                                 client: AsyncWebClient) -> None:
        who = sender_of(body)
        form_id, place = opened_from(view)
        # no profile lookup: the modal's answer is the ack, inside Slack's 3 seconds
        actor = Actor(PLATFORM, who.tenant, who.user_id, who.name,
                      self.delivery.cached_tz(who.tenant, who.user_id))
        event = incoming(FormSubmitted, actor, place,
                         event_id=f"view:{view['id']}:{view.get('hash', '')}",
                         received_at=_now(), form_id=form_id, values=submitted_values(view))
        handled: Handled = await handle_in_time(self.engine, event)
        effects = handled.effects
        first_input = next((b["block_id"] for b in view.get("blocks") or []
                            if b.get("type") == "input" and b.get("block_id")), None)
        if not handled.saved and first_input:  # the modal stays, values and all, to resubmit
            await ack(response_action="errors", errors={first_input: NOT_SAVED_IN_FORM})
            return
        forms = [e.form for e in effects if isinstance(e, OpenForm)]
        if forms and forms[0].form_id == form_id and forms[0].errors:
            await ack(**errors_response(forms[0]))  # the modal stays, values and all
            return
        if forms:  # the next step of a longer form replaces this one
            await ack(response_action="update", view=modal(forms[0], place))
            effects = [e for e in effects if not isinstance(e, OpenForm)]
        else:
            await ack()
        await self.delivery.deliver(client, effects, actor=actor, place=place)

    async def on_home_opened(self, event: Body, body: Body, client: AsyncWebClient) -> None:
        if event.get("tab") != "home":
            return
        actor = await self._actor(client, sender_of(body))
        try:  # a database that does not answer leaves the home tab as it was
            message = await asyncio.wait_for(asyncio.to_thread(self.engine.overview, actor),
                                             ANSWER_WITHIN_S)
        except TimeoutError:
            log.warning("App Home not refreshed: the database did not answer in time")
            return
        await client.views_publish(user_id=actor.user_id, view=home_view(message))

    async def keep_dm(self, body: Body, context: AsyncBoltContext,
                      next: Callable[[], Awaitable[None]]) -> None:
        """Middleware: Bolt acks an event before its listener runs, so a message typed in the
        bot's DM is kept here, before that ack (``context["kept"]``: its inbox id or None)."""
        event = body.get("event") or {}
        if body.get("type") == "event_callback" and event.get("type") == "message" \
                and typed_in_dm(event):
            who = sender_of(body)
            context["kept"] = await keep_in_time(
                self.engine, platform=PLATFORM, tenant=who.tenant, user_id=who.user_id,
                kind=KEPT_MESSAGE, event_id=message_id(body), payload=body)
        await next()

    async def on_message(self, event: Body, body: Body, client: AsyncWebClient,
                         context: AsyncBoltContext) -> None:
        """Text typed in the bot's DM: interview notes, answers to questions."""
        if not typed_in_dm(event) or "kept" not in context:
            return  # edits, joins, other bots and ourselves are not the person talking
        who = sender_of(body)
        turn = self.intake.lines.join((who.tenant, who.user_id))
        async with turn.held():
            await self.run_message(body, context["kept"], client=client)

    async def run_message(self, body: Body, kept: int | None, *, client: AsyncWebClient,
                          respond: AsyncRespond | None = None, replayed: bool = False) -> None:
        who = sender_of(body)
        actor = await self._actor(client, who)
        place = Place(who.channel, True)  # only what is typed in the bot's own DM comes here
        received = incoming(TextReceived, actor, place, event_id=message_id(body),
                            received_at=_now(),
                            text=unescape(str(body["event"].get("text") or "")))
        effects = await self._kept(received, kept)
        await self.delivery.deliver(client, effects, actor=actor, place=place)

    async def _kept(self, event: Event, kept: int | None) -> list[Any]:
        """The engine's effects for a kept request; for one the inbox could not take, the
        honest "couldn't save that just now" (nothing of it runs)."""
        if kept is None:
            return self.engine.not_saved().effects
        return (await handle_in_time(self.engine, event, inbox_id=kept)).effects

