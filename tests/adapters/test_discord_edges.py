"""Discord keeps Slack's promises at the edges: a subcommand Discord still offers but this version
does not know gets the help (not an apology), and closed DMs get one truthful answer.

Real ``discord.Interaction`` objects from raw payloads, the real command tree, a stand-in for
Discord's HTTP API; SQLite and PostgreSQL.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest

from infointerview.adapters.discord.wording import DMS_CLOSED, SORRY
from infointerview.core import Engine
from tests.discord_fake import (
    APP_ID,
    SAM,
    FakeDiscord,
    _base,
    command,
    deliver,
    no_logged_errors,
)
from tests.discord_helpers import EPHEMERAL, InfoInterviewBot, assert_no_pings, onboard, play

pytestmark = pytest.mark.usefixtures(no_logged_errors.__name__)

SENT_TO_DM = "sent that to our direct messages"


def contents(api: FakeDiscord, since: int = 0) -> list[str]:
    """What the person was shown in answer to interactions (callbacks and follow-ups), in order."""
    return [m.get("content") or "" for c in api.since(since)
            if (m := c.message) is not None and not c.path.startswith("/channels/")]


def ours(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """The bot's log lines (discord.py warns about voice support it was not asked for)."""
    return [r for r in caplog.records if r.name.startswith("infointerview.")]


def unregistered_command(*path: str, kind: int = 2) -> dict[str, Any]:
    """``/infointerview a b`` as Discord sends it for a registration this version no longer has
    (a subcommand renamed or removed before ``infointerview discord sync`` ran)."""
    option: dict[str, Any] = {"type": 1, "name": path[-1], "options": []}
    for parent in reversed(path[1:-1]):
        option = {"type": 2, "name": parent, "options": [option]}
    data = {"id": str(APP_ID + 10), "name": path[0], "type": 1,
            "options": [option] if len(path) > 1 else []}
    return _base(kind, SAM, True, data)


@pytest.mark.parametrize(("path", "help_shown"), [
    (("infointerview", "frobnicate"), "`list`"),
    (("infointerview", "cohort", "frobnicate"), "Cohort commands"),  # the cohort's own help
    (("weather",), "`list`"),
    (("infointerview", "cohort"), "`list`"),  # a group invoked as a command: signature mismatch
], ids=["subcommand", "cohort", "command", "group"])
def test_an_unknown_subcommand_gets_the_help_and_a_warning_not_an_apology(
        engine: Engine, path: tuple[str, ...], help_shown: str,
        caplog: pytest.LogCaptureFixture) -> None:
    async def scenario(api: FakeDiscord, bot: InfoInterviewBot) -> None:
        await deliver(bot, unregistered_command(*path))

    api = play(engine, scenario)
    [answer] = api.callbacks()
    shown = answer["data"]["content"]
    assert answer["type"] == 4 and answer["data"]["flags"] & EPHEMERAL
    assert SORRY not in shown and "went wrong" not in shown
    assert help_shown in shown, shown
    [warning] = [r for r in ours(caplog) if r.levelno >= logging.WARNING]
    assert warning.levelno == logging.WARNING and warning.exc_info is None
    assert "infointerview discord sync" in warning.getMessage()
    assert_no_pings(api)


def test_an_autocomplete_request_for_an_unknown_subcommand_is_ignored_quietly(
        engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    async def scenario(api: FakeDiscord, bot: InfoInterviewBot) -> None:
        await deliver(bot, unregistered_command("infointerview", "frobnicate", kind=4))

    assert play(engine, scenario).callbacks() == []
    assert [r.levelno for r in ours(caplog)] == [logging.WARNING]


def test_an_unknown_subcommand_is_named_in_the_answer(engine: Engine) -> None:
    async def scenario(api: FakeDiscord, bot: InfoInterviewBot) -> None:
        await deliver(bot, unregistered_command("infointerview", "frobnicate"))

    [answer] = play(engine, scenario).callbacks()
    assert "frobnicate" in answer["data"]["content"]


@pytest.mark.parametrize(("sub", "options"), [("show", {"contact": "1"}), ("list", {})],
                         ids=["show", "list"])
def test_closed_dms_get_one_truthful_answer(engine: Engine, sub: str,
                                            options: dict[str, str]) -> None:
    async def scenario(api: FakeDiscord, bot: InfoInterviewBot) -> None:
        await onboard(api, bot)
        api.closed_dms.add(SAM)
        mark = len(api.calls)
        await deliver(bot, command(sub, **options))
        shown = contents(api, mark)
        assert not any(SENT_TO_DM in text for text in shown), shown
        assert shown.count(DMS_CLOSED) == 1 and shown[-1] == DMS_CLOSED, shown
        assert all(m.get("flags", 0) & EPHEMERAL for c in api.since(mark)
                   if (m := c.message) is not None and not c.path.startswith("/channels/"))

    assert_no_pings(play(engine, scenario))


def test_open_dms_still_get_the_pointer_and_the_dm(engine: Engine) -> None:
    async def scenario(api: FakeDiscord, bot: InfoInterviewBot) -> None:
        await onboard(api, bot)
        mark = len(api.calls)
        await deliver(bot, command("show", contact="1"))
        shown = contents(api, mark)
        assert len(shown) == 1 and SENT_TO_DM in shown[0], shown
        assert DMS_CLOSED not in shown
        assert api.dms(mark)  # the card itself went to the DM

    play(engine, scenario)


def test_closed_dms_slower_than_the_budget_defer_then_say_it_once(engine: Engine) -> None:
    async def scenario(api: FakeDiscord, bot: InfoInterviewBot) -> None:
        await onboard(api, bot)
        api.closed_dms.add(SAM)
        api.dm_delay = 0.6  # Discord takes its time to refuse
        bot.adapter.budget = 0.3
        mark = len(api.calls)
        await deliver(bot, command("show", contact="1"))
        [callback] = api.callbacks(mark)
        assert callback["type"] == 5 and callback["data"]["flags"] & EPHEMERAL  # deferred
        shown = contents(api, mark)
        assert not any(SENT_TO_DM in text for text in shown), shown
        assert [text for text in shown if text] == [DMS_CLOSED]

    play(engine, scenario)
