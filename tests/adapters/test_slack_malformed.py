"""Correctly signed but malformed requests to /slack/events: each gets a 4xx, changes nothing and
leaves one WARNING line that names what was wrong (no traceback).

The corpus goes through the real HTTP server and the real Bolt app, signed the way Slack signs;
the Web API stand-in records any call the bot makes (there must be none), and every table's row
count is compared before and after.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from infointerview.adapters.slack.config import SlackConfig
from infointerview.adapters.slack.server import SlackRuntime
from infointerview.core import Database, Engine, SimulatedClock
from infointerview.core.store.models import Base
from tests.conftest import START
from tests.slack_support import (
    SIGNING_SECRET,
    TEAM,
    SlackSender,
    SlackStandIn,
    serve,
    standin_running,
)

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
HUGE_ID = "U" + "9" * 10_000


@dataclass(frozen=True)
class Bad:
    """One malformed request: its body, content type, and a word the warning must contain."""

    name: str
    body: str | bytes
    content_type: str
    named: str
    status: int = 400


def command_form(**changes: str | None) -> str:
    form: dict[str, str | None] = {
        "token": "legacy", "team_id": TEAM, "team_domain": "lab", "channel_id": "DU1",
        "channel_name": "directmessage", "user_id": "U1", "user_name": "u1",
        "command": "/infointerview", "text": "help", "api_app_id": "A0APP",
        "response_url": "http://127.0.0.1:9/respond/x", "trigger_id": "1.2.abc"} | changes
    return urllib.parse.urlencode({k: v for k, v in form.items() if v is not None})


def interactive(payload: Any) -> str:
    return urllib.parse.urlencode({"payload": json.dumps(payload)})


USER = {"id": "U1", "username": "u1", "name": "u1", "team_id": TEAM}
BUTTON = {"type": "button", "action_id": "ii:help:0", "block_id": "b1", "value": "",
          "action_ts": "1.0"}


def block_actions(**changes: Any) -> str:
    payload = {"type": "block_actions", "team": {"id": TEAM, "domain": "lab"}, "user": USER,
               "api_app_id": "A0APP", "token": "legacy", "trigger_id": "1.2.abc",
               "response_url": "http://127.0.0.1:9/respond/x",
               "container": {"type": "message", "channel_id": "DU1", "message_ts": "1.0"},
               "channel": {"id": "DU1", "name": "directmessage"}, "actions": [BUTTON]}
    return interactive({k: v for k, v in (payload | changes).items() if v is not None})


VIEW = {"id": "VMODAL1", "hash": "h1", "type": "modal", "callback_id": "ii_form",
        "team_id": TEAM, "private_metadata": json.dumps({"form": "profile", "channel": "DU1"}),
        "blocks": [], "state": {"values": {"name": {"value": {"type": "plain_text_input",
                                                              "value": "Sam"}}}}}


def view_submission(view: Any = VIEW, **changes: Any) -> str:
    payload = {"type": "view_submission", "team": {"id": TEAM, "domain": "lab"}, "user": USER,
               "api_app_id": "A0APP", "token": "legacy", "trigger_id": "1.2.abc", "view": view}
    return interactive({k: v for k, v in (payload | changes).items() if v is not None})


def view_with(**changes: Any) -> dict[str, Any]:
    return {k: v for k, v in (VIEW | changes).items() if v is not None}


def event(inner: Any, **changes: Any) -> str:
    envelope = {"token": "legacy", "team_id": TEAM, "api_app_id": "A0APP",
                "type": "event_callback", "event_id": "Ev1", "event_time": 1,
                "authorizations": [{"team_id": TEAM, "user_id": "UBOT", "is_bot": True}],
                "event": inner}
    return json.dumps({k: v for k, v in (envelope | changes).items() if v is not None})


DM = {"type": "message", "channel_type": "im", "channel": "DU1", "user": "U1", "text": "hi",
      "ts": "1.0"}

CORPUS = [
    # slash commands
    Bad("command without user_id", command_form(user_id=None), FORM, "user_id"),
    Bad("command with an empty user_id", command_form(user_id=""), FORM, "user_id"),
    Bad("command without channel_id", command_form(channel_id=None), FORM, "channel_id"),
    Bad("command without trigger_id", command_form(trigger_id=None), FORM, "trigger_id"),
    Bad("command without team_id", command_form(team_id=None), FORM, "team_id"),
    Bad("command without response_url", command_form(response_url=None), FORM, "response_url"),
    Bad("command of another app", command_form(command="/weather"), FORM, "command"),
    Bad("command with an enormous user_id", command_form(user_id=HUGE_ID), FORM, "user_id"),
    Bad("command with a control character in an id", command_form(channel_id="D\x00U1"), FORM,
        "channel_id"),
    Bad("command text with bad percent-encoding",
        command_form(text=None) + "&text=%FF%FEnote", FORM, "UTF-8"),
    Bad("form body that is neither a command nor a payload", "foo=bar&baz=1", FORM,
        "command"),
    Bad("empty body", "", FORM, "empty"),
    # interactive payloads
    Bad("payload that is not JSON", urllib.parse.urlencode({"payload": "{oops"}), FORM,
        "payload"),
    Bad("payload that is a JSON array", interactive([1, 2]), FORM, "payload"),
    Bad("payload that is JSON null", interactive(None), FORM, "payload"),
    Bad("payload that is a JSON string", interactive("block_actions"), FORM, "payload"),
    Bad("payload without a type", interactive({"user": USER}), FORM, "type"),
    Bad("payload of a type the bot does not use", interactive({"type": "shortcut"}), FORM,
        "type"),
    Bad("payload with bad percent-encoding", "payload=%7B%22type%22%3A%FF%7D", FORM, "UTF-8"),
    Bad("block_actions without actions", block_actions(actions=None), FORM, "actions"),
    Bad("block_actions with empty actions", block_actions(actions=[]), FORM, "actions"),
    Bad("block_actions with actions as a string", block_actions(actions="ii:help:0"), FORM,
        "actions"),
    Bad("block_actions with a number for an action", block_actions(actions=[42]), FORM,
        "actions"),
    Bad("block_actions with an action without action_id",
        block_actions(actions=[{"type": "button", "value": "1"}]), FORM, "action_id"),
    Bad("block_actions with a numeric action_id",
        block_actions(actions=[BUTTON | {"action_id": 7}]), FORM, "action_id"),
    Bad("block_actions with an enormous action_id",
        block_actions(actions=[BUTTON | {"action_id": "ii:" + "x" * 5000}]), FORM, "action_id"),
    Bad("block_actions with a value that is an object",
        block_actions(actions=[BUTTON | {"value": {"n": 1}}]), FORM, "value"),
    Bad("block_actions without a user", block_actions(user=None), FORM, "user"),
    Bad("block_actions with the user as a string", block_actions(user="U1"), FORM, "user"),
    Bad("block_actions with a user without id", block_actions(user={"name": "u1"}), FORM,
        "user.id"),
    Bad("block_actions with the channel as a string", block_actions(channel="DU1"), FORM,
        "channel"),
    Bad("view_submission without a user", view_submission(user=None), FORM, "user"),
    Bad("view_submission without a view", view_submission(view=None), FORM, "view"),
    Bad("view_submission with the view as a list", view_submission(view=[VIEW]), FORM, "view"),
    Bad("view_submission without a view id", view_submission(view_with(id=None)), FORM,
        "view.id"),
    Bad("view_submission with a list as state", view_submission(view_with(state=[])), FORM,
        "view.state"),
    Bad("view_submission with flat state values",
        view_submission(view_with(state={"values": {"name": "Sam"}})), FORM, "view.state"),
    Bad("view_submission with a state value that is not an object",
        view_submission(view_with(state={"values": {"name": {"value": "Sam"}}})), FORM,
        "view.state"),
    Bad("view_submission with private_metadata as an object",
        view_submission(view_with(private_metadata={"form": "profile"})), FORM,
        "private_metadata"),
    Bad("view_closed without a view id",
        interactive({"type": "view_closed", "user": USER, "team": {"id": TEAM},
                     "view": view_with(id=None)}), FORM, "view.id"),
    # Events API
    Bad("JSON body that does not parse", '{"type": "event_callback", "event": ', JSON, "JSON"),
    Bad("JSON body that is an array", "[]", JSON, "JSON"),
    Bad("JSON body that is null", "null", JSON, "JSON"),
    Bad("JSON nested deeper than any payload", '{"type": "event_callback", "event": '
        + "[" * 100_000 + "]" * 100_000 + "}", JSON, "JSON"),
    Bad("event_callback without an event", event(None), JSON, "event"),
    Bad("event_callback with the event as a string", event("message"), JSON, "event"),
    Bad("event_callback with an event without a type", event({"user": "U1"}), JSON,
        "event.type"),
    Bad("message event without a channel", event({k: v for k, v in DM.items()
                                                   if k != "channel"}), JSON, "event.channel"),
    Bad("message event with the text as an object", event(DM | {"text": {"a": 1}}), JSON,
        "event.text"),
    Bad("message event with an enormous user id", event(DM | {"user": HUGE_ID}), JSON,
        "event.user"),
    Bad("app_home_opened without a user", event({"type": "app_home_opened", "tab": "home"}),
        JSON, "event.user"),
    Bad("event_callback with authorizations as a string", event(DM, authorizations="x"), JSON,
        "authorizations"),
    Bad("event_callback with team_id as an object", event(DM, team_id={"id": TEAM}), JSON,
        "team_id"),
    Bad("url_verification without a challenge", json.dumps({"type": "url_verification"}), JSON,
        "challenge"),
    # bytes that are not text
    Bad("JSON body that is not UTF-8", b'{"type": "event_callback", "x": "\xff\xfe"}', JSON,
        "UTF-8"),
    Bad("form body that is not UTF-8", b"payload=\xff\xfe\xfd", FORM, "UTF-8"),
    Bad("body larger than a megabyte", event(DM | {"text": "x" * 1_100_000}), JSON, "large",
        status=413),
]


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SlackSender, Database]]:
    """One bot for the whole corpus: every case must leave it exactly as it found it."""
    path: Path = tmp_path_factory.mktemp("malformed") / "infointerview.bot.db"
    database = Database(f"sqlite:///{path}")
    database.migrate()
    engine = Engine(database, clock=SimulatedClock(START))
    with standin_running() as (loop, api):
        config = SlackConfig(signing_secret=SIGNING_SECRET, bot_token="xoxb-test-token",
                             api_url=f"{api.base}/api/")
        runtime = SlackRuntime(engine, config, database=database)
        runner, port = loop.run(serve(runtime.web_app(reminders=False)))
        yield SlackSender(f"http://127.0.0.1:{port}/slack/events", api), database
        loop.run(runner.cleanup())
    database.dispose()


def row_counts(database: Database) -> dict[str, int]:
    with database.engine.connect() as connection:
        return {table.name: connection.execute(select(func.count()).select_from(table))
                .scalar_one() for table in Base.metadata.sorted_tables}


def app_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """What the bot logged; aiohttp's access log (one INFO line per request) is not ours."""
    return [r for r in caplog.records if r.name != "aiohttp.access"]


