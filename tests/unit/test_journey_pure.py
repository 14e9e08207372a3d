"""The whole journey through ``step()`` alone, no database: what it asks to be reminded of and
when, in zones east and west of UTC and on half-hour offsets, and what it drafts.

The same journey through the engine and a real database is in
tests/adapters/test_time_zones.py; this one runs in milliseconds, so it can afford more zones."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from infointerview.core import Reply, SendDM
from tests.unit.pure_journey import PureJourney

ZONES = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "America/St_Johns",
         "Australia/Adelaide", "Pacific/Auckland"]


def _deliver_until(sam: PureJourney, until: datetime) -> list[tuple[str, datetime, str]]:
    """Move the clock reminder by reminder up to ``until``: (kind, due, what it said)."""
    delivered = []
    while True:
        due = sorted((r for r in sam.reminders.values() if r.due_at <= until),
                     key=lambda r: r.due_at)
        if not due:
            sam.now = until
            return delivered
        sam.now = due[0].due_at
        for reminder, effects in sam.deliver_due():
            said = "\n".join(e.message.plain_text() for e in effects
                             if isinstance(e, SendDM | Reply))
            delivered.append((reminder.kind, reminder.due_at, said))


@pytest.mark.parametrize("zone_name", ZONES)
def test_the_journey_speaks_at_local_times(zone_name: str) -> None:
    zone = ZoneInfo(zone_name)
    monday = datetime.combine(date(2026, 4, 13), time(10, 0), tzinfo=zone)
    sam = PureJourney(now=monday, tz=zone_name)
    sam.onboard()
    number = sam.add_contact()
    sam.click("mark_sent", number)

    def local(moment: datetime, fmt: str) -> str:
        return moment.astimezone(zone).strftime(fmt)

    nudges = _deliver_until(sam, monday + timedelta(days=4))
    assert [(kind, local(at, "%a %H:%M")) for kind, at, _ in nudges] == [
        ("no_reply_nudge", "Thu 10:00")]
    sam.click("replied", number)
    sam.submit(f"meeting:{number}", {"date": "2026-04-21", "time": "14:00", "duration": "45",
                                     "mode": "video", "detail": ""})
    meeting = datetime.combine(date(2026, 4, 21), time(14, 0), tzinfo=zone)
    prep = _deliver_until(sam, meeting - timedelta(minutes=1))
    assert [(kind, local(at, "%a %d %H:%M")) for kind, at, _ in prep] == [
        ("prep_day", "Mon 20 17:00"), ("prep_hour", "Tue 21 13:00")]
    assert "2 PM" in prep[1][2]
    sam.now = meeting
    sam.click("start_interview", number)
    wrap = _deliver_until(sam, meeting + timedelta(minutes=45))
    assert [(kind, local(at, "%H:%M")) for kind, at, _ in wrap] == [("interview_wrap", "14:40")]
    sam.command("note", f"{number} Join the regulatory society's mentoring scheme")
    sam.click("end_interview", number)
    after = _deliver_until(sam, meeting + timedelta(days=3))
    assert [(kind, local(at, "%a %H:%M")) for kind, at, _ in after] == [
        ("thank_you", "Wed 09:00"), ("thank_you_last", "Thu 08:00")]


@pytest.mark.parametrize(("zone_name", "booked", "meeting_day"), [
    ("Europe/Berlin", date(2026, 3, 26), date(2026, 3, 30)),  # clocks go forward on the 29th
    ("America/New_York", date(2026, 10, 29), date(2026, 11, 2)),  # back on 1 November
    ("Australia/Adelaide", date(2026, 4, 2), date(2026, 4, 6)),  # back on 5 April (+10:30 → +9:30)
])
def test_reminders_keep_their_wall_clock_time_across_a_clock_change(
        zone_name: str, booked: date, meeting_day: date) -> None:
    zone = ZoneInfo(zone_name)
    sam = PureJourney(now=datetime.combine(booked, time(10, 0), tzinfo=zone), tz=zone_name)
    sam.onboard()
    number = sam.add_contact()
    sam.click("mark_sent", number)
    sam.click("replied", number)
    sam.submit(f"meeting:{number}", {"date": meeting_day.isoformat(), "time": "14:00",
                                     "duration": "30", "mode": "video", "detail": ""})
    meeting = datetime.combine(meeting_day, time(14, 0), tzinfo=zone)
    prep = _deliver_until(sam, meeting - timedelta(minutes=1))
    assert [(kind, at.astimezone(zone).strftime("%a %H:%M")) for kind, at, _ in prep] == [
        ("prep_day", (meeting - timedelta(days=1)).strftime("%a") + " 17:00"),
        ("prep_hour", meeting.strftime("%a") + " 13:00")]


def test_a_stage_move_cancels_the_reminders_it_made_pointless() -> None:
    zone = ZoneInfo("Asia/Kolkata")
    sam = PureJourney(now=datetime(2026, 4, 13, 10, 0, tzinfo=zone), tz="Asia/Kolkata")
    sam.onboard()
    number = sam.add_contact()
    sam.click("mark_sent", number)
    assert {r.kind for r in sam.reminders.values()} >= {"no_reply_nudge"}
    sam.click("replied", number)  # a reply: no "no reply yet?" nudge any more
    assert "no_reply_nudge" not in {r.kind for r in sam.reminders.values()}
