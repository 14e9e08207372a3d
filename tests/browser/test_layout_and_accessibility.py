"""Every page: usable at 375 px, the security headers, no console errors, and axe-core finding
no serious or critical accessibility violation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from infointerview.adapters.web.guard import CONTENT_SECURITY_POLICY
from infointerview.core.insights.views import Viewer
from tests.browser.conftest import ServedApp
from tests.browser.seed import COACH_A, COHORT_A, MEMBER, Seeded
from tests.browser.support import serious_violations, sign_in, visit

Site = tuple[ServedApp, Seeded]


def signin_page(page: Page, site: Site) -> None:
    link = site[1].access.link_for(MEMBER.platform, MEMBER.tenant, MEMBER.user_id)
    assert link is not None
    page.goto(link)


def refused_page(page: Page, site: Site) -> None:
    page.goto(f"{site[0].url}/web/signin?token=nonsense")
    with page.expect_navigation():
        page.get_by_role("button", name="Continue to your pages").click()


def goto(path: str) -> Callable[[Page, Site], None]:
    def open_page(page: Page, site: Site) -> None:
        page.goto(site[0].url + path)
    return open_page


def signed_out(page: Page, site: Site) -> None:
    page.goto(f"{site[0].url}/web/")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/signed-out")


# (name, who is signed in first, how to reach the page)
PAGES: list[tuple[str, Viewer | None, Callable[[Page, Site], None]]] = [
    ("sign-in", None, signin_page),
    ("link refused", None, refused_page),
    ("please sign in", None, goto("/web/")),
    ("pipeline", COACH_A, goto("/web/")),
    ("pipeline, member", MEMBER, goto("/web/")),
    ("network", MEMBER, goto("/web/network")),
    ("timeline", MEMBER, goto("/web/timeline")),
    ("coach page", COACH_A, goto(f"/web/cohorts/{COHORT_A.id}")),
    ("coach page sorted", COACH_A, goto(f"/web/cohorts/{COHORT_A.id}?sort=rate&dir=desc")),
    ("not found", MEMBER, goto("/web/cohorts/424242")),
    ("signed out", MEMBER, signed_out),
]


def open_as(browser: Browser, site: Site, who: Viewer | None, width: int,
            **options: Any) -> Any:
    opened = visit(browser, width=width, **options)
    if who is not None:
        sign_in(opened, site, who)
    return opened


@pytest.mark.parametrize(("name", "who", "reach"), PAGES, ids=[p[0] for p in PAGES])
def test_each_page_fits_375_px_with_its_headers_and_no_errors(
        browser: Browser, site: Site, name: str, who: Viewer | None,
        reach: Callable[[Page, Site], None]) -> None:
    opened = open_as(browser, site, who, width=375)
    with opened.page.expect_response(lambda r: r.request.resource_type == "document") as got:
        reach(opened.page, site)
    headers = got.value.headers
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["cache-control"] == "no-store"
    opened.page.wait_for_load_state("networkidle")
    width = opened.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{name}: the page is {width} px wide at 375"
    assert opened.page.locator("html").get_attribute("lang") == "en"
    assert opened.page.locator("h1").count() == 1
    assert opened.errors == [], name


@pytest.mark.parametrize(("name", "who", "reach"), PAGES, ids=[p[0] for p in PAGES])
def test_axe_finds_no_serious_violation(browser: Browser, site: Site, name: str,
                                        who: Viewer | None,
                                        reach: Callable[[Page, Site], None]) -> None:
    # axe is injected as a script, which our Content-Security-Policy rightly refuses
    opened = open_as(browser, site, who, width=1280, bypass_csp=True)
    reach(opened.page, site)
    opened.page.wait_for_load_state("networkidle")
    assert serious_violations(opened.page) == [], name


def test_a_narrow_screen_scrolls_wide_tables_in_their_own_box(browser: Browser,
                                                              site: Site) -> None:
    opened = open_as(browser, site, COACH_A, width=375)
    opened.page.goto(f"{site[0].url}/web/cohorts/{COHORT_A.id}")
    box = opened.page.locator("div.table-scroll:has(#members-table)")
    assert box.get_attribute("tabindex") == "0"
    assert box.get_attribute("aria-labelledby") == "members-table-caption"
    inner, outer = box.evaluate("b => [b.scrollWidth, b.clientWidth]")
    assert inner > outer  # the members table is wider than the screen, and scrolls there
