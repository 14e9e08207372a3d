"""The web front end over HTTP without a browser: mounted under the Slack server and on its
own, the sign-in rate limit, who counts as the client behind a proxy, and the metrics."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from infointerview.adapters.slack.config import SlackConfig
from infointerview.adapters.slack.server import SlackRuntime
from infointerview.adapters.web import web_app
from infointerview.adapters.web.guard import RateLimit
from infointerview.bot.observability import PrometheusObserver
from infointerview.bot.web_cli import standalone_app
from infointerview.core import Engine
from tests.browser.seed import COACH_A, seeded


def run(app: web.Application, check: Callable[[TestClient[Any, Any]], Awaitable[None]]) -> None:
    async def main() -> None:
        async with TestClient(TestServer(app)) as client:
            await check(client)

    asyncio.run(main())


def test_the_slack_server_serves_the_pages_under_web(engine: Engine) -> None:
    data = seeded("http://127.0.0.1")
    config = SlackConfig(signing_secret="s" * 32, bot_token="xoxb-test-token",
                         api_url="http://127.0.0.1:9/api/")
    runtime = SlackRuntime(engine, config, database=engine.database)
    app = runtime.web_app(reminders=False, pages=web_app(data.access, data.insights))

    async def check(client: TestClient[Any, Any]) -> None:
        link = data.access.link_for(COACH_A.platform, COACH_A.tenant, COACH_A.user_id)
        assert link is not None
        token = link.split("token=")[1]
        signed = await client.post("/web/signin", data={"token": token},
                                   allow_redirects=False)
        assert signed.status == 303 and signed.headers["Location"] == "/web/"
        page = await client.get("/web/")
        assert page.status == 200 and "Bioscience PhD 2026" in await page.text()
        assert page.headers["Content-Security-Policy"].startswith("default-src 'self'")
        assert (await client.get("/web", allow_redirects=False)).headers["Location"] == "/web/"
        css = await client.get("/web/static/site.css")
        assert css.status == 200 and css.headers["X-Content-Type-Options"] == "nosniff"
        assert (await client.post("/slack/events", data=b"{}")).status in (400, 401)

    run(app, check)


def test_sign_in_is_limited_per_client_address() -> None:
    data = seeded("http://127.0.0.1")
    app = standalone_app(data.access, data.insights, signin_per_minute=3)

    async def check(client: TestClient[Any, Any]) -> None:
        for _ in range(3):
            assert (await client.get("/web/signin?token=x")).status == 200
        refused = await client.post("/web/signin", data={"token": "x"})
        assert refused.status == 429 and "Too many sign-in attempts" in await refused.text()
        assert refused.headers["Retry-After"].isdigit()
        # behind a proxy on this machine, the client is the address the proxy added last;
        # what the client wrote before it changes nothing
        for written in ("203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"):
            forwarded = {"X-Forwarded-For": f"{written}, 198.51.100.7"}
            answer = await client.get("/web/signin?token=x", headers=forwarded)
            assert answer.status == (429 if written.endswith("4") else 200)
        # other pages are not limited
        assert (await client.get("/web/")).status == 401

    run(app, check)


def test_the_limit_forgets_after_its_window() -> None:
    limit = RateLimit(2, window=60.0)
    assert limit.allow("a", now=0.0) and limit.allow("a", now=1.0)
    assert not limit.allow("a", now=2.0) and limit.allow("b", now=2.0)
    assert limit.retry_after("a", now=2.0) == 58
    assert limit.allow("a", now=60.5)


def test_requests_are_counted_in_the_metrics() -> None:
    data = seeded("http://127.0.0.1")
    observer = PrometheusObserver()
    app = standalone_app(data.access, data.insights, observer=observer)

    async def check(client: TestClient[Any, Any]) -> None:
        await client.get("/web/")
        await client.get("/web/nowhere")
        assert (await client.get("/healthz")).status == 200
        metrics = await (await client.get("/metrics")).text()
        assert 'infointerview_web_requests_total{route="/web/",status="401"} 1.0' in metrics
        assert 'status="404"' in metrics

    run(app, check)
