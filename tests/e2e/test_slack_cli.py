"""`infointerview slack`: the real server process, and start-up that names what is missing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.slack_support import (
    SIGNING_SECRET,
    SlackSender,
    SlackStandIn,
    free_port,
    standin_running,
    wait_until_answering,
)

SLACK_VARS = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL",
              "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "INFOINTERVIEW_TOKEN_KEY")


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SLACK_VARS}
    return env | extra


def test_missing_settings_are_all_named_at_once(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "infointerview", "slack", "--http"],
                            capture_output=True, text=True, timeout=60, check=False,
                            env=_env(INFOINTERVIEW_DATABASE_URL=f"sqlite:///{tmp_path}/x.db"))
    assert result.returncode == 2
    assert "SLACK_SIGNING_SECRET is missing" in result.stderr
    assert "SLACK_BOT_TOKEN is missing" in result.stderr
    assert "Traceback" not in result.stderr


def test_malformed_settings_are_named(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "infointerview", "slack", "--socket"], capture_output=True,
        text=True, timeout=60, check=False,
        env=_env(SLACK_BOT_TOKEN="xoxp-user-token", SLACK_APP_TOKEN="xoxb-wrong",
                 INFOINTERVIEW_DATABASE_URL=f"sqlite:///{tmp_path}/x.db"))
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN should be a bot token starting with xoxb-" in result.stderr
    assert "SLACK_APP_TOKEN should be an app-level token starting with xapp-" in result.stderr


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with standin_running() as (_, api):
        yield api


def test_the_real_http_server_answers_slack(standin: SlackStandIn, tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "infointerview", "slack", "--http", "--port", str(port),
         "--host", "127.0.0.1"],
        env=_env(SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET=SIGNING_SECRET,
                 SLACK_API_URL=f"{standin.base}/api/", INFOINTERVIEW_LOG_LEVEL="INFO",
                 INFOINTERVIEW_DATABASE_URL=f"sqlite:///{tmp_path}/bot.db"),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_until_answering(f"http://127.0.0.1:{port}/healthz", process)
        slack = SlackSender(f"http://127.0.0.1:{port}/slack/events", standin)
        assert slack.command("U7", "help").status == 200
        posted = standin.wait_for("chat.postMessage")[0]
        assert posted.params["channel"] == "DU7" and posted.token == "xoxb-test"
        assert slack.command("U7", "help", signed=False).status == 401
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as r:
            assert json.loads(r.read())["status"] == "ready"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
            metrics = r.read().decode()
        assert 'infointerview_events_total{outcome="ok",type="CommandInvoked"} 1.0' in metrics
        assert "infointerview_event_seconds_bucket" in metrics
    finally:
        process.terminate()  # SIGTERM: a graceful stop
        _, logs = process.communicate(timeout=30)
    assert process.returncode == 0, logs
    lines = [json.loads(line) for line in logs.splitlines() if line.startswith("{")]
    assert lines and all({"time", "level", "message"} <= set(line) for line in lines)
    leaks = [line for line in logs.splitlines() if "xoxb-test" in line or "help" in line]
    assert not leaks, leaks  # no tokens, no message contents
