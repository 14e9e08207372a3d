"""Shared contacts offered as numbered results, each with an "Intro to result N" button.

One shape for `cohort find`, the kind refusal's alternatives and the journey's "someone else
there" suggestion, so a press always starts the same warm-intro flow (``ask_intro``, with the
over-asking cap). Kept apart from :mod:`core.cohorts.sharing`, which imports the journey: the
journey may import this module without a loop.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from infointerview.core.cohorts.ports import Row
from infointerview.core.cohorts.visibility import CARD, visible
from infointerview.core.model import Button

ASK_INTRO = "ask_intro"  # the cohort's action for a warm introduction (core.cohorts.service)


def numbered(rows: Sequence[Row]) -> tuple[list[dict[str, Any]], tuple[Button, ...]]:
    """What ``cohort/_result.j2`` shows of each row (only what the asker may see), and the
    buttons asking for an introduction to each, by the same numbers."""
    results = [{"n": i, "seen": visible(row), "card": row["visibility"] == CARD,
                "consent": bool(row["consent"])} for i, row in enumerate(rows, 1)]
    buttons = tuple(Button(ASK_INTRO, f"Intro to result {i}", str(row["share_id"]))
                    for i, row in enumerate(rows, 1))
    return results, buttons
