"""The Discord adapter end to end: real ``discord.Interaction`` objects from raw payloads, through
the real command tree, dynamic items and modal routing, against a stand-in for Discord's HTTP API.
Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import time

import pytest

from infointerview.core import Engine
from tests.discord_fake import (
    BOT_ID,
    KIM,
    SAM,
    FakeDiscord,
    buttons_of,
    click,
    command,
    deliver,
    deliver_message,
    dm_message,
    no_logged_errors,
    submit,
)
from tests.discord_helpers import (
    EPHEMERAL,
    InfoInterviewBot,
    assert_no_pings,
    fill,
    onboard,
    online,
    open_form,
    play,
)
from tests.helpers import PROFILE, User

pytestmark = pytest.mark.usefixtures(no_logged_errors.__name__)


def test_slash_command_answers_ephemerally_in_a_guild(engine: Engine) -> None:
    async def scenario(api: FakeDiscord, bot: InfoInterviewBot) -> None:
        await deliver(bot, command("help"))

    api = play(engine, scenario)
    [answer] = api.callbacks()
    assert answer["type"] == 4 and answer["data"]["flags"] & EPHEMERAL
    assert "/infointerview" in answer["data"]["content"]
    assert_no_pings(api)


def test_a_lone_form_opens_as_the_modal_with_real_selects(engine: Engine) -> None:
    async def scenario(api: FakeDiscord, bot: InfoInterviewBot) -> None:
        await deliver(bot, command("settings", timezone="Asia/Tokyo"))

    api = play(engine, scenario)
    [answer] = api.callbacks()
    assert answer["type"] == 9  # the modal is the first response
    modal = answer["data"]
    assert modal["custom_id"] == "ii:form:settings" and len(modal["components"]) == 5
    by_name = {c["component"]["custom_id"]: c for c in modal["components"]}
    assert all(c["type"] == 18 for c in modal["components"])  # labels around inputs
    weekdays = by_name["weekdays_only"]["component"]
    assert weekdays["type"] == 3
    assert [o["value"] for o in weekdays["options"] if o.get("default")] == ["no"]
    assert by_name["tz"]["component"]["value"] == "Asia/Tokyo"  # pre-filled from the option


def test_the_whole_set_up_through_modals_and_the_card_goes_to_the_dm(engine: Engine) -> None:
    async def scenario(api: FakeDiscord, bot: InfoInterviewBot) -> None:
        await onboard(api, bot)

    api = play(engine, scenario)
    first = api.callbacks()[0]
    assert first["type"] == 4 and "Continue" in buttons_of(first["data"])
    dms = api.dms()
    assert dms and "Dr. Jordan Lee" in dms[-1].body["content"]
    assert "Mark sent" in buttons_of(dms[-1].body)
    # in the guild channel only the pointer to the DM, never the draft
    guild_texts = [c["data"].get("content", "") for c in api.callbacks() if c["type"] == 4]
    assert not any("Dear" in text for text in guild_texts)
    assert_no_pings(api)


def test_an_invalid_submission_keeps_every_value_and_offers_fix_it(engine: Engine) -> None:
    async def scenario(api: FakeDiscord, bot: InfoInterviewBot) -> None:
        await deliver(bot, command("start"))
        modal = await open_form(api, bot, api.messages()[-1])
        bad = {**PROFILE, "tz": "Mars/Olympus", "interests": "policy <@&123456789012345678>"}
        await deliver(bot, submit(modal["custom_id"], fill(bad)))
        errors = api.messages()[-1]
        assert "Time zone" in errors["content"] and errors["flags"] & EPHEMERAL
        again = await open_form(api, bot, errors, "Fix it")
        fields = {c["component"]["custom_id"]: c for c in again["components"]}
        assert {k: fields[k]["component"]["value"] for k in bad} == bad  # nothing lost
        assert fields["tz"]["description"].startswith("\u26a0")
        # the same button still works (the modal was dismissed, say) until it is submitted
        await open_form(api, bot, errors, "Fix it")

    api = play(engine, scenario)
    assert_no_pings(api)


def test_button_click_after_a_restart_and_someone_elses_click(engine: Engine) -> None:
    async def main() -> FakeDiscord:
        async with FakeDiscord() as api:
            first = await online(engine)
            await onboard(api, first)
            card = api.dms()[-1].body
            await first.close()

            second = await online(engine)  # a new process: new client, new tree
            mark = len(api.calls)
            await deliver(second, click(card, buttons_of(card)["Mark sent"], guild=False))
            [answer] = api.callbacks(mark)
            assert answer["type"] == 4 and "Sent" in answer["data"]["content"]
            assert not answer["data"].get("flags", 0) & EPHEMERAL  # in the DM: kept

            mark = len(api.calls)
            await deliver(second, click(card, buttons_of(card)["Mark sent"], KIM))
            [refusal] = api.callbacks(mark)
            assert refusal["data"]["flags"] & EPHEMERAL
            assert "someone else" in refusal["data"]["content"]
            await second.close()
            return api

    api = asyncio.run(main())
    assert_no_pings(api)


def test_time_zone_autocomplete(engine: Engine) -> None:
    async def scenario(api: FakeDiscord, bot: InfoInterviewBot) -> None:
        await deliver(bot, command("settings", focused="timezone", timezone="berl"))

    api = play(engine, scenario)
    [answer] = api.callbacks()
    assert answer["type"] == 8
    assert answer["data"]["choices"][0] == {"name": "Europe/Berlin", "value": "Europe/Berlin"}


def test_contact_autocomplete_offers_only_the_persons_own_contacts(engine: Engine) -> None:
    async def scenario(api: FakeDiscord, bot: InfoInterviewBot) -> None:
        await onboard(api, bot)
        await deliver(bot, command("show", focused="contact", contact="jor"))
        await deliver(bot, command("show", KIM, focused="contact", contact="jor"))

    api = play(engine, scenario)
    mine, theirs = [c for c in api.callbacks() if c["type"] == 8]
    assert mine["data"]["choices"] == [{"name": "1. Dr. Jordan Lee", "value": "1"}]
    assert theirs["data"]["choices"] == []  # someone else's contacts are never suggested


@pytest.mark.parametrize("guild", [True, False])
def test_a_long_answer_is_split_into_valid_messages(engine: Engine, guild: bool) -> None:
    text = ("My research in plain words: " + "cells talk to each other. " * 300)[:6000]

    async def scenario(api: FakeDiscord, bot: InfoInterviewBot) -> None:
        await deliver(bot, command("intro", guild=guild, text=text))

    api = play(engine, scenario)
    messages = api.messages()
    assert len(messages) >= 4  # the answer and its follow-ups
    for message in messages:
        assert len(message.get("content", "")) <= 2000
    joined = "".join(m["content"] for m in messages)
    assert joined.count("cells talk") == text.count("cells talk") > 200
    assert_no_pings(api)


def test_mentions_typed_into_any_field_never_ping(engine: Engine) -> None:
    pings = "@everyone @here <@&712345678901234567> <@733333333333333333>"
    profile = {**PROFILE, "name": f"Sam {pings}"[:100], "programme": pings,
               "interests": f"policy {pings}"}
    contact = {"name": f"Jo {pings}"[:100], "role": pings, "organisation": "@here Inc",
               "sector": "industry", "channel": "email"}
    source = {"how_found": "referral", "found_detail": pings, "email": "",
              "profile_url": "", "reason": pings}

    async def scenario(api: FakeDiscord, bot: InfoInterviewBot) -> None:
        await onboard(api, bot, profile=profile, contact=contact, source=source)
        await deliver(bot, command("show", contact="1"))
        await deliver(bot, command("list"))
        await deliver(bot, command("note", contact=1, text=f"*{pings}* `x` # h"))
        await deliver(bot, command("start", name=pings))
        await deliver(bot, command("pause", until=pings))

    api = play(engine, scenario)
    shown = " ".join(m.get("content", "") for m in api.messages())
    assert "Jo @\u200beveryone" in shown  # the name is shown, defused
    assert_no_pings(api)


def test_a_line_typed_in_the_dm_during_an_interview_is_a_note(engine: Engine) -> None:
    sam = User(engine, str(SAM), tenant="discord", platform="discord")
    sam.onboard()
    number = str(sam.add_contact())
    sam.click("mark_sent", number)
    sam.click("replied", number)
    sam.submit(f"meeting:{number}", {"date": "2026-03-02", "time": "09:30", "duration": "30",
                                     "mode": "video", "detail": ""})
    sam.click("start_interview", number)

    async def scenario(api: FakeDiscord, bot: InfoInterviewBot) -> None:
        await deliver_message(bot, dm_message("Ask about the RAPS course @everyone"))
        await deliver_message(bot, dm_message("a message from the bot itself", BOT_ID))

    api = play(engine, scenario)
    [reply] = api.dms()
    assert reply.body["content"] == "Noted for Dr. Jordan Lee (note 1)."
    assert "Star this one" in buttons_of(reply.body)
    assert_no_pings(api)


def test_past_the_budget_it_defers_and_the_form_waits_behind_a_button(engine: Engine) -> None:
    async def main() -> FakeDiscord:
        async with FakeDiscord() as api:
            bot = await online(engine, budget=0)  # the engine "took too long"
            await deliver(bot, command("settings"))
            deferred, *_ = api.callbacks()
            assert deferred["type"] == 5 and deferred["data"]["flags"] & EPHEMERAL
            [follow_up] = [c for c in api.calls if c.path.startswith("/webhooks/")]
            modal = await open_form(api, bot, follow_up.body)
            assert modal["custom_id"] == "ii:form:settings"
            await bot.close()
            return api

    assert_no_pings(asyncio.run(main()))


def test_a_hung_database_is_answered_within_3_seconds_with_an_honest_message(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    run = engine.run

    def hung(*args: object, **kwargs: object) -> object:
        time.sleep(3.5)  # the database does not answer
        return run(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "run", hung)

    async def main() -> float:
        async with FakeDiscord() as api:
            bot = await online(engine)
            started = time.perf_counter()
            await deliver(bot, command("list"))
            elapsed = time.perf_counter() - started
            deferred, *_ = api.callbacks()
            assert deferred["type"] == 5  # "thinking…" inside the budget
            [follow_up] = [c for c in api.calls if c.path.startswith("/webhooks/")]
            assert "couldn't save that just now" in str(follow_up.body)
            await bot.close()
            return elapsed

    assert asyncio.run(main()) < 3.0
