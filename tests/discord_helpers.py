"""Driving the Discord bot the way a person does, for the Discord adapter's tests."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from typing import Any

from infointerview.adapters.discord.client import InfoInterviewBot
from infointerview.core import Engine
from tests.discord_fake import SAM, FakeDiscord, buttons_of, click, command, deliver, submit
from tests.helpers import CONTACT, PROFILE, SOURCE

EPHEMERAL = 64
Scenario = Callable[[FakeDiscord, InfoInterviewBot], Awaitable[None]]
SELECTS = {"sector", "channel", "how_found", "mode", "weekdays_only", "weekly_summary"}


async def online(engine: Engine, **options: Any) -> InfoInterviewBot:
    """A bot process that has logged in (and run its setup_hook) against the stand-in API."""
    bot = InfoInterviewBot(engine, run_dispatcher=False, **options)
    await bot.login("bot-token")
    return bot


def play(engine: Engine, scenario: Scenario) -> FakeDiscord:
    async def main() -> FakeDiscord:
        async with FakeDiscord() as api:
            bot = await online(engine)
            try:
                await scenario(api, bot)
            finally:
                await bot.close()
            return api

    return asyncio.run(main())


def assert_no_pings(api: FakeDiscord) -> None:
    """Every message sent disables mentions, and nothing typed reaches Discord as a mention
    outside a code block (where Discord shows it as text)."""
    messages = api.messages()
    assert messages
    for message in messages:
        assert message.get("allowed_mentions") == {"parse": []}, message
        shown = re.sub(r"```.*?```", "", message.get("content") or "", flags=re.S)
        shown += "".join(f.get("value", "") for e in message.get("embeds", [])
                         for f in e.get("fields", []))
        assert not re.search(r"@(everyone|here)|<@[!&]?\d", shown), shown


def fill(form: dict[str, str]) -> dict[str, str | list[str]]:
    """Modal values as Discord sends them: selects as lists."""
    return {k: [v] if k in SELECTS else v for k, v in form.items()}


async def open_form(api: FakeDiscord, bot: InfoInterviewBot, message: dict[str, Any],
                    label: str = "Continue", user: int = SAM,
                    guild: bool = True) -> dict[str, Any]:
    """Click the button that leads to a waiting form; return the modal sent."""
    mark = len(api.calls)
    await deliver(bot, click(message, buttons_of(message)[label], user, guild=guild))
    [modal] = api.callbacks(mark)
    assert modal["type"] == 9, modal
    return dict(modal["data"])


async def onboard(api: FakeDiscord, bot: InfoInterviewBot, user: int = SAM, *,
                  profile: dict[str, str] = PROFILE, contact: dict[str, str] = CONTACT,
                  source: dict[str, str] = SOURCE) -> None:
    """/start as a new person, then the profile, the contact and where they were found."""
    await deliver(bot, command("start", user))
    steps = [("profile", profile), ("contact:new", contact), ("contact2:1", source)]
    for form_id, values in steps:
        modal = await open_form(api, bot, api.messages()[-1], user=user)
        assert modal["custom_id"] == f"ii:form:{form_id}"
        await deliver(bot, submit(modal["custom_id"], fill(values), user))
