"""``/infointerview dashboard`` through the engine: the link is written with the event, opens
its own person's pages once, and forget-me signs them out. On SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from infointerview.core import (
    Actor,
    CommandInvoked,
    Database,
    Engine,
    Place,
    Refused,
    Reply,
    SendDM,
    SignedIn,
    SimulatedClock,
    WebAccess,
)
from infointerview.core.access import LINK_TTL, SESSION_TTL
from infointerview.core.journey import pipeline
from infointerview.core.store.models import WebLinkRow, WebSessionRow
from tests.helpers import User

URL = "https://careers.example.edu"
LINK = re.compile(re.escape(URL) + r"/web/signin\?token=[A-Za-z0-9_.\-]+")


@pytest.fixture
def access(database: Database, clock: SimulatedClock) -> WebAccess:
    return WebAccess(database, public_url=URL, clock=clock)


@pytest.fixture
def web_engine(database: Database, clock: SimulatedClock, access: WebAccess) -> Engine:
    return Engine(database, clock=clock, web_access=access)


def links_in(effects: list) -> list[str]:  # type: ignore[type-arg]
    return [link for e in effects if isinstance(e, Reply | SendDM)
            for link in LINK.findall(e.message.plain_text())]


def token(link: str) -> str:
    return link.split("token=", 1)[1]


def rows(database: Database, table: type) -> int:
    with database.begin() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def test_the_message_promises_what_access_keeps() -> None:
    assert timedelta(minutes=pipeline.LINK_MINUTES) == LINK_TTL
    assert timedelta(hours=pipeline.SESSION_HOURS) == SESSION_TTL


def test_the_link_in_the_dm_signs_in_its_person_once(web_engine: Engine, access: WebAccess,
                                                    database: Database) -> None:
    sam = User(web_engine, "sam")
    sam.onboard()
    effects = sam.command("dashboard")
    [link] = links_in(effects)
    assert [type(e) for e in effects] == [Reply]
    assert rows(database, WebLinkRow) == 1
    result = access.redeem(token(link))
    assert isinstance(result, SignedIn)
    assert (result.viewer.user_id, result.viewer.name) == ("sam", "Sam Rivera")
    assert access.redeem(token(link)) == Refused("used")


def test_in_a_channel_the_link_goes_by_dm_only(web_engine: Engine, access: WebAccess) -> None:
    ada = User(web_engine, "ada", channel="C42")
    effects = ada.command("dashboard")
    dms = [e for e in effects if isinstance(e, SendDM)]
    in_channel = [e for e in effects if isinstance(e, Reply)]
    assert [d.user_id for d in dms] == ["ada"]
    [link] = links_in(dms)
    assert not links_in(in_channel)
    assert all(r.ephemeral for r in in_channel)
    result = access.redeem(token(link))
    assert isinstance(result, SignedIn) and result.viewer.user_id == "ada"


def test_a_repeated_event_makes_no_second_link(web_engine: Engine,
                                               database: Database) -> None:
    event = CommandInvoked(event_id="retry-1", actor=Actor("console", "local", "sam", "Sam"),
                           place=Place("dm", True), received_at=web_engine.clock(),
                           name="dashboard", args="")
    assert links_in(web_engine.handle(event))
    assert web_engine.handle(event) == []
    assert rows(database, WebLinkRow) == 1


def test_links_are_dated_on_the_access_clock_not_the_events(
        database: Database, access: WebAccess, clock: SimulatedClock) -> None:
    """A console on a simulated clock (``--start-at`` months ago) makes links that the web
    server, on its own clock, opens within ten minutes of theirs."""
    console = Engine(database, clock=SimulatedClock(clock() - timedelta(days=300)),
                     web_access=access)
    sam = User(console, "sam")
    [now] = links_in(sam.command("dashboard"))
    [later] = links_in(sam.command("dashboard"))
    assert isinstance(access.redeem(token(now)), SignedIn)
    clock.advance(timedelta(minutes=11))
    assert access.redeem(token(later)) == Refused("expired")


def test_without_web_pages_there_is_no_link(engine: Engine, database: Database) -> None:
    effects = User(engine, "sam").command("dashboard")
    assert not links_in(effects)
    assert "aren't set up" in effects[0].message.plain_text()
    assert rows(database, WebLinkRow) == 0


def test_forget_me_signs_the_person_out_and_deletes_their_links(
        web_engine: Engine, access: WebAccess, database: Database) -> None:
    sam, ada = User(web_engine, "sam"), User(web_engine, "ada")
    sam.onboard()
    ada.onboard()
    [used] = links_in(sam.command("dashboard"))
    [unused] = links_in(sam.command("dashboard"))
    signed = access.redeem(token(used))
    assert isinstance(signed, SignedIn)
    [ada_link] = links_in(ada.command("dashboard"))
    ada_session = access.redeem(token(ada_link))
    assert isinstance(ada_session, SignedIn)

    sam.command("forget-me")
    sam.click("forget_confirm")

    assert access.viewer(signed.token) is None
    assert access.redeem(token(unused)) == Refused("invalid")
    with database.begin() as connection:
        left = {table.__tablename__: connection.execute(
            select(table.user_pk).where(table.user_pk == signed.viewer.user_pk)).all()
            for table in (WebLinkRow, WebSessionRow)}
    assert left == {"web_links": [], "web_sessions": []}
    assert access.viewer(ada_session.token) == ada_session.viewer  # others stay signed in
    assert rows(database, WebLinkRow) == 1
