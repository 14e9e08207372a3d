"""The read-only overview an adapter shows on a home screen (Slack's App Home)."""

from __future__ import annotations

from infointerview.core import Actor, Engine, SimulatedClock
from tests.helpers import User


def test_overview_of_a_stranger_invites_them_to_start(engine: Engine) -> None:
    message = engine.overview(Actor("console", "local", "nobody"))
    assert "no contacts yet" in message.plain_text()
    assert [b.action for b in message.buttons] == ["start", "list", "settings"]


def test_overview_counts_stages_and_shows_what_is_due(engine: Engine,
                                                      clock: SimulatedClock) -> None:
    sam = User(engine)
    sam.onboard()
    first = sam.add_contact()
    sam.add_contact({"name": "Kim Park", "role": "Policy analyst", "organisation": "City Hall",
                     "sector": "government", "channel": "email"})
    sam.click("mark_sent", str(first))
    text = engine.overview(sam.actor).plain_text()
    assert "2 contacts" in text
    assert "Outreach sent: 1" in text
    assert "Dr. Jordan Lee" in text  # due soon: follow up if no reply
    assert "Kim Park" not in text.split("Due soon")[1]


def test_overview_writes_nothing(engine: Engine) -> None:
    actor = Actor("console", "local", "ghost")
    engine.overview(actor)
    assert engine.next_reminder_due("console", "ghost") is None
    # a later first real event still gets the first-time welcome
    assert User(engine, "ghost").command("start")
