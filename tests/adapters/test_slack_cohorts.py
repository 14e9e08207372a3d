"""Cohorts through Slack: create in a channel, Join button, share in a modal, find, a warm intro
accepted over DMs, the weekly digest posted by the dispatcher, and the coach's CSV."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

from infointerview.core import SimulatedClock
from tests.adapters.test_slack_http import Harness, harness, onboard  # noqa: F401 - the fixture
from tests.helpers import WEEK, followed_up_with_someone_shared_there

CHANNEL = "C0COHORT"


def _buttons(params: dict, prefix: str) -> list[dict]:  # type: ignore[type-arg]
    return [e for b in params.get("blocks") or [] if b["type"] == "actions"
            for e in b["elements"] if e["action_id"].startswith(prefix)]


def test_a_cohort_over_slack(harness: Harness, clock: SimulatedClock) -> None:  # noqa: F811
    h, api = harness, harness.api
    api.admins.add("U0COACH")
    assert "manages this channel" in _answer(h, "U1", "cohort create Nope")
    before = len(api.calls)
    h.slack.command("U0COACH", "cohort create Spring cohort", channel=CHANNEL)
    post = api.wait_for("chat.postMessage", where=lambda c: c.params["channel"] == CHANNEL)[0]
    join = _buttons(post.params, "ii:cohort_join:")[0]
    assert len(api.calls) > before
    # members opt in: one with the button in the channel, one with the command
    h.slack.click("U1", join["action_id"], join["value"], channel=CHANNEL)
    h.settle(len(api.calls) - 1)
    assert "Welcome to" in _answer(h, "U2", "cohort join", channel=CHANNEL)
    assert "Welcome to" in json.dumps([c.params for c in api.of("respond")])
    number = onboard(h, "U1")
    assert _share(h, number, "intro", "no") == f"share:{number}"
    results = _answer(h, "U2", "cohort find regulatory", channel=CHANNEL)
    assert "Regulatory affairs manager" in results and "Jordan" not in results
    ask = _buttons(api.of("respond")[-1].params, "ii:ask_intro:")[0]
    before = len(api.calls)
    h.slack.click("U2", ask["action_id"], ask["value"], channel=CHANNEL)
    h.settle(before)
    intro = h.last_modal()
    before = len(api.calls)
    h.slack.submit("U2", intro, {"reason": "Moving into regulatory science"})
    request = api.wait_for("chat.postMessage",
                           where=lambda c: c.params["channel"] == "DU1"
                           and "introduction" in c.params["text"])[-1]
    accept = _buttons(request.params, "ii:intro_accept:")[0]
    h.slack.click("U1", accept["action_id"], accept["value"])
    told = api.wait_for("chat.postMessage", where=lambda c: c.params["channel"] == "DU2"
                        and "Jordan" in json.dumps(c.params))[-1]
    assert "Your reply once introduced" in json.dumps(told.params)
    # the weekly digest, posted in the channel by the reminder dispatcher
    clock.set(datetime(2026, 3, 7, 12, 0, tzinfo=UTC))
    report = h.loop.run(h.runtime.dispatcher.tick())
    assert report.delivered >= 1
    digest = [c for c in api.of("chat.postMessage") if c.params["channel"] == CHANNEL
              and "Weekly digest" in c.params["text"]]
    assert len(digest) == 1 and "Jordan" not in json.dumps(digest[0].params)
    # the coach's report goes to the coach's DM, with a CSV
    before = len(api.calls)
    h.slack.command("U0COACH", "cohort report", channel=CHANNEL)
    api.wait_for("files.completeUploadExternal",
                 where=lambda c: c.params.get("channel_id") == "DU0COACH")
    assert any(b.startswith(b"member,role") for b in api.uploads.values())


def _share(h: Harness, number: str, visibility: str, email: str) -> str:
    """U1 shares a contact in the cohort channel's modal (cohort pre-selected); returns the
    modal's form id."""
    h.slack.command("U1", f"share {number}", channel=CHANNEL)
    view = h.last_modal()
    options = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    before = len(h.api.calls)
    h.slack.submit("U1", view, {"cohort": options["cohort"]["initial_option"]["value"],
                                "visibility": visibility, "email": email,
                                "consent": email})
    h.settle(before, "chat.postEphemeral")  # the confirmation must not land in the next answer
    return str(json.loads(view["private_metadata"])["form"])


def _answer(h: Harness, user: str, text: str, channel: str = CHANNEL) -> str:
    before = len(h.api.calls)
    h.slack.command(user, text, channel=channel)
    h.settle(before)
    return h.text_since(before)


