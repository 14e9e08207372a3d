"""`infointerview web`: the web pages on their own server, with /healthz, /readyz and /metrics.

For installs without the Slack HTTP server (Discord, the console); the Slack server mounts the
same pages under ``/web/``.
"""

from __future__ import annotations

from collections.abc import Mapping

from aiohttp import web

from infointerview.adapters.web import SIGNIN_PER_MINUTE, AccessPort, InsightsPort, web_app
from infointerview.bot.observability import (
    Check,
    PrometheusObserver,
    add_ops_routes,
    setup_logging,
)
from infointerview.bot.settings import Settings
from infointerview.core import Engine, Insights


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


def build_insights(engine: Engine) -> Insights:
    """What the web pages read, with the engine's own wording, question bank and settings."""
    return Insights(engine.database, templates=engine.templates, bank=engine.bank,
                    config=engine.config)


def run_web(settings: Settings, *, host: str, port: int, db: str | None,
            user: str | None) -> None:
    """Serve the pages; with ``user``, first print a sign-in link for that console person."""
    import asyncio

    import typer

    from infointerview.adapters.console.adapter import TENANT as CONSOLE_TENANT
    from infointerview.adapters.console.gateway import PLATFORM as CONSOLE
    from infointerview.bot.container import build_access, build_engine

    if not settings.public_url:
        typer.echo("infointerview web: INFOINTERVIEW_PUBLIC_URL is empty, which turns the web "
                   "pages off; set it to the address people open them at, e.g. "
                   f"http://127.0.0.1:{port}", err=True)
        raise typer.Exit(2)
    if "public_url" not in settings.model_fields_set:
        # not configured: the links point at this very server, on the port it was given
        local = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
        settings = settings.model_copy(update={"public_url": f"http://{local}:{port}"})
    setup_logging(settings.log_level, json_logs=settings.log_format == "json")
    observer = PrometheusObserver()
    engine = build_engine(settings, database_url=db, observer=observer)
    access = build_access(settings, engine.database)
    if user is not None:
        link = access.link_for(CONSOLE, CONSOLE_TENANT, user)
        if link is None:
            typer.echo(f"infointerview web: nobody called {user!r} has used the console on this "
                       f"database yet. Start with: infointerview console --user {user}",
                       err=True)
            raise typer.Exit(1)
        typer.echo(f"Sign in as {user} (the link works once, for ten minutes):\n  {link}")

    async def database() -> str | None:
        await asyncio.to_thread(engine.ping)
        return None

    app = standalone_app(access, build_insights(engine), observer=observer,
                         checks={"database": database})
    typer.echo(f"infointerview: web pages on http://{host}:{port}/web/ "
               f"(links point at {settings.public_url})", err=True)
    web.run_app(app, host=host, port=port, print=None)
