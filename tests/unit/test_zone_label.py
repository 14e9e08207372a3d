"""How a time's zone is written after it: an abbreviation people know, or the zone's city.

The time zone database has no abbreviation for many zones (Kathmandu, Bangkok, São Paulo,
Dubai) and gives "+0545" instead, which few readers can place; a draft to a contact and a
reminder both say "Kathmandu time" there."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from infointerview.core.timezones import zone_label

MOMENT = datetime(2026, 10, 28, 9, 15, tzinfo=UTC)


@pytest.mark.parametrize(("zone", "label"), [
    ("Europe/Berlin", "CET"),
    ("America/New_York", "EDT"),
    ("Asia/Kolkata", "IST"),
    ("Asia/Kathmandu", "Kathmandu time"),
    ("Asia/Bangkok", "Bangkok time"),
    ("America/Sao_Paulo", "Sao Paulo time"),
    ("America/Argentina/Buenos_Aires", "Buenos Aires time"),
    ("Asia/Dubai", "Dubai time"),
    ("UTC", "UTC"),
    ("Etc/GMT-5", "UTC+05:00"),
])
def test_a_zone_is_named_as_people_read_it(zone: str, label: str) -> None:
    assert zone_label(MOMENT.astimezone(ZoneInfo(zone))) == label


def test_a_fixed_offset_without_a_zone_name_reads_as_utc_plus() -> None:
    from datetime import timedelta, timezone

    assert zone_label(MOMENT.astimezone(timezone(timedelta(hours=5, minutes=45)))) \
        == "UTC+05:45"
