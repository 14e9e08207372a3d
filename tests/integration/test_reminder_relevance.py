"""Reminders fit the moment: the ones that no longer apply are cancelled when the journey moves
on, and a reminder's buttons offer only snoozes that land before what it reminds of."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from infointerview.core import Database, Engine, SimulatedClock
from tests.adapters.test_time_zones import deliver_until
from tests.helpers import CONTACT, PROFILE, SOURCE, User

TOKYO = ZoneInfo("Asia/Tokyo")


def _booked(database: Database, meeting: datetime) -> tuple[Engine, SimulatedClock, User, str]:
    clock = SimulatedClock(meeting - timedelta(days=3))
    engine = Engine(database, clock=clock)
    sam = User(engine)
    sam.command("start")
    sam.submit("profile", {**PROFILE, "tz": "Asia/Tokyo"})
    number = str(sam.add_contact(CONTACT, SOURCE))
    sam.click("mark_sent", number)
    sam.click("replied", number)
    local = meeting.astimezone(TOKYO)
    sam.submit(f"meeting:{number}", {"date": local.date().isoformat(),
                                     "time": local.strftime("%H:%M"), "duration": "30",
                                     "mode": "video", "detail": ""})
    return engine, clock, sam, number


def _snoozes(message: object) -> list[str]:
    return [b.label for b in message.buttons if b.action == "snooze"]  # type: ignore[attr-defined]


def test_an_interview_started_early_gets_no_prep_reminders(database: Database) -> None:
    meeting = datetime(2026, 5, 14, 15, 0, tzinfo=TOKYO)
    engine, clock, sam, number = _booked(database, meeting)
    clock.set(meeting - timedelta(days=1, hours=2))  # the day before, before the evening nudge
    sam.click("start_interview", number)
    sent = deliver_until(engine, clock, "sam", meeting + timedelta(hours=2))
    assert [d.kind for d in sent] == ["interview_wrap"]


def test_each_reminder_offers_only_snoozes_that_fit_it(database: Database) -> None:
    meeting = datetime(2026, 5, 14, 15, 0, tzinfo=TOKYO)
    engine, clock, sam, number = _booked(database, meeting)
    before = deliver_until(engine, clock, "sam", meeting)
    snoozes = {d.kind: _snoozes(d.message) for d in before}
    assert snoozes["prep_day"] == ["Snooze 1 hour", "Tomorrow morning"]  # before 3 PM
    assert snoozes["prep_hour"] == ["In 15 minutes"]
    sam.click("start_interview", number)
    wrap = deliver_until(engine, clock, "sam", meeting + timedelta(minutes=30))
    assert [(d.kind, _snoozes(d.message)) for d in wrap] == [("interview_wrap",
                                                              ["In 5 minutes"])]
    sam.click("end_interview", number)
    after = deliver_until(engine, clock, "sam", meeting + timedelta(days=3))
    snoozes = {d.kind: _snoozes(d.message) for d in after}
    assert "Next week" not in snoozes["thank_you"] and "Snooze 1 hour" in snoozes["thank_you"]
    assert "Next week" not in snoozes["thank_you_last"]


def test_a_snooze_of_minutes_comes_back_in_minutes(database: Database) -> None:
    meeting = datetime(2026, 5, 14, 15, 0, tzinfo=TOKYO)
    engine, clock, sam, _number = _booked(database, meeting)
    sent = deliver_until(engine, clock, "sam", meeting - timedelta(hours=1))
    hour = next(d for d in sent if d.kind == "prep_hour")
    assert hour.at == meeting - timedelta(hours=1) == clock()
    button = next(b for b in hour.message.buttons if b.label == "In 15 minutes")
    sam.click(button.action, button.value)
    again = deliver_until(engine, clock, "sam", meeting)
    assert [(d.kind, d.at) for d in again] == [("prep_hour", meeting - timedelta(minutes=45))]


def test_moving_on_cancels_what_no_longer_applies(database: Database) -> None:
    """Choosing "keep in touch" straight after the thank-you drops the LinkedIn reminder: the
    next thing the coach will say is the keep-in-touch nudge three months on."""
    meeting = datetime(2026, 5, 14, 15, 0, tzinfo=TOKYO)
    engine, clock, sam, number = _booked(database, meeting)
    clock.set(meeting)
    sam.click("start_interview", number)
    sam.click("end_interview", number)
    sam.click("thanked", number)
    sam.click("keep_in_touch", number)
    assert engine.next_reminder_due("console", "sam") == meeting + timedelta(days=90)
