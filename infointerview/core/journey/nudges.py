"""What a due reminder says, and the done / snooze / skip buttons every reminder carries.

A reminder whose moment has passed (the step was done) says nothing; one that falls in the
person's quiet hours (their settings may have changed since it was scheduled) waits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from infointerview.core.forms import parse_number
from infointerview.core.journey import drafts, someone_else
from infointerview.core.journey.agenda import agenda_lines
from infointerview.core.journey.cards import (
    THANK_YOU_WINDOW,
    button,
    due_and_overdue,
    offered,
)
from infointerview.core.journey.catalog.actions import STAGES, allowed
from infointerview.core.journey.catalog.reminders import (
    CONTACT_KINDS,
    JOURNEY_KINDS,
    REMINDER_KINDS,
    WEEKLY_SUMMARY,
    Content,
    Deadline,
    reminder_key,
)
from infointerview.core.journey.context import Ctx
from infointerview.core.journey.state import Contact, Stage
from infointerview.core.journey.timing import next_monday_morning, next_morning
from infointerview.core.model import Button, ButtonStyle

# Snoozes a reminder may offer, by the value its button carries; which ones a kind offers is
# its catalogue entry's, and one is shown only when it comes back before the kind's deadline
# (the meeting's start, its planned end, the 48 hours for the thank-you).
SNOOZE_LABELS = {"5m": "In 5 minutes", "15m": "In 15 minutes", "1h": "Snooze 1 hour",
                 "morning": "Tomorrow morning", "week": "Next week"}
_SNOOZE_AFTER = {"5m": timedelta(minutes=5), "15m": timedelta(minutes=15),
                 "1h": timedelta(hours=1)}
LATE_AFTER = timedelta(hours=2)
WEEK = timedelta(days=7)


def relevant(ctx: Ctx, kind: str, contact: Contact) -> bool:
    """Whether a reminder of this kind still makes sense for the contact as it is now."""
    spec = REMINDER_KINDS.get(kind)
    if spec is None or contact.stage not in spec.relevant_in:
        return False
    # once the conversation has begun (even early), preparing for it is past
    return not (spec.ends_when_interview_starts
                and ctx.state.conversation.interview_no == contact.no)


def cancel_irrelevant(ctx: Ctx, contact: Contact) -> None:
    """Cancel this contact's reminders that its new stage has made pointless, except those
    this very event has just asked for."""
    scheduled = ctx.scheduled_keys()
    for spec in CONTACT_KINDS:
        key = spec.key(contact.no)
        if key not in scheduled and not relevant(ctx, spec.name, contact):
            ctx.cancel(key)


def _deadline(kind: str, contact: Contact | None) -> datetime | None:
    spec = REMINDER_KINDS.get(kind)
    if contact is None or spec is None:
        return None
    if spec.deadline is Deadline.MEETING:
        return contact.meeting_at
    if spec.deadline is Deadline.INTERVIEW_END:
        started = contact.interview_started_at or contact.meeting_at
        return started + timedelta(minutes=contact.duration_min) if started else None
    if spec.deadline is Deadline.THANK_YOU and contact.interviewed_at is not None:
        return contact.interviewed_at + THANK_YOU_WINDOW
    return None


def _snoozed_until(ctx: Ctx, period: str) -> datetime:
    if period in _SNOOZE_AFTER:
        return ctx.now + _SNOOZE_AFTER[period]
    if period == "morning":
        return next_morning(ctx.now, ctx.zone)
    return next_monday_morning(ctx.now, ctx.zone)


def reminder_buttons(ctx: Ctx, kind: str, contact: Contact | None,
                     more: Sequence[Button] = ()) -> list[Button]:
    """Done, the kind's offers, then ``more`` (what the content adds), snoozes and Skip."""
    ref = f"{contact.no if contact else 0}:{kind}"
    deadline = _deadline(kind, contact)
    buttons = [Button("reminder_done", "Done", ref, ButtonStyle.PRIMARY)]
    if contact is not None:
        buttons += [button(action, contact) for action in REMINDER_KINDS[kind].offers
                    if offered(action, contact)]
    buttons += more
    buttons += [Button("snooze", SNOOZE_LABELS[period], f"{ref}:{period}")
                for period in REMINDER_KINDS[kind].snoozes
                if deadline is None or ctx.availability.deliverable_at(
                    _snoozed_until(ctx, period), kind) <= deadline]
    buttons.append(Button("skip_reminder", "Skip", ref))
    return buttons


