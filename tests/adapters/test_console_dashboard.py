"""``/infointerview dashboard`` at the console: the link is printed in the DM and opens the
person's pages at the console's default address; in a channel it goes to the DM only."""

from __future__ import annotations

import re

import pytest

from infointerview.adapters.console.adapter import ConsoleAdapter, Output
from infointerview.adapters.console.render import message_text
from infointerview.core import Database, Engine, SignedIn, SimulatedClock, WebAccess

URL = "http://127.0.0.1:8080"
TOKEN = re.compile(re.escape(URL) + r"/web/signin\?token=([A-Za-z0-9_.\-]+)")


@pytest.fixture
def access(database: Database, clock: SimulatedClock) -> WebAccess:
    return WebAccess(database, public_url=URL, clock=clock)


@pytest.fixture
def web_engine(database: Database, clock: SimulatedClock, access: WebAccess) -> Engine:
    return Engine(database, clock=clock, web_access=access)


def printed(output: Output) -> str:
    return message_text(output.message) if output.message else output.notice


def test_the_link_is_printed_and_opens_their_pages(web_engine: Engine,
                                                   access: WebAccess) -> None:
    console = ConsoleAdapter(web_engine, "sam")
    [output] = console.line("/infointerview dashboard")
    [token] = TOKEN.findall(printed(output))
    assert "works once, within 10 minutes" in printed(output)
    signed = access.redeem(token)
    assert isinstance(signed, SignedIn)
    assert (signed.viewer.platform, signed.viewer.user_id) == ("console", "sam")
    assert access.redeem(token).reason == "used"  # type: ignore[union-attr]


def test_in_a_channel_only_the_dm_holds_the_link(web_engine: Engine,
                                                 access: WebAccess) -> None:
    console = ConsoleAdapter(web_engine, "ana", channel="bootcamp")
    outputs = console.line("/infointerview dashboard")
    in_dm = [o for o in outputs if o.dm]
    in_channel = [o for o in outputs if not o.dm]
    [token] = TOKEN.findall(printed(in_dm[0]))
    assert in_channel and all(o.ephemeral for o in in_channel)
    assert not any("token=" in printed(o) for o in in_channel)
    signed = access.redeem(token)
    assert isinstance(signed, SignedIn) and signed.viewer.user_id == "ana"


def test_a_console_without_web_pages_says_so(engine: Engine) -> None:
    [output] = ConsoleAdapter(engine, "sam").line("/infointerview dashboard")
    assert "aren't set up" in printed(output) and "http" not in printed(output)
