"""The Slack app manifests ask for exactly what the adapter uses."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from infointerview.adapters.slack.oauth import BOT_SCOPES
from infointerview.adapters.slack.server import EVENTS_PATH

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "slack"


@pytest.mark.parametrize("name,socket", [("manifest.yaml", False),
                                         ("manifest.socket.yaml", True)])
def test_manifest_matches_the_adapter(name: str, socket: bool) -> None:
    manifest = yaml.safe_load((DEPLOY / name).read_text())
    assert sorted(manifest["oauth_config"]["scopes"]["bot"]) == sorted(BOT_SCOPES)
    assert manifest["settings"]["socket_mode_enabled"] is socket
    events = {"app_home_opened", "message.im"} | (
        set() if socket else {"app_uninstalled", "tokens_revoked"})
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == events
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    command = manifest["features"]["slash_commands"][0]
    assert command["command"] == "/infointerview"
    if not socket:
        urls = [command["url"], manifest["settings"]["interactivity"]["request_url"],
                manifest["settings"]["event_subscriptions"]["request_url"]]
        assert all(url.endswith(EVENTS_PATH) for url in urls)
