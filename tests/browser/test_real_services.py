"""The web pages over the real services: ``infointerview web`` serving an SQLite database that
people filled through the engine, read in Chromium. The other browser tests use in-memory fakes
of the two services to pin the pages' details down; these check the whole way through."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from infointerview.core import Insights
from tests.browser.real import XSS_NAME, Installation, installation
from tests.browser.support import Visit, serious_violations, visit


@pytest.fixture(scope="module")
def real(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory,
         ) -> Iterator[Installation]:
    with installation(sqlite_template, tmp_path_factory.mktemp("real")) as running:
        yield running


def signed_in(browser: Browser, link: str) -> Visit:
    opened = visit(browser)
    sign_in_with(opened, link)
    return opened


def sign_in_with(opened: Visit, link: str) -> None:
    opened.page.goto(link)
    opened.page.get_by_role("button", name="Continue to your pages").click()
    opened.page.wait_for_url("**/web/")


def test_the_printed_link_opens_the_members_own_pages_once(browser: Browser,
                                                            real: Installation) -> None:
    opened = signed_in(browser, real.first_link)
    page = opened.page
    assert page.locator("form.signout .who").inner_text() == "Nguyễn Thị Mai"
    main = page.inner_text("main")
    for name in ("Dr Jordan Lee", "Maria Chen", "Kwame Mensah", "Sofia Álvarez"):
        assert name in main
    page.get_by_role("navigation").get_by_role("link", name="My network").click()
    page.locator("#network-graph canvas").first.wait_for()  # drawn: the script has run
    chain = page.evaluate("""() => window.infointerviewNetwork.edges().map(edge =>
        [edge.source().data('label'), edge.target().data('label')])""")
    labels = {(source.split(" (")[0], target.split(" (")[0]) for source, target in chain}
    assert labels == {("You", "Dr Jordan Lee"), ("Dr Jordan Lee", "Maria Chen"),
                      ("Maria Chen", "Kwame Mensah"), ("You", "Sofia Álvarez")}
    nested = page.locator("#network-list li:has-text('Dr Jordan Lee') li:has-text('Maria Chen')"
                          " li:has-text('Kwame Mensah')")
    assert nested.count() == 1  # Kwame under Maria under Jordan in the list too
    assert page.goto(f"{real.url}/web/cohorts/{real.cohort_a}").status == 404  # type: ignore[union-attr]
    assert opened.errors == []

    again = visit(browser)
    again.page.goto(real.first_link)
    again.page.get_by_role("button", name="Continue to your pages").click()
    expect(again.page.locator("main")).to_contain_text("already been used")


def test_the_coach_reads_the_cohorts_figures_from_the_dashboard_link(
        browser: Browser, real: Installation) -> None:
    opened = signed_in(browser, real.dashboard_link(real.coach))
    page = opened.page
    page.get_by_role("link", name="Bioscience PhD 2026").click()
    page.wait_for_url(f"**/web/cohorts/{real.cohort_a}")
    funnel = {row.locator("th").inner_text(): row.locator("td").first.inner_text()
              for row in page.locator("#funnel-table tbody tr").all()}
    assert funnel["Identified"] == "4"  # Mai's four contacts
    assert funnel["Interviewed"] == "2"  # Jordan and Maria
    # the page shows what the service computed, number for number, chart and table
    service = Insights(real.engine.database)
    viewer = real_viewer(real, opened)
    view = service.coach_view(viewer, real.cohort_a)
    assert view is not None
    assert list(funnel.values()) == [str(step.count) for step in view.funnel]
    printed = page.locator("#funnel-chart svg .text-overlay text.value").evaluate_all(
        "texts => texts.map(text => text.textContent)")
    assert printed[::-1] == [str(step.count) if step.count else "" for step in view.funnel]
    interviews = page.locator("#activity-table tbody tr td:nth-of-type(1)").all_inner_texts()
    assert interviews == [str(week.interviews) for week in view.weeks]
    assert sum(map(int, interviews)) == 2
    with page.expect_download() as download:
        page.locator("#members-csv").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text())))
    assert any("Nguyễn Thị Mai" in row for row in rows[1:])
    # cohort B is someone else's: the same 404 as a cohort that does not exist
    for cohort in (real.cohort_b, 99_999):
        assert opened.context.request.get(f"{real.url}/web/cohorts/{cohort}").status == 404
    assert opened.errors == []


def real_viewer(real: Installation, opened: Visit) -> object:
    """The session's person, as the server sees them (from the cookie the browser holds)."""
    from infointerview.core import WebAccess

    [cookie] = [c for c in opened.context.cookies() if c["name"] == "infointerview_session"]
    viewer = WebAccess(real.engine.database, public_url=real.url).viewer(cookie["value"])
    assert viewer is not None
    return viewer


def test_the_other_coach_sees_only_their_own_cohort_and_markup_stays_text(
        browser: Browser, real: Installation) -> None:
    opened = signed_in(browser, real.dashboard_link(real.other_coach))
    links = opened.page.locator("section:has(#coached-heading) a").all_inner_texts()
    assert links == ["Data Science Bootcamp"]
    answer = opened.context.request.get(f"{real.url}/web/cohorts/{real.cohort_a}")
    assert answer.status == 404 and "Bioscience" not in answer.text()
    for path in ("/web/", "/web/network", "/web/timeline"):
        opened.page.goto(real.url + path)
        assert XSS_NAME in opened.page.inner_text("main"), path
        assert opened.page.locator("main img").count() == 0, path
    assert opened.dialogs == [] and opened.errors == []


PAGES = [("member", "/web/"), ("member", "/web/network"), ("member", "/web/timeline"),
         ("coach", "/web/"), ("coach", "/web/cohorts/{cohort_a}")]


def test_the_real_pages_fit_375_px_and_axe_finds_nothing_serious(browser: Browser,
                                                                  real: Installation) -> None:
    # one sign-in each (the server allows 20 sign-in requests a minute from one address)
    narrow = {"member": visit(browser, width=375), "coach": visit(browser, width=375)}
    sign_in_with(narrow["member"], real.dashboard_link(real.member))
    sign_in_with(narrow["coach"], real.dashboard_link(real.coach))
    for who, path in PAGES:
        url = real.url + path.format(cohort_a=real.cohort_a)
        page = narrow[who].page
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
        assert narrow[who].errors == [], path
        # axe is injected as a script, which the pages' CSP rightly refuses: its own
        # context, with the same session cookie
        checked = visit(browser, bypass_csp=True)
        checked.context.add_cookies(narrow[who].context.cookies())
        checked.page.goto(url)
        checked.page.wait_for_load_state("networkidle")
        assert serious_violations(checked.page) == [], (who, path)
