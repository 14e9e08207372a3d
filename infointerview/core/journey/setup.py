"""Set-up, part one: the profile, a new contact, the outreach message and the wait for a reply."""

from __future__ import annotations

from datetime import datetime, timedelta

from infointerview.core.forms import normalise_url, parse_number
from infointerview.core.journey import drafts
from infointerview.core.journey.agenda import suggested
from infointerview.core.journey.cards import button, card, card_buttons
from infointerview.core.journey.catalog import reminders as kinds
from infointerview.core.journey.catalog.actions import BEFORE_INTERVIEW, enter
from infointerview.core.journey.context import Ctx
from infointerview.core.journey.forms_catalog import (
    contact_form,
    contact_source_form,
    draft_form,
    profile_form,
)
from infointerview.core.journey.names import name_forms, own_name
from infointerview.core.journey.state import Contact, HowFound, OutreachChannel, Sector, Stage
from infointerview.core.model import Button, DraftBlock

NO_REPLY_NUDGE_BUSINESS_DAYS = 3
NO_REPLY_FOLLOW_UP = timedelta(days=7)
PARK_SUGGESTION = timedelta(days=7)


def add_business_days(ctx: Ctx, start: datetime, days: int) -> datetime:
    local = ctx.local(start)
    while days:
        local += timedelta(days=1)
        if local.weekday() < 5:
            days -= 1
    return local.astimezone(start.tzinfo)


def active_contacts(ctx: Ctx) -> list[Contact]:
    return [c for c in ctx.state.contacts.values() if c.stage in BEFORE_INTERVIEW - {Stage.PARKED}]


def who_to_ask(ctx: Ctx, *, intro: bool = False) -> None:
    ctx.say(ctx.message("setup/who_to_ask.j2", active=len(active_contacts(ctx)), intro=intro,
                        buttons=[Button("start", "Add a contact")]))


# --- profile -------------------------------------------------------------------------------------


def profile_values(ctx: Ctx) -> dict[str, str]:
    p = ctx.state.profile
    return {"name": p.name or ctx.state.display_name, "programme": p.programme,
            "institution": p.institution, "interests": p.interests, "tz": ctx.state.settings.tz}


def cmd_profile(ctx: Ctx, args: str) -> None:
    ctx.form(profile_form().with_values(profile_values(ctx)))


def submit_profile(ctx: Ctx, rest: str, values: dict[str, str]) -> None:
    profile = ctx.state.profile
    profile.name, profile.programme = values["name"], values["programme"]
    profile.institution, profile.interests = values["institution"], values["interests"]
    ctx.state.settings.tz = values["tz"]
    after, ctx.state.conversation.after_profile = ctx.state.conversation.after_profile, None
    ctx.say(ctx.message("setup/profile_saved.j2", continuing=after is not None,
                        tz=values["tz"], name=name_forms(own_name(profile.name)).informal))
    if after is not None and after.startswith("start"):
        cmd_start(ctx, after.removeprefix("start").removeprefix(":"))


# --- a new contact -------------------------------------------------------------------------------


def cmd_start(ctx: Ctx, args: str) -> None:
    if not ctx.state.profile.is_complete():
        ctx.state.conversation.after_profile = f"start:{args}"
        ctx.say(ctx.message("setup/welcome.j2"))
        ctx.form(profile_form().with_values(profile_values(ctx)))
        return
    form = contact_form(None)
    name = " ".join(args.split())
    if name:
        # checked now, so an over-long name is flagged at once and still kept for editing
        error = form.field("name").check(name)
        form = form.with_errors({"name": name}, {"name": error} if error else {})
    ctx.form(form)


def contact_values(contact: Contact) -> dict[str, str]:
    return {"name": contact.name, "role": contact.role, "organisation": contact.organisation,
            "sector": contact.sector.value, "channel": contact.channel.value}


