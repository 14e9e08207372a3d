"""Signing in with the one-time link the bot sends, and signing out.

The link's GET only shows a button: Slack and Discord fetch links to preview them, and a GET
that redeemed the link would spend it before the person clicks. The button POSTs the token.
"""

from __future__ import annotations

import asyncio
import hmac
from datetime import UTC, datetime

from aiohttp import web

from infointerview.adapters.web.guard import client_address
from infointerview.adapters.web.rendering import (
    ACCESS,
    COOKIE,
    PREFIX,
    SIGNIN_LIMIT,
    ShowPage,
    render,
    signed_in,
)
from infointerview.core import Refused

SESSION_HOURS = 8
REFUSED_STATUS = {"expired": 410, "used": 410}  # anything else: 400 (not a link of ours)
TOKEN_MAX = 1000  # a longer "token" is not one of ours: refused without asking the database


def _within_rate(request: web.Request) -> None:
    limit = request.app[SIGNIN_LIMIT]
    address = client_address(request)
    if not limit.allow(address):
        raise ShowPage(429, "error.html",
                       headers={"Retry-After": str(limit.retry_after(address))},
                       message="Too many sign-in attempts from here. Please wait a minute, "
                       "then open your link again.")


async def interstitial(request: web.Request) -> web.Response:
    """GET /web/signin?token=…: a button that signs in, so a link preview spends nothing."""
    _within_rate(request)
    token = request.query.get("token", "")
    if not token or len(token) > TOKEN_MAX:
        raise ShowPage(400, "signin_refused.html", reason="invalid")
    return render(request, "signin.html", token=token)


async def redeem(request: web.Request) -> web.StreamResponse:
    """POST /web/signin: the link opens a session (once), or a page says kindly why not."""
    _within_rate(request)
    form = await request.post()
    token = str(form.get("token", ""))
    if not token or len(token) > TOKEN_MAX:
        raise ShowPage(400, "signin_refused.html", reason="invalid")
    access = request.app[ACCESS]
    outcome = await asyncio.to_thread(access.redeem, token)
    if isinstance(outcome, Refused):
        raise ShowPage(REFUSED_STATUS.get(outcome.reason, 400), "signin_refused.html",
                       reason=outcome.reason)
    seconds = int((outcome.expires_at - datetime.now(UTC)).total_seconds())
    response = web.Response(status=303, headers={"Location": f"{PREFIX}/"})
    response.set_cookie(COOKIE, outcome.token,
                        max_age=max(0, min(seconds, SESSION_HOURS * 3600)),
                        path=f"{PREFIX}/", httponly=True, secure=access.secure_cookies,
                        samesite="Lax")
    return response


async def sign_out(request: web.Request) -> web.StreamResponse:
    """POST /web/signout with the session's CSRF token: the session ends here and now."""
    token, viewer = await signed_in(request)
    form = await request.post()
    sent = str(form.get("csrf", ""))
    if not hmac.compare_digest(sent.encode(), viewer.csrf.encode()):
        raise ShowPage(403, "error.html", message="That sign-out form is out of date. Go back, "
                       "reload the page and try again.")
    await asyncio.to_thread(request.app[ACCESS].sign_out, token)
    response = web.Response(status=303, headers={"Location": f"{PREFIX}/signed-out"})
    response.del_cookie(COOKIE, path=f"{PREFIX}/")
    return response


async def signed_out(request: web.Request) -> web.Response:
    return render(request, "goodbye.html")
