"""`infointerview slack`: the real server process, and start-up that names what is missing."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.slack_support import SIGNING_SECRET, LoopThread, SlackSender, SlackStandIn, serve

SLACK_VARS = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL",
              "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "INFOINTERVIEW_TOKEN_KEY")


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SLACK_VARS}
    return env | extra


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_missing_settings_are_all_named_at_once(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "bot.cli", "slack", "--http"],
                            capture_output=True, text=True, timeout=60, check=False,
                            env=_env(INFOINTERVIEW_DATABASE_URL=f"sqlite:///{tmp_path}/x.db"))
    assert result.returncode == 2
    assert "SLACK_SIGNING_SECRET is missing" in result.stderr
    assert "SLACK_BOT_TOKEN is missing" in result.stderr
    assert "Traceback" not in result.stderr


def test_malformed_settings_are_named(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "slack", "--socket"], capture_output=True, text=True,
        timeout=60, check=False,
        env=_env(SLACK_BOT_TOKEN="xoxp-user-token", SLACK_APP_TOKEN="xoxb-wrong",
                 INFOINTERVIEW_DATABASE_URL=f"sqlite:///{tmp_path}/x.db"))
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN should be a bot token starting with xoxb-" in result.stderr
    assert "SLACK_APP_TOKEN should be an app-level token starting with xapp-" in result.stderr


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    loop = LoopThread()
    api = SlackStandIn()
    runner, port = loop.run(serve(api.app()))
    api.base = f"http://127.0.0.1:{port}"
    yield api
    loop.run(runner.cleanup())
    loop.stop()


def test_the_real_http_server_answers_slack(standin: SlackStandIn, tmp_path: Path) -> None:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "slack", "--http", "--port", str(port),
         "--host", "127.0.0.1"],
        env=_env(SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET=SIGNING_SECRET,
                 SLACK_API_URL=f"{standin.base}/api/", INFOINTERVIEW_LOG_LEVEL="INFO",
                 INFOINTERVIEW_DATABASE_URL=f"sqlite:///{tmp_path}/bot.db"),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert process.poll() is None, process.communicate()[1]
                assert time.monotonic() < deadline, "the server did not come up"
                time.sleep(0.2)
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
