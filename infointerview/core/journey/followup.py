"""Follow-up: the thank-you inside 48 hours, the LinkedIn note, keeping in touch, applications."""

from __future__ import annotations

from datetime import timedelta

from infointerview.core.journey import drafts
from infointerview.core.journey.cards import THANK_YOU_WINDOW, button, card_buttons, focus, resolve
from infointerview.core.journey.catalog import reminders as kinds
from infointerview.core.journey.catalog.actions import AFTER_INTERVIEW, allowed
from infointerview.core.journey.context import Ctx
from infointerview.core.journey.forms_catalog import SHORT_MAX, applied_form
from infointerview.core.journey.state import Contact, Stage

LINKEDIN_NUDGE = timedelta(days=3)
KEEP_IN_TOUCH = timedelta(days=90)


def act_thank_you(ctx: Ctx, contact: Contact, value: str) -> None:
    due = contact.interviewed_at + THANK_YOU_WINDOW if contact.interviewed_at else None
    late = due is not None and ctx.now > due
    ctx.private(ctx.message(
        "followup/thank_you.j2", contact=contact, due=ctx.fmt(due),
        late=late and contact.stage is Stage.INTERVIEWED,
        has_notes=bool(contact.notes), extra=[drafts.thank_you(ctx, contact, late=late)],
        buttons=card_buttons(contact, "thanked", "linkedin"),
    ))


def act_thanked(ctx: Ctx, contact: Contact, value: str) -> None:
    contact.thanked_at = ctx.now
    contact.last_contact_at = ctx.now
    ctx.unremind(contact, kinds.THANK_YOU, kinds.THANK_YOU_LAST)
    on_time = contact.interviewed_at is not None and \
        ctx.now - contact.interviewed_at <= THANK_YOU_WINDOW
    ctx.remind(kinds.LINKEDIN, ctx.days_later(LINKEDIN_NUDGE.days), contact)
    ctx.private(ctx.message(
        "followup/thanked.j2", contact=contact, on_time=on_time,
        extra=[drafts.linkedin_note(ctx, contact)],
        buttons=card_buttons(contact, "connected", "keep_in_touch"),
    ))


def act_linkedin(ctx: Ctx, contact: Contact, value: str) -> None:
    ctx.private(ctx.message("followup/linkedin.j2", contact=contact,
                            extra=[drafts.linkedin_note(ctx, contact)],
                            buttons=card_buttons(contact, "connected")))


def _keep_in_touch_from(ctx: Ctx, contact: Contact) -> None:
    ctx.remind(kinds.KEEP_IN_TOUCH, ctx.days_later(KEEP_IN_TOUCH.days), contact)


def act_connected(ctx: Ctx, contact: Contact, value: str) -> None:
    contact.connected_at = ctx.now
    ctx.unremind(contact, kinds.LINKEDIN)
    _keep_in_touch_from(ctx, contact)
    ctx.say(ctx.message("followup/connected.j2", contact=contact,
                        buttons=card_buttons(contact, "keep_in_touch")))


def act_keep_in_touch(ctx: Ctx, contact: Contact, value: str) -> None:
    _keep_in_touch_from(ctx, contact)
    ctx.say(ctx.message("followup/keeping.j2", contact=contact,
                        next=ctx.fmt(ctx.days_later(KEEP_IN_TOUCH.days))))


def act_logged_contact(ctx: Ctx, contact: Contact, value: str) -> None:
    contact.last_contact_at = ctx.now
    _keep_in_touch_from(ctx, contact)
    ctx.say(ctx.message("followup/logged.j2", contact=contact,
                        next=ctx.fmt(ctx.days_later(KEEP_IN_TOUCH.days))))


def cmd_thanks(ctx: Ctx, args: str) -> None:
    contact = resolve(ctx.state, args) if args.strip() else None
    if contact is None and not args.strip():
        waiting = [c for c in ctx.state.contacts.values() if c.stage is Stage.INTERVIEWED]
        contact = waiting[-1] if waiting else focus(ctx.state)
    if contact is None:
        ctx.say(ctx.message("common/which_contact.j2", command="thanks"))
        return
    if not allowed("thank_you", contact.stage):
        ctx.say(ctx.message("common/not_now.j2", contact=contact, what="draft a thank-you"))
        return
    act_thank_you(ctx, contact, "")


def same_organisation(a: str, b: str) -> bool:
    """Whether two organisations as people typed them are one: case and spaces aside, or one
    name inside the other ("Northwind" and "Northwind Biologics Ltd")."""
    a, b = a.casefold().strip(), b.casefold().strip()
    return bool(a and b) and (a == b or a in b or b in a)


def cmd_applied(ctx: Ctx, args: str) -> None:
    organisation = " ".join(args.split())
    if not organisation:
        ctx.form(applied_form())
        return
    if len(organisation) > SHORT_MAX:
        ctx.say(ctx.message("followup/applied_too_long.j2", limit=SHORT_MAX, text=organisation))
        return
    met = [c for c in ctx.state.contacts.values()
           if c.stage in AFTER_INTERVIEW and same_organisation(c.organisation, organisation)]
    if not met:
        ctx.say(ctx.message("followup/applied_nobody.j2", organisation=organisation))
        return
    blocks = []
    for contact in met:
        contact.applied_at = ctx.now
        contact.applied_to = organisation
        blocks.append(drafts.second_thank_you(ctx, contact, organisation))
    label = "Mark sent" if len(met) == 1 else "Mark sent to {}"
    ctx.private(ctx.message("followup/applied.j2", organisation=organisation, contacts=met,
                            extra=blocks,
                            buttons=[button("second_thanked", c, label.format(c.no))
                                     for c in met]))


def act_second_thanked(ctx: Ctx, contact: Contact, value: str) -> None:
    contact.second_thanked_at = contact.last_contact_at = ctx.now
    _keep_in_touch_from(ctx, contact)
    ctx.say(ctx.message("followup/second_thanked.j2", contact=contact,
                        next=ctx.fmt(ctx.now + KEEP_IN_TOUCH)))


def submit_applied(ctx: Ctx, rest: str, values: dict[str, str]) -> None:
    cmd_applied(ctx, values["organisation"])
