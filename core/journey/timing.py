"""When nudges should arrive, in the person's own time zone."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

MORNING = time(9, 0)
SAME_DAY_BEFORE = 12  # an interview ending before noon gets its nudge the same afternoon
SAME_DAY_DELAY = timedelta(hours=4)


def next_morning(moment: datetime, zone: ZoneInfo) -> datetime:
    """9 a.m. local on the following day; wall-clock time, so daylight saving cannot shift it."""
    local = moment.astimezone(zone)
    return datetime.combine(local.date() + timedelta(days=1), MORNING, tzinfo=zone)


def thank_you_nudge_at(ended: datetime, zone: ZoneInfo) -> datetime:
    local = ended.astimezone(zone)
    if local.hour < SAME_DAY_BEFORE:
        return ended + SAME_DAY_DELAY
    return next_morning(ended, zone)
