"""`infointerview discord`, `discord sync` and `discord invite-url`."""

from __future__ import annotations

import asyncio
import base64
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import discord
import pytest
from typer.testing import CliRunner

from infointerview.bot.cli import app
from tests.discord_fake import APP_ID, GUILD_ID, FakeDiscord
from tests.e2e.test_cli import cli

TOKEN = base64.b64encode(str(APP_ID).encode()).decode().rstrip("=") + ".GhIjKl.secret-part"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    values = {"INFOINTERVIEW_DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    for name in ("DISCORD_TOKEN", "DISCORD_GUILD_ID", "DISCORD_APPLICATION_ID",
                 "INFOINTERVIEW_DISCORD_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env
    return values


def test_without_a_token_one_clear_line_and_exit_code_2(env: dict[str, str]) -> None:
    for args in (["discord"], ["discord", "sync"]):
        result = cli(*args, env=env)
        assert result.returncode == 2, result.stderr
        assert "DISCORD_TOKEN" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_invite_url_from_the_token_or_the_application_id(env: dict[str, str]) -> None:
    result = cli("discord", "invite-url", env={**env, "DISCORD_TOKEN": TOKEN})
    assert result.returncode == 0, result.stderr
    url = urlparse(result.stdout.strip())
    query = parse_qs(url.query)
    assert url.netloc == "discord.com" and query["client_id"] == [str(APP_ID)]
    assert query["scope"] == ["bot applications.commands"]
    granted = discord.Permissions(int(query["permissions"][0]))
    assert {name for name, on in granted if on} == {
        "read_messages", "send_messages", "embed_links", "attach_files"}  # read = view channel
    other = cli("discord", "invite-url", env={**env, "DISCORD_APPLICATION_ID": "123456789"})
    assert "client_id=123456789" in other.stdout
    missing = cli("discord", "invite-url", env=env)
    assert missing.returncode == 2 and "DISCORD_APPLICATION_ID" in missing.stderr


@pytest.fixture
def fake_discord() -> Iterator[FakeDiscord]:
    """The stand-in API on its own event loop, so the CLI can run its own."""
    loop = asyncio.new_event_loop()
    api = FakeDiscord()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(api.__aenter__(), loop).result(10)
    yield api
    asyncio.run_coroutine_threadsafe(api.__aexit__(None, None, None), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)


def test_sync_registers_the_group_in_the_development_guild(
        env: dict[str, str], fake_discord: FakeDiscord, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {**env, "DISCORD_TOKEN": TOKEN, "DISCORD_GUILD_ID": str(GUILD_ID)}.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(app, ["discord", "sync"])
    assert result.exit_code == 0, result.output
    assert "25 subcommands" in result.output and str(GUILD_ID) in result.output
    [put] = [c for c in fake_discord.calls if c.method == "PUT"]
    assert put.path == f"/applications/{APP_ID}/guilds/{GUILD_ID}/commands"
    [group] = put.body
    assert group["name"] == "infointerview"
    names = {o["name"] for o in group["options"]}
    assert {"start", "list", "note", "done", "thanks", "applied", "settings", "export",
            "forget-me", "help"} <= names
    settings = next(o for o in group["options"] if o["name"] == "settings")
    assert settings["options"][0]["autocomplete"] is True