@pytest.mark.parametrize("bad", CORPUS, ids=[bad.name for bad in CORPUS])
def test_a_malformed_request_gets_a_4xx_no_effect_and_one_warning(
        bot: tuple[SlackSender, Database], bad: Bad, caplog: pytest.LogCaptureFixture) -> None:
    slack, database = bot
    api: SlackStandIn = slack.standin
    rows, calls = row_counts(database), len(api.calls)
    caplog.set_level(logging.INFO)
    reply = slack.post(bad.body, bad.content_type)
    time.sleep(0.1)  # anything the bot might do after answering would land by now
    assert reply.status == bad.status, reply
    assert "Traceback" not in reply.body
    assert api.calls[calls:] == []
    assert row_counts(database) == rows
    [line] = app_records(caplog)
    assert line.levelno == logging.WARNING and line.exc_info is None
    assert bad.named in line.getMessage(), line.getMessage()
    assert len(line.getMessage()) < 300 and "\n" not in line.getMessage()


def test_the_corpus_is_large() -> None:
    assert len(CORPUS) >= 35


def test_a_malformed_request_without_a_valid_signature_is_refused_as_unsigned(
        bot: tuple[SlackSender, Database], caplog: pytest.LogCaptureFixture) -> None:
    slack, _ = bot
    caplog.set_level(logging.INFO)
    assert slack.post(interactive([1, 2]), FORM, signed=False).status == 401
    assert slack.post(b"\xff\xfe", JSON, signed=False).status == 401
    assert not [r for r in app_records(caplog) if r.levelno >= logging.WARNING]


def test_a_well_formed_request_still_gets_through_after_the_corpus(
        bot: tuple[SlackSender, Database]) -> None:
    slack, _ = bot
    assert slack.command("U1", "help").status == 200
    slack.standin.wait_for("chat.postMessage")
