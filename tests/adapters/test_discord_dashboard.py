"""``/infointerview dashboard`` over Discord (real interactions against a stand-in for Discord's
API): the link arrives in the DM and opens the person's pages; a guild channel never sees it."""

from __future__ import annotations

import json
import re

import pytest

from infointerview.adapters.discord.wording import DMS_CLOSED
from infointerview.core import Database, Engine, SignedIn, SimulatedClock, WebAccess
from tests.discord_fake import SAM, FakeDiscord, command, deliver, no_logged_errors
from tests.discord_helpers import EPHEMERAL, InfoInterviewBot, assert_no_pings, play

pytestmark = pytest.mark.usefixtures(no_logged_errors.__name__)

URL = "https://careers.example.edu"
TOKEN = re.compile(re.escape(URL) + r"/web/signin\?token=([A-Za-z0-9_.\-]+)")


@pytest.fixture
def access(database: Database, clock: SimulatedClock) -> WebAccess:
    return WebAccess(database, public_url=URL, clock=clock)


@pytest.fixture
def web_engine(database: Database, clock: SimulatedClock, access: WebAccess) -> Engine:
    return Engine(database, clock=clock, web_access=access)


def tokens(payload: object) -> set[str]:
    return set(TOKEN.findall(json.dumps(payload)))


def test_the_command_is_in_discords_group(web_engine: Engine, access: WebAccess) -> None:
    async def scenario(api: FakeDiscord, bot: InfoInterviewBot) -> None:
        await deliver(bot, command("dashboard", guild=False))

    api = play(web_engine, scenario)
    [answer] = api.callbacks()
    assert answer["type"] == 4
    [token] = tokens(answer["data"])
    signed = access.redeem(token)
    assert isinstance(signed, SignedIn)
    assert (signed.viewer.platform, signed.viewer.tenant, signed.viewer.user_id) == (
        "discord", "discord", str(SAM))
    assert_no_pings(api)


def test_from_a_guild_channel_the_link_goes_by_dm_only(web_engine: Engine,
                                                       access: WebAccess) -> None:
    async def scenario(api: FakeDiscord, bot: InfoInterviewBot) -> None:
        await deliver(bot, command("dashboard"))

    api = play(web_engine, scenario)
    [dm] = [call for call in api.dms() if tokens(call.body)]
    [token] = tokens(dm.body)
    # in angle brackets: Discord shows the link without an embed, so its crawler never fetches it
    assert f"<{URL}/web/signin?token={token}>" in dm.body["content"]
    assert not dm.body.get("embeds")
    assert not any("token=" in json.dumps(call.body) for call in api.calls if call is not dm)
    in_guild = api.callbacks()
    assert all(c["data"]["flags"] & EPHEMERAL for c in in_guild if c["type"] == 4)
    assert any("direct messages" in c["data"].get("content", "") for c in in_guild)
    signed = access.redeem(token)
    assert isinstance(signed, SignedIn) and signed.viewer.user_id == str(SAM)
    assert_no_pings(api)


def test_with_closed_dms_the_link_is_shown_nowhere(web_engine: Engine) -> None:
    async def scenario(api: FakeDiscord, bot: InfoInterviewBot) -> None:
        api.closed_dms.add(SAM)
        await deliver(bot, command("dashboard"))

    api = play(web_engine, scenario)
    assert not any("token=" in json.dumps(call.body) for call in api.calls
                   if not call.path.startswith("/channels/"))  # the refused DM aside
    said = [c["data"].get("content", "") for c in api.callbacks() if c["type"] == 4]
    assert said == [DMS_CLOSED]


def test_without_web_pages_discord_hears_so(engine: Engine) -> None:
    async def scenario(api: FakeDiscord, bot: InfoInterviewBot) -> None:
        await deliver(bot, command("dashboard"))

    api = play(engine, scenario)
    [answer] = api.callbacks()
    assert "aren't set up" in answer["data"]["content"] and not api.dms()
