"""A person's cohort data for their export (docs/export.md): memberships, what they shared and
how, and the warm introductions they asked for or answered. Never another person's contacts
beyond what the person could see, and never who asked them or why."""

from __future__ import annotations

from typing import Any

from infointerview.core.cohorts.ports import CohortRepository
from infointerview.core.cohorts.visibility import visible


def _iso(value: Any) -> Any:
    return value.isoformat() if value is not None else None


def personal_data(store: CohortRepository) -> dict[str, Any]:
    user_pk = store.me
    return {
        "cohorts": [{"name": m["name"], "channel": m["channel_id"], "role": m["role"],
                     "paused": m["paused"], "shoutouts": m["shoutouts"],
                     "joined_at": _iso(m["joined_at"])}
                    for m in store.memberships_of(user_pk)],
        "shares": [{"contact": s["contact_no"], "cohort": s["cohort_name"],
                    "visibility": s["visibility"], "email": s["share_email"],
                    "consent": s["consent"],
                    "shared_at": _iso(s["shared_at"])}
                   for s in store.shares_of(user_pk, active_only=False)],
        "intro_requests_made": [
            {"cohort": r["cohort_name"], "reason": r["reason"], "status": r["status"],
             "asked_at": _iso(r["created_at"]), "decided_at": _iso(r["decided_at"]),
             "contact": visible(r, revealed=r["status"] == "accepted")}
            for r in store.intros_asked_by(user_pk)],
        "intro_requests_received": [
            {"contact": r["contact_no"], "cohort": r["cohort_name"], "status": r["status"],
             "asked_at": _iso(r["created_at"]), "decided_at": _iso(r["decided_at"])}
            for r in store.intros_asked_of(user_pk)],
    }