def test_card_share_and_a_declined_intro_over_slack(harness: Harness) -> None:  # noqa: F811
    h, api = harness, harness.api
    api.admins.add("U0COACH")
    _answer(h, "U0COACH", "cohort create Spring")
    for user in ("U1", "U2"):
        _answer(h, user, "cohort join")
    number = onboard(h, "U1")
    _share(h, number, "card", "yes")
    found = _answer(h, "U2", "cohort find northwind")
    assert "Dr. Jordan Lee" in found and "jordan.lee@example.org" in found
    ask = _buttons(api.of("respond")[-1].params, "ii:ask_intro:")[0]
    before = len(api.calls)
    h.slack.click("U2", ask["action_id"], ask["value"], channel=CHANNEL)
    h.settle(before)
    h.slack.submit("U2", h.last_modal(), {"reason": "Curious"})
    request = api.wait_for("chat.postMessage",
                           where=lambda c: c.params["channel"] == "DU1"
                           and "introduction" in c.params["text"])[-1]
    decline = _buttons(request.params, "ii:intro_decline:")[0]
    h.slack.click("U1", decline["action_id"], decline["value"])
    told = api.wait_for("chat.postMessage", where=lambda c: c.params["channel"] == "DU2"
                        and "possible right now" in c.params["text"])[-1]
    assert "Person U1" not in json.dumps(told.params) and "Sam" not in json.dumps(told.params)


def test_a_private_channel_without_the_bot_gets_told_how_to_fix_it(
        harness: Harness) -> None:  # noqa: F811
    h, api = harness, harness.api
    api.admins.add("U0COACH")
    api.fail_next("chat.postMessage", 200, {"ok": False, "error": "not_in_channel"})
    _answer(h, "U0COACH", "cohort create Secret club", channel="G0PRIVATE")
    time.sleep(0.3)
    told = h.text_since(0)
    assert "/invite @infointerview" in told


def test_a_person_asked_recently_is_left_in_peace_over_slack(
        harness: Harness) -> None:  # noqa: F811
    h, api = harness, harness.api
    api.admins.add("U0COACH")
    _answer(h, "U0COACH", "cohort create Spring")
    for user in ("U1", "U2", "U3"):
        _answer(h, user, "cohort join")
    _share(h, onboard(h, "U1"), "intro", "no")
    for user in ("U2", "U3"):
        _answer(h, user, "cohort find northwind")
        ask = _buttons(api.of("respond")[-1].params, "ii:ask_intro:")[0]
        before, opened = len(api.calls), len(api.of("views.open"))
        h.slack.click(user, ask["action_id"], ask["value"], channel=CHANNEL)
        h.settle(before)
        if user == "U2":
            h.slack.submit("U2", h.last_modal(), {"reason": "Curious"})
            api.wait_for("chat.postMessage", where=lambda c: c.params["channel"] == "DU1")
    refused = h.text_since(before)
    assert "This person was asked for an introduction recently" in refused
    assert "You can ask again after" in refused and "U2" not in refused
    assert "add someone at Northwind Biologics yourself" in refused
    assert len(api.of("views.open")) == opened  # U3 is not asked for a reason in vain


def test_no_reply_after_the_follow_up_suggests_someone_shared_there(
        harness: Harness, clock: SimulatedClock) -> None:  # noqa: F811
    engine = harness.runtime.dispatcher.engine
    followed_up_with_someone_shared_there(engine, clock, "U1", "U0COACH", platform="slack",
                                          tenant="T0TEAM")
    clock.advance(WEEK + timedelta(minutes=1))
    before = len(harness.api.calls)
    harness.loop.run(harness.runtime.dispatcher.tick())  # the cohort's digest may be due too
    [dm] = [c.params for c in harness.api.calls[before:] if c.method == "chat.postMessage"
            and "after your follow-up" in c.params["text"]]
    shown = json.dumps(dm, ensure_ascii=False)
    assert dm["channel"] == "DU1" and "Someone else at Northwind Biologics" in shown
    # Slack's bold stops around what people typed: "*… at* *Northwind Biologics*"
    assert "*Shared in your cohort, at* *Northwind Biologics*\\n1. *Dr. Maya Chen*" in shown
    [intro] = _buttons(dm, "ii:ask_intro:")
    assert intro["text"]["text"] == "Intro to result 1"
    assert _buttons(dm, "ii:someone_else:")
