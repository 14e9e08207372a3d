"""Test support for the Slack adapter: a local stand-in for Slack's Web API (reached through
``SLACK_API_URL``) that records every call, and a client that signs requests the way Slack does."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

SIGNING_SECRET = "test-signing-secret"
_REQUEST_IDS = itertools.count(1)
TEAM = "T0TEAM"
BOT_USER = "UBOT"


class LoopThread:
    """An asyncio loop in a background thread, where the servers live."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, Any], timeout: float = 30) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def standin_running() -> Iterator[tuple[LoopThread, SlackStandIn]]:
    """A loop thread with the Web API stand-in listening on it (``api.base`` set)."""
    loop = LoopThread()
    api = SlackStandIn()
    runner, port = loop.run(serve(api.app()))
    api.base = f"http://127.0.0.1:{port}"
    try:
        yield loop, api
    finally:
        loop.run(runner.cleanup())
        loop.stop()


def wait_until_answering(url: str, process: subprocess.Popen[str],
                         timeout: float = 30) -> None:
    """Poll ``url`` until it answers 200; fail with the process's stderr if it exits first."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                assert reply.status == 200
                return
        except OSError:
            assert process.poll() is None, process.communicate()[1]
            assert time.monotonic() < deadline, f"{url} did not answer in {timeout:g} s"
            time.sleep(0.2)


async def serve(app: web.Application) -> tuple[web.AppRunner, int]:
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, port


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    token: str = ""


def _maybe_json(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


@dataclass
class SlackStandIn:
    """Answers the Web API methods the bot uses and remembers every call."""

    calls: list[Call] = field(default_factory=list)
    failures: dict[str, list[tuple[int, dict[str, Any], dict[str, str]]]] = \
        field(default_factory=dict)
    tz: dict[str, str] = field(default_factory=dict)
    admins: set[str] = field(default_factory=set)
    uploads: dict[str, bytes] = field(default_factory=dict)
    posts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    history_page_max: int = 15  # Slack caps some apps' conversations.history pages at 15
    base: str = ""
    _ts: itertools.count = field(default_factory=lambda: itertools.count(1))  # type: ignore[type-arg]

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_post("/respond/{id}", self._respond)
        app.router.add_get("/link", self._socket)
        return app

    # --- Socket Mode: a WebSocket the bot connects to ----------------------------------------

    sockets: list[web.WebSocketResponse] = field(default_factory=list)
    socket_acks: list[dict[str, Any]] = field(default_factory=list)

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.sockets.append(ws)
        await ws.send_json({"type": "hello", "num_connections": 1,
                            "connection_info": {"app_id": "A0APP"}})
        async for message in ws:
            if message.type.name == "TEXT":
                self.socket_acks.append(json.loads(message.data))
        return ws

    async def push(self, envelope: dict[str, Any]) -> None:
        await self.sockets[-1].send_json(envelope)

    # --- what tests look at ------------------------------------------------------------------

    def of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0,
                 where: Callable[[Call], bool] = lambda c: True) -> list[Call]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [c for c in self.of(method) if where(c)]
            if len(found) >= count:
                return found
            time.sleep(0.02)
        raise AssertionError(f"expected {count} {method} call(s); saw "
                             f"{[c.method for c in self.calls]}")

    def visible_text(self) -> str:
        """Everything the bot showed people: message blocks, modals, home views, as JSON."""
        shown = [c.params for c in self.calls if c.method in (
            "chat.postMessage", "chat.postEphemeral", "respond", "views.open", "views.publish",
            "views.update")]
        return json.dumps(shown, ensure_ascii=False)

    def fail_next(self, method: str, status: int, body: dict[str, Any],
                  headers: dict[str, str] | None = None) -> None:
        self.failures.setdefault(method, []).append((status, body, headers or {}))

    # --- the API -----------------------------------------------------------------------------

    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.method == "GET":
            data: dict[str, Any] = dict(request.query)
        elif request.content_type == "application/json":
            data = await request.json()
        else:
            data = dict(await request.post())
        data = dict(request.query) | data  # the SDK sends some arguments as query parameters
        return {k: _maybe_json(v) for k, v in data.items()}

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        self.calls.append(Call(method, params, token))
        queued = self.failures.get(method)
        if queued:
            status, body, headers = queued.pop(0)
            return web.json_response(body, status=status, headers=headers)
        return web.json_response(self._answer(method, params))

    def _answer(self, method: str, p: dict[str, Any]) -> dict[str, Any]:
        ok: dict[str, Any] = {"ok": True}
        if method == "apps.connections.open":
            return ok | {"url": self.base.replace("http://", "ws://") + "/link"}
        if method == "auth.test":
            return ok | {"team_id": TEAM, "user_id": BOT_USER, "bot_id": "BBOT", "team": "Lab",
                         "url": "https://lab.slack.com/", "user": "infointerview"}
        if method == "users.info":
            user = str(p.get("user"))
            return ok | {"user": {"id": user, "name": user.lower(), "real_name": f"Person {user}",
                                  "tz": self.tz.get(user, "America/Chicago"),
                                  "is_admin": user in self.admins}}
        if method == "conversations.open":
            return ok | {"channel": {"id": f"D{p.get('users')}"}}
        if method == "chat.postMessage":
            ts = f"{time.time():.0f}.{next(self._ts):06d}"
            message = {"ts": ts, "text": p.get("text"), "metadata": p.get("metadata")}
            self.posts.setdefault(str(p.get("channel")), []).append(message)
            return ok | {"channel": p.get("channel"), "ts": ts, "message": message}
        if method == "chat.postEphemeral":
            return ok | {"message_ts": f"{next(self._ts)}.0"}
        if method == "conversations.history":
            return ok | self._history(p)
        if method in ("views.open", "views.publish", "views.update"):
            return ok | {"view": {"id": f"V{next(self._ts)}"}}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ts)}"
            return ok | {"upload_url": f"{self.base}/upload/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            return ok | {"files": [{"id": f["id"], "title": f.get("title", "")}
                                   for f in p.get("files") or []]}
        if method == "oauth.v2.access":
            return ok | {"app_id": "A0APP", "authed_user": {"id": "U0ADMIN"},
                         "scope": "commands,chat:write", "token_type": "bot",
                         "access_token": "xoxb-second-workspace", "bot_user_id": BOT_USER,
                         "team": {"id": "T0SECOND", "name": "Second"}, "enterprise": None,
                         "is_enterprise_install": False}
        return ok

    def _history(self, p: dict[str, Any]) -> dict[str, Any]:
        """Newest first, from ``oldest`` on, a page at a time with Slack's cursor."""
        oldest = float(p.get("oldest") or 0)
        recent = [m for m in reversed(self.posts.get(str(p.get("channel")), []))
                  if float(m["ts"]) > oldest]
        start = int(str(p.get("cursor") or "0"))
        size = min(int(p.get("limit") or 100), self.history_page_max)
        page = recent[start:start + size]
        more = start + size < len(recent)
        return {"messages": page, "has_more": more,
                "response_metadata": {"next_cursor": str(start + size) if more else ""}}

    def person_says(self, channel: str, text: str) -> None:
        """A message the person typed in their DM with the bot (no metadata)."""
        ts = f"{time.time():.0f}.{next(self._ts):06d}"
        self.posts.setdefault(channel, []).append({"ts": ts, "text": text, "user": "U1"})

    async def _upload(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        if request.content_type.startswith("multipart/"):
            form = await request.post()
            item = next(iter(form.values()))
            self.uploads[file_id] = item.file.read() if hasattr(item, "file") else \
                str(item).encode()
        else:
            self.uploads[file_id] = await request.read()
        self.calls.append(Call("upload", {"file_id": file_id}))
        return web.Response(text="OK")

    async def _respond(self, request: web.Request) -> web.Response:
        self.calls.append(Call("respond", await request.json()))
        return web.json_response({"ok": True})


# --- signed requests ---------------------------------------------------------------------------


def sign(body: str | bytes, timestamp: int | None = None,
         secret: str = SIGNING_SECRET) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    raw = body.encode() if isinstance(body, str) else body  # Slack signs the bytes it sends
    digest = hmac.new(secret.encode(), f"v0:{ts}:".encode() + raw, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


@dataclass
class Response:
    status: int
    body: str
    elapsed: float

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass
class SlackSender:
    """Builds requests the way Slack does and posts them to the bot's /slack/events."""

    url: str
    standin: SlackStandIn
    team: str = TEAM
    last_submitted: dict[str, Any] = field(default_factory=dict)  # the view as last sent

    def post(self, body: str | bytes, content_type: str, headers: dict[str, str] | None = None,
             signed: bool = True, timestamp: int | None = None) -> Response:
        all_headers = {"Content-Type": content_type, **(headers or {})}
        if signed:
            all_headers |= sign(body, timestamp)
        data = body.encode() if isinstance(body, str) else body
        request = urllib.request.Request(self.url, data=data, headers=all_headers,
                                         method="POST")
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=10) as reply:
                text = reply.read().decode()
                return Response(reply.status, text, time.perf_counter() - started)
        except urllib.error.HTTPError as error:
            return Response(error.code, error.read().decode(errors="replace"),
                            time.perf_counter() - started)

    def next_id(self) -> str:
        return f"{next(_REQUEST_IDS)}"  # unique across senders, like Slack's trigger ids

    def command(self, user: str, text: str, channel: str | None = None,
                trigger_id: str | None = None, **post: Any) -> Response:
        trigger = trigger_id or f"trigger-{self.next_id()}"
        form = {"token": "legacy", "team_id": self.team, "team_domain": "lab",
                "channel_id": channel or f"D{user}",
                "channel_name": "directmessage" if channel is None else "general",
                "user_id": user, "user_name": user.lower(), "command": "/infointerview",
                "text": text, "api_app_id": "A0APP", "is_enterprise_install": "false",
                "response_url": f"{self.standin.base}/respond/{trigger}",
                "trigger_id": trigger}
        return self.post(urllib.parse.urlencode(form), "application/x-www-form-urlencoded",
                         **post)

    def interactive(self, payload: dict[str, Any], **post: Any) -> Response:
        body = urllib.parse.urlencode({"payload": json.dumps(payload)})
        return self.post(body, "application/x-www-form-urlencoded", **post)

    def click(self, user: str, action_id: str, value: str = "", channel: str | None = None,
              container: str = "message") -> Response:
        trigger = f"trigger-{self.next_id()}"
        payload: dict[str, Any] = {
            "type": "block_actions", "team": {"id": self.team, "domain": "lab"},
            "user": {"id": user, "username": user.lower(), "name": user.lower(),
                     "team_id": self.team},
            "api_app_id": "A0APP", "token": "legacy", "trigger_id": trigger,
            "response_url": f"{self.standin.base}/respond/{trigger}",
            "actions": [{"type": "button", "action_id": action_id, "block_id": "b1",
                         "value": value, "action_ts": f"{time.time():.6f}"}]}
        if container == "message":
            channel = channel or f"D{user}"
            payload["container"] = {"type": "message", "channel_id": channel,
                                    "message_ts": "1.0"}
            payload["channel"] = {"id": channel, "name": "directmessage"}
        else:
            payload["container"] = {"type": "view", "view_id": "VHOME"}
            payload["view"] = {"id": "VHOME", "type": "home"}
        return self.interactive(payload)

    def submit(self, user: str, view: dict[str, Any], values: dict[str, str],
               view_id: str | None = None, view_hash: str | None = None) -> Response:
        """Submit a modal the bot opened, with the person's values filled in. Pressing Submit
        again on a modal that stayed open sends the same ``view_id`` and ``view_hash``."""
        state: dict[str, Any] = {}
        for block in view["blocks"]:
            if block.get("type") != "input":
                continue
            kind = block["element"]["type"]
            raw = values.get(block["block_id"], "")
            if kind == "static_select":
                entry: dict[str, Any] = {"type": kind, "selected_option":
                                         {"value": raw} if raw else None}
            elif kind == "datepicker":
                entry = {"type": kind, "selected_date": raw or None}
            elif kind == "timepicker":
                entry = {"type": kind, "selected_time": raw or None}
            else:
                entry = {"type": kind, "value": raw or None}
            state[block["block_id"]] = {"value": entry}
        n = self.next_id()
        payload = {"type": "view_submission", "team": {"id": self.team, "domain": "lab"},
                   "user": {"id": user, "username": user.lower(), "name": user.lower(),
                            "team_id": self.team},
                   "api_app_id": "A0APP", "token": "legacy", "trigger_id": f"trigger-{n}",
                   "view": {**view, "id": view_id or f"VMODAL{n}",
                            "hash": view_hash or f"h{n}",
                            "team_id": self.team, "state": {"values": state}}}
        self.last_submitted = payload["view"]
        return self.interactive(payload)

    def event(self, event: dict[str, Any], event_id: str | None = None,
              retry: int | None = None) -> Response:
        body = json.dumps({"token": "legacy", "team_id": self.team, "api_app_id": "A0APP",
                           "type": "event_callback", "event_id": event_id or
                           f"Ev{self.next_id()}", "event_time": int(time.time()),
                           "authorizations": [{"team_id": self.team, "user_id": BOT_USER,
                                               "is_bot": True}],
                           "event": event})
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} \
            if retry else {}
        return self.post(body, "application/json", headers=headers)

    def dm(self, user: str, text: str, event_id: str | None = None,
           retry: int | None = None) -> Response:
        return self.event({"type": "message", "channel_type": "im", "channel": f"D{user}",
                           "user": user, "text": text, "ts": f"{time.time():.6f}"},
                          event_id=event_id, retry=retry)
