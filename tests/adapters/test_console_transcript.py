"""docs/console-berlin.md is what the console says today for its scenario."""

from __future__ import annotations

from tools.console_transcript import PAGE, render


def test_the_berlin_transcript_is_current() -> None:
    assert PAGE.read_text(encoding="utf-8") == render(), \
        "docs/console-berlin.md is out of date: run python -m tools.console_transcript"
