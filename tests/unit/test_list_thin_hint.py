"""`list` with a short pipeline: one line pointing at *Who could I ask?*, not the seven places to
look every time; with nothing in progress, and on `who`, the whole list."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from infointerview.core import Effect, Reply, SendDM
from tests.unit.pure_journey import PureJourney


def _said(effects: list[Effect]) -> str:
    return "\n".join(e.message.plain_text() for e in effects if isinstance(e, Reply | SendDM))


def _person() -> PureJourney:
    zone = "Asia/Kathmandu"
    mai = PureJourney(now=datetime(2026, 4, 13, 10, 0, tzinfo=ZoneInfo(zone)), tz=zone)
    mai.onboard()
    return mai


def test_a_short_list_gets_one_line_that_points_at_who_could_i_ask() -> None:
    mai = _person()
    mai.add_contact()
    said = _said(mai.command("list"))
    assert "Your informational interviews" in said
    assert "a little short (1 in progress)" in said
    assert "Who could I ask?" in said
    assert "Good places to look" not in said
    assert "Alumni of your programme" not in said


def test_who_still_gives_the_places_to_look() -> None:
    mai = _person()
    mai.add_contact()
    said = _said(mai.command("who"))
    assert "Good places to look" in said
    assert "Alumni of your programme" in said


def test_with_nothing_in_progress_list_gives_the_places_to_look() -> None:
    mai = _person()
    said = _said(mai.command("list"))
    assert "You have no contacts yet" in said
    assert "Good places to look" in said


def test_a_full_enough_list_has_no_hint() -> None:
    mai = _person()
    for _ in range(3):
        mai.add_contact()
    said = _said(mai.command("list"))
    assert "little short" not in said
    assert "Good places to look" not in said
