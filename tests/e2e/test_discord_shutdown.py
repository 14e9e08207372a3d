"""`infointerview discord` stops gracefully on SIGTERM, as the README promises for every process:
the DM being sent finishes, the rest of the claimed batch goes back to the queue, the gateway is
closed, and the process exits 0.

A real process: ``DISCORD_API_URL`` points discord.py's REST client at the stand-in, whose
``/gateway/bot`` hands out its own gateway WebSocket, so the bot logs in, comes online and sends
DMs exactly as it would against Discord.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select, update

from infointerview.core import Database, Engine, SimulatedClock
from infointerview.core.deadline import Attempt
from infointerview.core.engine import Handled
from infointerview.core.model import Event
from infointerview.core.store.models import ReminderRow, UserRow
from tests.adapters.test_discord_cli import TOKEN, fake_discord  # noqa: F401  (the fixture)
from tests.conftest import START
from tests.discord_fake import SAM, FakeDiscord, command, deliver
from tests.discord_helpers import InfoInterviewBot, play
from tests.helpers import User

NUDGE = "no_reply_nudge"
PEOPLE = 4


def four_nudges_due_now(url: str) -> None:
    """Four people, one outreach each, their no-reply nudges due a minute ago on the real clock
    (the process runs on it) and nothing that could hold them back: no quiet hours, no pause."""
    database = Database(url)
    database.migrate()
    engine = Engine(database, clock=SimulatedClock(START))
    for n in range(PEOPLE):
        person = User(engine, str(SAM + n), tenant="discord", platform="discord")
        person.onboard()
        person.click("mark_sent", str(person.add_contact()))
    with database.engine.begin() as c:
        c.execute(delete(ReminderRow).where(ReminderRow.kind != NUDGE))
        c.execute(update(ReminderRow).values(due_at=datetime.now(UTC) - timedelta(minutes=1)))
        c.execute(update(UserRow).values(quiet_start="00:00", quiet_end="00:00",
                                         weekdays_only=False, paused_until=None))
    database.dispose()


def discord_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DISCORD_", "INFOINTERVIEW_", "SLACK_"))}
    return env | extra


def test_sigterm_finishes_the_dm_in_flight_hands_back_the_rest_and_exits_0(
        tmp_path: Path, fake_discord: FakeDiscord) -> None:  # noqa: F811
    api = fake_discord
    url = f"sqlite:///{tmp_path}/bot.db"
    four_nudges_due_now(url)
    api.dm_delay = 1.5  # the first DM is still on its way when SIGTERM comes
    process = subprocess.Popen(
        [sys.executable, "-m", "infointerview", "discord"], cwd=tmp_path,
        env=discord_env(DISCORD_TOKEN=TOKEN, DISCORD_API_URL=api.base,
                        INFOINTERVIEW_DATABASE_URL=url, INFOINTERVIEW_METRICS_PORT="0",
                        INFOINTERVIEW_REMINDER_INTERVAL="1", INFOINTERVIEW_LOG_LEVEL="INFO"),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not (api.dms() and api.gateway.identified):
            assert process.poll() is None, process.communicate()[1]
            assert time.monotonic() < deadline, "the bot did not come online and send a DM"
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        _, logs = process.communicate(timeout=40)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, logs
    assert "Traceback" not in logs, logs
    assert len(api.dms()) == 1  # nothing new was started after SIGTERM
    assert api.gateway.close_codes == [1000], api.gateway.close_codes  # closed by the bot

    database = Database(url)
    try:
        with database.engine.connect() as c:
            rows = c.execute(select(ReminderRow.status, ReminderRow.attempts)
                             .where(ReminderRow.kind == NUDGE)).all()
    finally:
        database.dispose()
    statuses = sorted(r.status for r in rows)
    assert statuses == ["delivered"] + ["pending"] * (PEOPLE - 1), statuses
    assert all(r.attempts == 0 for r in rows if r.status == "pending")  # handed back, untouched


def test_close_lets_an_interaction_being_answered_finish_first(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    run = engine.run

    def slow_run(event: Event, attempt: Attempt | None = None, **kwargs: Any) -> Handled:
        release.wait(10)  # the engine is still working when the bot is told to stop
        return run(event, attempt, **kwargs)

    async def scenario(api: FakeDiscord, bot: InfoInterviewBot) -> None:
        monkeypatch.setattr(engine, "run", slow_run)
        answering = asyncio.create_task(deliver(bot, command("help")))
        await asyncio.sleep(0.2)
        closing = asyncio.create_task(bot.close())
        await asyncio.sleep(0.3)
        assert not closing.done() and not bot.is_closed()  # waiting for the answer
        release.set()
        await asyncio.wait_for(asyncio.gather(answering, closing), 10)
        [answer] = api.callbacks()
        assert answer["type"] == 4 and "/infointerview" in answer["data"]["content"]

    play(engine, scenario)
