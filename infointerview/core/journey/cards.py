"""Finding a contact from what the person typed, and showing a contact with its next steps."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from infointerview.core.forms import parse_number
from infointerview.core.journey.catalog.actions import ACTIONS, STAGES, allowed
from infointerview.core.journey.context import Ctx
from infointerview.core.journey.drafts import outreach_too_long
from infointerview.core.journey.state import Contact, Stage, UserState
from infointerview.core.model import Button, ButtonStyle, FieldsBlock, Message

THANK_YOU_WINDOW = timedelta(hours=48)
FOLLOW_UP_AFTER = timedelta(days=7)

# The buttons worth showing on a card in each stage, most useful first.
CARD_BUTTONS: dict[Stage, tuple[str, ...]] = {
    Stage.IDENTIFIED: ("draft", "edit", "park"),
    Stage.OUTREACH_DRAFTED: ("mark_sent", "shorter", "longer", "edit_draft", "edit"),
    Stage.OUTREACH_SENT: ("replied", "no_reply", "follow_up", "park"),
    Stage.REPLIED: ("propose", "schedule", "questions"),
    Stage.SCHEDULED: ("questions", "prepared", "calendar", "start_interview"),
    Stage.PREPARED: ("start_interview", "questions", "calendar"),
    Stage.INTERVIEWED: ("thank_you", "thanked", "add_referral"),
    Stage.THANKED: ("linkedin", "connected", "keep_in_touch"),
    Stage.CONNECTED: ("keep_in_touch", "logged_contact"),
    Stage.KEEPING_IN_TOUCH: ("logged_contact", "card"),
    Stage.NO_REPLY: ("follow_up", "follow_up_sent", "replied", "park"),
    Stage.FOLLOW_UP_SENT: ("replied", "park"),
    Stage.PARKED: ("reopen", "someone_else"),
}
PRIMARY = frozenset({"draft", "mark_sent", "replied", "schedule", "prepared", "start_interview",
                     "thanked", "connected", "follow_up_sent", "end_interview"})


def button(action: str, contact: Contact, label: str | None = None, extra: str = "") -> Button:
    style = ButtonStyle.PRIMARY if action in PRIMARY else ButtonStyle.DEFAULT
    if action == "park":
        style = ButtonStyle.DANGER
    value = f"{contact.no}:{extra}" if extra else str(contact.no)
    return Button(action, label or ACTIONS[action].label, value, style)


def card_buttons(contact: Contact, *actions: str) -> tuple[Button, ...]:
    chosen = actions or CARD_BUTTONS[contact.stage]
    if outreach_too_long(contact):  # an edited LinkedIn note over the limit cannot be sent
        chosen = tuple(a for a in chosen if a != "mark_sent")
    return tuple(button(a, contact) for a in chosen if offered(a, contact))


def offered(action: str, contact: Contact) -> bool:
    """Whether a contact's button for ``action`` makes sense now: allowed in its stage, and
    with what the catalogue says the action needs."""
    if ACTIONS[action].needs_organisation and not contact.organisation.strip():
        return False
    return allowed(action, contact.stage)


def resolve(state: UserState, ref: str) -> Contact | None:
    """A contact by number (``2``, ``#2``) or by the start of their name."""
    ref = ref.strip()
    if not ref:
        return None
    number = parse_number(ref)
    if number is not None:
        return state.contacts.get(number)
    lowered = ref.lower()
    matches = [c for c in state.contacts.values() if c.name.lower().startswith(lowered)]
    if not matches:
        matches = [c for c in state.contacts.values() if lowered in c.name.lower()]
    return matches[0] if len(matches) == 1 else None


def split_ref(state: UserState, args: str) -> tuple[Contact | None, str, bool]:
    """Split ``"2 rest of text"`` into the contact, the rest, and whether the first word was a
    contact number at all (a number naming nobody must not fall back to another contact)."""
    first, _, rest = args.strip().partition(" ")
    number = parse_number(first)
    if number is not None:
        return state.contacts.get(number), rest.strip(), True
    digits = first.removeprefix("#")
    if digits.isascii() and digits.isdigit():  # too long for any contact's number: nobody
        return None, rest.strip(), True
    return None, args.strip(), False


def focus(state: UserState) -> Contact | None:
    conversation = state.conversation
    for no in (conversation.interview_no, conversation.focus_no):
        if no is not None and no in state.contacts:
            return state.contacts[no]
    return None


@dataclass(frozen=True, slots=True)
class Due:
    """What is due for a contact and when; past ``until`` it is overdue and reads differently."""

    what: str  # "thank-you due"
    at: datetime  # the time named while it is not overdue
    until: datetime
    late: str  # "thank-you was due"
    late_at: datetime
    late_after: str = ""

    def overdue(self, now: datetime) -> bool:
        return now > self.until

    def label_and_time(self, ctx: Ctx) -> tuple[str, str]:
        """("thank-you due", "Fri 17 Apr…"), or ("overdue", "thank-you was due Fri 17 Apr…")."""
        if self.overdue(ctx.now):
            return "overdue", f"{self.late} {ctx.fmt(self.late_at)}{self.late_after}"
        return self.what, ctx.fmt(self.at)

    def phrase(self, ctx: Ctx) -> str:
        label, text = self.label_and_time(ctx)
        return f"{label}: {text}" if self.overdue(ctx.now) else f"{label} {text}"


def due_date(contact: Contact, zone: ZoneInfo) -> Due | None:
    """What is due for a contact, if anything has a date; days are counted on the person's
    wall clock (``zone``), as the reminders count them."""
    if contact.stage is Stage.INTERVIEWED and contact.interviewed_at:
        due = contact.interviewed_at + THANK_YOU_WINDOW
        return Due("thank-you due", due, due, "thank-you was due", due, "; still worth sending")
    if contact.stage in (Stage.SCHEDULED, Stage.PREPARED) and contact.meeting_at:
        end = contact.meeting_at + timedelta(minutes=contact.duration_min)
        return Due("interview", contact.meeting_at, end, "interview was planned for",
                   contact.meeting_at, "; start it, or reschedule")
    if contact.stage is Stage.OUTREACH_SENT and contact.outreach_sent_at:
        follow_up = contact.outreach_sent_at.astimezone(zone) + FOLLOW_UP_AFTER
        return Due("follow up if no reply by", follow_up, follow_up,
                   "no reply since you wrote on", contact.outreach_sent_at,
                   "; time for a polite follow-up")
    return None


def due_and_overdue(contacts: Iterable[Contact], zone: ZoneInfo, now: datetime,
                    within: timedelta) -> tuple[list[tuple[Contact, Due]],
                                                list[tuple[Contact, Due]]]:
    """What falls due within ``within`` of ``now``, and what is overdue (missed: never "coming
    up"), each in the contacts' order: the weekly summary's split, and the web page's."""
    due, overdue = [], []
    for contact in contacts:
        when = due_date(contact, zone)
        if when is None:
            continue
        if when.overdue(now):
            overdue.append((contact, when))
        elif when.at <= now + within:
            due.append((contact, when))
    return due, overdue


def card(ctx: Ctx, contact: Contact, *actions: str) -> Message:
    spec = STAGES[contact.stage]
    fields: list[tuple[str, str]] = [("Stage", spec.label), ("Next", spec.next_action)]
    due = due_date(contact, ctx.zone)
    if due:
        label, text = due.label_and_time(ctx)
        fields.append((label.capitalize(), text))
    if contact.applied_at:
        fields.append(("Applied", f"to {contact.organisation or 'their organisation'} on "
                                  f"{ctx.fmt(contact.applied_at)}"))
    head = ctx.blocks("contacts/card.j2", contact=contact,
                      referrer=_referrer_name(ctx.state, contact))
    buttons = card_buttons(contact, *actions)
    if ctx.state.conversation.in_cohort and not actions:
        buttons += (Button("share_contact", "Share with cohort", str(contact.no)),)
    return Message((*head, FieldsBlock(tuple(fields))), buttons)


def _referrer_name(state: UserState, contact: Contact) -> str:
    if contact.referred_by_no is not None and contact.referred_by_no in state.contacts:
        return state.contacts[contact.referred_by_no].name
    return contact.found_detail
