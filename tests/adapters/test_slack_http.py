"""The Slack adapter end to end: the real Bolt app behind a real HTTP server receives requests
signed like Slack's, and a local stand-in of Slack's Web API records what the bot does."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from infointerview.adapters.slack.config import SlackConfig
from infointerview.adapters.slack.server import SlackRuntime
from infointerview.core import Engine, SendDM, SimulatedClock
from tests.helpers import CONTACT, PROFILE, SOURCE
from tests.slack_support import (
    SIGNING_SECRET,
    TEAM,
    LoopThread,
    SlackSender,
    SlackStandIn,
    serve,
    standin_running,
)


@dataclass
class Harness:
    loop: LoopThread
    api: SlackStandIn
    runtime: SlackRuntime
    slack: SlackSender
    modals_seen: int = 0

    def last_modal(self) -> dict[str, Any]:
        """The newest modal opened since the last call: the views.open a command just caused
        can land after its ack, so an older modal must not stand in for it."""
        opened = self.api.wait_for("views.open", count=self.modals_seen + 1)
        self.modals_seen = len(opened)
        return opened[-1].params["view"]

    def shown(self, since: int = 0) -> list[dict[str, Any]]:
        """Messages the person saw (DM posts, ephemeral replies), oldest first."""
        return [c.params for c in self.api.calls[since:]
                if c.method in ("chat.postMessage", "chat.postEphemeral", "respond")]

    def button(self, action: str) -> tuple[str, str]:
        """The newest button for an action: its action_id and value."""
        for params in reversed(self.shown()):
            for block in reversed(params.get("blocks") or []):
                for element in block.get("elements", []) if block["type"] == "actions" else []:
                    if element["action_id"].startswith(f"ii:{action}:"):
                        return element["action_id"], element.get("value", "")
        raise AssertionError(f"no {action} button shown")

    def click(self, user: str, action: str) -> None:
        before = len(self.api.calls)
        action_id, value = self.button(action)
        assert self.slack.click(user, action_id, value).status == 200
        self.settle(before)

    def settle(self, before: int, method: str = "chat.postMessage") -> None:
        """Wait until the bot has answered (its last call after ``before`` is a message)."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            fresh = self.api.calls[before:]
            if any(c.method in (method, "respond", "chat.postEphemeral", "views.open")
                   for c in fresh):
                time.sleep(0.15)  # let the rest of this answer arrive
                return
            time.sleep(0.02)
        raise AssertionError("the bot did not answer")

    def text_since(self, before: int) -> str:
        return json.dumps(self.shown(before), ensure_ascii=False)


@pytest.fixture
def harness(engine: Engine) -> Iterator[Harness]:
    with standin_running() as (loop, api):
        config = SlackConfig(signing_secret=SIGNING_SECRET, bot_token="xoxb-test-token",
                             api_url=f"{api.base}/api/")
        runtime = SlackRuntime(engine, config, database=engine.database)
        bot_runner, bot_port = loop.run(serve(runtime.web_app(reminders=False)))
        yield Harness(loop, api, runtime,
                      SlackSender(f"http://127.0.0.1:{bot_port}/slack/events", api))
        loop.run(bot_runner.cleanup())


def onboard(h: Harness, user: str = "U1") -> str:
    """/infointerview start → profile → contact → source, all in modals; returns the number."""
    assert h.slack.command(user, "start").status == 200
    reply = h.slack.submit(user, h.last_modal(), PROFILE)
    step = reply.json()
    assert step["response_action"] == "update"  # the next form replaces the modal
    reply = h.slack.submit(user, step["view"], CONTACT)
    step = reply.json()
    assert json.loads(step["view"]["private_metadata"])["form"].startswith("contact2:")
    before = len(h.api.calls)
    assert h.slack.submit(user, step["view"], SOURCE).status == 200
    h.settle(before)
    return json.loads(step["view"]["private_metadata"])["form"].split(":")[1]


def test_the_time_zone_comes_from_slack_profile(harness: Harness) -> None:
    harness.api.tz["U3"] = "Asia/Tokyo"
    harness.slack.command("U3", "start")
    view = harness.last_modal()
    tz = next(b["element"] for b in view["blocks"] if b.get("block_id") == "tz")
    assert tz.get("initial_value") == "Asia/Tokyo"
    assert harness.api.of("users.info")[0].params["user"] == "U3"


