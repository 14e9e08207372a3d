"""What a due reminder says. A reminder whose moment has passed (the step was done) says nothing."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from core.journey import drafts
from core.journey.agenda import agenda_lines
from core.journey.cards import THANK_YOU_WINDOW, button, card_buttons
from core.journey.context import Ctx
from core.journey.state import Stage

# The stages in which each kind of reminder still makes sense.
STILL_RELEVANT: dict[str, frozenset[Stage]] = {
    "no_reply_nudge": frozenset({Stage.OUTREACH_SENT}),
    "no_reply_follow_up": frozenset({Stage.OUTREACH_SENT, Stage.NO_REPLY}),
    "no_reply_park": frozenset({Stage.FOLLOW_UP_SENT}),
    "prep_day": frozenset({Stage.SCHEDULED, Stage.PREPARED}),
    "prep_hour": frozenset({Stage.SCHEDULED, Stage.PREPARED}),
    "interview_wrap": frozenset({Stage.SCHEDULED, Stage.PREPARED}),
    "thank_you": frozenset({Stage.INTERVIEWED}),
    "thank_you_last": frozenset({Stage.INTERVIEWED}),
    "linkedin": frozenset({Stage.THANKED}),
    "keep_in_touch": frozenset({Stage.CONNECTED, Stage.KEEPING_IN_TOUCH, Stage.THANKED}),
}
LATE_AFTER = timedelta(hours=2)


def on_reminder(ctx: Ctx, kind: str, contact_no: int | None, due_at: datetime) -> None:
    contact = ctx.state.contacts.get(contact_no) if contact_no is not None else None
    relevant = STILL_RELEVANT.get(kind)
    if contact is None or relevant is None or contact.stage not in relevant:
        return
    late = ctx.now - due_at > LATE_AFTER
    extra = []
    buttons = list(card_buttons(contact))
    values: dict[str, Any] = {"contact": contact, "late": late, "kind": kind}
    if kind.startswith("thank_you"):
        due = (contact.interviewed_at or ctx.now) + THANK_YOU_WINDOW
        values.update(due=ctx.fmt(due), past=ctx.now > due, last_call=kind == "thank_you_last")
        extra.append(drafts.thank_you(ctx, contact))
        buttons = list(card_buttons(contact, "thanked"))
    elif kind == "no_reply_follow_up":
        extra.append(drafts.follow_up(ctx, contact))
        buttons = [button("follow_up_sent", contact), button("replied", contact),
                   button("park", contact)]
    elif kind in ("prep_day", "prep_hour"):
        values.update(when=ctx.fmt(contact.meeting_at), items=agenda_lines(ctx, contact),
                      intro=ctx.state.profile.intro, detail=contact.mode_detail)
        buttons = list(card_buttons(contact, "start_interview", "questions"))
    elif kind == "interview_wrap":
        if ctx.state.session.interview_no != contact.no:
            return  # the interview is not running any more
        buttons = list(card_buttons(contact, "add_referral", "end_interview"))
    elif kind == "linkedin":
        extra.append(drafts.linkedin_note(ctx, contact))
        buttons = list(card_buttons(contact, "connected"))
    elif kind == "keep_in_touch":
        buttons = list(card_buttons(contact, "logged_contact"))
    ctx.dm(ctx.message(f"nudges/{kind}.j2", extra=extra, buttons=buttons, **values))
