"""How late the reminders a killed dispatcher had claimed arrive: the workers log every claim in
``crash_claims``; right after a kill, what that process still held unsent is noted (``STRANDED``),
and each one's delay is the time from the kill to its delivery by the other process."""

from __future__ import annotations

import math
from typing import Any

import psycopg

CRASH_DELAY_LIMIT_S = 60.0
CLAIMS = """CREATE TABLE crash_claims (
    id BIGSERIAL PRIMARY KEY, reminder_id BIGINT NOT NULL, pid INT NOT NULL,
    at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp())"""
STRANDED = """SELECT r.id FROM reminders r
    JOIN LATERAL (SELECT c.pid FROM crash_claims c WHERE c.reminder_id = r.id
                  ORDER BY c.id DESC LIMIT 1) AS last_claim ON true
    WHERE r.status = 'sending' AND last_claim.pid = %s
      AND NOT EXISTS (SELECT 1 FROM crash_deliveries d WHERE d.reminder_id = r.id)"""


def crash_delays(conn: psycopg.Connection[Any], kills: list[dict[str, Any]]) -> list[float]:
    """For each reminder a killed process left claimed and unsent: seconds from the kill to
    its delivery (by the other process, once the lease ran out); never delivered: infinite."""
    delays = []
    for kill in kills:
        if not kill["stranded"]:
            continue
        arrived = dict(conn.execute(
            "SELECT reminder_id, extract(epoch FROM min(at)) FROM crash_deliveries"
            " WHERE reminder_id = ANY(%s) AND at > to_timestamp(%s) GROUP BY reminder_id",
            (kill["stranded"], kill["wall"])).fetchall())
        delays += [float(arrived[rid]) - kill["wall"] if rid in arrived else math.inf
                   for rid in kill["stranded"]]
    return delays