def submit_contact(ctx: Ctx, rest: str, values: dict[str, str]) -> None:
    if rest == "new":
        contact = Contact(no=ctx.state.new_contact_no(), name=values["name"], created_at=ctx.now)
        ctx.state.contacts[contact.no] = contact
        is_new = True
    else:
        number = parse_number(rest)
        found = ctx.state.contacts.get(number) if number is not None else None
        if found is None:
            ctx.say(ctx.message("common/unknown_contact.j2", ref=rest))
            return
        contact, is_new = found, False
        contact.name = values["name"]
    untouched = bool(contact.agenda) and contact.agenda == suggested(ctx, contact)
    contact.role, contact.organisation = values["role"], values["organisation"]
    contact.sector = Sector(values["sector"])
    if untouched:  # suggestions nobody changed follow a new sector or role
        contact.agenda = suggested(ctx, contact)
    channel = OutreachChannel(values["channel"])
    if channel is not contact.channel:
        contact.outreach_custom = None  # an edited e-mail does not fit a LinkedIn note
    contact.channel = channel
    ctx.state.conversation.focus_no = contact.no
    source = contact_source_form(contact.no).with_values(source_values(contact))
    if is_new:
        ctx.say(ctx.message("contacts/step_two.j2", contact=contact))
        ctx.form(source)
    else:
        ctx.private(card(ctx, contact))


def source_values(contact: Contact) -> dict[str, str]:
    return {"how_found": contact.how_found.value, "found_detail": contact.found_detail,
            "email": contact.email, "profile_url": contact.profile_url, "reason": contact.reason}


def submit_contact_source(ctx: Ctx, contact: Contact, values: dict[str, str]) -> None:
    how = HowFound(values["how_found"])
    if how is HowFound.REFERRAL and not values["found_detail"]:
        ctx.form(contact_source_form(contact.no).with_errors(
            values, {"found_detail": "Who referred you? Their name goes into your message."}))
        return
    contact.how_found, contact.found_detail = how, values["found_detail"]
    contact.email, contact.reason = values["email"], values["reason"]
    contact.profile_url = normalise_url(values["profile_url"]) if values["profile_url"] else ""
    if contact.stage is Stage.IDENTIFIED:  # the form goes on into drafting: its move too
        enter(contact, "draft")
        act_draft(ctx, contact, "")
    else:
        ctx.private(card(ctx, contact))


# --- outreach ------------------------------------------------------------------------------------


def show_outreach(ctx: Ctx, contact: Contact, replaced: DraftBlock | None = None) -> None:
    draft = drafts.outreach(ctx, contact)
    message = ctx.message("contacts/outreach.j2", contact=contact,
                          edited=contact.outreach_custom is not None,
                          extra=[draft, *([replaced] if replaced else [])],
                          too_long=drafts.outreach_too_long(contact), length=len(draft.body),
                          limit=drafts.LINKEDIN_LIMIT,  # "Mark sent" is left off when too long
                          buttons=card_buttons(contact, "mark_sent", "shorter", "longer",
                                               "edit_draft"))
    ctx.private(message)


def act_draft(ctx: Ctx, contact: Contact, value: str) -> None:
    ctx.state.conversation.focus_no = contact.no
    show_outreach(ctx, contact)


def _resize(ctx: Ctx, contact: Contact, step: int, value: str = "") -> None:
    """A shorter or longer version of the template draft. An edited draft is replaced only once
    the person says so, and the edit they replaced is shown once more to copy back."""
    action = "longer" if step > 0 else "shorter"
    edited = drafts.outreach(ctx, contact) if contact.outreach_custom is not None else None
    if edited is not None and value != "replace":
        ctx.private(ctx.message(
            "contacts/replace_edit.j2", contact=contact, longer=step > 0, extra=[edited],
            buttons=[button(action, contact, f"Replace my edit with a {action} draft",
                            "replace"), *card_buttons(contact, "mark_sent", "edit_draft")]))
        return
    order = drafts.LENGTHS
    index = max(0, min(len(order) - 1, order.index(contact.draft_length) + step))
    unchanged = drafts.outreach(ctx, contact, order[index]).body == \
        drafts.outreach(ctx, contact, contact.draft_length).body
    if unchanged and contact.outreach_custom is None:
        ctx.say(ctx.message("contacts/length_limit.j2", longer=step > 0,
                            linkedin=contact.channel is OutreachChannel.LINKEDIN))
    contact.draft_length = order[index]
    contact.outreach_custom = None
    if edited is not None:
        edited = DraftBlock("The edit you replaced", edited.body,
                            edited.subject)
    show_outreach(ctx, contact, edited)


def act_shorter(ctx: Ctx, contact: Contact, value: str) -> None:
    _resize(ctx, contact, -1, value)


def act_longer(ctx: Ctx, contact: Contact, value: str) -> None:
    _resize(ctx, contact, +1, value)


