"""Discord interactions that were deferred are kept before the deferral: one whose process died
after it is handled when the next process starts (its answer goes to the person's DMs, the
interaction's own token being gone with the process), and one handled live is marked done."""

from __future__ import annotations

import asyncio
import json

from sqlalchemy import text

from infointerview.adapters.discord.intake import kept_payload
from infointerview.core import CommandInvoked, Engine, Place
from tests.discord_fake import SAM, FakeDiscord, command, deliver
from tests.discord_helpers import online
from tests.helpers import User


def _sam_with_a_contact(engine: Engine) -> User:
    sam = User(engine, str(SAM), tenant="discord", platform="discord")
    sam.onboard()
    sam.add_contact()
    return sam


def _outcomes(engine: Engine) -> dict[str, str]:
    with engine.database.begin() as connection:
        rows = connection.execute(text("SELECT event_id, outcome FROM inbox")).all()
    return {event_id: outcome for event_id, outcome in rows}


def _deferred_then_killed(engine: Engine, sam: User, interaction: int, args: str) -> None:
    event = CommandInvoked(event_id=f"discord:{interaction}", actor=sam.actor,
                           place=Place("720000000000000001", False),
                           received_at=engine.clock(), name="note", args=args)
    engine.keep(platform="discord", tenant="discord", user_id=str(SAM), kind="interaction",
                event_id=event.event_id, payload=kept_payload(event))


def test_a_deferred_interaction_is_kept_and_marked_done_once_answered(engine: Engine) -> None:
    _sam_with_a_contact(engine)

    async def main() -> list[dict[str, object]]:
        async with FakeDiscord() as api:
            bot = await online(engine, budget=0)  # the engine "took too long": deferred
            await deliver(bot, command("list"))
            await bot.close()
            return api.callbacks()

    deferred, *_ = asyncio.run(main())
    assert deferred["type"] == 5
    assert list(_outcomes(engine).values()) == ["handled"]
    assert engine.inbox_pending("discord") == []


def test_deferred_interactions_left_by_a_killed_process_are_answered_in_dms_at_start_up(
        engine: Engine) -> None:
    sam = _sam_with_a_contact(engine)
    _deferred_then_killed(engine, sam, 901, "1 kept first")
    _deferred_then_killed(engine, sam, 902, "1 kept second")
    _deferred_then_killed(engine, sam, 903, "1")  # would open the note form

    async def main() -> FakeDiscord:
        async with FakeDiscord() as api:
            bot = await online(engine)
            await bot.close()
            return api

    api = asyncio.run(main())
    shown = json.dumps([call.body for call in api.dms()])
    assert "note 1" in shown and "note 2" in shown
    assert "where you left off" in shown.lower()
    assert "Continue" in shown  # the form waits behind a button in the DM
    assert _outcomes(engine) == {"discord:901": "handled", "discord:902": "handled",
                                 "discord:903": "handled"}
    person = User(engine, str(SAM), tenant="discord", platform="discord")
    assert "kept first" in json.dumps([repr(e) for e in person.command("notes", "1")])
