"""Putting the Slack adapter together: clients, the Bolt app, the reminder gateway, and the two
ways of reaching Slack (an HTTP server at ``/slack/events``, or Socket Mode)."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncRateLimitErrorRetryHandler,
    async_default_handlers,
)
from slack_sdk.web.async_client import AsyncWebClient

from infointerview.adapters.slack.app import SlackAdapter
from infointerview.adapters.slack.config import SlackConfig
from infointerview.adapters.slack.delivery import Delivery
from infointerview.adapters.slack.door import admit
from infointerview.adapters.slack.gateway import SlackGateway
from infointerview.adapters.slack.oauth import oauth_settings
from infointerview.core import Database, Dispatcher, Engine

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
PAGES_PATH = "/web"  # the web front end, when mounted
SWITCH_INTERVAL = 0.0005
AUTH_CHECK_EVERY = 60.0


def web_client(config: SlackConfig, token: str | None = None,
               session: aiohttp.ClientSession | None = None) -> AsyncWebClient:
    """A Web API client that retries 429s after ``Retry-After`` (twice) and connection errors."""
    handlers = [*async_default_handlers(), AsyncRateLimitErrorRetryHandler(max_retry_count=2)]
    return AsyncWebClient(token=token, base_url=config.base_url, retry_handlers=handlers,
                          session=session)


class SlackRuntime:
    """The adapter, its reminder gateway and dispatcher, for one process."""

    def __init__(self, engine: Engine, config: SlackConfig, *, database: Database,
                 reminder_interval: float = 15.0) -> None:
        self.config = config
        self.delivery = Delivery(engine.observer)
        self.client = web_client(config, config.bot_token)
        settings = oauth_settings(config, database) if not config.bot_token else None
        self.installations = settings.installation_store if settings else None
        self.adapter = SlackAdapter(engine, signing_secret=config.signing_secret,
                                    token=config.bot_token, client=self.client,
                                    oauth_settings=settings, delivery=self.delivery,
                                    coaches=config.coaches, client_for=self.client_for)
        self.gateway = SlackGateway(self.client_for, self.delivery)
        self.dispatcher = Dispatcher(engine, self.gateway, interval=reminder_interval)
        self.socket_handler: Any = None
        self._auth_checked_at = float("-inf")
        self._auth_problem: str | None = None

    async def client_for(self, tenant: str) -> AsyncWebClient:
        if self.installations is None:
            return self.client
        bot = await self.installations.async_find_bot(enterprise_id=None, team_id=tenant)
        if bot is None:
            raise LookupError(f"no installation for workspace {tenant}")
        return web_client(self.config, bot.bot_token, self.client.session)

    async def open(self) -> None:
        """One HTTP session (keep-alive connections) for every Web API call of this process;
        Bolt's per-request clients borrow it from ``self.client``."""
        if self.client.session is None:
            self.client.session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self.client.timeout))

    async def take_over_the_inbox(self) -> None:
        """Before serving: requests a previous process acknowledged and did not finish are
        handled first (each ahead of its person's new ones), and old handled rows go."""
        await self.adapter.intake.replay()
        try:
            await asyncio.to_thread(self.adapter.engine.prune_inbox)
        except Exception:  # only housekeeping: tried again at the next start
            log.warning("old inbox rows not pruned", exc_info=True)

    async def close(self) -> None:
        """Graceful: finish acked events and the reminder being sent, hand back the rest."""
        await self.adapter.drain()
        await self.dispatcher.aclose()
        if self.client.session is not None:
            await self.client.session.close()
            self.client.session = None

    # --- HTTP mode -----------------------------------------------------------------------------

    def web_app(self, *, reminders: bool = True,
                pages: web.Application | None = None) -> web.Application:
        """Slack's routes; with ``pages`` (the web front end's application), those under
        ``/web/`` on the same port."""
        bolt = self.adapter.app

        async def events(request: web.Request) -> web.Response:
            # malformed bodies stop at the door with a 4xx (see adapters/slack/door.py)
            return await to_aiohttp_response(await bolt.async_dispatch(
                await admit(request, self.config.signing_secret)))

        app = web.Application()
        app.router.add_post(EVENTS_PATH, events)
        flow = bolt.oauth_flow
        if flow is not None:
            async def install(request: web.Request) -> web.Response:
                return await to_aiohttp_response(
                    await flow.handle_installation(await to_bolt_request(request)))

            async def redirect(request: web.Request) -> web.Response:
                return await to_aiohttp_response(
                    await flow.handle_callback(await to_bolt_request(request)))

            app.router.add_get(flow.install_path, install)
            app.router.add_get(flow.redirect_uri_path, redirect)
        if pages is not None:
            async def to_pages(request: web.Request) -> web.StreamResponse:
                raise web.HTTPFound(f"{PAGES_PATH}/")

            app.router.add_get(PAGES_PATH, to_pages)
            app.add_subapp(f"{PAGES_PATH}/", pages)

        async def start(app: web.Application) -> None:
            await self.open()
            await self.take_over_the_inbox()
            if reminders:
                self.dispatcher.start()

        async def stop(app: web.Application) -> None:
            await self.close()

        app.on_startup.append(start)
        app.on_cleanup.append(stop)
        return app

    async def slack_reachable(self) -> str | None:
        """Readiness: can this process call Slack's Web API (a cached ``auth.test``)?"""
        if self.installations is not None:
            return None  # many workspaces: no one token to test with
        now = asyncio.get_running_loop().time()
        if now - self._auth_checked_at > AUTH_CHECK_EVERY:
            try:
                await self.client.auth_test()
                self._auth_problem = None
            except Exception as exc:  # any failure means: not ready
                self._auth_problem = f"auth.test failed: {type(exc).__name__}"
            self._auth_checked_at = now
        return self._auth_problem

    def serve_http(self, host: str, port: int, app: web.Application | None = None) -> None:
        # The engine runs in worker threads; a shorter GIL switch interval lets the event loop
        # answer Slack (the 3-second ack) promptly while they work (Python's default is 5 ms).
        sys.setswitchinterval(SWITCH_INTERVAL)
        web.run_app(app or self.web_app(), host=host, port=port, print=None)

    # --- Socket Mode ---------------------------------------------------------------------------

    async def serve_socket_mode(self, on_start: Callable[[], Awaitable[None]] | None = None,
                                ) -> None:
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        assert self.config.app_token, "Socket Mode needs an app-level token"
        handler = AsyncSocketModeHandler(self.adapter.app, self.config.app_token,
                                         web_client=self.client)
        self.socket_handler = handler
        await self.open()
        await self.take_over_the_inbox()
        self.dispatcher.start()
        if on_start is not None:
            await on_start()
        try:
            await handler.start_async()  # type: ignore[no-untyped-call]
        finally:
            await self.close()
            await asyncio.shield(handler.close_async())  # type: ignore[no-untyped-call]
