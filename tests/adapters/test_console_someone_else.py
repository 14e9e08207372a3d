"""At the console, on both databases: a week after the one follow-up, the coach's DM offers
"Someone else there", and pressing it opens the contact form with the organisation filled in."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from infointerview.adapters.console.adapter import ConsoleAdapter
from infointerview.core import Database, Engine, SimulatedClock
from tests.helpers import CONTACT, PROFILE, SOURCE, User


def test_no_reply_after_the_follow_up_leads_to_someone_else_there(database: Database) -> None:
    zone = ZoneInfo("Asia/Kolkata")
    clock = SimulatedClock(datetime(2026, 4, 13, 10, 0, tzinfo=zone))
    engine = Engine(database, clock=clock)
    console = ConsoleAdapter(engine, "asha", tz="Asia/Kolkata", clock=clock)
    asha = User(engine, "asha")
    asha.command("start")
    asha.submit("profile", {**PROFILE, "tz": "Asia/Kolkata"})
    number = str(asha.add_contact(CONTACT, SOURCE))
    asha.click("mark_sent", number)
    clock.set(clock() + timedelta(days=7))
    asha.click("follow_up_sent", number)
    outputs = console.advance_by(timedelta(days=7, minutes=1))
    said = [o for o in outputs if o.message is not None]
    [park] = [o for o in said if "after your follow-up" in o.message.plain_text()]
    assert "Someone else at Northwind Biologics" in park.message.plain_text()
    labels = [b.label for b in park.message.buttons]
    assert "Someone else there" in labels
    choice = str(labels.index("Someone else there") + 1)
    opened = console.line(choice)
    [form] = [o.form for o in opened if o.form is not None]
    assert form.form_id == "contact:new" and form.values["organisation"] == "Northwind Biologics"
