"""A real iCalendar (.ics) file for the agreed interview, with a reminder alarm."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Alarm, Calendar, Event

ALARM_BEFORE = timedelta(minutes=30)


def interview_ics(
    *,
    uid: str,
    title: str,
    start: datetime,
    minutes: int,
    description: str,
    location: str,
    url: str,
    stamp: datetime,
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//infointerview//informational interview coach//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", start.astimezone(UTC))
    event.add("dtend", (start + timedelta(minutes=minutes)).astimezone(UTC))
    event.add("summary", title)
    event.add("description", description)
    if location:
        event.add("location", location)
    if url:
        event.add("url", url)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"In 30 minutes: {title}")
    alarm.add("trigger", -ALARM_BEFORE)
    event.add_component(alarm)
    calendar.add_component(event)
    content: bytes = calendar.to_ical()
    return content
