"""A real iCalendar (.ics) file for the agreed interview, with a reminder alarm."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where a file is made: 0.1 s of every start otherwise
    from icalendar import Calendar

ALARM_BEFORE = timedelta(minutes=30)
FOLD_AT = 75  # octets: RFC 5545 keeps lines shorter than this


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
    from icalendar import Alarm, Calendar, Event

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
    return to_ical(calendar)


def to_ical(calendar: Calendar) -> bytes:
    """``calendar.to_ical()``, with the folding done by ``fold``."""
    return b"".join(fold(line) + b"\r\n" for line in calendar.content_lines() if line)


def fold(line: str) -> bytes:
    """One content line folded at 75 octets, byte for byte as icalendar's ``to_ical`` does it.

    icalendar measures every character of every line one at a time, which was half the cost of
    a calendar file; ASCII lines (nearly all) are cut by slicing here instead."""
    if not line.isascii():
        from icalendar.parser import Contentline

        folded: bytes = Contentline(line).to_ical()  # type: ignore[no-untyped-call]
        return folded
    parts, start = [], 0
    while len(line) - start >= FOLD_AT:
        cut = start + FOLD_AT - 1
        if line[cut - 1] in "\\^":  # keep an escape with the character it escapes
            cut -= 1
        parts.append(line[start:cut])
        start = cut
    parts.append(line[start:])
    return "\r\n ".join(parts).encode()
