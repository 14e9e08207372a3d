"""A coach's cohort page in a real browser: only their own cohorts, the right numbers in the
charts and tables, sorting without JavaScript, the CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from playwright.sync_api import Browser

from tests.browser.conftest import ServedApp
from tests.browser.seed import (
    ASKED,
    COACH_A,
    COACH_B,
    COHORT_A,
    COHORT_B,
    COHORT_OTHER,
    FUNNEL,
    MEMBER,
    MEMBERS,
    WEEKLY,
    XSS_NAME,
    XSS_ORGANISATION,
    Seeded,
)
from tests.browser.support import Visit, sign_in, visit

Site = tuple[ServedApp, Seeded]


def coach_page(browser: Browser, site: Site) -> Visit:
    opened = visit(browser)
    sign_in(opened, site, COACH_A)
    opened.page.get_by_role("link", name=COHORT_A.name).click()
    opened.page.wait_for_url(f"**/web/cohorts/{COHORT_A.id}")
    return opened


def svg_texts(page: object, selector: str) -> list[str]:
    """The text of SVG elements (``inner_text`` is for HTML ones)."""
    found: list[str] = page.locator(selector).evaluate_all(  # type: ignore[attr-defined]
        "elements => elements.map(element => element.textContent)")
    return found


def column(page: object, selector: str, cell: int) -> list[str]:
    rows = page.locator(f"{selector} tbody tr")  # type: ignore[attr-defined]
    return [rows.nth(n).locator("th, td").nth(cell).inner_text() for n in range(rows.count())]


def test_the_funnel_shows_the_seeded_numbers(browser: Browser, site: Site,
                                             screenshot_dir: Path) -> None:
    opened = coach_page(browser, site)
    page = opened.page
    assert page.get_by_role("heading", level=1).inner_text() == COHORT_A.name
    assert column(page, "#funnel-table", 0) == [label for _, label, _ in FUNNEL]
    assert column(page, "#funnel-table", 1) == [str(count) for _, _, count in FUNNEL]
    assert column(page, "#funnel-table", 2)[:3] == ["—", "83%", "69%"]  # 35/42, 24/35
    # the chart prints each bar's value (drawn bottom-up: the first step is the last bar)
    printed = svg_texts(page, "#funnel-chart svg .text-overlay text.value")
    assert printed[::-1] == [str(count) for _, _, count in FUNNEL]
    labels = svg_texts(page, "#funnel-chart svg .axis text")  # the steps
    assert set(labels) >= {label for _, label, _ in FUNNEL}
    assert page.locator("#funnel-chart svg").get_attribute("role") == "img"
    assert page.locator("svg script").count() == 0
    page.screenshot(path=str(screenshot_dir / "coach.png"), full_page=True)
    assert opened.errors == [] and opened.dialogs == []


def test_the_activity_chart_shows_the_seeded_weeks(browser: Browser, site: Site) -> None:
    page = coach_page(browser, site).page
    for cell, name in ((1, "interviews"), (2, "on time"), (3, "shared")):
        expected = [week[cell - 1] for week in WEEKLY]
        assert column(page, "#activity-table", cell) == [str(n) for n in expected], name
        series = svg_texts(page, f"#activity-chart svg .text-overlay .serie-{cell - 1} "
                                 "text.value")
        # one value per week, in order; a week with none prints nothing (print_zeroes off)
        assert series == [str(n) if n else "" for n in expected], name
    legend = svg_texts(page, "#activity-chart svg .legends text")
    assert legend == ["Interviews held", "Thank-yous on time", "Contacts shared"]


def test_the_members_table_sorts_by_its_column_headers(browser: Browser, site: Site) -> None:
    page = coach_page(browser, site).page
    assert column(page, "#members-table", 0)[0].startswith("Chen Wei")  # by name, A to Z
    page.locator("#members-table a[data-sort=interviews]").click()
    page.wait_for_url("**sort=interviews&dir=desc*")
    most = max(MEMBERS, key=lambda line: line.interviews)
    assert column(page, "#members-table", 0)[0] == most.name
    header = page.locator("#members-table th:has(a[data-sort=interviews])")
    assert header.get_attribute("aria-sort") == "descending"
    page.locator("#members-table a[data-sort=interviews]").click()
    page.wait_for_url("**sort=interviews&dir=asc*")
    assert [int(n) for n in column(page, "#members-table", 4)] == \
        sorted(line.interviews for line in MEMBERS)
    page.locator("#members-table a[data-sort=rate]").click()
    page.wait_for_url("**sort=rate&dir=desc*")
    assert column(page, "#members-table", 5)[:2] == ["100%", "100%"]
    assert column(page, "#members-table", 5)[-1] == "—"


def test_the_members_csv_downloads(browser: Browser, site: Site) -> None:
    page = coach_page(browser, site).page
    with page.expect_download() as download:
        page.locator("#members-csv").click()
    assert download.value.suggested_filename == f"cohort-{COHORT_A.id}-members.csv"
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text())))
    assert {row[0] for row in rows[1:]} == {line.name for line in MEMBERS}


def test_warm_intro_requests_are_counted_per_person_by_role_not_name(
        browser: Browser, site: Site) -> None:
    page = coach_page(browser, site).page
    assert column(page, "#asked-table", 1) == [a.organisation for a in ASKED]
    assert column(page, "#asked-table", 3) == [str(a.requests) for a in ASKED]
    assert "every 4 weeks" in page.locator("#asked-heading + p").inner_text()


def test_what_people_typed_stays_text(browser: Browser, site: Site) -> None:
    served, _ = site
    opened = visit(browser)
    sign_in(opened, site, COACH_B)
    opened.page.goto(f"{served.url}/web/cohorts/{COHORT_B.id}")
    cards = opened.page.locator("#cards-table").inner_text()
    assert XSS_NAME in cards and XSS_ORGANISATION in cards
    assert opened.page.locator("main img").count() == 0
    assert opened.page.locator("main script").count() == 0
    assert opened.dialogs == [] and opened.errors == []


def test_a_coach_sees_nothing_of_a_cohort_they_do_not_coach(browser: Browser,
                                                            site: Site) -> None:
    served, _ = site
    opened = visit(browser)
    sign_in(opened, site, COACH_A)
    not_found = opened.context.request.get(f"{served.url}/web/cohorts/999999").text()
    for path in (f"/web/cohorts/{COHORT_B.id}", f"/web/cohorts/{COHORT_OTHER.id}",
                 f"/web/cohorts/{COHORT_B.id}/members.csv", "/web/cohorts/eleven",
                 "/web/cohorts/-1", "/web/cohorts/999999"):
        answer = opened.context.request.get(served.url + path)
        assert answer.status == 404, path
        text = answer.text()
        assert "Page not found" in text and COHORT_B.name not in text, path
        assert text == not_found, path  # the same page whether the cohort exists or not
    # and Cohort B's own coach does see it
    other = visit(browser)
    sign_in(other, site, COACH_B)
    assert other.context.request.get(f"{served.url}/web/cohorts/{COHORT_B.id}").status == 200


def test_a_member_cannot_open_coach_pages(browser: Browser, site: Site) -> None:
    served, _ = site
    opened = visit(browser)
    sign_in(opened, site, MEMBER)
    assert "Cohorts you coach" not in opened.page.inner_text("main")
    page = opened.page
    for path in (f"/web/cohorts/{COHORT_A.id}", f"/web/cohorts/{COHORT_A.id}/members.csv"):
        answer = page.goto(served.url + path)
        assert answer is not None and answer.status == 404, path
        assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
