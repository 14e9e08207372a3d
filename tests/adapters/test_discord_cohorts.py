"""Cohorts through Discord: a channel manager creates, anyone presses Join in the channel, a
contact is shared in a modal, and another member finds it without learning who it is."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from infointerview.adapters.discord.client import InfoInterviewBot
from infointerview.core import Dispatcher, Engine, SimulatedClock
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


async def share_contact(api: FakeDiscord, bot: InfoInterviewBot, visibility: str,
                        email: str) -> str:
    """SAM shares contact 1 with cohort 1 through the modal; returns the modal's custom id."""
    mark = len(api.calls)
    await deliver(bot, share(SAM, "1"))
    [modal] = [c for c in api.callbacks(mark) if c["type"] == 9]
    custom_id = str(modal["data"]["custom_id"])
    await deliver(bot, submit(custom_id, {"cohort": ["1"], "visibility": [visibility],
                                          "email": [email], "consent": [email]}, SAM))
    return custom_id


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
        assert await share_contact(api, bot, "intro", "no") == "ii:form:share:1"
        mark = len(api.calls)
        await deliver(bot, cohort("find", KIM, "regulatory"))
        found = json.dumps(api.callbacks(mark))
        assert "Regulatory affairs manager" in found and "Northwind" in found
        assert "Jordan" not in found
        assert "Intro to result 1" in found
        # shared again, as a card with the e-mail address: now the name shows
        await share_contact(api, bot, "card", "yes")
        mark = len(api.calls)
        await deliver(bot, cohort("find", KIM, "northwind"))
        found = json.dumps(api.callbacks(mark))
        assert "Dr. Jordan Lee" in found and "jordan.lee@example.org" in found

    api = play(engine, scenario)
    assert_no_pings(api)


def test_intros_digest_and_coach_report_on_discord(engine: Engine,
                                                   clock: SimulatedClock) -> None:
    async def ask(api: FakeDiscord, bot: InfoInterviewBot, reason: str) -> dict[str, Any]:
        """KIM finds the shared contact and asks; returns the owner's DM with the request."""
        mark = len(api.calls)
        await deliver(bot, cohort("find", KIM, "regulatory"))
        [results] = [c["data"] for c in api.callbacks(mark) if c["type"] == 4]
        mark = len(api.calls)
        await deliver(bot, click(results, buttons_of(results)["Intro to result 1"], KIM))
        [modal] = [c for c in api.callbacks(mark) if c["type"] == 9]
        mark = len(api.calls)
        await deliver(bot, submit(modal["data"]["custom_id"], {"reason": reason}, KIM))
        return next(c.body for c in api.dms(mark) if "would like an introduction" in
                    json.dumps(c.body))

    async def scenario(api: FakeDiscord, bot: InfoInterviewBot) -> None:
        await deliver(bot, cohort("create", COACH, "Spring", permissions=MANAGE_CHANNELS))
        await onboard(api, bot, SAM)
        for user in (SAM, KIM):
            await deliver(bot, cohort("join", user))
        await share_contact(api, bot, "intro", "no")
        # declined: KIM is told kindly, without who or why
        request = await ask(api, bot, "curious about regulatory work")
        mark = len(api.calls)
        await deliver(bot, click(request, buttons_of(request)["Not now"], SAM, guild=False))
        told = json.dumps([c.body for c in api.dms(mark)])
        assert "isn't possible right now" in told and "Jordan" not in told
        # asked again and accepted: the contact arrives in KIM's DM and pipeline
        request = await ask(api, bot, "I am moving into regulatory science")
        mark = len(api.calls)
        await deliver(bot, click(request, buttons_of(request)["Accept"], SAM, guild=False))
        to_kim = json.dumps([c.body for c in api.dms(mark)])
        to_sam = json.dumps(api.callbacks(mark))  # the owner's answer, where they clicked
        assert "Dr. Jordan Lee" in to_kim and "Your reply once introduced" in to_kim
        assert "Introduction e-mail" in to_sam
        # asked again within four weeks: Jordan Lee is left in peace, kindly, without a modal
        mark = len(api.calls)
        await deliver(bot, cohort("find", KIM, "regulatory"))
        [results] = [c["data"] for c in api.callbacks(mark) if c["type"] == 4]
        mark = len(api.calls)
        await deliver(bot, click(results, buttons_of(results)["Intro to result 1"], KIM))
        refused = json.dumps(api.callbacks(mark))
        assert "This person was asked for an introduction recently" in refused
        assert "add someone at Northwind Biologics yourself" in refused
        assert not [c for c in api.callbacks(mark) if c["type"] == 9]
        assert not api.dms(mark)  # SAM is not asked a third time
        # the weekly digest, posted in the channel by the dispatcher
        clock.set(datetime(2026, 3, 7, 12, 0, tzinfo=UTC))
        mark = len(api.calls)
        report = await Dispatcher(engine, bot.gateway).tick()
        assert report.delivered >= 1
        digest = [c.body for c in api.calls[mark:] if c.path == f"/channels/{CHANNEL_ID}/messages"]
        assert digest and "Weekly digest" in json.dumps(digest)
        assert "Introductions asked for: 2" in json.dumps(digest)
        # the coach's report: a CSV in the coach's DM
        mark = len(api.calls)
        await deliver(bot, cohort("report", COACH))
        files = {name: data for c in api.calls[mark:] for name, data in c.files.items()}
        [csv_name] = [name for name in files if name.endswith(".csv")]
        assert files[csv_name].startswith(b"member,role") and b"Jordan" not in files[csv_name]

    api = play(engine, scenario)
    assert_no_pings(api)
