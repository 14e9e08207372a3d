"""The web pages as an aiohttp sub-application, mounted under ``/web/``.

Server-side pages (aiohttp-jinja2, our own templates, autoescaped) over two core services:
``WebAccess`` for sign-in links and sessions and ``Insights`` for what a person may see. Both
are synchronous (they query the database), so handlers call them in a worker thread. The
Slack HTTP server and ``infointerview web`` mount the same application.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Mapping

import aiohttp_jinja2
import jinja2
from aiohttp import web

from infointerview.adapters.web import handlers, signin
from infointerview.adapters.web.guard import RateLimit, add_security_headers
from infointerview.adapters.web.ports import AccessPort, InsightsPort, WebObserver
from infointerview.adapters.web.rendering import (
    ACCESS,
    HERE,
    INSIGHTS,
    OBSERVER,
    SIGNIN_LIMIT,
    SIGNIN_PER_MINUTE,
    ShowPage,
    not_found,
    render,
    when,
)

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def pages(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Our pages for errors (404, 405 and the handlers' ShowPage), and each answer counted."""
    started = time.perf_counter()
    status = 500
    try:
        try:
            response = await handler(request)
        except ShowPage as page:
            response = render(request, page.template, status=page.status, **page.context)
            response.headers.update(page.headers)
        except web.HTTPNotFound:
            response = render(request, "not_found.html", status=404)
        except web.HTTPMethodNotAllowed as refused:
            response = render(request, "error.html", status=405,
                              message="This page cannot be used that way.")
            response.headers["Allow"] = ", ".join(sorted(refused.allowed_methods))
        status = response.status
        return response
    except web.HTTPException as answer:
        status = answer.status
        raise
    except Exception:
        log.exception("web page %s failed", request.path)
        status = 500
        return render(request, "error.html", status=500,
                      message="Something went wrong on our side. Please try again shortly.")
    finally:
        observer = request.app.get(OBSERVER)
        if observer is not None:
            resource = request.match_info.route.resource
            route = resource.canonical if resource is not None else "unmatched"
            observer.web_request(route, status, time.perf_counter() - started)


def web_app(access: AccessPort, insights: InsightsPort, *,
            observer: WebObserver | None = None,
            signin_per_minute: int = SIGNIN_PER_MINUTE) -> web.Application:
    """The pages, to mount with ``app.add_subapp("/web/", web_app(...))``. Each client address
    may ask ``/web/signin`` ``signin_per_minute`` times a minute."""
    app = web.Application(middlewares=[pages])
    app[ACCESS] = access
    app[INSIGHTS] = insights
    if observer is not None:
        app[OBSERVER] = observer
    app[SIGNIN_LIMIT] = RateLimit(signin_per_minute, 60.0)
    environment = aiohttp_jinja2.setup(
        app, loader=jinja2.PackageLoader("infointerview.adapters.web", "templates"),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
        lstrip_blocks=True)
    environment.filters["when"] = when
    app.on_response_prepare.append(add_security_headers)

    routes: Mapping[str, Handler] = {
        "/": handlers.pipeline, "/network": handlers.network, "/timeline": handlers.timeline,
        "/export": handlers.export, r"/cohorts/{cohort_id:\d{1,12}}": handlers.cohort,
        r"/cohorts/{cohort_id:\d{1,12}}/members.csv": handlers.members_csv,
        "/signed-out": signin.signed_out,
    }
    for path, handler in routes.items():
        app.router.add_get(path, handler)
    app.router.add_get("/signin", signin.interstitial)
    app.router.add_post("/signin", signin.redeem)
    app.router.add_post("/signout", signin.sign_out)
    app.router.add_static("/static/", HERE / "static")

    async def unknown(request: web.Request) -> web.StreamResponse:
        raise not_found()

    app.router.add_route("*", "/{anything:.*}", unknown)
    return app
