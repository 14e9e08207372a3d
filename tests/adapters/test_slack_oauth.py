"""Installing in many workspaces: the OAuth flow over HTTP, tokens encrypted at rest, and each
workspace's requests answered with its own token."""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from infointerview.adapters.slack.config import SlackConfig
from infointerview.adapters.slack.server import SlackRuntime
from infointerview.core import Engine
from tests.slack_support import (
    SIGNING_SECRET,
    LoopThread,
    SlackSender,
    SlackStandIn,
    serve,
    standin_running,
)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _get(url: str, cookie: str = "") -> tuple[int, str, dict[str, str]]:
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with opener.open(request, timeout=10) as reply:
            return reply.status, reply.read().decode(), dict(reply.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


@pytest.fixture
def installed(engine: Engine) -> Iterator[tuple[SlackStandIn, str, LoopThread, SlackRuntime]]:
    with standin_running() as (loop, api):
        config = SlackConfig(signing_secret=SIGNING_SECRET, api_url=f"{api.base}/api/",
                             client_id="111.222", client_secret="shh",
                             token_key=Fernet.generate_key().decode())
        runtime = SlackRuntime(engine, config, database=engine.database)
        bot_runner, bot_port = loop.run(serve(runtime.web_app(reminders=False)))
        yield api, f"http://127.0.0.1:{bot_port}", loop, runtime
        loop.run(bot_runner.cleanup())


def test_install_stores_an_encrypted_token_and_serves_that_workspace(
        installed: tuple[SlackStandIn, str, LoopThread, SlackRuntime], engine: Engine) -> None:
    api, base, loop, runtime = installed
    status, page, headers = _get(f"{base}/slack/install")
    assert status in (200, 302)
    authorize = headers.get("Location") or page
    state = urllib.parse.parse_qs(urllib.parse.urlparse(
        authorize[authorize.index("https://slack.com/oauth/v2/authorize"):].split('"')[0]
        .replace("&amp;", "&")).query)["state"][0]
    cookie = headers.get("Set-Cookie", "").split(";")[0]
    status, _, _ = _get(f"{base}/slack/oauth_redirect?code=the-code&state={state}", cookie)
    assert status == 200, "the callback should complete the install"
    assert api.of("oauth.v2.access")
    with engine.database.engine.connect() as connection:
        stored = connection.execute(text("SELECT team_id, bot_token FROM slack_bots")).all()
    assert [row[0] for row in stored] == ["T0SECOND"]
    assert "xoxb-second-workspace" not in stored[0][1]  # encrypted at rest
    slack = SlackSender(f"{base}/slack/events", api, team="T0SECOND")
    assert slack.command("U9", "help").status == 200
    posted = api.wait_for("chat.postMessage")[0]
    assert posted.token == "xoxb-second-workspace"
    # the reminder gateway finds the same workspace's token
    client = loop.run(runtime.client_for("T0SECOND"))
    assert client.token == "xoxb-second-workspace"
    # uninstalling deletes the workspace's tokens
    assert slack.event({"type": "app_uninstalled"}).status == 200
    deadline = time.monotonic() + 5
    while True:
        with engine.database.engine.connect() as connection:
            left = connection.execute(text("SELECT count(*) FROM slack_bots")).scalar_one()
        if left == 0 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert left == 0


def test_a_workspace_that_never_installed_is_refused(
        installed: tuple[SlackStandIn, str, LoopThread, SlackRuntime]) -> None:
    api, base, _, _ = installed
    slack = SlackSender(f"{base}/slack/events", api, team="T0STRANGER")
    reply = slack.command("U9", "help")
    assert reply.status in (200, 401)
    assert not api.of("chat.postMessage")


def test_token_key_rotation_reads_old_tokens_with_the_new_key_list() -> None:
    from infointerview.adapters.slack.oauth import TokenCipher

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    sealed = TokenCipher(old).seal("xoxb-secret")
    rotated = TokenCipher(f"{new},{old}")
    assert rotated.open(sealed) == "xoxb-secret"  # still readable during the rotation
    resealed = rotated.seal("xoxb-secret")
    assert TokenCipher(new).open(resealed) == "xoxb-secret"  # new tokens use the new key
