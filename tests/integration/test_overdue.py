"""A step whose date has passed shows as overdue, on the card, in the list and on the home
screen; an application shows in the list."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from infointerview.core import Database, Engine, SimulatedClock
from tests.helpers import CONTACT, PROFILE, SOURCE, User, text_of

NEW_YORK = ZoneInfo("America/New_York")


def _person(database: Database, start: datetime) -> tuple[Engine, SimulatedClock, User]:
    clock = SimulatedClock(start)
    engine = Engine(database, clock=clock)
    sam = User(engine)
    sam.command("start")
    sam.submit("profile", {**PROFILE, "tz": "America/New_York"})
    return engine, clock, sam


def _booked_for_wednesday_2pm(database: Database) -> tuple[SimulatedClock, User, str]:
    _engine, clock, sam = _person(database, datetime(2026, 4, 13, 9, 0, tzinfo=NEW_YORK))
    number = str(sam.add_contact(CONTACT, SOURCE))
    sam.click("mark_sent", number)
    sam.click("replied", number)
    sam.submit(f"meeting:{number}", {"date": "2026-04-15", "time": "14:00", "duration": "30",
                                     "mode": "video", "detail": ""})
    return clock, sam, number


def test_a_missed_follow_up_date_is_overdue_everywhere(database: Database) -> None:
    engine, clock, sam = _person(database, datetime(2026, 4, 21, 10, 0, tzinfo=NEW_YORK))
    number = str(sam.add_contact(CONTACT, SOURCE))
    sam.click("mark_sent", number)
    listed = text_of(sam.command("list"))
    assert "follow up if no reply by Tue 28 Apr 2026" in listed and "overdue" not in listed
    clock.set(datetime(2026, 4, 29, 10, 0, tzinfo=NEW_YORK))
    listed = text_of(sam.command("list"))
    assert "overdue: no reply since you wrote on Tue 21 Apr 2026" in listed
    assert "follow up if no reply by" not in listed
    card = text_of(sam.command("show", number))
    assert "Overdue" in card and "no reply since you wrote on Tue 21 Apr 2026" in card
    home = engine.overview(sam.actor).plain_text()
    assert "overdue: no reply since you wrote on Tue 21 Apr 2026" in home


def test_a_late_thank_you_is_overdue_but_still_worth_sending(database: Database) -> None:
    clock, sam, number = _booked_for_wednesday_2pm(database)
    clock.set(datetime(2026, 4, 15, 14, 0, tzinfo=NEW_YORK))
    sam.click("start_interview", number)
    sam.click("end_interview", number)
    assert "thank-you due Fri 17 Apr 2026" in text_of(sam.command("list"))
    clock.set(datetime(2026, 4, 29, 10, 0, tzinfo=NEW_YORK))
    listed = text_of(sam.command("list"))
    assert "overdue: thank-you was due Fri 17 Apr 2026, 2 PM (EDT); still worth sending" \
        in listed
    assert "thank-you due Fri" not in listed


def test_an_interview_whose_time_passed_is_overdue(database: Database) -> None:
    clock, sam, _number = _booked_for_wednesday_2pm(database)
    clock.set(datetime(2026, 4, 15, 14, 15, tzinfo=NEW_YORK))  # under way: not overdue
    assert "overdue" not in text_of(sam.command("list"))
    clock.set(datetime(2026, 4, 16, 9, 0, tzinfo=NEW_YORK))
    assert "overdue: interview was planned for Wed 15 Apr 2026, 2 PM (EDT)" \
        in text_of(sam.command("list"))


def test_an_application_shows_in_the_list(database: Database) -> None:
    clock, sam, number = _booked_for_wednesday_2pm(database)
    clock.set(datetime(2026, 4, 15, 14, 0, tzinfo=NEW_YORK))
    for action in ("start_interview", "end_interview", "thanked"):
        sam.click(action, number)
    clock.set(datetime(2026, 5, 4, 11, 0, tzinfo=NEW_YORK))
    sam.command("applied", CONTACT["organisation"])
    assert f"applied to {CONTACT['organisation']} on Mon 04 May 2026" \
        in text_of(sam.command("list"))


def test_the_follow_up_date_keeps_its_clock_time_across_a_switch(database: Database) -> None:
    """Sent at 10 AM the week the clocks go forward: the card names 10 AM a week on, when the
    follow-up reminder comes too (not 11 AM, as adding seven days in UTC would)."""
    chicago = ZoneInfo("America/Chicago")
    clock = SimulatedClock(datetime(2026, 3, 3, 10, 0, tzinfo=chicago))
    sam = User(Engine(database, clock=clock))
    sam.command("start")
    sam.submit("profile", {**PROFILE, "tz": "America/Chicago"})
    number = str(sam.add_contact(CONTACT, SOURCE))
    sam.click("mark_sent", number)
    assert "follow up if no reply by Tue 10 Mar 2026, 10 AM (CDT)" in text_of(sam.command("list"))