def act_edit_draft(ctx: Ctx, contact: Contact, value: str) -> None:
    draft = drafts.outreach(ctx, contact)
    ctx.form(draft_form(contact.no, draft.subject, draft.body))


def submit_draft(ctx: Ctx, contact: Contact, values: dict[str, str]) -> None:
    if contact.channel is OutreachChannel.EMAIL:
        subject = values.get("subject") or drafts.outreach(ctx, contact).subject or ""
        contact.outreach_custom = f"{subject}\n\n{values['body']}"
    else:
        contact.outreach_custom = values["body"]
    show_outreach(ctx, contact)


def act_mark_sent(ctx: Ctx, contact: Contact, value: str) -> None:
    if drafts.outreach_too_long(contact):
        show_outreach(ctx, contact)  # says how long it is; "Mark sent" waits for a shorter one
        return
    enter(contact, "mark_sent")  # the catalogue's move, now the outcome is known
    contact.outreach_sent_at = ctx.now
    nudge_at = add_business_days(ctx, ctx.now, NO_REPLY_NUDGE_BUSINESS_DAYS)
    ctx.remind(kinds.NO_REPLY_NUDGE, nudge_at, contact)
    ctx.remind(kinds.NO_REPLY_FOLLOW_UP, ctx.days_later(NO_REPLY_FOLLOW_UP.days), contact)
    ctx.say(ctx.message("contacts/sent.j2", contact=contact, nudge_at=ctx.fmt(nudge_at),
                        buttons=card_buttons(contact, "replied", "no_reply")))
    if len(active_contacts(ctx)) < ctx.config.thin_pipeline:
        who_to_ask(ctx)


def _cancel_no_reply(ctx: Ctx, contact: Contact) -> None:
    ctx.unremind(contact, kinds.NO_REPLY_NUDGE, kinds.NO_REPLY_FOLLOW_UP, kinds.NO_REPLY_PARK)


def act_replied(ctx: Ctx, contact: Contact, value: str) -> None:
    contact.replied_at = ctx.now
    _cancel_no_reply(ctx, contact)
    ctx.say(ctx.message("contacts/replied.j2", contact=contact,
                        buttons=card_buttons(contact, "propose", "schedule")))


def act_no_reply(ctx: Ctx, contact: Contact, value: str) -> None:
    act_follow_up(ctx, contact, value)


def act_follow_up(ctx: Ctx, contact: Contact, value: str) -> None:
    draft = drafts.follow_up(ctx, contact)
    ctx.private(ctx.message("contacts/follow_up.j2", contact=contact, extra=[draft],
                            buttons=card_buttons(contact, "follow_up_sent", "replied", "park")))


def act_follow_up_sent(ctx: Ctx, contact: Contact, value: str) -> None:
    contact.follow_up_sent_at = ctx.now
    ctx.unremind(contact, kinds.NO_REPLY_NUDGE, kinds.NO_REPLY_FOLLOW_UP)
    ctx.remind(kinds.NO_REPLY_PARK, ctx.days_later(PARK_SUGGESTION.days), contact)
    ctx.say(ctx.message("contacts/follow_up_sent.j2", contact=contact,
                        buttons=card_buttons(contact, "replied", "park")))


def act_park(ctx: Ctx, contact: Contact, value: str) -> None:
    _cancel_no_reply(ctx, contact)
    ctx.say(ctx.message("contacts/parked.j2", contact=contact,
                        buttons=card_buttons(contact, "reopen", "someone_else")))


def act_someone_else(ctx: Ctx, contact: Contact, value: str) -> None:
    """A new contact at the same organisation and sector: the form filled in but for the name
    (the first person is not nudged about again; one follow-up each is plenty)."""
    ctx.form(contact_form(None).with_values({
        "organisation": contact.organisation, "sector": contact.sector.value,
        "channel": contact.channel.value}))


def act_reopen(ctx: Ctx, contact: Contact, value: str) -> None:
    ctx.private(card(ctx, contact))


def act_edit(ctx: Ctx, contact: Contact, value: str) -> None:
    ctx.form(contact_form(contact.no).with_values(contact_values(contact)))


def act_card(ctx: Ctx, contact: Contact, value: str) -> None:
    ctx.state.conversation.focus_no = contact.no
    ctx.private(card(ctx, contact))
