"""When nudges should arrive, in the person's own time zone.

Every time here is wall-clock time in the person's zone, converted to UTC last, so a daylight-
saving change cannot move a "9 a.m." reminder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from infointerview.core.journey.catalog.reminders import ignores_quiet_hours

MORNING = time(9, 0)
SAME_DAY_BEFORE = 12  # an interview ending before noon gets its nudge the same afternoon
SAME_DAY_DELAY = timedelta(hours=4)


@dataclass(frozen=True, slots=True)
class Availability:
    """When a person is willing to be nudged."""

    zone: ZoneInfo
    quiet_start: time = time(21, 0)
    quiet_end: time = time(8, 0)
    weekdays_only: bool = False
    paused_until: date | None = None

    def in_quiet_hours(self, local: datetime) -> bool:
        now = local.timetz().replace(tzinfo=None)
        if self.quiet_start == self.quiet_end:
            return False
        if self.quiet_start < self.quiet_end:  # e.g. 13:00-14:00
            return self.quiet_start <= now < self.quiet_end
        return now >= self.quiet_start or now < self.quiet_end  # across midnight

    def _quiet_ends(self, local: datetime) -> datetime:
        day = local.date()
        if self.quiet_start > self.quiet_end and local.time() >= self.quiet_start:
            day += timedelta(days=1)  # the quiet night ends tomorrow morning
        return datetime.combine(day, self.quiet_end, tzinfo=self.zone)

    def deliverable_at(self, due: datetime, kind: str = "") -> datetime:
        """The first moment at or after ``due`` when this person may be nudged."""
        if ignores_quiet_hours(kind):  # the catalogue's rule: see ReminderKind
            return due
        local = due.astimezone(self.zone)
        for _ in range(16):  # each rule moves forward; a few rounds settle any combination
            moved = local
            if self.paused_until is not None and local.date() < self.paused_until:
                moved = datetime.combine(self.paused_until, self.quiet_end, tzinfo=self.zone)
            elif self.weekdays_only and local.weekday() >= 5:
                monday = local.date() + timedelta(days=7 - local.weekday())
                moved = datetime.combine(monday, self.quiet_end, tzinfo=self.zone)
            elif self.in_quiet_hours(local):
                moved = self._quiet_ends(local)
            if moved == local:
                break
            local = moved
        return local.astimezone(due.tzinfo)

    def latest_before(self, deadline: datetime, wanted: datetime, kind: str = "") -> datetime:
        """``wanted`` moved out of quiet hours, but never past ``deadline``: a last call that
        would land after the deadline comes the evening before instead."""
        moved = self.deliverable_at(wanted, kind)
        if moved <= deadline:
            return moved
        local = wanted.astimezone(self.zone)
        evening = datetime.combine(local.date(), self.quiet_start, tzinfo=self.zone)
        if evening > local:
            evening -= timedelta(days=1)
        return (evening - timedelta(minutes=30)).astimezone(wanted.tzinfo)


def next_morning(moment: datetime, zone: ZoneInfo) -> datetime:
    """9 a.m. local on the following day."""
    local = moment.astimezone(zone)
    return datetime.combine(local.date() + timedelta(days=1), MORNING, tzinfo=zone)


def next_monday_morning(moment: datetime, zone: ZoneInfo) -> datetime:
    local = moment.astimezone(zone)
    days = 7 - local.weekday()
    return datetime.combine(local.date() + timedelta(days=days), MORNING, tzinfo=zone)


def thank_you_nudge_at(ended: datetime, zone: ZoneInfo) -> datetime:
    local = ended.astimezone(zone)
    if local.hour < SAME_DAY_BEFORE:
        return ended + SAME_DAY_DELAY
    return next_morning(ended, zone)