def test_modal_round_trip_keeps_values_and_shows_field_errors(harness: Harness) -> None:
    harness.slack.command("U1", "start")
    view = harness.last_modal()
    reply = harness.slack.submit("U1", view, PROFILE | {"tz": "Mars/Olympus"})
    answer = reply.json()
    assert answer["response_action"] == "errors"
    assert "tz" in answer["errors"] and "time zone" in answer["errors"]["tz"]
    # nothing was lost: the same modal (with what was typed) is still open and can be fixed
    assert harness.slack.submit("U1", view, PROFILE).json()["response_action"] == "update"


def test_journey_over_http_drafts_buttons_notes_and_files(harness: Harness,
                                                          clock: SimulatedClock) -> None:
    h = harness
    number = onboard(h)
    drafts = [p for p in h.shown() if "```" in json.dumps(p)]
    assert drafts and drafts[-1]["channel"] == "DU1"  # the outreach draft went to the DM
    h.click("U1", "mark_sent")
    h.click("U1", "replied")
    before = len(h.api.calls)
    h.slack.command("U1", f"meeting {number}")
    meeting = h.last_modal()
    assert h.slack.submit("U1", meeting, {"date": "2026-03-05", "time": "14:00",
                                          "duration": "30", "mode": "video",
                                          "detail": "https://meet.example.org/abc"}).status == 200
    h.api.wait_for("files.completeUploadExternal")  # the .ics went to the DM as a file
    upload = h.api.of("files.completeUploadExternal")[-1].params
    assert upload["channel_id"] == "DU1"
    assert any(b.startswith(b"BEGIN:VCALENDAR") for b in h.api.uploads.values())
    clock.set(datetime(2026, 3, 5, 14, 0, tzinfo=ZoneInfo("America/Chicago")).astimezone(UTC))
    h.settle(before)
    before = len(h.api.calls)
    h.slack.command("U1", f"interview {number}")
    h.settle(before)
    before = len(h.api.calls)
    assert h.slack.dm("U1", "Join the regulatory society's mentoring scheme").status == 200
    h.settle(before)
    assert "Note 1" in h.text_since(before) or "noted" in h.text_since(before).lower()
    before = len(h.api.calls)
    h.slack.command("U1", f"end {number}")
    h.settle(before)
    assert "thank-you" in h.text_since(before).lower()
    before = len(h.api.calls)
    h.slack.command("U1", "list")
    h.settle(before)
    assert "Dr. Jordan Lee" in h.text_since(before)


def test_app_home_shows_the_pipeline(harness: Harness) -> None:
    onboard(harness)
    before = len(harness.api.calls)
    harness.slack.event({"type": "app_home_opened", "user": "U1", "channel": "DU1",
                         "tab": "home"})
    published = harness.api.wait_for("views.publish")[-1].params
    assert published["user_id"] == "U1" and published["view"]["type"] == "home"
    home = json.dumps(published["view"])
    assert "1 contact" in home and "ii:start:" in home
    # its buttons work, with the answer in the DM
    action_id = next(e["action_id"] for b in published["view"]["blocks"]
                     if b["type"] == "actions" for e in b["elements"]
                     if e["action_id"].startswith("ii:list:"))
    harness.slack.click("U1", action_id, container="view")
    harness.settle(before)
    assert any(p.get("channel") == "DU1" and "Jordan Lee" in json.dumps(p)
               for p in harness.shown(before))


def test_reminder_dm_is_delivered_once_with_its_key(harness: Harness,
                                                    clock: SimulatedClock) -> None:
    number = onboard(harness)
    harness.click("U1", "mark_sent")
    clock.set(datetime(2026, 3, 6, 15, 0, tzinfo=UTC))  # 3 business days later, morning
    before = len(harness.api.calls)
    report = harness.loop.run(harness.runtime.dispatcher.tick())
    assert report.delivered == 1
    posts = [c.params for c in harness.api.calls[before:] if c.method == "chat.postMessage"]
    assert len(posts) == 1 and posts[0]["channel"] == "DU1"
    assert posts[0]["metadata"]["event_type"] == "infointerview_reminder"
    # a second process that reclaims the same reminder finds it in the DM and does not resend
    key = posts[0]["metadata"]["event_payload"]["key"]
    ref = harness.loop.run(harness.runtime.gateway.send_dm(
        "T0TEAM", "U1", posts and _dummy_message(), idempotency_key=key))
    assert ref.startswith("DU1/")
    assert len([c for c in harness.api.calls[before:] if c.method == "chat.postMessage"]) == 1
    assert number


