"""`infointerview web`: the web pages on their own server, with /healthz, /readyz and /metrics.

For installs without the Slack HTTP server (Discord, the console); the Slack server mounts the
same pages under ``/web/``.
"""

from __future__ import annotations

from collections.abc import Mapping

from aiohttp import web

from infointerview.adapters.web import SIGNIN_PER_MINUTE, AccessPort, InsightsPort, web_app
from infointerview.bot.observability import Check, PrometheusObserver, add_ops_routes


def standalone_app(access: AccessPort, insights: InsightsPort, *,
                   observer: PrometheusObserver | None = None,
                   checks: Mapping[str, Check] | None = None,
                   signin_per_minute: int = SIGNIN_PER_MINUTE) -> web.Application:
    """The pages under ``/web/``, ``/`` leading there, and the operations routes."""
    observer = observer or PrometheusObserver()
    app = web.Application()
    add_ops_routes(app, observer, checks or {})

    async def to_pages(request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound("/web/")

    app.router.add_get("/", to_pages)
    app.router.add_get("/web", to_pages)
    app.add_subapp("/web/", web_app(access, insights, observer=observer,
                                    signin_per_minute=signin_per_minute))
    return app
