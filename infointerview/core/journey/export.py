"""``export``: everything a person entered or chose, as JSON (schema: docs/export.md) and CSV.

GDPR articles 15 (access) and 20 (portability). The journey's part comes from the person's
state; what they chose in cohorts (memberships, shares, introductions) is read through
``Ctx.cohort_data``, which the engine fills in, so this module stays free of storage.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from typing import Any

from infointerview.core.journey.context import Ctx
from infointerview.core.journey.state import Contact
from infointerview.core.model import Attachment, Message

SCHEMA = "infointerview-export/2"


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def contact_record(ctx: Ctx, contact: Contact) -> dict[str, Any]:
    return {
        "number": contact.no, "name": contact.name, "role": contact.role,
        "organisation": contact.organisation, "sector": contact.sector.value,
        "channel": contact.channel.value, "how_found": contact.how_found.value,
        "found_detail": contact.found_detail, "email": contact.email,
        "profile_url": contact.profile_url, "reason": contact.reason,
        "stage": contact.stage.value, "referred_by": contact.referred_by_no,
        "draft_length": contact.draft_length,
        "outreach_edited": contact.outreach_custom, "their_time_zone": contact.contact_tz,
        "proposed_windows": list(contact.windows), "meeting_at": _iso(contact.meeting_at),
        # the agreed time as the person typed it: in their time zone
        "meeting_local": _iso(ctx.local(contact.meeting_at)) if contact.meeting_at else None,
        "duration_minutes": contact.duration_min,
        "mode": contact.mode.value if contact.mode else None, "mode_detail": contact.mode_detail,
        "questions": [ctx.bank.item_text(item) for item in contact.agenda],
        "own_questions": [item.partition(":")[2] for item in contact.agenda
                          if item.startswith("c:")],
        "notes": [{"number": n.no, "text": n.text, "starred": n.starred, "at": _iso(n.at),
                   "to_them": n.to_them} for n in contact.notes],
        "applied_to": contact.applied_to,
        **{name: _iso(getattr(contact, name)) for name in (
            "created_at", "outreach_sent_at", "replied_at", "follow_up_sent_at",
            "interview_started_at", "interviewed_at", "thanked_at", "connected_at", "applied_at",
            "second_thanked_at", "last_contact_at")},
    }


def export_data(ctx: Ctx) -> dict[str, Any]:
    p, s = ctx.state.profile, ctx.state.settings
    contacts = list(ctx.state.contacts.values())
    return {
        "schema": SCHEMA,
        "exported_at": ctx.now.isoformat(),
        "display_name": ctx.state.display_name,
        "profile": {"name": p.name, "programme": p.programme, "institution": p.institution,
                    "interests": p.interests, "introduction": p.intro},
        "settings": {"time_zone": s.tz, "quiet_hours": [s.quiet_start, s.quiet_end],
                     "weekdays_only": s.weekdays_only, "weekly_summary": s.weekly_summary,
                     "reminders_paused_until": _iso(s.paused_until)},
        "contacts": [contact_record(ctx, c) for c in contacts],
        "applications": [{"organisation": c.applied_to or c.organisation,
                          "applied_at": _iso(c.applied_at), "contact": c.no}
                         for c in contacts if c.applied_at is not None],
        # memberships, shares, intro requests made and answered (see docs/export.md)
        **ctx.cohort_data(),
    }


CSV_COLUMNS = ("number", "name", "role", "organisation", "sector", "stage", "channel",
               "how_found", "found_detail", "email", "profile_url", "reason", "draft_length",
               "outreach_edited", "their_time_zone", "proposed_windows", "meeting_local",
               "duration_minutes", "mode", "mode_detail", "questions", "applied_to",
               "applied_at", "interviewed_at", "thanked_at", "shared_with", "notes")
_LISTS = {"proposed_windows", "questions"}  # one cell, a line each


def spreadsheet_cell(value: Any) -> Any:
    """A cell starting with = + - @ would run as a formula in a spreadsheet: make it text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


def export_csv(records: list[dict[str, Any]], shares: list[dict[str, Any]]) -> bytes:
    """One row per contact; ``shared_with`` names each cohort it is shared with and how."""
    shared: dict[int, list[str]] = {}
    for item in shares:
        shared.setdefault(item["contact"], []).append(
            f"{item['cohort']} ({item['visibility']}{', with e-mail' if item['email'] else ''})")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for record in records:
        cells = {**record, "shared_with": "; ".join(shared.get(record["number"], [])),
                 "notes": "\n".join(("* " if n["starred"] else "") + n["text"]
                                    for n in record["notes"])}
        for name in _LISTS:
            cells[name] = "\n".join(cells[name])
        writer.writerow([spreadsheet_cell(cells[c]) for c in CSV_COLUMNS])
    return out.getvalue().encode("utf-8")


def export_name(now: datetime, extension: str) -> str:
    return f"infointerview-{now:%Y%m%d}.{extension}"


def export_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def cmd_export(ctx: Ctx, args: str) -> None:
    data = export_data(ctx)
    attachments = [
        Attachment(export_name(ctx.now, "json"), "application/json", export_json(data)),
        Attachment(export_name(ctx.now, "csv"), "text/csv",
                   export_csv(data["contacts"], data.get("shares", []))),
    ]
    ctx.private(Message(tuple(ctx.blocks("pipeline/export.j2",
                                         contacts=len(data["contacts"]))), (),
                        tuple(attachments)))
