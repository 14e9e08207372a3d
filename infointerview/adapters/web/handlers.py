"""The pages a signed-in person reads: their own journey, and the cohorts they coach."""

from __future__ import annotations

import asyncio

from aiohttp import web

from infointerview.adapters.web import charts
from infointerview.adapters.web.network import graph_data, referral_tree
from infointerview.adapters.web.rendering import INSIGHTS, not_found, render, signed_in
from infointerview.adapters.web.table import SORTS, header_links, sort_members
from infointerview.core import CoachView, Viewer


def _attachment(filename: str, body: bytes, content_type: str) -> web.Response:
    safe = "".join(ch for ch in filename if ch.isalnum() or ch in "-_.") or "download"
    return web.Response(body=body, content_type=content_type, charset="utf-8", headers={
        "Content-Disposition": f'attachment; filename="{safe}"'})


async def pipeline(request: web.Request) -> web.Response:
    """GET /web/: my contacts by stage, what is due this week and what is overdue."""
    _, viewer = await signed_in(request)
    view = await asyncio.to_thread(request.app[INSIGHTS].student_view, viewer)
    return render(request, "pipeline.html", viewer=viewer, view=view, page="pipeline")


async def network(request: web.Request) -> web.Response:
    """GET /web/network: who led me to whom, as a graph (JS) and as a nested list (no JS)."""
    _, viewer = await signed_in(request)
    view = await asyncio.to_thread(request.app[INSIGHTS].student_view, viewer)
    return render(request, "network.html", viewer=viewer, view=view, page="network",
                  tree=referral_tree(view.nodes, view.edges),
                  graph=graph_data(view.nodes, view.edges))


async def timeline(request: web.Request) -> web.Response:
    _, viewer = await signed_in(request)
    view = await asyncio.to_thread(request.app[INSIGHTS].student_view, viewer)
    return render(request, "timeline.html", viewer=viewer, view=view, page="timeline")


async def export(request: web.Request) -> web.Response:
    """GET /web/export: everything kept about me, as the chat's export gives it (JSON)."""
    _, viewer = await signed_in(request)
    filename, body = await asyncio.to_thread(request.app[INSIGHTS].export, viewer)
    return _attachment(filename, body, "application/json")


async def cohort(request: web.Request) -> web.Response:
    """GET /web/cohorts/{id}: a coach's page; any cohort the viewer does not coach is a 404."""
    _, viewer = await signed_in(request)
    cohort_id = int(request.match_info["cohort_id"])
    view = await asyncio.to_thread(request.app[INSIGHTS].coach_view, viewer, cohort_id)
    if view is None:
        raise not_found()
    return cohort_page(request, viewer, view)


def cohort_page(request: web.Request, viewer: Viewer, view: CoachView) -> web.Response:
    """The coach's page rendered from its view, sorted as the request asks (bench/web.py renders
    it in-process, without HTTP, to time the page)."""
    sort = request.query.get("sort", "name")
    sort = sort if sort in SORTS else "name"
    direction = "desc" if request.query.get("dir") == "desc" else "asc"
    return render(
        request, "cohort.html", viewer=viewer, view=view, page="cohort",
        funnel_svg=charts.funnel_chart(view.funnel),
        activity_svg=charts.activity_chart(view.weeks),
        sector_svg=charts.sector_chart(view.sectors) if view.sectors else None,
        members=sort_members(view.table, sort, direction),
        headers=header_links(sort, direction))


async def members_csv(request: web.Request) -> web.Response:
    _, viewer = await signed_in(request)
    cohort_id = int(request.match_info["cohort_id"])
    body = await asyncio.to_thread(request.app[INSIGHTS].members_csv, viewer, cohort_id)
    if body is None:
        raise not_found()
    return _attachment(f"cohort-{cohort_id}-members.csv", body, "text/csv")
