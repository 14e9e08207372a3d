"""Slash commands are kept before their ack: a command acknowledged by a process that then died
is handled when the next one starts, in each person's order, exactly once; one that would open
a modal sends a DM with a button instead (its trigger expired); and a command the inbox could
not take is answered honestly and never runs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from infointerview.adapters.slack.config import SlackConfig
from infointerview.adapters.slack.server import SlackRuntime
from infointerview.core import CommandInvoked, Engine, Place
from tests.helpers import User
from tests.slack_support import (
    SIGNING_SECRET,
    TEAM,
    SlackSender,
    SlackStandIn,
    serve,
    standin_running,
)


@contextmanager
def slack_bot(engine: Engine) -> Iterator[tuple[SlackStandIn, SlackSender, SlackRuntime]]:
    """The Slack server started on ``engine``'s database, as after a restart."""
    with standin_running() as (loop, api):
        config = SlackConfig(signing_secret=SIGNING_SECRET, bot_token="xoxb-test-token",
                             api_url=f"{api.base}/api/")
        runtime = SlackRuntime(engine, config, database=engine.database)
        runner, port = loop.run(serve(runtime.web_app(reminders=False)))
        loop.run(runtime.adapter.intake.replayed())
        try:
            yield api, SlackSender(f"http://127.0.0.1:{port}/slack/events", api), runtime
        finally:
            loop.run(runner.cleanup())


def with_a_contact(engine: Engine, user: str) -> User:
    person = User(engine, user, tenant=TEAM, platform="slack")
    person.onboard()
    person.add_contact()
    return person


def command_body(base: str, user: str, typed: str, trigger: str) -> dict[str, Any]:
    return {"token": "legacy", "team_id": TEAM, "channel_id": f"D{user}",
            "user_id": user, "user_name": user.lower(), "command": "/infointerview",
            "text": typed, "response_url": f"{base}/respond/{trigger}", "trigger_id": trigger}


def acknowledged_then_killed(engine: Engine, user: str, typed: str, trigger: str) -> int:
    """What a process leaves behind when it dies after acking a command: its inbox row."""
    return engine.keep(platform="slack", tenant=TEAM, user_id=user, kind="command",
                       event_id=f"command:{trigger}",
                       payload=command_body("http://127.0.0.1:9", user, typed, trigger))


def notes(engine: Engine, user: str) -> list[str]:
    with engine.database.begin() as connection:
        found = connection.execute(text(
            "SELECT c.notes FROM contacts c JOIN users u ON u.id = c.user_pk "
            "WHERE u.user_id = :user AND c.no = 1"), {"user": user}).scalar_one()
    stored = json.loads(found) if isinstance(found, str) else found
    return [note["text"] for note in stored]


def outcomes(engine: Engine) -> dict[str, str]:
    with engine.database.begin() as connection:
        rows = connection.execute(text("SELECT event_id, outcome FROM inbox WHERE done_at "
                                       "IS NOT NULL")).all()
    return {event_id: outcome for event_id, outcome in rows}


def test_commands_acknowledged_before_a_restart_are_handled_at_start_up_in_order(
        engine: Engine) -> None:
    with_a_contact(engine, "U1")
    with_a_contact(engine, "U2")
    for user, marker in (("U1", "first"), ("U2", "other"), ("U1", "second"),
                         ("U1", "third")):
        acknowledged_then_killed(engine, user, f"note 1 {marker}", f"t-{user}-{marker}")
    with slack_bot(engine):
        assert notes(engine, "U1") == ["first", "second", "third"]
        assert notes(engine, "U2") == ["other"]
        assert engine.inbox_pending("slack") == []
        assert set(outcomes(engine).values()) == {"handled"}


def test_a_replayed_command_that_was_handled_already_is_only_marked_done(
        engine: Engine) -> None:
    person = with_a_contact(engine, "U1")
    acknowledged_then_killed(engine, "U1", "note 1 once", "t-once")
    engine.handle(CommandInvoked(event_id="command:t-once", actor=person.actor,
                                 place=Place("DU1", True), received_at=engine.clock(),
                                 name="note", args="1 once"))  # the mark was what got lost
    with slack_bot(engine) as (api, _, _):
        assert notes(engine, "U1") == ["once"]
        assert outcomes(engine) == {"command:t-once": "duplicate"}
        assert not api.of("chat.postMessage") and not api.of("respond")


def test_a_replayed_command_that_opens_a_form_sends_a_dm_whose_button_opens_it(
        engine: Engine) -> None:
    with_a_contact(engine, "U1")
    acknowledged_then_killed(engine, "U1", "note 1", "t-form")
    with slack_bot(engine) as (api, slack, _):
        assert not api.of("views.open")  # its trigger expired with the old process
        dm = api.wait_for("chat.postMessage", where=lambda c: c.params["channel"] == "DU1")
        shown = json.dumps(dm[-1].params)
        assert "where you left off" in shown and "note 1" in shown
        button = next(element for block in dm[-1].params["blocks"]
                      if block["type"] == "actions" for element in block["elements"])
        assert button["action_id"].startswith("ii:resume_command:")
        assert slack.click("U1", button["action_id"], button["value"]).status == 200
        modal = api.wait_for("views.open")[-1].params["view"]
        assert "note" in json.dumps(modal).lower()


