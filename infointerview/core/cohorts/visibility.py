"""What another member may see of a shared contact, decided in one place."""

from __future__ import annotations

from infointerview.core.cohorts.ports import Row

CARD = "card"
INTRO = "intro"


def visible(row: Row, *, revealed: bool = False) -> dict[str, str]:
    """What another member may see of a shared contact: never notes; name and profile link only
    on a card (or after an accepted intro); e-mail only if its owner ticked it and said the
    contact agreed to be introduced (a share from before consent was asked shows none)."""
    seen = {"role": row["role"] or "", "organisation": row["organisation"] or "",
            "sector": row["sector"] or ""}
    if row["visibility"] == CARD or revealed:
        seen |= {"name": row["name"], "profile_url": row["profile_url"] or "",
                 "owner": row["owner_name"] or row["owner_display"] or ""}
        if row["share_email"] and row["consent"] and row["email"]:
            seen["email"] = row["email"]
    return seen
