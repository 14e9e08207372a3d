"""``/infointerview dashboard`` over Slack (the real Bolt app, Slack's Web API stood in for): the
link arrives in the person's DM and opens their pages; from a channel, the channel never sees it."""

from __future__ import annotations

import json
import re

import pytest

from infointerview.core import Database, Engine, SignedIn, SimulatedClock, WebAccess
from tests.adapters.test_slack_http import Harness, harness  # noqa: F401 - the fixture
from tests.slack_support import TEAM

URL = "https://careers.example.edu"
TOKEN = re.compile(re.escape(URL) + r"/web/signin\?token=([A-Za-z0-9_.\-]+)")
CHANNEL = "C0GENERAL"


@pytest.fixture
def access(database: Database, clock: SimulatedClock) -> WebAccess:
    return WebAccess(database, public_url=URL, clock=clock)


@pytest.fixture
def engine(database: Database, clock: SimulatedClock, access: WebAccess) -> Engine:
    """The harness's engine, with the web pages' sign-in."""
    return Engine(database, clock=clock, web_access=access)


def calls_since(h: Harness, before: int) -> list[tuple[str, str]]:
    """(method, what it carried) of each call the bot made since ``before``."""
    return [(c.method, json.dumps(c.params)) for c in h.api.calls[before:]]


def test_in_the_dm_the_link_arrives_and_opens_their_pages(
        harness: Harness, access: WebAccess) -> None:  # noqa: F811
    before = len(harness.api.calls)
    assert harness.slack.command("U1", "dashboard").status == 200
    harness.settle(before)
    carried = [(method, params) for method, params in calls_since(harness, before)
               if TOKEN.search(params)]
    [(method, params)] = carried
    assert method in ("respond", "chat.postMessage", "chat.postEphemeral")
    assert "DU1" in params or method == "respond"  # answered in the DM it was typed in
    signed = access.redeem(TOKEN.findall(params)[0])
    assert isinstance(signed, SignedIn)
    assert (signed.viewer.platform, signed.viewer.tenant, signed.viewer.user_id) == (
        "slack", TEAM, "U1")


def test_from_a_channel_the_link_goes_by_dm_and_the_channel_never_sees_it(
        harness: Harness, access: WebAccess) -> None:  # noqa: F811
    api = harness.api
    before = len(api.calls)
    assert harness.slack.command("U2", "dashboard", channel=CHANNEL).status == 200
    dm = api.wait_for("chat.postMessage", where=lambda c: c.params["channel"] == "DU2")[-1]
    harness.settle(before, "chat.postEphemeral")
    [token] = set(TOKEN.findall(json.dumps(dm.params)))  # in the text and in the blocks
    assert f"<{URL}/web/signin?token={token}>" in json.dumps(dm.params)  # mrkdwn's link
    assert dm.params.get("unfurl_links") is False  # no preview robot fetches it first
    elsewhere = [(method, params) for method, params in calls_since(harness, before)
                 if "token=" in params and '"DU2"' not in params]
    assert elsewhere == []
    pointer = harness.text_since(before)
    assert "direct messages" in pointer
    signed = access.redeem(token)
    assert isinstance(signed, SignedIn) and signed.viewer.user_id == "U2"
