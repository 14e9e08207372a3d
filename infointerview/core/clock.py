"""Clocks: the real one, and a simulated one the console moves forward with /advance."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

_PART = re.compile(r"(\d+)\s*([wdhm])", re.IGNORECASE)
_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes"}
MAX_ADVANCE = timedelta(days=3660)


def parse_duration(text: str) -> timedelta | None:
    """``30m``, ``2h``, ``3d``, ``1w``, ``1d6h`` -> a timedelta; None when it is not one."""
    compact = text.replace(" ", "").lower()
    if not compact or _PART.sub("", compact):
        return None
    total = timedelta()
    for amount, unit in _PART.findall(compact):
        total += timedelta(**{_UNITS[unit.lower()]: int(amount)})
    if total <= timedelta() or total > MAX_ADVANCE:
        return None
    return total


class SystemClock:
    def __call__(self) -> datetime:
        return datetime.now(UTC)


class SimulatedClock:
    """Time that only moves when told to (console --start-at, tests, the demo)."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("the simulated clock needs an aware start time")
        self._now = start.astimezone(UTC)

    def __call__(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> None:
        if moment > self._now:
            self._now = moment.astimezone(UTC)

    def advance(self, by: timedelta) -> datetime:
        self._now += by
        return self._now
