"""The members table of a coach's page, sorted on the server: links in the column headers
sort it, so it works without JavaScript."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from infointerview.adapters.web.ports import MemberLineLike

NEVER = datetime.min.replace(tzinfo=UTC)


def _rate(line: MemberLineLike) -> float:
    """"75%" → 75; "—" (no interview yet) sorts below every rate."""
    try:
        return float(line.thank_you_rate.rstrip("%"))
    except ValueError:
        return -1.0


SORTS: dict[str, Callable[[MemberLineLike], Any]] = {
    "name": lambda line: line.name.casefold(),
    "interviews": lambda line: line.interviews,
    "rate": _rate,
    "last_active": lambda line: line.last_active or NEVER,
}
COLUMNS = (("name", "Member"), ("interviews", "Interviews"), ("rate", "Thank-you on time"),
           ("last_active", "Last active"))


@dataclass(frozen=True, slots=True)
class Header:
    key: str
    label: str
    href: str  # the query that sorts by this column (the other way when it is the current one)
    aria_sort: str  # "ascending", "descending" or "none"


def sort_members(lines: Sequence[MemberLineLike], sort: str,
                 direction: str) -> list[MemberLineLike]:
    by_name = sorted(lines, key=SORTS["name"])  # ties stay in name order
    return sorted(by_name, key=SORTS[sort], reverse=direction == "desc")


def header_links(sort: str, direction: str) -> list[Header]:
    headers = []
    for key, label in COLUMNS:
        current = key == sort
        # a first click on a number sorts the largest first; on a name, A to Z
        first = "asc" if key == "name" else "desc"
        next_direction = ("desc" if direction == "asc" else "asc") if current else first
        headers.append(Header(
            key, label, "?" + urlencode({"sort": key, "dir": next_direction}) + "#members",
            ("ascending" if direction == "asc" else "descending") if current else "none"))
    return headers
