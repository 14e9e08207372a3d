"""When the coach speaks, in the person's own zone: east and west of UTC, a half-hour offset,
the date line, on SQLite and PostgreSQL.

Every reminder of a journey is delivered by the engine's own claim path, one person at a time
(as the console does), at the moment it falls due, and checked against the local time it was
meant for.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from infointerview.adapters.console.adapter import ConsoleAdapter
from infointerview.core import Database, Engine, Message, SendDM, SimulatedClock
from tests.helpers import CONTACT, PROFILE, SOURCE, User


@dataclass
class Delivered:
    kind: str
    at: datetime  # UTC
    message: Message


POLL = timedelta(hours=1)  # a dispatcher also claims between due times: none may come early


def deliver_until(engine: Engine, clock: SimulatedClock, user_id: str,
                  until: datetime, poll: timedelta = POLL) -> list[Delivered]:
    """Let time pass to ``until``, claiming this person's reminders every hour and at each
    moment one falls due; fails instead of looping when a due reminder cannot be claimed."""
    delivered: list[Delivered] = []
    for _ in range(500):
        due = engine.next_reminder_due("console", user_id)
        if clock() >= until:
            break
        step = min(clock() + poll, until)
        clock.set(min(due, step) if due is not None and due > clock() else step)
        claimed = engine.claim_due_reminders("console", user_id=user_id)
        assert claimed or due is None or due > clock(), \
            f"a reminder due at {due} could not be claimed at {clock()}"
        for event in claimed:
            for effect in engine.handle(event):
                if isinstance(effect, SendDM):
                    delivered.append(Delivered(event.kind, clock(), effect.message))
            engine.reminder_delivered(event.reminder_id, "test")
    else:
        pytest.fail("time did not reach its end: a loop")
    return delivered


@pytest.fixture
def zoned(database: Database) -> Iterator[tuple[Engine, SimulatedClock]]:
    clock = SimulatedClock(datetime(2026, 4, 6, 7, 0, tzinfo=UTC))
    yield Engine(database, clock=clock), clock


def test_berlin_hour_before_reminder_comes_at_13_and_advance_returns(
        zoned: tuple[Engine, SimulatedClock]) -> None:
    """The round-1 hang: Berlin, a call on 8 April at 14:00 booked on the 6th; /advance past
    noon on the day looped for ever, the hour-before reminder never claimable."""
    engine, clock = zoned
    clock.set(datetime(2026, 4, 6, 9, 0, tzinfo=ZoneInfo("Europe/Berlin")))
    session = ConsoleAdapter(engine, "anna", tz="Europe/Berlin", clock=clock)
    sam = User(engine, "anna")
    sam.command("start")
    sam.submit("profile", {**PROFILE, "tz": "Europe/Berlin"})
    number = sam.add_contact(CONTACT, SOURCE)
    sam.click("mark_sent", str(number))
    sam.click("replied", str(number))
    sam.submit(f"meeting:{number}", {"date": "2026-04-08", "time": "14:00", "duration": "30",
                                     "mode": "video", "detail": ""})
    outputs = session.advance_by(timedelta(days=2, hours=3, minutes=30))  # Wed 12:30
    assert "Wed 08 Apr 2026 12:30 CEST" in outputs[0].notice
    outputs = session.advance_by(timedelta(hours=1))  # Wed 13:30: past the hour before
    texts = [o.message.plain_text() for o in outputs if o.message is not None]
    assert any("In about an hour" in t and "2 PM (CEST)" in t for t in texts), texts


ZONES = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Auckland",
         "America/Los_Angeles", "Asia/Tokyo"]


@pytest.mark.parametrize("zone_name", ZONES)
def test_a_journey_speaks_at_local_times_in_every_zone(
        zoned: tuple[Engine, SimulatedClock], zone_name: str) -> None:
    engine, clock = zoned
    zone = ZoneInfo(zone_name)
    monday = datetime.combine(date(2026, 4, 13), time(10, 0), tzinfo=zone)
    clock.set(monday)
    sam = User(engine, "sam")
    sam.command("start")
    sam.submit("profile", {**PROFILE, "tz": zone_name})
    number = str(sam.add_contact(CONTACT, SOURCE))
    sam.click("mark_sent", number)  # Monday 10:00 local
    nudges = deliver_until(engine, clock, "sam", monday + timedelta(days=4))
    assert [(d.kind, d.at.astimezone(zone).strftime("%a %H:%M")) for d in nudges] == [
        ("no_reply_nudge", "Thu 10:00")]  # three working days later
    sam.click("replied", number)
    sam.submit(f"meeting:{number}", {"date": "2026-04-21", "time": "14:00", "duration": "45",
                                     "mode": "video", "detail": ""})
    meeting = datetime.combine(date(2026, 4, 21), time(14, 0), tzinfo=zone)
    prep = deliver_until(engine, clock, "sam", meeting - timedelta(minutes=1))
    assert [(d.kind, d.at.astimezone(zone).strftime("%a %d %H:%M")) for d in prep] == [
        ("prep_day", "Mon 20 17:00"), ("prep_hour", "Tue 21 13:00")]
    assert "2 PM" in prep[1].message.plain_text()
    clock.set(meeting)
    sam.click("start_interview", number)
    wrap = deliver_until(engine, clock, "sam", meeting + timedelta(minutes=45))
    assert [(d.kind, d.at.astimezone(zone).strftime("%H:%M")) for d in wrap] == [
        ("interview_wrap", "14:40")]
    sam.command("note", f"{number} Join the regulatory society's mentoring scheme")
    sam.click("end_interview", number)
    after = deliver_until(engine, clock, "sam", meeting + timedelta(days=3))
    assert [(d.kind, d.at.astimezone(zone).strftime("%a %H:%M")) for d in after] == [
        ("thank_you", "Wed 09:00"), ("thank_you_last", "Thu 08:00")]  # 40 h on, after quiet hours


@pytest.mark.parametrize(("zone_name", "shown"), [
    ("America/New_York", "Mon 06 Apr 2026 09:00 EDT"),
    ("Asia/Kolkata", "Mon 06 Apr 2026 09:00 IST"),
])
def test_a_start_time_without_offset_is_read_in_the_given_zone(
        tmp_path: object, zone_name: str, shown: str) -> None:
    import os
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "infointerview", "console", "--tz", zone_name, "--start-at",
         "2026-04-06T09:00", "--user", "lan"], input="/quit\n", capture_output=True, text=True,
        timeout=60, check=False,
        env={**os.environ, "INFOINTERVIEW_DATABASE_URL": f"sqlite:///{tmp_path}/c.db",
             "TZ": "UTC"})
    assert result.returncode == 0, result.stderr
    assert f"Simulated clock: {shown}" in result.stdout
