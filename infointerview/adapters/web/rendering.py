"""What every page handler shares: the application's keys, the session, and rendering."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp_jinja2
from aiohttp import web

from infointerview.adapters.web.guard import RateLimit
from infointerview.adapters.web.ports import AccessPort, InsightsPort, WebObserver
from infointerview.core import Viewer

PREFIX = "/web"
COOKIE = "infointerview_session"
HERE = Path(__file__).parent
SIGNIN_PER_MINUTE = 20

ACCESS = web.AppKey("access", AccessPort)
INSIGHTS = web.AppKey("insights", InsightsPort)
OBSERVER = web.AppKey("observer", WebObserver)
SIGNIN_LIMIT = web.AppKey("signin_limit", RateLimit)


class ShowPage(Exception):
    """Answer with one of our pages (an error page, usually) instead of the handler's."""

    def __init__(self, status: int, template: str, *, headers: dict[str, str] | None = None,
                 **context: Any) -> None:
        super().__init__(f"{status} {template}")
        self.status = status
        self.template = template
        self.headers = headers or {}
        self.context = context


def render(request: web.Request, template: str, *, status: int = 200,
           viewer: Viewer | None = None, **context: Any) -> web.Response:
    return aiohttp_jinja2.render_template(
        template, request, {"prefix": PREFIX, "viewer": viewer, **context}, status=status)


def not_found() -> ShowPage:
    """Unknown, or not yours: the same answer, so a page never tells that a cohort exists."""
    return ShowPage(404, "not_found.html")


async def signed_in(request: web.Request) -> tuple[str, Viewer]:
    """The session's token and person, or the page that says how to sign in."""
    token = request.cookies.get(COOKIE, "")
    viewer = await asyncio.to_thread(request.app[ACCESS].viewer, token) if token else None
    if viewer is None:
        raise ShowPage(401, "sign_in_first.html", expired=bool(token))
    return token, viewer


def when(moment: datetime | None, zone: str) -> str:
    """A moment as the person reads it, in their own time zone."""
    if moment is None:
        return "—"
    try:
        local = moment.astimezone(ZoneInfo(zone))
    except (KeyError, ValueError):
        local = moment
    return f"{local:%a %d %b %Y, %H:%M}"
