"""Reminder DMs through the core dispatcher and the Discord gateway; closed DMs; rate limits;
files. Simulated time, a stand-in Discord API, SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest

from infointerview.adapters.discord.gateway import nonce_for
from infointerview.core import Engine, SimulatedClock
from infointerview.core.dispatch import Dispatcher
from tests.discord_fake import (
    SAM,
    FakeDiscord,
    buttons_of,
    click,
    command,
    deliver,
    no_logged_errors,
)
from tests.discord_helpers import (
    EPHEMERAL,
    InfoInterviewBot,
    assert_no_pings,
    onboard,
    online,
    play,
)
from tests.helpers import WEEK, User, followed_up_with_someone_shared_there

pytestmark = pytest.mark.usefixtures(no_logged_errors.__name__)
NO_REPLY_NUDGE = timedelta(days=3, hours=1)  # three working days after Monday's outreach


def outreach_sent(engine: Engine) -> User:
    """Sam (a Discord user) has a contact and marked the outreach sent on Monday morning."""
    sam = User(engine, str(SAM), tenant="discord", platform="discord")
    sam.onboard()
    number = sam.add_contact()
    sam.click("mark_sent", str(number))
    return sam


def test_a_reminder_dm_through_the_dispatcher_then_done_after_a_restart(
        engine: Engine, clock: SimulatedClock) -> None:
    outreach_sent(engine)

    async def main() -> FakeDiscord:
        async with FakeDiscord() as api:
            bot = await online(engine)
            dispatcher = Dispatcher(engine, bot.gateway)
            assert (await dispatcher.tick()).claimed == 0  # nothing due yet
            clock.advance(NO_REPLY_NUDGE)
            report = await dispatcher.tick()
            assert (report.claimed, report.delivered) == (1, 1)
            [opened] = [c for c in api.calls if c.path == "/users/@me/channels"]
            assert str(opened.body["recipient_id"]) == str(SAM)
            [dm] = api.dms()
            assert "No reply from **Dr. Jordan Lee**" in dm.body["content"]
            assert dm.body["enforce_nonce"] is True and 0 < len(dm.body["nonce"]) <= 25
            assert list(buttons_of(dm.body)) == [
                "Done", "Snooze 1 hour", "Tomorrow morning", "Next week", "Skip"]
            assert all(f":{SAM}:" in cid for cid in buttons_of(dm.body).values())
            await bot.close()

            restarted = await online(engine)  # the click comes after a restart
            mark = len(api.calls)
            await deliver(restarted, click(dm.body, buttons_of(dm.body)["Next week"],
                                           guild=False))
            [answer] = api.callbacks(mark)
            assert answer["type"] == 4
            assert "Snoozed" in answer["data"]["content"] and "Mon 09 Mar" in answer["data"][
                "content"]
            await restarted.close()
            return api

    assert_no_pings(asyncio.run(main()))


def test_a_retried_send_carries_the_same_nonce(engine: Engine) -> None:
    async def main() -> tuple[list[str], list[str]]:
        async with FakeDiscord() as api:
            bot = await online(engine)
            message = User(engine, str(SAM), platform="discord").command("help")[0]
            first = await bot.gateway.send_dm("discord", str(SAM), message.message,  # type: ignore[union-attr]
                                              idempotency_key="reminder-7-0")
            again = await bot.gateway.send_dm("discord", str(SAM), message.message,  # type: ignore[union-attr]
                                              idempotency_key="reminder-7-0")
            await bot.close()
            return [first, again], [c.body["nonce"] for c in api.dms()]

    refs, nonces = asyncio.run(main())
    assert nonces[0] == nonces[1] == nonce_for("reminder-7-0", 0)
    assert refs[0] == refs[1]  # Discord answered the retry with the message it already has
    assert nonce_for("reminder-7-0", 1) != nonce_for("reminder-7-0", 0)


def test_closed_dms_are_recorded_and_the_user_is_told_ephemerally(
        engine: Engine, clock: SimulatedClock) -> None:
    outreach_sent(engine)

    async def scenario(api: FakeDiscord, bot: InfoInterviewBot) -> None:
        api.closed_dms.add(SAM)
        dispatcher = Dispatcher(engine, bot.gateway)
        failed = 0
        for _ in range(10):  # Undeliverable: tried again later, given up on the third time
            if failed == 3:
                break
            due = engine.next_reminder_due("discord")
            assert due is not None
            clock.set(due)
            failed += (await dispatcher.tick()).failed
        assert failed == 3 and len(api.dms()) == 3
        mark = len(api.calls)
        await deliver(bot, command("show", contact="1"))  # private: goes to the DM
        answers = [c.body for c in api.since(mark) if c.message is not None]
        # the answer does not claim the DM went out (issue 14): it says how to open DMs instead
        assert not any("sent that to our direct messages" in (a.get("data") or {}).get(
            "content", "") for a in answers)
        [notice] = [m for m in api.messages()[-1:]]
        assert "Privacy Settings" in notice["content"] and notice["flags"] & EPHEMERAL
        mark = len(api.calls)
        await deliver(bot, command("list"))
        listing = " ".join(c.message["content"] for c in api.since(mark)
                           if c.message is not None and not c.path.startswith("/channels/"))
        assert "could not reach you by direct message" in listing and "50007" in listing

    api = play(engine, scenario)
    assert_no_pings(api)


def test_a_long_rate_limit_comes_back_to_the_dispatcher(
        engine: Engine, clock: SimulatedClock) -> None:
    outreach_sent(engine)

    async def scenario(api: FakeDiscord, bot: InfoInterviewBot) -> None:
        api.rate_limited.append(120.0)
        dispatcher = Dispatcher(engine, bot.gateway)
        clock.advance(NO_REPLY_NUDGE)
        report = await dispatcher.tick()
        assert (report.retried, report.delivered) == (1, 0)
        assert (await dispatcher.tick()).claimed == 0  # not before Retry-After
        clock.advance(timedelta(seconds=121))
        assert (await dispatcher.tick()).delivered == 1

    play(engine, scenario)


@pytest.mark.parametrize("guild", [True, False])
def test_export_arrives_as_files(engine: Engine, guild: bool) -> None:
    async def scenario(api: FakeDiscord, bot: InfoInterviewBot) -> None:
        await onboard(api, bot)
        mark = len(api.calls)
        await deliver(bot, command("export", guild=guild))
        files = [c for c in api.since(mark) if c.files]
        assert len(files) == 1
        call = files[0]
        if guild:  # private data: the files go to the DM, only a pointer in the channel
            assert call.path.startswith("/channels/")
        else:  # deferred first (a slow upload must not miss the 3 s), then the follow-up
            assert api.callbacks(mark)[0]["type"] == 5
            assert call.path.startswith("/webhooks/")
        names = sorted(call.files)
        assert [n.rsplit(".", 1)[1] for n in names] == ["csv", "json"]
        data = json.loads(call.files[names[1]])
        assert data["contacts"][0]["name"] == "Dr. Jordan Lee"
        assert call.body["allowed_mentions"] == {"parse": []}

    play(engine, scenario)


def test_no_reply_after_the_follow_up_suggests_someone_shared_there(
        engine: Engine, clock: SimulatedClock) -> None:
    followed_up_with_someone_shared_there(engine, clock, str(SAM), "4242", platform="discord",
                                          tenant="discord")

    async def main() -> FakeDiscord:
        async with FakeDiscord() as api:
            bot = await online(engine)
            clock.advance(WEEK + timedelta(minutes=1))
            assert (await Dispatcher(engine, bot.gateway).tick()).delivered == 1
            [dm] = [d for d in api.dms() if "after your follow-up" in d.body["content"]]
            text = dm.body["content"]
            assert "Someone else at Northwind Biologics" in text
            assert "**Shared in your cohort, at Northwind Biologics**\n1. **Dr. Maya Chen**" in text
            buttons = buttons_of(dm.body)
            assert "Someone else there" in buttons and "Intro to result 1" in buttons
            await bot.close()
            return api

    assert_no_pings(asyncio.run(main()))
