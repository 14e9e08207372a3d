"""Socket Mode: the same adapter over a WebSocket (development and single-instance installs)."""

from __future__ import annotations

import asyncio
import time

from infointerview.adapters.slack.config import SlackConfig
from infointerview.adapters.slack.server import SlackRuntime
from infointerview.core import Engine
from tests.slack_support import standin_running


def test_a_slash_command_over_socket_mode_is_acked_and_answered(engine: Engine) -> None:
    with standin_running() as (loop, api):
        config = SlackConfig(signing_secret="", bot_token="xoxb-socket",
                             app_token="xapp-1-test", api_url=f"{api.base}/api/")
        runtime = SlackRuntime(engine, config, database=engine.database)
        task = asyncio.run_coroutine_threadsafe(runtime.serve_socket_mode(), loop.loop)
        try:
            deadline = time.monotonic() + 15
            while not api.sockets:
                assert time.monotonic() < deadline, "the bot never connected"
                assert not task.done(), task.exception()
                time.sleep(0.05)
            assert api.of("apps.connections.open")[0].token == "xapp-1-test"
            command = {"team_id": "T0TEAM", "channel_id": "DU5", "channel_name": "directmessage",
                       "user_id": "U5", "user_name": "u5", "command": "/infointerview",
                       "text": "help", "api_app_id": "A0APP", "trigger_id": "trigger-s1",
                       "response_url": f"{api.base}/respond/s1"}
            loop.run(api.push({"envelope_id": "env-1", "type": "slash_commands",
                               "payload": command, "accepts_response_payload": True}))
            posted = api.wait_for("chat.postMessage")[0]
            assert posted.params["channel"] == "DU5" and posted.token == "xoxb-socket"
            assert any(ack.get("envelope_id") == "env-1" for ack in api.socket_acks)
        finally:
            task.cancel()
            time.sleep(0.2)