def test_a_reminder_posted_before_a_crash_is_found_after_50_messages_and_not_sent_again(
        harness: Harness, clock: SimulatedClock) -> None:
    h = harness
    onboard(h)
    h.click("U1", "mark_sent")
    clock.set(datetime(2026, 3, 6, 15, 0, tzinfo=UTC))  # the no-reply nudge is due
    engine, dispatcher = h.runtime.dispatcher.engine, h.runtime.dispatcher
    # a process claims the nudge, Slack accepts its DM, and the process dies before marking it
    [due] = engine.claim_due_reminders("slack", lease=dispatcher.lease)
    dm = next(e for e in engine.handle(due) if isinstance(e, SendDM))
    key = f"reminder-{due.reminder_id}-0"
    h.loop.run(h.runtime.gateway.send_dm(TEAM, "U1", dm.message, idempotency_key=key,
                                         sent_since=due.due_at))
    for i in range(50):  # the person goes on typing notes before the lease runs out
        h.api.person_says("DU1", f"note {i}")
    history_calls = len(h.api.of("conversations.history"))
    clock.advance(dispatcher.lease + timedelta(seconds=1))
    report = h.loop.run(dispatcher.tick())  # another process reclaims it
    assert report.claimed == 1 and report.delivered == 1
    copies = [c for c in h.api.of("chat.postMessage")
              if (c.params.get("metadata") or {}).get("event_payload", {}).get("key") == key]
    assert len(copies) == 1  # found in the DM's history, not sent a second time
    lookups = h.api.of("conversations.history")[history_calls:]
    assert len(lookups) >= 4  # 51 messages, 15 a page: paged with Slack's cursor
    assert all(float(c.params["oldest"]) <= due.due_at.timestamp() for c in lookups)


def _dummy_message() -> Any:
    from infointerview.core import Message, RichText, TextBlock
    return Message((TextBlock(RichText.bot("again")),))


def test_requests_without_a_valid_signature_are_refused(harness: Harness) -> None:
    slack = harness.slack
    assert slack.command("U1", "help", signed=False).status == 401
    old = int(time.time()) - 600
    assert slack.command("U1", "help", timestamp=old).status == 401
    forged = slack.command("U1", "help", headers={"X-Slack-Signature": "v0=" + "0" * 64},
                           signed=False)
    assert forged.status == 401
    assert not harness.api.of("users.info")  # nothing was done for any of them


def test_three_retries_of_one_event_produce_one_effect(harness: Harness) -> None:
    onboard(harness)
    harness.click("U1", "mark_sent")
    harness.click("U1", "replied")
    harness.slack.command("U1", "interview 1")
    time.sleep(0.3)
    before = len(harness.api.calls)
    for retry in (None, 1, 2, 3):
        assert harness.slack.dm("U1", "A note sent once", event_id="EvSAME",
                                retry=retry).status == 200
    time.sleep(0.5)
    posts = [c for c in harness.api.calls[before:] if c.method == "chat.postMessage"]
    assert len(posts) == 1


def test_the_bot_ignores_its_own_messages_and_other_bots(harness: Harness) -> None:
    harness.slack.event({"type": "message", "channel_type": "im", "channel": "DU1",
                         "user": "UBOT", "bot_id": "BBOT", "text": "echo", "ts": "1.1"})
    harness.slack.event({"type": "message", "channel_type": "im", "channel": "DU1",
                         "subtype": "message_changed", "text": "edit", "ts": "1.2"})
    time.sleep(0.4)
    assert not harness.api.of("chat.postMessage")


PINGS = ["<!channel>", "<!here>", "<!everyone>", "<@U0BOSS>", "<#C0GENERAL>"]