def test_a_command_the_inbox_cannot_take_is_answered_honestly_and_never_runs(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    with_a_contact(engine, "U1")

    def refused(**kept: Any) -> int:
        raise OperationalError("INSERT INTO inbox", {}, Exception("connection refused"))

    with slack_bot(engine) as (api, slack, _):
        monkeypatch.setattr(engine, "keep", refused)
        assert slack.command("U1", "note 1 never").status == 200
        said = api.wait_for("chat.postMessage", where=lambda c: "couldn't save"
                            in json.dumps(c.params))
        assert said
    assert notes(engine, "U1") == []
    with engine.database.begin() as connection:
        assert connection.execute(text("SELECT count(*) FROM inbox")).scalar_one() == 0


def test_a_live_command_leaves_its_inbox_row_done_with_its_event(engine: Engine) -> None:
    with_a_contact(engine, "U1")
    with slack_bot(engine) as (api, slack, _):
        assert slack.command("U1", "note 1 live", trigger_id="t-live").status == 200
        api.wait_for("chat.postMessage")
    assert notes(engine, "U1") == ["live"]
    assert outcomes(engine) == {"command:t-live": "handled"}


def click_body(base: str, user: str, action_id: str, value: str, trigger: str,
               ) -> dict[str, Any]:
    return {"type": "block_actions", "team": {"id": TEAM, "domain": "lab"},
            "user": {"id": user, "username": user.lower(), "name": user.lower(),
                     "team_id": TEAM},
            "api_app_id": "A0APP", "trigger_id": trigger,
            "response_url": f"{base}/respond/{trigger}",
            "container": {"type": "message", "channel_id": f"D{user}", "message_ts": "1.0"},
            "channel": {"id": f"D{user}", "name": "directmessage"},
            "actions": [{"type": "button", "action_id": action_id, "block_id": "b1",
                         "value": value, "action_ts": "1.5"}]}


def test_a_button_click_acknowledged_before_a_restart_is_handled_at_start_up(
        engine: Engine) -> None:
    with_a_contact(engine, "U1")
    engine.keep(platform="slack", tenant=TEAM, user_id="U1", kind="action",
                event_id="action:t-star", payload=click_body(
                    "http://127.0.0.1:9", "U1", "ii:add_note:0", "1", "t-star"))
    with slack_bot(engine) as (api, slack, _):
        assert not api.of("views.open")  # the note form would have opened: its trigger is gone
        dm = api.wait_for("chat.postMessage", where=lambda c: c.params["channel"] == "DU1")
        button = next(element for block in dm[-1].params["blocks"]
                      if block["type"] == "actions" for element in block["elements"])
        assert "where you left off" in json.dumps(dm[-1].params)
        assert button["action_id"].startswith("ii:add_note:") and button["value"] == "1"
        assert slack.click("U1", button["action_id"], button["value"]).status == 200
        assert "note" in json.dumps(api.wait_for("views.open")[-1].params["view"]).lower()
    assert outcomes(engine)["action:t-star"] == "handled"
    assert engine.inbox_pending("slack") == []


def test_a_dm_acknowledged_before_a_restart_is_handled_at_start_up_after_the_persons_command(
        engine: Engine) -> None:
    with_a_contact(engine, "U1")
    acknowledged_then_killed(engine, "U1", "note 1 typed first", "t-first")
    engine.keep(platform="slack", tenant=TEAM, user_id="U1", kind="message",
                event_id="event:Ev-dm", payload={
                    "type": "event_callback", "team_id": TEAM, "event_id": "Ev-dm",
                    "event": {"type": "message", "channel_type": "im", "channel": "DU1",
                              "user": "U1", "text": "note 1 typed second", "ts": "2.0"}})
    with slack_bot(engine):
        assert outcomes(engine) == {"command:t-first": "handled", "event:Ev-dm": "handled"}
        assert notes(engine, "U1")[0] == "typed first"


def test_live_clicks_and_dms_are_kept_and_marked_done_with_their_events(
        engine: Engine) -> None:
    with_a_contact(engine, "U1")
    with slack_bot(engine) as (api, slack, _):
        assert slack.dm("U1", "hello there", event_id="Ev-live").status == 200
        api.wait_for("chat.postMessage")
        assert slack.click("U1", "ii:add_note:0", "1").status == 200
        api.wait_for("views.open")  # a live click's trigger still opens its form
    done = outcomes(engine)
    assert done.get("event:Ev-live") == "handled"
    assert any(key.startswith("action:") and value == "handled" for key, value in done.items())
    assert engine.inbox_pending("slack") == []
