"""A sick database, through the real server: `infointerview slack --http` in a subprocess, its
PostgreSQL behind a proxy the test can pause (connections hang) or close (connections refused).
Every request is answered inside Slack's 3 seconds with an honest message, nothing half-made is
left behind, a retry after recovery makes exactly one contact, and /readyz fails fast."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest

from tests.db_proxy import PausableProxy, proxy_running
from tests.e2e.test_slack_cli import _env
from tests.helpers import CONTACT, PROFILE
from tests.slack_support import (
    SIGNING_SECRET,
    Response,
    SlackSender,
    SlackStandIn,
    free_port,
    standin_running,
    wait_until_answering,
)

SLACK_ANSWER_S = 3.0
READY_ANSWER_S = 1.5  # /readyz: a one-second check, plus the HTTP round trip
COULD_NOT_SAVE = "couldn't save"
RECOVERY_S = 6.0  # long enough for anything held during the pause to finish or roll back


@dataclass
class Bot:
    proxy: PausableProxy
    api: SlackStandIn
    slack: SlackSender
    port: int
    db: str  # the real server, not through the proxy: what was committed

    def contacts(self) -> int:
        with psycopg.connect(self.db) as conn:
            row = conn.execute("SELECT count(*) FROM contacts").fetchone()
        return int(row[0]) if row else 0

    def contact_modal(self, user: str) -> dict[str, Any]:
        """/infointerview start, then the profile: the modal that makes a contact is open."""
        assert self.slack.command(user, "start").status == 200
        view = self.api.wait_for("views.open")[-1].params["view"]
        step = self.slack.submit(user, view, PROFILE).json()
        assert step["response_action"] == "update"
        return dict(step["view"])

    def readyz(self) -> tuple[int, float]:
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/readyz", timeout=10) as r:
                return r.status, time.perf_counter() - started
        except urllib.error.HTTPError as error:
            return error.code, time.perf_counter() - started


def through(proxy: PausableProxy, url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return parts._replace(netloc=f"{parts.username}@127.0.0.1:{proxy.port}").geturl()


@pytest.fixture
def bot(postgres_url: str) -> Iterator[Bot]:
    upstream = urllib.parse.urlsplit(postgres_url)
    with standin_running() as (_, api), \
            proxy_running(upstream.hostname or "127.0.0.1", upstream.port or 5432) as proxy:
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "infointerview", "slack", "--http", "--port", str(port),
             "--host", "127.0.0.1"],
            env=_env(SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET=SIGNING_SECRET,
                     SLACK_API_URL=f"{api.base}/api/",
                     INFOINTERVIEW_DATABASE_URL=through(proxy, postgres_url)),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            wait_until_answering(f"http://127.0.0.1:{port}/healthz", process)
            yield Bot(proxy, api, SlackSender(f"http://127.0.0.1:{port}/slack/events", api),
                      port, postgres_url)
        finally:
            proxy.resume()
            process.terminate()
            process.communicate(timeout=30)


def resubmit(slack: SlackSender, user: str, first: dict[str, Any], view: dict[str, Any],
             values: dict[str, str]) -> Response:
    """Press Submit again on a modal that stayed open: Slack sends the same view id and hash."""
    return slack.submit(user, view, values, view_id=first["id"], view_hash=first["hash"])


def test_a_modal_submitted_while_the_database_hangs_is_answered_in_time_and_kept(
        bot: Bot) -> None:
    view = bot.contact_modal("U1")
    bot.proxy.pause()
    reply = bot.slack.submit("U1", view, CONTACT)
    print(f"database hung: modal answered in {reply.elapsed:.2f} s")  # shown with -s
    assert reply.elapsed < SLACK_ANSWER_S, reply.elapsed
    assert reply.status == 200, reply.body
    answer = reply.json()
    assert answer["response_action"] == "errors"  # the modal stays open, values and all
    assert any(COULD_NOT_SAVE in text for text in answer["errors"].values()), answer
    bot.proxy.resume()
    time.sleep(RECOVERY_S)  # what was held during the pause now reaches the server
    assert bot.contacts() == 0  # the request was told "not saved": nothing half-made
    retry = resubmit(bot.slack, "U1", bot.slack.last_submitted, view, CONTACT).json()
    assert retry["response_action"] == "update"  # on to the contact's second page
    assert bot.contacts() == 1


def test_a_modal_submitted_while_connections_are_refused_stays_open_with_its_values(
        bot: Bot) -> None:
    view = bot.contact_modal("U2")
    bot.proxy.close()
    reply = bot.slack.submit("U2", view, CONTACT)
    print(f"connections refused: modal answered in {reply.elapsed:.2f} s")
    assert reply.elapsed < SLACK_ANSWER_S and reply.status == 200, reply
    answer = reply.json()
    assert answer["response_action"] == "errors", answer
    [message] = answer["errors"].values()
    assert COULD_NOT_SAVE in message and "Submit again" in message
    bot.proxy.reopen()
    assert resubmit(bot.slack, "U2", bot.slack.last_submitted, view,
                    CONTACT).json()["response_action"] == "update"
    assert bot.contacts() == 1


def test_a_command_while_the_database_hangs_gets_an_honest_answer_within_3_seconds(
        bot: Bot) -> None:
    bot.contact_modal("U3")
    bot.proxy.pause()
    before = len(bot.api.calls)
    started = time.perf_counter()
    assert bot.slack.command("U3", "list").status == 200
    said = bot.api.wait_for("chat.postMessage", where=lambda c: c in bot.api.calls[before:]
                            and COULD_NOT_SAVE in json.dumps(c.params), timeout=5)
    elapsed = time.perf_counter() - started
    print(f"database hung: command answered in {elapsed:.2f} s")
    assert said and elapsed < SLACK_ANSWER_S


@pytest.mark.parametrize("sickness", ["pause", "close"])
def test_readyz_fails_fast_when_the_database_is_sick(bot: Bot, sickness: str) -> None:
    assert bot.readyz()[0] == 200
    getattr(bot.proxy, sickness)()
    status, elapsed = bot.readyz()
    print(f"database {sickness}d: /readyz {status} in {elapsed:.2f} s")
    assert status == 503 and elapsed < READY_ANSWER_S, (status, elapsed)
