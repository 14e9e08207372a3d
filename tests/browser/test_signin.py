"""Signing in with the one-time link, and signing out, in a real browser."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Browser, expect

from tests.browser.conftest import ServedApp
from tests.browser.seed import COACH_A, MEMBER, Seeded
from tests.browser.support import sign_in, visit

Site = tuple[ServedApp, Seeded]


def test_the_link_signs_in_once_and_a_second_use_is_refused(browser: Browser,
                                                           site: Site) -> None:
    served, data = site
    link = data.access.link_for(MEMBER.platform, MEMBER.tenant, MEMBER.user_id)
    assert link is not None
    first = visit(browser)
    first.page.goto(link)
    first.page.get_by_role("button", name="Continue to your pages").click()
    first.page.wait_for_url(f"{served.url}/web/")
    assert first.page.get_by_role("heading", level=1).inner_text() == "My pipeline"
    cookie, = (c for c in first.context.cookies() if c["name"] == "infointerview_session")
    assert (cookie["httpOnly"], cookie["sameSite"], cookie["path"], cookie["secure"]) == \
        (True, "Lax", "/web/", False)
    assert cookie["expires"] > 0  # a lasting cookie (Max-Age 8 h), not one for the session

    again = visit(browser)
    again.page.goto(link)
    with again.page.expect_response(lambda r: r.request.method == "POST") as answer:
        again.page.get_by_role("button", name="Continue to your pages").click()
    assert answer.value.status == 410
    expect(again.page.locator("main")).to_contain_text("already been used")
    assert not [c for c in again.context.cookies() if c["name"] == "infointerview_session"]
    assert first.errors == again.errors == []


def test_an_expired_link_is_refused_kindly(browser: Browser, site: Site) -> None:
    _, data = site
    link = data.access.link_for(COACH_A.platform, COACH_A.tenant, COACH_A.user_id)
    assert link is not None
    data.access.age_link(link, timedelta(minutes=11))
    opened = visit(browser)
    opened.page.goto(link)
    with opened.page.expect_response(lambda r: r.request.method == "POST") as answer:
        opened.page.get_by_role("button", name="Continue to your pages").click()
    assert answer.value.status == 410
    expect(opened.page.locator("main")).to_contain_text("has expired")
    assert "/infointerview dashboard" in opened.page.inner_text("main")


def test_a_link_preview_does_not_spend_the_link(browser: Browser, site: Site) -> None:
    """Slack and Discord fetch a link to preview it: the GET shows a button, nothing more."""
    _, data = site
    link = data.access.link_for(MEMBER.platform, MEMBER.tenant, MEMBER.user_id)
    assert link is not None
    opened = visit(browser)
    for _ in range(2):
        preview = opened.context.request.get(link)
        assert preview.status == 200
        assert preview.headers["referrer-policy"] == "no-referrer"
    opened.page.goto(link)
    opened.page.get_by_role("button", name="Continue to your pages").click()
    opened.page.wait_for_url("**/web/")


def test_a_made_up_token_is_refused(browser: Browser, site: Site) -> None:
    served, _ = site
    opened = visit(browser)
    opened.page.goto(f"{served.url}/web/signin?token=not-a-real-token")
    with opened.page.expect_response(lambda r: r.request.method == "POST") as answer:
        opened.page.get_by_role("button", name="Continue to your pages").click()
    assert answer.value.status == 400
    expect(opened.page.locator("main")).to_contain_text("not a sign-in link we recognise")


def test_every_page_asks_for_the_link_without_a_session(browser: Browser, site: Site) -> None:
    served, _ = site
    opened = visit(browser)
    for path in ("/web/", "/web/network", "/web/timeline", "/web/export", "/web/cohorts/11",
                 "/web/cohorts/11/members.csv"):
        answer = opened.context.request.get(served.url + path)
        assert answer.status == 401, path
        assert "Open the link the bot sends you" in answer.text(), path
        assert "/infointerview dashboard" in answer.text(), path


def test_sign_out_needs_the_sessions_csrf_token(browser: Browser, site: Site) -> None:
    served, _ = site
    opened = visit(browser)
    sign_in(opened, site, MEMBER)
    page = opened.page
    real = page.locator("form.signout input[name=csrf]").input_value()
    assert len(real) >= 16
    page.locator("form.signout input[name=csrf]").evaluate("field => field.value = 'forged'")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Sign out").click()
    assert answer.value.status == 403
    page.goto(f"{served.url}/web/")  # still signed in: the forged form did nothing
    assert page.get_by_role("heading", level=1).inner_text() == "My pipeline"

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/web/signed-out")
    assert page.get_by_role("heading", level=1).inner_text() == "You are signed out"
    assert not [c for c in opened.context.cookies() if c["name"] == "infointerview_session"]
    assert page.goto(f"{served.url}/web/").status == 401  # type: ignore[union-attr]
