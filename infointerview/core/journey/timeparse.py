"""Reading time windows people type ("Tue 2-4pm", "March 3 10:00-11:30") in their own zone."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import dateparser

_TIME = r"\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?"
_RANGE = re.compile(
    rf"^(?P<day>.*?)\s*(?P<start>{_TIME})\s*(?:–|—|-|\bto\b|\buntil\b)\s*(?P<end>{_TIME})\s*$",
    re.IGNORECASE,
)
_SUFFIX = re.compile(r"([ap])\.?m\.?$", re.IGNORECASE)
_NAMED_HOURS = [(re.compile(r"\b(?:noon|midday)\b", re.IGNORECASE), "12pm"),
                (re.compile(r"\bmidnight\b", re.IGNORECASE), "12am")]
DEFAULT_WINDOW = timedelta(hours=1)
# a part of the day typed without times ("thu afternoon") is read as this range of hours
PARTS_OF_DAY = {"morning": (9, 12), "afternoon": (12, 17), "evening": (17, 20)}
_PART_OF_DAY = re.compile(rf"\b(?:in the\s+)?({'|'.join(PARTS_OF_DAY)})\b", re.IGNORECASE)
_NUMERIC_DAY = re.compile(r"^\d{1,2}\s*[/.]\s*\d{1,2}(?:\s*[/.]\s*\d{2,4})?$")
_CLOCK_GIVEN = re.compile(r"\d\s*(?:[ap]\.?m\b|:\d)", re.IGNORECASE)
_ISO_LIKE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")


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
    # "11-1pm" and "11-12pm" start in the morning; "2-4pm" in the afternoon
    if suffix == "p" and (start_hour > end_hour or end_hour == 12) and start_hour != 12:
        return f"{start} am"
    return f"{start} {suffix}m"


DAYTIME_FROM = 8  # a bare "2" in "2-4" is 2 PM: hours before this are read as afternoon ones


def _hour_24(text: str) -> int | None:
    """The 24-hour hour of a clock text that says am or pm, or None for a bare number."""
    match = _SUFFIX.search(text)
    if match is None:
        return None
    hour = int(text.split(":")[0].strip().rstrip("apmAPM. ")) % 12
    return hour + 12 if match.group(1).lower() == "p" else hour


def _as_daytime(start: str, end: str) -> tuple[str, str]:
    """Bare hours as people mean them: "10-12" is 10 AM to noon, "2-4" 2 to 4 PM, "11-1" 11 AM
    to 1 PM, "10am-12" ends at noon and "9pm-11" at 11 PM. A time with minutes ("14:30")
    or am/pm is read as written."""
    start_hour = _hour_24(start)
    if start_hour is None and ":" not in start:
        hour = int(start)
        start_hour = hour + 12 if 1 <= hour < DAYTIME_FROM else hour
        start = f"{start_hour}:00"
    elif start_hour is None:
        start_hour = int(start.split(":")[0])
    if _hour_24(end) is None:
        hour_text, _, minutes = end.partition(":")
        hour = int(hour_text)
        for candidate in (hour, hour + 12):
            if start_hour < candidate < 24 or (candidate == 24 and hour == 12):
                hour = candidate
                break
        end = f"{hour % 24}:{minutes or '00'}"
    return start, end


def _valid_clock(text: str) -> bool:
    """Hours and minutes in range ("1:99" is not a time); am/pm hours from 1 to 12."""
    digits = text.strip().rstrip("apmAPM. ")
    hour_text, _, minute_text = digits.partition(":")
    hour, minute = int(hour_text), int(minute_text or 0)
    limit = 12 if _SUFFIX.search(text.strip()) else 24
    return 0 <= hour <= limit and minute <= 59


def _parse(text: str, zone: ZoneInfo, now: datetime) -> datetime | None:
    """The wall-clock time the text names in ``zone`` (naive), or None."""
    settings = {
        "TIMEZONE": zone.key,
        "RETURN_AS_TIMEZONE_AWARE": False,  # the time as typed: in_zone checks it exists
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": now.astimezone(zone).replace(tzinfo=None),
    }
    try:
        parsed: datetime | None = dateparser.parse(text, languages=["en"], settings=settings)
    except (ValueError, OverflowError):
        return None
    return parsed


def in_zone(wall: datetime, zone: ZoneInfo) -> datetime:
    """A wall-clock time in ``zone``; WindowError when the clocks skip it (spring forward). A
    time they pass twice (fall back) is the first."""
    moment = wall.replace(tzinfo=zone)
    try:
        real = moment.astimezone(UTC).astimezone(zone)
    except OverflowError:  # the last hours of year 9999: callers refuse those as too far ahead
        return moment
    if real.replace(tzinfo=None) != wall:
        raise WindowError(
            f"{clock_text(wall)} on {wall:%A} {wall.day} {wall:%B} does not exist in {zone.key}: "
            f"the clocks go forward that night, so it would be {clock_text(real)}. Please pick a "
            "time before or after the change.")
    return moment


def clock_text(moment: datetime) -> str:
    """A time of day as the bot writes it: "2:30 PM", "9 AM"."""
    return moment.strftime("%I:%M %p").lstrip("0").replace(":00 ", " ")


class DayError(ValueError):
    pass


def parse_day(text: str, zone: ZoneInfo, now: datetime) -> date:
    """A day as the windows form reads it ("next Wednesday", "Apr 8", "8 April", "2026-04-08"),
    relative to the person's own today; DayError with a sentence the person can act on."""
    cleaned = " ".join(text.split())
    if _NUMERIC_DAY.match(cleaned):  # 03/04: March or April?
        raise DayError(f"\u201c{cleaned}\u201d can be read two ways; please give a date like "
                       "2026-03-14, 14 March or next Wednesday.")
    if _ISO_LIKE.match(cleaned):
        try:
            return date.fromisoformat("-".join(p.zfill(2) for p in cleaned.split("-")))
        except ValueError:
            raise DayError(f"\u201c{cleaned}\u201d is not a day in the calendar; please give a "
                           "date like 2026-03-14.") from None
    parsed = _parse(cleaned, zone, now) if cleaned else None
    if parsed is None:
        raise DayError(f"I could not read \u201c{cleaned}\u201d as a date; please give a date like "
                       "2026-03-14, 8 April or next Wednesday.")
    return parsed.date()