def on_reminder(ctx: Ctx, kind: str, contact_no: int | None, due_at: datetime) -> None:
    key = reminder_key(kind, contact_no)
    available = ctx.availability.deliverable_at(ctx.now, kind)
    if available > ctx.now:
        ctx.schedule(key, kind, available, _contact(ctx, contact_no), exact=True)
        return  # quiet hours, a weekend or a pause: it waits, nothing is sent now
    if kind == WEEKLY_SUMMARY.name:
        weekly_summary(ctx)
        return
    contact = _contact(ctx, contact_no)
    if contact is None or not relevant(ctx, kind, contact):
        return
    spec = REMINDER_KINDS[kind]
    if spec.needs_running_interview and ctx.state.conversation.interview_no != contact.no:
        return  # the interview is not running any more
    late = ctx.now - due_at > LATE_AFTER
    extra = []
    more: tuple[Button, ...] = ()
    values: dict[str, Any] = {"contact": contact, "late": late, "kind": kind,
                              "delay": _delay(ctx.now - due_at)}
    if spec.content is Content.THANK_YOU:
        due = (contact.interviewed_at or ctx.now) + THANK_YOU_WINDOW
        values.update(due=ctx.fmt(due), past=ctx.now > due, last_call=spec.last_call)
        extra.append(drafts.thank_you(ctx, contact, late=ctx.now > due))
    elif spec.content is Content.FOLLOW_UP:
        extra.append(drafts.follow_up(ctx, contact))
    elif spec.content is Content.AGENDA:
        values.update(when=ctx.fmt(contact.meeting_at), items=agenda_lines(ctx, contact),
                      intro=ctx.state.profile.intro, detail=contact.mode_detail)
    elif spec.content is Content.LINKEDIN:
        extra.append(drafts.linkedin_note(ctx, contact))
    elif spec.content is Content.SOMEONE_ELSE:
        shared, more = someone_else.suggestion(ctx, contact)
        values.update(shared)
    ctx.dm(ctx.message(spec.template, extra=extra,
                       buttons=reminder_buttons(ctx, kind, contact, more), **values))


def _contact(ctx: Ctx, contact_no: int | None) -> Contact | None:
    return ctx.state.contacts.get(contact_no) if contact_no is not None else None


def _delay(late: timedelta) -> str:
    hours = int(late.total_seconds() // 3600)
    if hours < 2:
        return ""
    return f"{hours // 24} days" if hours >= 48 else f"{hours} hours"


# --- the buttons on every reminder ---------------------------------------------------------------


def _parse(ctx: Ctx, value: str) -> tuple[Contact | None, str, str] | None:
    number, _, rest = value.partition(":")
    kind, _, extra = rest.partition(":")
    no = parse_number(number)
    if no is None or kind not in JOURNEY_KINDS:
        return None
    return _contact(ctx, no), kind, extra


def reminder_done(ctx: Ctx, value: str, run_action: Any) -> None:
    parsed = _parse(ctx, value)
    if parsed is None:
        ctx.say(ctx.message("common/stale_button.j2"))
        return
    contact, kind, _ = parsed
    action = REMINDER_KINDS[kind].done_action
    if contact is not None and action is not None and allowed(action, contact.stage):
        run_action(ctx, action, contact, "")
        return
    ctx.say(ctx.message("nudges/acknowledged.j2", contact=contact))


def snooze(ctx: Ctx, value: str) -> None:
    parsed = _parse(ctx, value)
    if parsed is None or parsed[2] not in SNOOZE_LABELS:
        ctx.say(ctx.message("common/stale_button.j2"))
        return
    contact, kind, period = parsed
    when = _snoozed_until(ctx, period)
    ctx.schedule(reminder_key(kind, contact.no if contact else None), kind, when, contact)
    moved = ctx.availability.deliverable_at(when, kind)
    ctx.say(ctx.message("nudges/snoozed.j2", contact=contact, when=ctx.fmt(moved)))


def skip(ctx: Ctx, value: str) -> None:
    parsed = _parse(ctx, value)
    if parsed is None:
        ctx.say(ctx.message("common/stale_button.j2"))
        return
    contact, kind, _ = parsed
    for member in REMINDER_KINDS[kind].series:
        ctx.cancel(reminder_key(member, contact.no if contact else None))
    ctx.say(ctx.message("nudges/skipped.j2", contact=contact))


# --- the weekly summary (opt-in) -----------------------------------------------------------------


def schedule_weekly(ctx: Ctx) -> None:
    if ctx.state.settings.weekly_summary:
        ctx.remind(WEEKLY_SUMMARY, next_monday_morning(ctx.now, ctx.zone), None)
    else:
        ctx.cancel(WEEKLY_SUMMARY.key(None))


def weekly_summary(ctx: Ctx) -> None:
    if not ctx.state.settings.weekly_summary:
        return
    coming, missed = due_and_overdue(ctx.state.contacts.values(), ctx.zone, ctx.now, WEEK)
    due = [{"contact": contact, "what": when.phrase(ctx)} for contact, when in coming]
    overdue = [{"contact": contact, "what": when.label_and_time(ctx)[1]}
               for contact, when in missed]
    waiting = [c for c in ctx.state.contacts.values()
               if c.stage in (Stage.IDENTIFIED, Stage.OUTREACH_DRAFTED, Stage.REPLIED)]
    ctx.dm(ctx.message(WEEKLY_SUMMARY.template, due=due, overdue=overdue,
                       waiting=[(c, STAGES[c.stage].next_action) for c in waiting],
                       buttons=[Button("list", "Open my list"),
                                Button("settings", "Reminder settings")]))
    ctx.remind(WEEKLY_SUMMARY, next_monday_morning(ctx.now, ctx.zone), None)
