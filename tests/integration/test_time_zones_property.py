"""A property: whatever the zone, the day (both daylight-saving switches included), the time,
length and quiet hours, each reminder of a meeting arrives at the local time it was meant for,
on SQLite and PostgreSQL.

The expectations are wall-clock rules read off the README's reminder table, written here
independently of ``core.journey.timing``: the evening before at 17:00; an hour before the
start (never after it); five minutes before the planned end; the thank-you the same afternoon
(+4 h) after a morning interview, else 9:00 the next morning; the last call before the 48 hours
are up. Nothing but the hour-before and wrap-up reminders may arrive in quiet hours.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infointerview.core import Database, Engine, SimulatedClock
from tests.adapters.test_time_zones import deliver_until
from tests.helpers import CONTACT, PROFILE, SOURCE, User

ZONES = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Auckland",
         "America/Chicago", "Australia/Adelaide", "UTC"]
# the days the clocks change in 2026 (US, EU, New Zealand, South Australia) and the day after
SWITCHES = [date(2026, 3, 8), date(2026, 3, 29), date(2026, 4, 5), date(2026, 9, 27),
            date(2026, 10, 4), date(2026, 10, 25), date(2026, 11, 1)]
DST_DAYS = sorted({d + timedelta(days=k) for d in SWITCHES for k in (0, 1)})
_people = itertools.count(1)


def _quiet(local: datetime, start: time, end: time) -> bool:
    now = local.time()
    return now >= start or now < end  # every generated quiet period spans midnight


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(zone_name=st.sampled_from(ZONES),
       day=st.one_of(st.sampled_from(DST_DAYS), st.dates(date(2026, 3, 1), date(2026, 11, 30))),
       start_at=st.times(time(8, 0), time(19, 45)).map(
           lambda t: t.replace(minute=t.minute // 15 * 15, second=0, microsecond=0)),
       duration=st.sampled_from([20, 30, 45, 60]),
       quiet_start=st.sampled_from([time(20, 0), time(21, 0), time(22, 30), time(23, 0)]),
       quiet_end=st.sampled_from([time(6, 0), time(7, 30), time(8, 0), time(9, 0)]))
def test_meeting_reminders_arrive_at_their_local_times(
        database: Database, zone_name: str, day: date, start_at: time,
        duration: int, quiet_start: time, quiet_end: time) -> None:
    zone = ZoneInfo(zone_name)
    meeting = datetime.combine(day, start_at, tzinfo=zone)
    booked = datetime.combine(day - timedelta(days=3), time(10, 0), tzinfo=zone)
    clock = SimulatedClock(booked)  # a clock of its own: simulated time never runs back
    engine = Engine(database, clock=clock)
    person = f"p{next(_people)}"
    sam = User(engine, person)
    sam.command("start")
    sam.submit("profile", {**PROFILE, "tz": zone_name})
    sam.submit("settings", {"tz": zone_name, "quiet_start": quiet_start.strftime("%H:%M"),
                            "quiet_end": quiet_end.strftime("%H:%M"), "weekdays_only": "no",
                            "weekly_summary": "off"})
    number = str(sam.add_contact(CONTACT, SOURCE))
    sam.click("mark_sent", number)
    sam.click("replied", number)
    sam.submit(f"meeting:{number}", {"date": day.isoformat(), "time": start_at.strftime("%H:%M"),
                                     "duration": str(duration), "mode": "video", "detail": ""})

    before = deliver_until(engine, clock, person, meeting - timedelta(minutes=1))
    local = {d.kind: d.at.astimezone(zone) for d in before}
    assert sorted(local) == ["prep_day", "prep_hour"]
    assert local["prep_day"].replace(tzinfo=None) == datetime.combine(
        day - timedelta(days=1), time(17, 0))
    assert local["prep_hour"] == meeting - timedelta(hours=1)
    assert local["prep_hour"] < meeting

    clock.set(meeting.astimezone(UTC))
    sam.click("start_interview", number)
    end = meeting + timedelta(minutes=duration)
    during = deliver_until(engine, clock, person, end)
    assert [(d.kind, d.at) for d in during] == [("interview_wrap",
                                                 end - timedelta(minutes=5))]
    clock.set(end.astimezone(UTC))
    sam.click("end_interview", number)
    ended = end.astimezone(zone)
    after = deliver_until(engine, clock, person, ended + timedelta(days=3))
    local = {d.kind: d.at.astimezone(zone) for d in after}
    assert sorted(local) == ["thank_you", "thank_you_last"]
    if ended.time() < time(12, 0):
        assert local["thank_you"] == ended + timedelta(hours=4)
    else:
        assert local["thank_you"].replace(tzinfo=None) == datetime.combine(
            ended.date() + timedelta(days=1), time(9, 0))
    assert local["thank_you"] < local["thank_you_last"] <= ended + timedelta(hours=48)
    for kind in ("prep_day", "thank_you", "thank_you_last"):
        moment = {**{d.kind: d.at for d in before}, **{d.kind: d.at for d in after}}[kind]
        assert not _quiet(moment.astimezone(zone), quiet_start, quiet_end), kind


def _wall(moment: datetime, zone: ZoneInfo, days: int) -> datetime:
    """The same wall-clock time ``days`` later in ``zone``, whatever the clocks did between."""
    local = moment.astimezone(zone)
    return datetime.combine(local.date() + timedelta(days=days), local.time(), tzinfo=zone)


def _working_days_later(moment: datetime, zone: ZoneInfo, days: int) -> datetime:
    local, step = moment.astimezone(zone), 0
    while days:
        step += 1
        if (local.date() + timedelta(days=step)).weekday() < 5:
            days -= 1
    return _wall(local, zone, step)


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(zone_name=st.sampled_from(ZONES),
       day=st.one_of(st.sampled_from([d - timedelta(days=k) for d in SWITCHES
                                      for k in (1, 3, 6)]),
                     st.dates(date(2026, 3, 1), date(2026, 11, 20))),
       sent_at=st.sampled_from([time(8, 30), time(10, 0), time(13, 15), time(17, 45)]))
def test_follow_up_series_and_after_the_thank_you_keep_their_local_time(
        database: Database, zone_name: str, day: date, sent_at: time) -> None:
    """Reminders days or months away (a week for the follow-up, three days for LinkedIn,
    three months to keep in touch, the weekly summary on Monday morning) come at the same
    wall-clock time, across a switch too."""
    zone = ZoneInfo(zone_name)
    sent = datetime.combine(day, sent_at, tzinfo=zone)
    clock = SimulatedClock(sent)
    engine = Engine(database, clock=clock)
    person = f"f{next(_people)}"
    sam = User(engine, person)
    sam.command("start")
    sam.submit("profile", {**PROFILE, "tz": zone_name})
    sam.submit("settings", {"tz": zone_name, "quiet_start": "21:00", "quiet_end": "08:00",
                            "weekdays_only": "no", "weekly_summary": "on"})
    number = str(sam.add_contact(CONTACT, SOURCE))
    sam.click("mark_sent", number)
    delivered = deliver_until(engine, clock, person, _wall(sent, zone, 7),
                              poll=timedelta(hours=3))
    weekly = [d.at.astimezone(zone) for d in delivered if d.kind == "weekly_summary"]
    monday = datetime.combine(day + timedelta(days=7 - day.weekday()), time(9), tzinfo=zone)
    # the next Monday, 9 AM in their zone, whatever the clocks did meanwhile
    assert weekly == ([monday] if monday <= _wall(sent, zone, 7) else [])
    week = [d for d in delivered if d.kind != "weekly_summary"]
    sam.submit("settings", {"tz": zone_name, "quiet_start": "21:00", "quiet_end": "08:00",
                            "weekdays_only": "no", "weekly_summary": "off"})
    assert [(d.kind, d.at.astimezone(zone)) for d in week] == [
        ("no_reply_nudge", _working_days_later(sent, zone, 3)),
        ("no_reply_follow_up", _wall(sent, zone, 7))]
    sam.click("follow_up_sent", number)
    park = deliver_until(engine, clock, person, _wall(sent, zone, 14), poll=timedelta(hours=3))
    assert [(d.kind, d.at.astimezone(zone)) for d in park] == [
        ("no_reply_park", _wall(sent, zone, 14))]
    sam.click("replied", number)
    meeting = _wall(sent, zone, 15)
    sam.submit(f"meeting:{number}", {"date": meeting.date().isoformat(),
                                     "time": meeting.strftime("%H:%M"), "duration": "30",
                                     "mode": "video", "detail": ""})
    deliver_until(engine, clock, person, meeting, poll=timedelta(days=1))
    sam.click("start_interview", number)
    sam.click("end_interview", number)
    thanked = clock()
    sam.click("thanked", number)
    linkedin = deliver_until(engine, clock, person, _wall(thanked, zone, 3),
                             poll=timedelta(hours=6))
    assert [(d.kind, d.at.astimezone(zone)) for d in linkedin] == [
        ("linkedin", _wall(thanked, zone, 3))]
    connected = clock()
    sam.click("connected", number)
    later = deliver_until(engine, clock, person, _wall(connected, zone, 90),
                          poll=timedelta(days=10))
    assert [(d.kind, d.at.astimezone(zone)) for d in later] == [
        ("keep_in_touch", _wall(connected, zone, 90))]
