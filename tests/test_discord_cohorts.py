"""Cohorts through Discord: a channel manager creates, anyone presses Join in the channel, a
contact is shared in a modal, and another member finds it without learning who it is."""

from __future__ import annotations

import json
from typing import Any

from adapters.discord.client import InfoInterviewBot
from core import Engine
from tests.discord_fake import (
    APP_ID,
    CHANNEL_ID,
    KIM,
    SAM,
    FakeDiscord,
    _base,
    buttons_of,
    click,
    deliver,
    submit,
)
from tests.discord_helpers import assert_no_pings, onboard, play

MANAGE_CHANNELS = 1 << 4
COACH = 730000000000000009


def cohort(action: str, user: int, text: str | None = None, *,
           permissions: int = 0) -> dict[str, Any]:
    """``/infointerview cohort <action> [text]`` in the guild channel."""
    inner = [{"name": "text", "type": 3, "value": text}] if text else []
    data = {"id": str(APP_ID + 10), "name": "infointerview", "type": 1, "options": [
        {"type": 2, "name": "cohort", "options": [{"type": 1, "name": action,
                                                   "options": inner}]}]}
    payload = _base(2, user, True, data)
    payload["member"]["permissions"] = str(permissions)
    return payload


def share(user: int, contact: str) -> dict[str, Any]:
    data = {"id": str(APP_ID + 10), "name": "infointerview", "type": 1, "options": [
        {"type": 2, "name": "cohort", "options": [{"type": 1, "name": "share", "options": [
            {"name": "contact", "type": 3, "value": contact}]}]}]}
    return _base(2, user, True, data)


def test_create_join_share_and_find_on_discord(engine: Engine) -> None:
    async def scenario(api: FakeDiscord, bot: InfoInterviewBot) -> None:
        mark = len(api.calls)
        await deliver(bot, cohort("create", KIM, "Spring"))
        assert "manages this channel" in json.dumps(api.callbacks(mark))
        await deliver(bot, cohort("create", COACH, "Spring cohort",
                                  permissions=MANAGE_CHANNELS))
        post = next(c.body for c in api.calls if c.method == "POST"
                    and c.path == f"/channels/{CHANNEL_ID}/messages"
                    and "Join this cohort" in json.dumps(c.body))
        join = buttons_of(post)["Join this cohort"]
        mark = len(api.calls)
        await deliver(bot, click(post, join, KIM))  # anyone may press the channel's button
        assert "Welcome to" in json.dumps(api.callbacks(mark))
        await onboard(api, bot, SAM)
        await deliver(bot, cohort("join", SAM))
        mark = len(api.calls)
        await deliver(bot, share(SAM, "1"))
        [modal] = [c for c in api.callbacks(mark) if c["type"] == 9]
        assert modal["data"]["custom_id"] == "ii:form:share:1"
        await deliver(bot, submit(modal["data"]["custom_id"], {
            "cohort": ["1"], "visibility": ["intro"], "email": ["no"]}, SAM))
        mark = len(api.calls)
        await deliver(bot, cohort("find", KIM, "regulatory"))
        found = json.dumps(api.callbacks(mark))
        assert "Regulatory affairs manager" in found and "Northwind" in found
        assert "Jordan" not in found
        assert "Intro to result 1" in found

    api = play(engine, scenario)
    assert_no_pings(api)
