"""The browser tests: the web pages served on a free port of this machine, in a thread with
its own event loop, read by Debian's Chromium through Playwright.

Without /usr/bin/chromium the tests are skipped, unless INFOINTERVIEW_REQUIRE_BROWSER=1 (as in
.ci/run), where they fail instead.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiohttp import web

from infointerview.bot.web_cli import standalone_app
from tests.browser.seed import Seeded, seeded

CHROMIUM = Path("/usr/bin/chromium")
# this machine's closed network refuses Chromium's own background connections: keep them off
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


class ServedApp:
    """An aiohttp application on 127.0.0.1, served by a background thread's own event loop
    (the test thread's loop belongs to Playwright)."""

    def __init__(self, app: web.Application) -> None:
        self.loop = asyncio.new_event_loop()
        self.runner = web.AppRunner(app)
        started = threading.Event()

        def serve() -> None:
            asyncio.set_event_loop(self.loop)
            self.loop.run_until_complete(self.runner.setup())
            self.loop.run_until_complete(web.TCPSite(self.runner, "127.0.0.1", 0).start())
            started.set()
            self.loop.run_forever()

        self.thread = threading.Thread(target=serve, daemon=True)
        self.thread.start()
        assert started.wait(30), "the web app did not start"
        self.port = self.runner.addresses[0][1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


@pytest.fixture(scope="module")
def site() -> Iterator[tuple[ServedApp, Seeded]]:
    data = seeded("http://placeholder")
    # many sign-ins in one minute from one address: the rate limit has its own test
    served = ServedApp(standalone_app(data.access, data.insights, signin_per_minute=10_000))
    data.access.public_url = served.url  # links point at the port the server got
    yield served, data
    served.close()


@pytest.fixture(scope="package")
def browser() -> Iterator[object]:
    """One Chromium for the tests of this folder, closed when they are done: Playwright's
    sync API keeps an event loop running in this thread meanwhile, which the other folders'
    ``asyncio.run`` would trip over."""
    if not CHROMIUM.exists():
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("INFOINTERVIEW_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def screenshot_dir(tmp_path: Path) -> Path:
    """docs/screenshots with INFOINTERVIEW_SCREENSHOTS=1 (to refresh the committed ones), else
    a temporary folder."""
    if os.environ.get("INFOINTERVIEW_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return SCREENSHOTS
    return tmp_path
