"""The coach's page as the web adapter renders it, in-process and without HTTP, for bench/web.py:

    python -m bench.web --runs 50 --render bench.web_page:coach_page --write bench/RESULTS.md

``coach_page`` is what ``GET /web/cohorts/{id}`` does once the session is known: the view from
``Insights.coach_view``, then ``handlers.cohort_page`` (charts, the sorted table, the Jinja
template) on a mocked request of the adapter's own application. Signing in (one row read) and
the network are left out: they are not the page's work.
"""

from __future__ import annotations

from functools import cache
from typing import Any, cast

from aiohttp import web
from aiohttp.test_utils import make_mocked_request

from infointerview.adapters.web.app import web_app
from infointerview.adapters.web.handlers import cohort_page
from infointerview.adapters.web.ports import AccessPort
from infointerview.core import Insights, Viewer


@cache
def _app(insights: Insights) -> web.Application:
    # the page reads no session here: no access service is needed
    return web_app(cast(AccessPort, None), insights)


def coach_page(insights: Insights, viewer: Viewer, cohort_id: int) -> str:
    """The coach's page's HTML, as the web adapter renders it."""
    view = insights.coach_view(viewer, cohort_id)
    assert view is not None, "the bench's coach coaches its cohort"
    request = make_mocked_request("GET", f"/web/cohorts/{cohort_id}", app=_app(insights))
    response: Any = cohort_page(request, viewer, view)
    return cast(str, response.text)