def test_mentions_typed_anywhere_never_reach_slack_unescaped(harness: Harness) -> None:
    h = harness
    sneaky = " ".join(PINGS)
    h.slack.command("U1", "start")
    step = h.slack.submit("U1", h.last_modal(), PROFILE | {"name": f"Sam {sneaky}",
                                                            "interests": sneaky}).json()
    step = h.slack.submit("U1", step["view"], CONTACT | {"name": f"Jo {sneaky}",
                                                          "organisation": sneaky}).json()
    before = len(h.api.calls)
    h.slack.submit("U1", step["view"], SOURCE | {"reason": sneaky, "found_detail": sneaky})
    h.settle(before)
    h.slack.command("U1", f"note 1 {sneaky}", channel="C0GENERAL")
    h.slack.command("U1", f"nonsense {sneaky}", channel="C0GENERAL")
    h.slack.command("U1", "list", channel="C0GENERAL")
    h.slack.dm("U1", sneaky)
    h.slack.command("U1", "costs&lt;5k&amp;")  # how Slack sends a typed "costs<5k&"
    # a person's requests are handled in order: once the last is answered, all are (waited
    # for, not slept on: on a loaded machine the answers take longer than any fixed pause)
    deadline = time.monotonic() + 20
    while "costs" not in h.api.visible_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    shown = h.api.visible_text()
    assert "&lt;!channel&gt;" in shown  # the text is there, as text
    assert "costs&lt;5k&amp;" in shown and "&amp;lt;" not in shown  # escaped exactly once
    for ping in PINGS:
        assert ping not in shown, ping
    # nothing private was posted into the channel; replies there were ephemeral only
    assert not [c for c in h.api.of("chat.postMessage") if c.params["channel"] == "C0GENERAL"]


def test_slash_command_in_a_channel_answers_ephemerally_and_drafts_go_to_the_dm(
        harness: Harness) -> None:
    onboard(harness)
    before = len(harness.api.calls)
    harness.slack.command("U1", "show 1", channel="C0GENERAL")
    harness.settle(before)
    time.sleep(0.2)
    fresh = harness.api.calls[before:]
    assert any(c.method == "respond" and c.params["response_type"] == "ephemeral"
               for c in fresh)
    assert all(c.params.get("channel") != "C0GENERAL" for c in fresh
               if c.method == "chat.postMessage")
    assert any(c.method == "chat.postMessage" and c.params["channel"] == "DU1" for c in fresh)


def test_rate_limited_web_api_calls_are_retried(harness: Harness) -> None:
    harness.api.fail_next("chat.postMessage", 429, {"ok": False, "error": "ratelimited"},
                          {"Retry-After": "1"})
    before = len(harness.api.calls)
    harness.slack.command("U1", "help")
    harness.api.wait_for("chat.postMessage", 2, timeout=10)
    posts = [c for c in harness.api.calls[before:] if c.method == "chat.postMessage"]
    assert len(posts) == 2  # the 429, then the same message once more
    assert posts[0].params["text"] == posts[1].params["text"]


def test_odd_payloads_get_a_friendly_answer_and_never_a_crash(harness: Harness) -> None:
    h = harness
    onboard(h)
    before = len(h.api.calls)
    # a button nobody knows, a stale contact number, a modal with broken metadata
    assert h.slack.click("U1", "ii:no_such_action:0", "1").status == 200
    assert h.slack.click("U1", "ii:mark_sent:0", "999").status == 200
    view = {"type": "modal", "callback_id": "ii_form", "private_metadata": "{not json",
            "blocks": [{"type": "input", "block_id": "name",
                        "element": {"type": "plain_text_input", "action_id": "value"}}]}
    assert h.slack.submit("U1", view, {"name": "x"}).status == 200
    # an enormous slash command and an enormous DM line
    assert h.slack.command("U1", "note 1 " + "x" * 20_000).status == 200
    assert h.slack.dm("U1", "y" * 40_000).status == 200
    h.settle(before)
    time.sleep(0.5)
    shown = h.text_since(before)
    assert shown.count("changed or is gone") >= 2  # the unknown and the stale button
    assert "Traceback" not in shown and "went wrong" not in shown
    # the server is still there and still answers
    before = len(h.api.calls)
    h.slack.command("U1", "list")
    h.settle(before)
    assert "Dr. Jordan Lee" in h.text_since(before)
