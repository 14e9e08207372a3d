"""Reading time windows people type ("Tue 2-4pm", "March 3 10:00-11:30") in their own zone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import dateparser

_TIME = r"\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?"
_RANGE = re.compile(
    rf"^(?P<day>.*?)\s*(?P<start>{_TIME})\s*(?:–|—|-|\bto\b|\buntil\b)\s*(?P<end>{_TIME})\s*$",
    re.IGNORECASE,
)
_SUFFIX = re.compile(r"([ap])\.?m\.?$", re.IGNORECASE)
DEFAULT_WINDOW = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Window:
    start: datetime  # aware
    end: datetime


class WindowError(ValueError):
    pass


def _with_suffix(start: str, end: str) -> str:
    """'2-4pm' means 2pm: give a bare start the end's am/pm when that keeps start before end."""
    if _SUFFIX.search(start) or not (match := _SUFFIX.search(end)):
        return start
    start_hour = int(start.split(":")[0])
    end_hour = int(end.split(":")[0].strip().rstrip("apmAPM. "))
    suffix = match.group(1).lower()
    if suffix == "p" and start_hour > end_hour and start_hour != 12:
        return f"{start} am"
    return f"{start} {suffix}m"


def _valid_clock(text: str) -> bool:
    """Hours and minutes in range ("1:99" is not a time); am/pm hours from 1 to 12."""
    digits = text.strip().rstrip("apmAPM. ")
    hour_text, _, minute_text = digits.partition(":")
    hour, minute = int(hour_text), int(minute_text or 0)
    limit = 12 if _SUFFIX.search(text.strip()) else 24
    return 0 <= hour <= limit and minute <= 59


def _parse(text: str, zone: ZoneInfo, now: datetime) -> datetime | None:
    settings = {
        "TIMEZONE": zone.key,
        "RETURN_AS_TIMEZONE_AWARE": True,
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": now.astimezone(zone).replace(tzinfo=None),
    }
    try:
        parsed: datetime | None = dateparser.parse(text, languages=["en"], settings=settings)
    except (ValueError, OverflowError):
        return None
    if parsed is None:
        return None
    return parsed.astimezone(zone)


def parse_window(text: str, zone: ZoneInfo, now: datetime) -> Window:
    """Parse one window; raise WindowError with a sentence the person can act on."""
    cleaned = " ".join(text.split())
    match = _RANGE.match(cleaned)
    if match and not all(_valid_clock(match.group(g)) for g in ("start", "end")):
        raise WindowError(f"\u201c{cleaned}\u201d has a time I can't read; try something like "
                          "\u201cTue 2-4pm\u201d.")
    if match:
        day, start_text, end_text = match.group("day"), match.group("start"), match.group("end")
        start_text = _with_suffix(start_text.strip(), end_text.strip())
        start = _parse(f"{day} {start_text}".strip(), zone, now)
        end = _parse(f"{day} {end_text}".strip(), zone, now) if start else None
        if start and end:
            end = datetime.combine(start.date(), end.timetz()).replace(tzinfo=zone)
    else:
        start = _parse(cleaned, zone, now)
        end = start + DEFAULT_WINDOW if start else None
    if start is None or end is None:
        raise WindowError(f"I could not read \u201c{cleaned}\u201d as a time. Try something like "
                          "\u201cTue 2-4pm\u201d or \u201c2026-03-03 10:00-11:30\u201d.")
    if end <= start:
        raise WindowError(f"In \u201c{cleaned}\u201d the end comes before the start.")
    if start < now:
        raise WindowError(f"\u201c{cleaned}\u201d is in the past. Please pick a time ahead.")
    return Window(start, end)
