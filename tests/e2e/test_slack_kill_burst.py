"""kill -9 during a burst of slash commands: none that got HTTP 200 is lost or handled twice.

The real `infointerview slack --http` process, 8 clients sending `/infointerview note 1 <marker>`
for 40 people (each person's commands from one client, one after the other), a slow `users.info`
(the profile lookup between the ack and the work, where a kill used to lose the command), and
the process killed with SIGKILL five times mid-burst and started again on the same port and
database. Each handled command leaves exactly one note, so the notes show what was handled: every
acknowledged command's note is there once, in the order the person sent them. A command that got
no 200 (killed mid-request) may be lost or handled: Slack showed that person an error.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import random
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiohttp import web
from sqlalchemy import text

from infointerview.core import Database, Engine
from tests.e2e.test_slack_cli import _env
from tests.helpers import User
from tests.slack_support import (
    SIGNING_SECRET,
    TEAM,
    LoopThread,
    SlackSender,
    SlackStandIn,
    free_port,
    serve,
    wait_until_answering,
)

pytestmark = pytest.mark.slow

CLIENTS = 8
PEOPLE = 96
KILLS = 5
AT_LEAST = 300  # commands sent in the burst
PROFILE_DELAY_S = 0.4  # users.info, once per person per process (then cached)
PACE_S = 0.25  # between one client's commands
SETTLE_S = 60.0  # for the last process to finish what it has


@dataclass
class SlowProfiles(SlackStandIn):
    """Slack's Web API with a slow ``users.info``, the lookup after the ack."""

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["method"] == "users.info":
            await asyncio.sleep(PROFILE_DELAY_S)
        return await super()._api(request)


@dataclass
class Burst:
    sent: list[tuple[str, int]] = field(default_factory=list)
    acknowledged: list[tuple[str, int]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self) -> int:
        with self.lock:
            return len(self.sent)


class Bot:
    """The server process, killed and started again on one port and database."""

    def __init__(self, env: dict[str, str], port: int, logs: Path) -> None:
        self.env, self.port, self.logs = env, port, logs
        self.started = 0
        self.process: subprocess.Popen[str] | None = None
        self.up = threading.Event()

    def start(self) -> None:
        self.started += 1
        log = (self.logs / f"bot-{self.started}.log").open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "infointerview", "slack", "--http", "--host", "127.0.0.1",
             "--port", str(self.port)], env=self.env, stdout=log, stderr=log, text=True)
        wait_until_answering(f"http://127.0.0.1:{self.port}/healthz", self.process, 60)
        self.up.set()

    def kill(self) -> None:
        assert self.process is not None
        self.up.clear()
        self.process.kill()  # SIGKILL: nothing is drained, flushed or handed back
        self.process.wait(30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(30)


def _client(slack: SlackSender, bot: Bot, people: list[str], burst: Burst,
            done: threading.Event) -> None:
    seq = dict.fromkeys(people, 0)
    turn = 0
    while not done.is_set():
        person = people[turn % len(people)]
        turn += 1
        seq[person] += 1
        with burst.lock:
            burst.sent.append((person, seq[person]))
        try:
            reply = slack.command(person, f"note 1 {person}-{seq[person]}")
            acknowledged = reply.status == 200
        except (OSError, http.client.HTTPException):
            acknowledged = False  # killed mid-request: Slack would show an error
        if acknowledged:
            with burst.lock:
                burst.acknowledged.append((person, seq[person]))
        else:
            bot.up.wait(60)  # like Slack, never send that command again
        time.sleep(PACE_S * random.uniform(0.5, 1.5))


def _notes(database: Database) -> dict[str, list[str]]:
    with database.begin() as connection:
        rows = connection.execute(text(
            "SELECT u.user_id, c.notes FROM contacts c JOIN users u ON u.id = c.user_pk "
            "WHERE c.no = 1")).all()
    return {user: [n["text"] for n in (json.loads(raw) if isinstance(raw, str) else raw)]
            for user, raw in rows}


def _pending(database: Database) -> int:
    with database.begin() as connection:
        return int(connection.execute(text(
            "SELECT count(*) FROM inbox WHERE done_at IS NULL")).scalar_one())


def test_no_acknowledged_command_is_lost_or_doubled_across_five_kills(
        db_url: str, tmp_path: Path) -> None:
    database = Database(db_url)
    database.migrate()
    engine = Engine(database)
    people = [f"U{n:03d}" for n in range(PEOPLE)]
    for person in people:  # each has contact 1, so every note lands in one place
        someone = User(engine, person, tenant=TEAM, platform="slack")
        someone.onboard()
        someone.add_contact()
    loop = LoopThread()
    api = SlowProfiles()
    runner, api_port = loop.run(serve(api.app()))
    api.base = f"http://127.0.0.1:{api_port}"
    port = free_port()
    bot = Bot(_env(SLACK_BOT_TOKEN="xoxb-burst", SLACK_SIGNING_SECRET=SIGNING_SECRET,
                   SLACK_API_URL=f"{api.base}/api/", INFOINTERVIEW_DATABASE_URL=db_url,
                   INFOINTERVIEW_LOG_LEVEL="WARNING"), port, tmp_path)
    burst, done = Burst(), threading.Event()
    taken_over: list[int] = []
    started = time.monotonic()
    try:
        bot.start()
        slack = SlackSender(f"http://127.0.0.1:{port}/slack/events", api)
        clients = [threading.Thread(target=_client, args=(
            slack, bot, people[i::CLIENTS], burst, done)) for i in range(CLIENTS)]
        for client in clients:
            client.start()
        for _ in range(KILLS):
            time.sleep(random.uniform(0.5, 2.0))  # mid-burst, the profile lookups under way
            bot.kill()
            taken_over.append(_pending(database))  # acknowledged, not handled: the next's
            bot.start()
        while burst.count() < AT_LEAST:
            time.sleep(0.1)
        done.set()
        for client in clients:
            client.join(60)
        deadline = time.monotonic() + SETTLE_S
        while _pending(database) and time.monotonic() < deadline:
            time.sleep(0.2)
        notes = _notes(database)
    finally:
        done.set()
        bot.stop()
        loop.run(runner.cleanup())
        loop.stop()
        engine.database.dispose()
    handled = Counter(note for texts in notes.values() for note in texts)
    lost = [f"{p}-{n}" for p, n in burst.acknowledged if handled[f"{p}-{n}"] != 1]
    doubled = [note for note, times in handled.items() if times > 1]
    out_of_order = [person for person, texts in notes.items()
                    if [int(t.rsplit("-", 1)[1]) for t in texts]
                    != sorted(int(t.rsplit("-", 1)[1]) for t in texts)]
    print(f"\n{database.dialect}: {bot.started - 1} kills, {len(burst.sent)} commands sent, "
          f"{len(burst.acknowledged)} acknowledged, {sum(handled.values())} handled, "
          f"{len(lost)} acknowledged lost, {len(doubled)} handled twice, "
          f"{len(out_of_order)} people out of order; pending at each restart: {taken_over}; "
          f"{time.monotonic() - started:.0f} s")
    assert bot.started - 1 == KILLS
    assert len(burst.sent) >= AT_LEAST
    assert lost == [], lost[:10]
    assert doubled == [], doubled[:10]
    assert out_of_order == [], out_of_order
    assert set(handled) <= {f"{p}-{n}" for p, n in burst.sent}
