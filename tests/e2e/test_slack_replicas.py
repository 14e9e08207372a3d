"""Two `infointerview slack --http` processes on one PostgreSQL behind a (pretend) load balancer:
a person's journey alternates between them, the pipeline stays consistent, and every reminder is
delivered exactly once although both run the dispatcher."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest

from tests.helpers import CONTACT, PROFILE, SOURCE
from tests.slack_support import (
    SIGNING_SECRET,
    Call,
    SlackSender,
    SlackStandIn,
    free_port,
    standin_running,
    wait_until_answering,
)

USERS = ("U1", "U2", "U3")


def _midday_zone() -> str:
    """A zone where it is around noon now, so no reminder waits for quiet hours to end."""
    offset = (12 - datetime.now(UTC).hour + 12) % 24 - 12  # -12 … +11
    return "Etc/GMT" + (f"{-offset:+d}" if offset else "")  # Etc/GMT-3 is UTC+3


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with standin_running() as (_, api):
        yield api


@pytest.fixture
def replicas(standin: SlackStandIn, postgres_url: str,
             tmp_path: Path) -> Iterator[list[SlackSender]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env |= {"SLACK_BOT_TOKEN": "xoxb-replicas", "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": f"{standin.base}/api/", "INFOINTERVIEW_DATABASE_URL": postgres_url,
            "INFOINTERVIEW_REMINDER_INTERVAL": "0.5", "INFOINTERVIEW_LOG_LEVEL": "WARNING"}
    ports = [free_port(), free_port()]
    processes = [subprocess.Popen(
        [sys.executable, "-m", "infointerview", "slack", "--http", "--host", "127.0.0.1", "--port",
         str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for port in ports]
    try:
        for port, process in zip(ports, processes, strict=True):
            wait_until_answering(f"http://127.0.0.1:{port}/readyz", process, timeout=60)
        yield [SlackSender(f"http://127.0.0.1:{port}/slack/events", standin) for port in ports]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            assert process.wait(30) == 0, process.communicate()[1]


def _modal(api: SlackStandIn, count: int) -> dict:  # type: ignore[type-arg]
    return api.wait_for("views.open", count)[-1].params["view"]


def _button(api: SlackStandIn, user: str, action: str) -> tuple[str, str]:
    for call in reversed(api.of("chat.postMessage")):
        if call.params["channel"] != f"D{user}":
            continue
        for block in call.params.get("blocks") or []:
            for element in block.get("elements", []) if block["type"] == "actions" else []:
                if element["action_id"].startswith(f"ii:{action}:"):
                    return element["action_id"], element.get("value", "")
    raise AssertionError(f"no {action} button for {user}")


def test_two_replicas_one_database(standin: SlackStandIn, replicas: list[SlackSender],
                                   postgres_url: str) -> None:
    a, b = replicas
    zone = _midday_zone()
    for n, user in enumerate(USERS):
        standin.tz[user] = zone
        first, second = (a, b) if n % 2 == 0 else (b, a)
        assert first.command(user, "start").status == 200
        step = second.submit(user, _modal(standin, n + 1), PROFILE | {"tz": zone}).json()
        step = first.submit(user, step["view"], CONTACT).json()
        assert second.submit(user, step["view"], SOURCE).status == 200
        standin.wait_for("chat.postMessage", where=lambda c, u=user: c.params["channel"] ==
                         f"D{u}" and "mark_sent" in json.dumps(c.params))
        action_id, value = _button(standin, user, "mark_sent")
        assert first.click(user, action_id, value).status == 200
        standin.wait_for("chat.postMessage", where=lambda c, u=user: c.params["channel"] ==
                         f"D{u}" and "Sent" in c.params["text"])
    # the same pipeline whichever replica answers
    # (only U1's DM: the last person's mark-sent may still be posting its follow-on message)
    def to_u1() -> list[Call]:
        return [c for c in standin.of("chat.postMessage") if c.params["channel"] == "DU1"]

    listings = []
    for sender in (a, b):
        before = len(to_u1())
        sender.command("U1", "list")
        standin.wait_for("chat.postMessage", before + 2,
                         where=lambda c: c.params["channel"] == "DU1")
        time.sleep(0.3)
        listings.append(json.dumps([c.params["blocks"] for c in to_u1()[before:]]))
    assert listings[0] == listings[1] and "Dr. Jordan Lee" in listings[0]
    # every reminder falls due now; both dispatchers compete for them
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        due = conn.execute("UPDATE reminders SET due_at = now() - interval '1 second' "
                           "WHERE status = 'pending' RETURNING id").fetchall()
        assert len(due) >= len(USERS)
        deadline = time.monotonic() + 60
        while conn.execute("SELECT count(*) FROM reminders WHERE status IN "
                           "('pending', 'sending') AND due_at <= now()").fetchone()[0]:
            assert time.monotonic() < deadline, "reminders were not all delivered"
            time.sleep(0.2)
        statuses = dict(conn.execute("SELECT status, count(*) FROM reminders "
                                     "WHERE id = ANY(%s) GROUP BY status",
                                     ([r[0] for r in due],)).fetchall())
    assert statuses == {"delivered": len(due)}
    keys = Counter(c.params["metadata"]["event_payload"]["key"]
                   for c in standin.of("chat.postMessage") if c.params.get("metadata"))
    assert keys and max(keys.values()) == 1  # no reminder DM was sent twice
    assert len(USERS) <= len(keys) <= len(due)
