"""Helpers of the browser tests: a fresh browser context per person, console errors collected,
signing in through the link as a person would, and axe-core's verdict on a page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page

from infointerview.core.insights.views import Viewer
from tests.browser.conftest import AXE, ServedApp
from tests.browser.seed import Seeded


@dataclass
class Visit:
    """One person's browser: a context of its own (cookies), a page, what the console said."""

    context: BrowserContext
    page: Page
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def visit(browser: Browser, width: int = 1280, **options: Any) -> Visit:
    context = browser.new_context(viewport={"width": width, "height": 900},
                                  accept_downloads=True, **options)
    page = context.new_page()
    opened = Visit(context, page)

    def console(message: Any) -> None:
        # a page answered with 4xx on purpose logs "Failed to load resource"; a failing
        # stylesheet, script or icon is caught below, by its response
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            opened.errors.append(message.text)

    def response(answer: Any) -> None:
        if answer.status >= 400 and answer.request.resource_type != "document":
            opened.errors.append(f"{answer.status} {answer.url}")

    page.on("console", console)
    page.on("response", response)
    page.on("pageerror", lambda error: opened.errors.append(str(error)))

    def dialog(d: Any) -> None:  # an alert() would mean a person's text ran as a script
        opened.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    return opened


def sign_in(opened: Visit, site: tuple[ServedApp, Seeded], person: Viewer) -> None:
    """Open the link the bot would send, and press the button, as a person would."""
    link = site[1].access.link_for(person.platform, person.tenant, person.user_id)
    assert link is not None
    opened.page.goto(link)
    opened.page.get_by_role("button", name="Continue to your pages").click()
    opened.page.wait_for_url("**/web/")


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations of impact serious or critical on the page as it is now (the page
    must come from a context with ``bypass_csp=True``: axe is injected as a script)."""
    page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate("""async () => {
        const results = await axe.run(document);
        return results.violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => ({id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.map(n => n.target.join(' '))}));
    }""")
    return found
