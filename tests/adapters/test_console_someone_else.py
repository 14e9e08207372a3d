"""At the console, on both databases: a week after the one follow-up, the coach's DM lists who
the cohort shared at the same organisation with an intro button, and offers "Someone else
there", which opens the contact form with the organisation filled in."""

from __future__ import annotations

from datetime import timedelta

from infointerview.adapters.console.adapter import ConsoleAdapter
from infointerview.core import Engine, SimulatedClock
from tests.helpers import WEEK, followed_up_with_someone_shared_there


def test_no_reply_after_the_follow_up_leads_to_someone_else_there(
        engine: Engine, clock: SimulatedClock) -> None:
    followed_up_with_someone_shared_there(engine, clock, "asha", "casey")
    console = ConsoleAdapter(engine, "asha", clock=clock)
    outputs = console.advance_by(WEEK + timedelta(minutes=1))
    said = [o for o in outputs if o.message is not None]
    [park] = [o for o in said if "after your follow-up" in o.message.plain_text()]
    text = park.message.plain_text()
    assert "Someone else at Northwind Biologics" in text
    assert "Shared in your cohort, at Northwind Biologics\n1. Dr. Maya Chen" in text
    assert "Alumni of Lakeside University at Northwind Biologics" in text
    labels = [b.label for b in park.message.buttons]
    assert "Intro to result 1" in labels
    choice = str(labels.index("Someone else there") + 1)
    opened = console.line(choice)
    [form] = [o.form for o in opened if o.form is not None]
    assert form.form_id == "contact:new" and form.values["organisation"] == "Northwind Biologics"
