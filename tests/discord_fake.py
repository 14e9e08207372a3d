"""Discord's side of the wire for the Discord adapter's tests.

:class:`FakeDiscord` is a small aiohttp server speaking the bits of Discord's REST API the bot
uses; ``discord.http.Route.BASE`` is pointed at it, so discord.py's real HTTP client and webhook
adapter send real requests (JSON or multipart) that are recorded here. Interactions are built as
raw gateway ``INTERACTION_CREATE`` payloads and fed to the client's connection state, exactly as
the gateway would: from there the real ``CommandTree``, dynamic items and ``on_interaction`` run.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import discord
import pytest
from aiohttp import web

APP_ID = 700000000000000001
BOT_ID = 700000000000000002
GUILD_ID = 710000000000000001
CHANNEL_ID = 720000000000000001
SAM = 730000000000000001
KIM = 730000000000000002
MESSAGE_TYPES = (4, 7)  # interaction callbacks that create or update a message

_ids = itertools.count(800000000000000001)


def user_json(user_id: int, name: str = "") -> dict[str, Any]:
    name = name or f"user{str(user_id)[-3:]}"
    return {"id": str(user_id), "username": name, "discriminator": "0", "global_name": name,
            "avatar": None}


BOT_USER = {**user_json(BOT_ID, "infointerview"), "bot": True}


@dataclass
class Call:
    method: str
    path: str
    query: dict[str, str]
    body: Any  # the JSON payload (for multipart: payload_json)
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def message(self) -> dict[str, Any] | None:
        """The message this call creates or edits, if it is one."""
        if not isinstance(self.body, dict):
            return None
        if self.path.endswith("/callback"):
            return self.body.get("data") if self.body.get("type") in MESSAGE_TYPES else None
        if self.method in ("POST", "PATCH") and ("/messages" in self.path
                                                 or self.path.startswith("/webhooks/")):
            return self.body
        return None


class FakeDiscord:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.closed_dms: set[int] = set()
        self.rate_limited: list[float] = []  # retry_after of the next DM sends
        self.dm_channels: dict[int, int] = {}
        self.nonces: dict[str, dict[str, Any]] = {}
        self.dm_delay = 0.0  # seconds each DM send is held before Discord answers
        self.base = ""  # the REST API's address, e.g. for DISCORD_API_URL in a bot process
        self.gateway = GatewaySide()
        self._runner: web.AppRunner | None = None
        self._base = discord.http.Route.BASE

    # --- server ----------------------------------------------------------------------------------

    async def __aenter__(self) -> FakeDiscord:
        app = web.Application()
        app.router.add_get("/gateway", self.gateway.connect)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base = f"http://127.0.0.1:{port}/api/v10"
        self.gateway.url = f"ws://127.0.0.1:{port}/gateway"
        discord.http.Route.BASE = self.base
        return self

    async def __aexit__(self, *exc: object) -> None:
        discord.http.Route.BASE = self._base
        if self._runner is not None:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        body: Any = None
        files: dict[str, bytes] = {}
        if request.content_type == "multipart/form-data":
            reader = await request.multipart()
            async for part in reader:
                data = await part.read()  # type: ignore[union-attr]
                if part.name == "payload_json":  # type: ignore[union-attr]
                    body = json.loads(data)
                else:
                    files[part.filename or ""] = bytes(data)  # type: ignore[union-attr]
        elif request.can_read_body:
            body = await request.json()
        call = Call(request.method, path, dict(request.query), body, files)
        self.calls.append(call)
        if self.dm_delay and path.startswith("/channels/") and request.method == "POST":
            await asyncio.sleep(self.dm_delay)
        status, payload, headers = self._answer(call)
        # discord.py reads JSON only when the content type is exactly application/json
        return web.Response(body=json.dumps(payload).encode(), status=status,
                            headers={**headers, "Content-Type": "application/json"})

    def _answer(self, call: Call) -> tuple[int, Any, dict[str, str]]:
        method, path, parts = call.method, call.path, call.path.strip("/").split("/")
        if path == "/users/@me" and method == "GET":
            return 200, BOT_USER, {}
        if path == "/gateway/bot":
            return 200, {"url": self.gateway.url, "shards": 1, "session_start_limit": {
                "total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}}, {}
        if path == "/oauth2/applications/@me":
            return 200, {"id": str(APP_ID), "name": "infointerview", "icon": None,
                         "description": "", "bot_public": True, "bot_require_code_grant": False,
                         "owner": user_json(SAM), "verify_key": "0" * 64, "flags": 0}, {}
        if parts[0] == "applications" and parts[-1] == "commands" and method == "PUT":
            return 200, [{**c, "id": str(next(_ids)), "application_id": str(APP_ID),
                          "version": "1", "type": c.get("type", 1)} for c in call.body], {}
        if parts[0] == "interactions":
            kind = call.body.get("type")
            answer: dict[str, Any] = {"interaction": {"id": parts[1], "type": 2}}
            if kind in MESSAGE_TYPES:
                answer["resource"] = {"type": kind,
                                      "message": self.message_json(CHANNEL_ID, call.body["data"])}
            return 200, answer, {}
        if parts[0] == "webhooks":
            return 200, self.message_json(CHANNEL_ID, call.body), {}
        if path == "/users/@me/channels":
            user_id = int(call.body["recipient_id"])
            channel = self.dm_channels.setdefault(user_id, next(_ids))
            return 200, {"id": str(channel), "type": 1, "last_message_id": None,
                         "recipients": [user_json(user_id)]}, {}
        if parts[0] == "channels" and parts[-1] == "messages" and method == "POST":
            channel = int(parts[1])
            user = next((u for u, c in self.dm_channels.items() if c == channel), None)
            if user in self.closed_dms:
                return 403, {"code": 50007, "message": "Cannot send messages to this user"}, {}
            if self.rate_limited:
                after = self.rate_limited.pop(0)
                return 429, {"message": "You are being rate limited.", "retry_after": after,
                             "global": False}, {"Via": "1.1 google", "Retry-After": str(after)}
            nonce = call.body.get("nonce")
            if nonce and call.body.get("enforce_nonce") and nonce in self.nonces:
                return 200, self.nonces[nonce], {}
            message = self.message_json(channel, call.body)
            if nonce:
                self.nonces[nonce] = message
            return 200, message, {}
        return 404, {"code": 0, "message": f"fake Discord has no {method} {path}"}, {}

    @staticmethod
    def message_json(channel_id: int, body: dict[str, Any]) -> dict[str, Any]:
        return {"id": str(next(_ids)), "channel_id": str(channel_id), "type": 0,
                "content": body.get("content", ""), "author": BOT_USER, "attachments": [],
                "embeds": body.get("embeds", []), "mentions": [], "mention_roles": [],
                "mention_everyone": False, "pinned": False, "tts": False,
                "timestamp": "2026-03-02T15:00:00+00:00", "edited_timestamp": None,
                "flags": body.get("flags", 0), "components": body.get("components", []),
                "nonce": body.get("nonce")}

    # --- what was sent ---------------------------------------------------------------------------

    def messages(self) -> list[dict[str, Any]]:
        return [m for c in self.calls if (m := c.message) is not None]

    def since(self, mark: int) -> list[Call]:
        return self.calls[mark:]

    def callbacks(self, since: int = 0) -> list[dict[str, Any]]:
        return [c.body for c in self.calls[since:] if c.path.endswith("/callback")]

    def dms(self, since: int = 0) -> list[Call]:
        return [c for c in self.calls[since:] if c.method == "POST"
                and c.path.startswith("/channels/") and c.path.endswith("/messages")]


class GatewaySide:
    """Discord's gateway WebSocket, as far as a bot needs it to come online: HELLO, then READY
    (with no guilds) for its IDENTIFY, and an ACK for every heartbeat. Frames are sent as text,
    which discord.py reads whatever compression it asked for."""

    def __init__(self) -> None:
        self.url = ""
        self.identified = 0
        self.close_codes: list[int | None] = []  # how each connection ended, as the bot closed it

    async def connect(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_json({"op": 10, "d": {"heartbeat_interval": 41_250}, "s": None, "t": None})
        async for frame in ws:
            if frame.type is not web.WSMsgType.TEXT:
                continue
            op = json.loads(frame.data).get("op")
            if op == 2:  # IDENTIFY
                self.identified += 1
                await ws.send_json({"op": 0, "s": 1, "t": "READY", "d": {
                    "v": 10, "user": BOT_USER, "guilds": [], "session_id": "fake-session",
                    "resume_gateway_url": self.url, "shard": [0, 1],
                    "application": {"id": str(APP_ID), "flags": 0}}})
            elif op == 1:  # heartbeat
                await ws.send_json({"op": 11, "d": None, "s": None, "t": None})
        self.close_codes.append(ws.close_code)
        return ws


# --- interactions as the gateway delivers them ---------------------------------------------------


def _base(kind: int, user_id: int, guild: bool, data: dict[str, Any]) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "id": str(next(_ids)), "application_id": str(APP_ID), "type": kind,
        "token": f"token-{next(_ids)}", "version": 1, "data": data, "locale": "en-GB",
        "attachment_size_limit": 10 * 1024 * 1024, "entitlements": [], "app_permissions": "0",
        "authorizing_integration_owners": {"0": str(GUILD_ID)} if guild else {},
    }
    if guild:
        payload.update(guild_id=str(GUILD_ID), guild_locale="en-GB", context=0,
                       channel_id=str(CHANNEL_ID),
                       channel={"id": str(CHANNEL_ID), "type": 0, "guild_id": str(GUILD_ID),
                                "name": "careers", "position": 0, "permission_overwrites": []},
                       member={"user": user_json(user_id), "roles": [], "deaf": False,
                               "mute": False, "flags": 0, "permissions": "0",
                               "joined_at": "2025-09-01T00:00:00+00:00"})
    else:
        dm = 740000000000000000 + user_id % 1000
        payload.update(context=1, channel_id=str(dm), user=user_json(user_id),
                       channel={"id": str(dm), "type": 1, "recipients": [user_json(user_id)]})
    return payload


def command(sub: str, user_id: int = SAM, *, guild: bool = True, focused: str | None = None,
            **options: str | int) -> dict[str, Any]:
    """``/infointerview <sub> option:value …``; with ``focused`` an autocomplete request."""
    inner = []
    for name, value in options.items():
        option: dict[str, Any] = {"name": name, "type": 4 if isinstance(value, int) else 3,
                                  "value": value}
        if name == focused:
            option["focused"] = True
        inner.append(option)
    data = {"id": str(APP_ID + 10), "name": "infointerview", "type": 1,
            "options": [{"type": 1, "name": sub, "options": inner}]}
    return _base(4 if focused else 2, user_id, guild, data)


def click(message: dict[str, Any], custom_id: str, user_id: int = SAM, *,
          guild: bool = True) -> dict[str, Any]:
    """A click on a button of ``message`` (as recorded going out)."""
    payload = _base(3, user_id, guild, {"custom_id": custom_id, "component_type": 2})
    channel = payload["channel_id"]
    payload["message"] = FakeDiscord.message_json(int(channel), message)
    return payload


def submit(custom_id: str, values: dict[str, str | list[str]], user_id: int = SAM, *,
           guild: bool = True) -> dict[str, Any]:
    """A modal submission: text inputs and selects, each inside a label."""
    components = []
    for name, value in values.items():
        inner: dict[str, Any] = ({"type": 3, "custom_id": name, "values": value}
                                 if isinstance(value, list) else
                                 {"type": 4, "custom_id": name, "value": value})
        components.append({"type": 18, "component": inner})
    return _base(5, user_id, guild, {"custom_id": custom_id, "components": components})


async def deliver(client: discord.Client, payload: dict[str, Any]) -> None:
    """Hand a raw INTERACTION_CREATE to the client as the gateway does, and wait until every task
    it started (command tree, dynamic items, on_interaction) has finished."""
    before = asyncio.all_tasks()
    client._connection.parse_interaction_create(payload)  # type: ignore[arg-type]
    started = asyncio.all_tasks() - before
    await asyncio.gather(*started)


def buttons_of(message: dict[str, Any]) -> dict[str, str]:
    """label -> custom_id of a recorded message's buttons."""
    return {c["label"]: c["custom_id"] for row in message.get("components", [])
            for c in row.get("components", []) if c.get("type") == 2}


Runner = Callable[[], Awaitable[None]]


@pytest.fixture
def no_logged_errors(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """discord.py logs (and swallows) exceptions raised in callbacks; a test must see them."""
    yield
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, [r.getMessage() for r in errors]


def dm_message(text: str, user_id: int = SAM) -> dict[str, Any]:
    """A MESSAGE_CREATE for a line typed in the DM with the bot."""
    dm = 740000000000000000 + user_id % 1000
    return {"id": str(next(_ids)), "channel_id": str(dm), "type": 0, "content": text,
            "author": user_json(user_id), "attachments": [], "embeds": [], "mentions": [],
            "mention_roles": [], "mention_everyone": False, "pinned": False, "tts": False,
            "timestamp": "2026-03-02T15:00:00+00:00", "edited_timestamp": None, "flags": 0,
            "components": []}


async def deliver_message(client: discord.Client, payload: dict[str, Any]) -> None:
    """Hand a raw MESSAGE_CREATE to the client and wait for the handlers it started."""
    before = asyncio.all_tasks()
    client._connection.parse_message_create(payload)  # type: ignore[arg-type]
    await asyncio.gather(*(asyncio.all_tasks() - before))
