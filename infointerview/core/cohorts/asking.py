"""Protecting the people members ask: who counts as one external person, and the cap.

A cohort of 200 can ask the same alumna ten times in a month. Within a cohort, one external
person receives at most one warm-introduction request that is pending or accepted per period
(``intro_period_days``, 28 unless a coach changes it); a declined request does not count, since
she was never asked.

Two shares are the same external person when their contacts match by normalised e-mail, by
normalised profile URL, or by name and organisation together (case and spacing aside). The cap
compares a share with each other share of the cohort (pairwise): if Amy's card has only the
e-mail and Bob's only the profile link of the same alumna, and nobody's has both, they are not
matched. The counts for a digest group shares transitively (:func:`people`), so a person is
counted once however her shares are linked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from infointerview.core.cohorts.ports import Row

DEFAULT_PERIOD_DAYS = 28
COUNTED = ("pending", "accepted")  # a declined request never reached her
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://")


def normal_email(value: str | None) -> str:
    return (value or "").strip().casefold()


def normal_url(value: str | None) -> str:
    """``https://www.LinkedIn.com/in/dana/?trk=x`` and ``linkedin.com/in/dana`` are one link."""
    text = _SCHEME.sub("", (value or "").strip().lower())
    text = text.removeprefix("www.")
    text = re.split(r"[?#]", text, maxsplit=1)[0]
    return text.rstrip("/")


def _words(value: str | None) -> str:
    return " ".join((value or "").casefold().split())


def identity(row: Row) -> frozenset[str]:
    """What identifies a shared contact's person: e-mail, profile link, name with organisation
    (each only when given; a name alone is too common to match on)."""
    keys = set()
    if email := normal_email(row["email"]):
        keys.add(f"email:{email}")
    if url := normal_url(row["profile_url"]):
        keys.add(f"url:{url}")
    name, organisation = _words(row["name"]), _words(row["organisation"])
    if name and organisation:
        keys.add(f"name:{name}|{organisation}")
    return frozenset(keys)


def same_person(one: Row, other: Row) -> bool:
    return bool(identity(one) & identity(other))


def matching(share: Row, shares: Iterable[Row]) -> set[int]:
    """The ids of the shares (this one included) of the same person as ``share``."""
    return {int(s["share_id"]) for s in shares
            if s["share_id"] == share["share_id"] or same_person(share, s)}


def free_from(requests: Iterable[Row], period: timedelta, now: datetime) -> datetime | None:
    """When the person may be asked again, given the requests made for her shares
    (``status, created_at``); None when she may be asked now."""
    recent = [r["created_at"] for r in requests
              if r["status"] in COUNTED and now - r["created_at"] < period]
    return max(recent) + period if recent else None


def people(shares: Sequence[Row]) -> dict[int, int]:
    """Each share id to one id standing for its person (the lowest share id among the shares
    linked to it, transitively): for counting, never shown."""
    parent = {int(s["share_id"]): int(s["share_id"]) for s in shares}

    def root(share_id: int) -> int:
        while parent[share_id] != share_id:
            parent[share_id] = parent[parent[share_id]]
            share_id = parent[share_id]
        return share_id

    first_with: dict[str, int] = {}
    for share in shares:
        for key in identity(share):
            other = first_with.setdefault(key, int(share["share_id"]))
            low, high = sorted((root(other), root(int(share["share_id"]))))
            parent[high] = low
    return {share_id: root(share_id) for share_id in parent}


def per_contact(shares: Sequence[Row], requests: Iterable[Row]) -> list[Row]:
    """Requests (``share_id, status, created_at``) counted per share that had any, with its
    person's id from :func:`people`: ``share_id, person, requests, open_requests,
    last_asked_at``. Numbers only: no name, e-mail or link leaves this function."""
    person_of = people(shares)
    asked: dict[int, list[Row]] = {}
    for request in requests:
        if int(request["share_id"]) in person_of:
            asked.setdefault(int(request["share_id"]), []).append(request)
    return [{"share_id": share_id, "person": person_of[share_id], "requests": len(rows),
             "open_requests": sum(r["status"] in COUNTED for r in rows),
             "last_asked_at": max(r["created_at"] for r in rows)}
            for share_id, rows in sorted(asked.items())]


def asked_more_than_once(per_contact_rows: Iterable[Row]) -> int:
    """How many people were asked more than once (rows of :func:`per_contact`)."""
    by_person: dict[int, int] = {}
    for row in per_contact_rows:
        by_person[row["person"]] = by_person.get(row["person"], 0) + int(row["requests"])
    return sum(1 for n in by_person.values() if n > 1)
