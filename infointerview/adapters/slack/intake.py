"""Slack requests kept before their ack, handled in each person's order, replayed at start-up.

Slack never sends a slash command again once it got HTTP 200 for it, so a process that acks
and then dies loses the command. Each command is therefore written to the inbox first (one
small INSERT, bounded by ``KEEP_WITHIN_S``), then acknowledged, then handled; the engine marks
the row done in the event's own transaction. At start-up, before the server listens, the rows
left pending join their people's lines (ahead of anything new) and are handled again; the
engine's event-id dedupe makes one that was in fact handled a no-op.

A replayed command cannot open a modal: its ``trigger_id`` lived about 3 seconds. Its effect
runs (whatever it saves is saved) and, instead of the modal, the person gets a DM saying where
they left off, with a button that opens the form (the click brings a fresh trigger).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from infointerview.core import (
    Actor,
    Button,
    ButtonStyle,
    Effect,
    Engine,
    InboxEntry,
    Lines,
    Message,
    OpenForm,
    RichText,
    Segment,
    SendDM,
    TextBlock,
    Turn,
    clean_user_text,
    keep_in_time,
)

log = logging.getLogger(__name__)

PLATFORM = "slack"
COMMAND = "command"  # the kind of an inbox row holding a slash command's form body
ACTION = "action"  # a button click's interaction payload
MESSAGE = "message"  # an Events API body with a message typed in the bot's DM
RESUME_ACTION = "resume_command"  # the button that opens the form a replayed command wanted
REPLAY_AT_ONCE = 8  # replayed requests in flight together (each its person's turn)
# around what the person typed (kept as their text: escaped, never markup)
LEFT_OFF_BEFORE = "Here is where you left off: I was restarting when you typed /infointerview "
LEFT_OFF_AFTER = ", so its form could not open by itself."
LEFT_OFF_CLICK = ("Here is where you left off: I was restarting when you pressed that button, "
                  "so its form could not open by itself.")
OPEN_FORM = "Open the form"

Body = dict[str, Any]
# (the request as kept, its inbox id, replayed?) → handled; the ack went out earlier
Handler = Callable[[Body, int | None, bool], Awaitable[None]]
ClientFor = Callable[[str], Awaitable[AsyncWebClient]]


class SlackIntake:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.lines = Lines()
        self.handlers: dict[str, Handler] = {}
        self._replaying: set[asyncio.Task[None]] = set()

    async def keep(self, kind: str, body: Body, tenant: str, user_id: str,
                   event_id: str) -> tuple[int | None, Turn]:
        """Keep a request before its ack: its inbox id (None: the database did not take it,
        so the person must be told it was not saved) and its turn in the person's line."""
        kept = await keep_in_time(self.engine, platform=PLATFORM, tenant=tenant,
                                  user_id=user_id, kind=kind, event_id=event_id, payload=body)
        return kept, self.lines.join((tenant, user_id))

    async def replay(self) -> int:
        """Start handling the requests a previous process acknowledged and did not finish,
        oldest first per person; call before the server accepts anything new."""
        pending = await asyncio.to_thread(self.engine.inbox_pending, PLATFORM)
        at_once = asyncio.Semaphore(REPLAY_AT_ONCE)
        for entry in pending:
            turn = self.lines.join((entry.tenant, entry.user_id))
            task = asyncio.create_task(self._replay_one(entry, turn, at_once))
            self._replaying.add(task)
            task.add_done_callback(self._replaying.discard)
        if pending:
            log.warning("handling %d Slack request(s) acknowledged before a restart",
                        len(pending))
        return len(pending)

    async def replayed(self) -> None:
        """Wait for the replay to finish (tests, graceful shutdown)."""
        while self._replaying:
            await asyncio.gather(*self._replaying, return_exceptions=True)

    async def _replay_one(self, entry: InboxEntry, turn: Turn,
                          at_once: asyncio.Semaphore) -> None:
        async with turn.held(), at_once:
            handler = self.handlers.get(entry.kind)
            if handler is None:
                log.error("inbox row %s: no handler for %r", entry.id, entry.kind)
                await asyncio.to_thread(self.engine.inbox_done, entry.id, "unreadable")
                return
            try:
                await handler(entry.payload, entry.id, True)
            except Exception:  # left pending unless the engine got to it: tried next start
                log.exception("replaying inbox row %s failed", entry.id)


def without_modals(effects: list[Effect], actor: Actor, said: RichText,
                   resume: Button) -> list[Effect]:
    """A replayed request's effects with each modal (its trigger long expired) replaced by a
    DM that says where the person left off, with ``resume``: a button whose click brings a
    fresh trigger and opens the form."""
    kept: list[Effect] = [e for e in effects if not isinstance(e, OpenForm)]
    if len(kept) == len(effects):
        return effects
    return [*kept, SendDM(actor.user_id, Message((TextBlock(said),), (resume,)))]


def left_off_at_command(command_text: str) -> tuple[RichText, Button]:
    """What a replayed command says instead of its modal, and the button that runs it again."""
    said = RichText((Segment(LEFT_OFF_BEFORE), Segment(clean_user_text(command_text), True),
                     Segment(LEFT_OFF_AFTER)))
    return said, Button(RESUME_ACTION, OPEN_FORM, command_text[:1900], ButtonStyle.PRIMARY)


def left_off_at_click(action: str, value: str) -> tuple[RichText, Button]:
    """A replayed click: the same button again (it opens the form with a live trigger)."""
    return RichText.bot(LEFT_OFF_CLICK), Button(action, OPEN_FORM, value, ButtonStyle.PRIMARY)


def resumed_command(body: Body, action: Body, dm_channel: str) -> Body:
    """The slash command a click on "Open the form" stands for, with the click's fresh
    trigger, so the same path keeps it, handles it and opens its modal."""
    user = body.get("user") or {}
    return {"team_id": (body.get("team") or {}).get("id") or user.get("team_id"),
            "user_id": user.get("id"), "user_name": user.get("name") or "",
            "channel_id": dm_channel, "text": str(action.get("value") or ""),
            "trigger_id": body.get("trigger_id"), "response_url": body.get("response_url"),
            "command": "/infointerview"}
