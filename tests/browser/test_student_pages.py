"""A person's own pages in a real browser: pipeline, referral network, timeline, export."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import Browser

from tests.browser.conftest import ServedApp
from tests.browser.seed import (
    CHAIN,
    CONTACTS,
    MEMBER,
    TYPIST,
    XSS_NAME,
    XSS_ORGANISATION,
    Seeded,
)
from tests.browser.support import Visit, sign_in, visit

Site = tuple[ServedApp, Seeded]

# the nested list as (name, [children]) read from the page
LIST_AS_TREE = """root => {
  const walk = ul => Array.from(ul.children).map(li => [
    li.querySelector(':scope > .person').textContent,
    li.querySelector(':scope > ul') ? walk(li.querySelector(':scope > ul')) : []]);
  return walk(root.querySelector(':scope > ul'));
}"""


def member_visit(browser: Browser, site: Site) -> Visit:
    opened = visit(browser)
    sign_in(opened, site, MEMBER)
    return opened


def label(no: int) -> str:
    _, name, organisation, _, _ = CONTACTS[no - 1]
    return f"{name} ({organisation})"


def test_my_pipeline_lists_contacts_by_stage_with_due_and_overdue(browser: Browser,
                                                                  site: Site) -> None:
    opened = member_visit(browser, site)
    page = opened.page
    headings = page.locator("main h3").all_inner_texts()
    assert headings == ["Outreach sent (2)", "Interviewed (2)", "Thanked (2)"]
    overdue = page.locator("section:has(#overdue-heading) li").all_inner_texts()
    assert [line.split(":")[0] for line in overdue] == ["Maria Chen (Roche)"]
    due = page.locator("section:has(#due-heading) li").all_inner_texts()
    assert [line.split(" (")[0] for line in due] == ["Kwame Mensah", "Sofia Álvarez",
                                                     "Oluwaseun Adeyemi"]
    assert opened.errors == [] and opened.dialogs == []


def test_what_people_typed_stays_text(browser: Browser, site: Site) -> None:
    opened = visit(browser)
    sign_in(opened, site, TYPIST)
    page = opened.page
    assert page.locator("form.signout .who").inner_text() == TYPIST.name
    for path in ("", "timeline", "network"):  # the graph is read last, below
        page.goto(f"{site[0].url}/web/{path}")
        text = page.inner_text("main")
        assert XSS_NAME in text and "Ana O'Neil & Sons" in text, path
        if path != "timeline":  # the timeline names people, not organisations
            assert XSS_ORGANISATION in text and "<b>Bold</b> Ltd" in text, path
        assert page.locator("main img, main b").count() == 0, path
        assert page.locator("main script:not([type='application/json'])").count() == 0, path
    labels = page.evaluate("() => window.infointerviewNetwork.nodes().map(n => n.data('label'))")
    assert f"{XSS_NAME} ({XSS_ORGANISATION})" in labels  # data in the graph, not markup
    assert opened.errors == [] and opened.dialogs == []


def test_my_network_draws_the_referral_chain(browser: Browser, site: Site,
                                             screenshot_dir: Path) -> None:
    opened = member_visit(browser, site)
    page = opened.page
    page.get_by_role("navigation").get_by_role("link", name="My network").click()
    page.wait_for_url("**/web/network")
    page.locator("#network-graph canvas").first.wait_for()  # drawn: the script has run
    edges = page.evaluate("""() => window.infointerviewNetwork.edges().map(
        edge => [edge.data('source'), edge.data('target')])""")
    assert sorted(map(tuple, edges)) == sorted(CHAIN)
    nodes = dict(page.evaluate("""() => window.infointerviewNetwork.nodes().map(
        node => [node.id(), node.data('label')])"""))
    assert nodes == {"me": "You", **{f"c{no}": label(no) for no, *_ in CONTACTS}}
    assert page.locator("#network-graph canvas").count() > 0  # drawn, not just loaded

    tree = page.locator("#network-list").evaluate(LIST_AS_TREE)
    assert tree == [
        [label(1), [[label(2), [[label(3), []]]], [label(6), []]]],
        [label(4), [[label(5), []]]],
    ]
    page.screenshot(path=str(screenshot_dir / "network.png"), full_page=True)
    assert opened.errors == [] and opened.dialogs == []  # the CSP let our scripts run


def test_the_network_is_readable_without_javascript(browser: Browser, site: Site) -> None:
    opened = visit(browser, java_script_enabled=False)
    sign_in(opened, site, MEMBER)
    opened.page.goto(opened.page.url + "network")
    assert opened.page.locator("#network-graph").is_hidden()
    assert "Kwame Mensah (Novartis)" in opened.page.locator("#network-list").inner_text()


def test_timeline_and_export(browser: Browser, site: Site) -> None:
    page = member_visit(browser, site).page
    page.get_by_role("navigation").get_by_role("link", name="Timeline").click()
    entries = page.locator("ol.timeline li").all_inner_texts()
    assert len(entries) == len(CONTACTS)
    assert entries[0].endswith("Interview with Dr Jordan Lee")
    with page.expect_download() as download:
        page.get_by_role("navigation").get_by_role("link", name="Download my data").click()
    assert download.value.suggested_filename == "infointerview-export.json"
    exported = json.loads(Path(download.value.path()).read_text())
    assert exported["name"] == MEMBER.name and len(exported["contacts"]) == len(CONTACTS)
