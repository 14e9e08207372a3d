"""Ranking shared contacts for `cohort find`: organisation and role matter most, then sector,
then anything else the asker may see (a card's name). Only visible fields are searched."""

from __future__ import annotations

import re
from collections.abc import Sequence

from infointerview.core.cohorts.ports import Row
from infointerview.core.cohorts.visibility import visible

WEIGHTS = {"organisation": 3.0, "role": 2.0, "sector": 2.0, "name": 1.0}
_WORD = re.compile(r"[\w'-]+", re.UNICODE)


def words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text) if len(w) > 1]


def score(row: Row, wanted: list[str]) -> float:
    seen = visible(row)
    total = 0.0
    for field, weight in WEIGHTS.items():
        have = words(seen.get(field, ""))
        for word in wanted:
            if word in have:
                total += weight
            elif any(h.startswith(word) for h in have):
                total += weight / 2
    return total


def rank(rows: Sequence[Row], query: str) -> list[Row]:
    wanted = words(query)
    scored = [(score(row, wanted), row) for row in rows]
    hits = [(s, row) for s, row in scored if s > 0]
    hits.sort(key=lambda item: (-item[0], -item[1]["shared_at"].timestamp()))
    return [row for _, row in hits]