def _part_of_day(text: str, zone: ZoneInfo, now: datetime) -> Window | None:
    """ "thu afternoon": the day, and the hours that part of the day stands for."""
    match = _PART_OF_DAY.search(text)
    if match is None or _RANGE.match(text) or _CLOCK_GIVEN.search(text):
        return None
    day_text = " ".join(_PART_OF_DAY.sub(" ", text).split())
    if day_text.lower() in ("", "this", "today", "this today"):  # "this afternoon"
        day = now.astimezone(zone).date()
    else:
        try:
            day = parse_day(day_text, zone, now)
        except DayError:
            return None
    first, last = PARTS_OF_DAY[match.group(1).lower()]
    start = in_zone(datetime.combine(day, time(first)), zone)
    end = in_zone(datetime.combine(day, time(last)), zone)
    if start < now < end:  # under way: from the next half hour
        start = datetime.fromtimestamp(math.ceil(now.timestamp() / 1800) * 1800, UTC)
        start = start.astimezone(zone)
    return Window(start, end)


def parse_window(text: str, zone: ZoneInfo, now: datetime) -> Window:
    """Parse one window; raise WindowError with a sentence the person can act on."""
    cleaned = " ".join(text.split())  # as typed, for the messages
    spelled = cleaned
    for named, clock in _NAMED_HOURS:
        spelled = named.sub(clock, spelled)
    vague = _part_of_day(spelled, zone, now)
    if vague is not None:
        if vague.start >= vague.end or vague.end <= now:
            raise WindowError(f"\u201c{cleaned}\u201d is in the past. Please pick a time ahead.")
        return vague
    match = _RANGE.match(spelled)
    if match and not all(_valid_clock(match.group(g)) for g in ("start", "end")):
        raise WindowError(f"\u201c{cleaned}\u201d has a time I can't read; try something like "
                          "\u201cTue 2-4pm\u201d.")
    if match:
        day, start_text, end_text = match.group("day"), match.group("start"), match.group("end")
        start_text = _with_suffix(start_text.strip(), end_text.strip())
        start_text, end_text = _as_daytime(start_text, end_text.strip())
        first = _parse(f"{day} {start_text}".strip(), zone, now)
        last = _parse(f"{day} {end_text}".strip(), zone, now) if first else None
        if first and last:
            last = datetime.combine(first.date(), last.time())
            if last <= first and last.time() == time(0):  # "10pm-midnight" ends the next day
                last += timedelta(days=1)
    else:
        first = _parse(spelled, zone, now)
        last = None
    if first is None or (match and last is None):
        raise WindowError(f"I could not read \u201c{cleaned}\u201d as a time. Try something like "
                          "\u201cTue 2-4pm\u201d or \u201c2026-03-03 10:00-11:30\u201d.")
    start = in_zone(first, zone)
    end = in_zone(last, zone) if last else start + DEFAULT_WINDOW
    if end <= start:
        raise WindowError(f"In \u201c{cleaned}\u201d the end comes before the start.")
    if start < now:
        raise WindowError(f"\u201c{cleaned}\u201d is in the past. Please pick a time ahead.")
    return Window(start, end)
