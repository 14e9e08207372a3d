"""The interview: introduction and agenda on screen, notes, a starred point, referrals, the end."""

from __future__ import annotations

from datetime import timedelta

from infointerview.core.forms import email_error, normalise_url, parse_number, url_error
from infointerview.core.journey import drafts
from infointerview.core.journey.agenda import agenda_lines, suggested
from infointerview.core.journey.cards import THANK_YOU_WINDOW, button, card_buttons
from infointerview.core.journey.catalog import reminders as kinds
from infointerview.core.journey.context import Ctx
from infointerview.core.journey.forms_catalog import (
    NOTE_MAX,
    note_edit_form,
    note_form,
    phrase_form,
    referral_form,
)
from infointerview.core.journey.intro import review_intro
from infointerview.core.journey.state import Contact, HowFound, Note, Sector, Stage
from infointerview.core.journey.timing import thank_you_nudge_at
from infointerview.core.journey.wording import to_them_wording

THANK_YOU_LAST_CALL = timedelta(hours=40)
WRAP_UP_BEFORE_END = 5  # minutes: time to ask who else they would suggest


def act_start_interview(ctx: Ctx, contact: Contact, value: str) -> None:
    conversation = ctx.state.conversation
    conversation.interview_no = contact.no
    conversation.focus_no = contact.no
    contact.interview_started_at = ctx.now
    # started early: preparing for it is past
    ctx.unremind(contact, kinds.PREP_DAY, kinds.PREP_HOUR)
    wrap_at = ctx.now + timedelta(minutes=max(contact.duration_min - WRAP_UP_BEFORE_END, 5))
    ctx.remind(kinds.INTERVIEW_WRAP, wrap_at, contact)
    if not contact.agenda:
        contact.agenda = suggested(ctx, contact)
    intro = ctx.state.profile.intro
    review = review_intro(intro) if intro else None
    ctx.private(ctx.message(
        "interview/started.j2", contact=contact, intro=intro, review=review,
        items=agenda_lines(ctx, contact), minutes=contact.duration_min,
        buttons=[button("add_note", contact, "Add a note"),
                 *card_buttons(contact, "add_referral", "wrap_up", "end_interview")],
    ))


def add_note(ctx: Ctx, contact: Contact, text: str) -> None:
    text = text.strip()
    if not text:
        ctx.say(ctx.message("interview/empty_note.j2", contact=contact))
        return
    if len(text) > NOTE_MAX:
        ctx.say(ctx.message("interview/note_too_long.j2", length=len(text), limit=NOTE_MAX,
                            text=text))
        return
    note = Note(no=len(contact.notes) + 1, text=text, at=ctx.now)
    contact.notes.append(note)
    ctx.state.conversation.focus_no = contact.no
    running = ctx.state.conversation.interview_no == contact.no
    ctx.private(ctx.message("interview/noted.j2", contact=contact, note=note,
                            buttons=[button("star", contact, "Star this one", str(note.no)),
                                     *(card_buttons(contact, "end_interview") if running
                                       else ())]))


def act_add_note(ctx: Ctx, contact: Contact, value: str) -> None:
    ctx.form(note_form(contact.no))


def submit_note(ctx: Ctx, contact: Contact, values: dict[str, str]) -> None:
    add_note(ctx, contact, values["text"])


def _note(ctx: Ctx, contact: Contact, note_no: int) -> Note | None:
    """Note ``note_no`` of the contact, or None after saying which numbers there are."""
    found = next((n for n in contact.notes if n.no == note_no), None)
    if found is None and contact.notes:
        ctx.say(ctx.message("interview/no_such_note.j2", contact=contact, number=note_no,
                            count=len(contact.notes)))
    elif found is None:
        ctx.say(ctx.message("interview/no_notes.j2", contact=contact))
    return found


def list_notes(ctx: Ctx, contact: Contact) -> None:
    if not contact.notes:
        ctx.say(ctx.message("interview/no_notes.j2", contact=contact))
        return
    ctx.private(ctx.message("interview/notes.j2", contact=contact, notes=contact.notes))


def edit_note(ctx: Ctx, contact: Contact, note_no: int, text: str) -> None:
    """Replace a note's text; with no text, open the form holding the note to edit."""
    note = _note(ctx, contact, note_no)
    if note is None:
        return
    text = text.strip()
    if not text:
        ctx.form(note_edit_form(contact.no).with_values({"number": str(note.no),
                                                         "text": note.text}))
        return
    if len(text) > NOTE_MAX:
        ctx.say(ctx.message("interview/note_too_long.j2", length=len(text), limit=NOTE_MAX,
                            text=text))
        return
    if text != note.text:
        note.text, note.to_them = text, ""  # the wording for them was of the old text
    ctx.private(ctx.message("interview/note_edited.j2", contact=contact, note=note))


def submit_note_edit(ctx: Ctx, contact: Contact, values: dict[str, str]) -> None:
    edit_note(ctx, contact, parse_number(values["number"]) or 0, values["text"])


def delete_note(ctx: Ctx, contact: Contact, note_no: int) -> None:
    """Remove a note; the ones after it move up a number, so numbers stay 1, 2, 3…"""
    note = _note(ctx, contact, note_no)
    if note is None:
        return
    contact.notes.remove(note)
    for number, kept in enumerate(contact.notes, 1):
        kept.no = number
    ctx.private(ctx.message("interview/note_deleted.j2", contact=contact, note=note,
                            renumbered=note_no <= len(contact.notes)))


def star(ctx: Ctx, contact: Contact, note_no: int | None) -> None:
    if not contact.notes:
        ctx.say(ctx.message("interview/no_notes.j2", contact=contact))
        return
    target = contact.notes[-1] if note_no is None else next(
        (n for n in contact.notes if n.no == note_no), None)
    if target is None:
        ctx.say(ctx.message("interview/no_such_note.j2", contact=contact, number=note_no,
                            count=len(contact.notes)))
        return
    for note in contact.notes:
        note.starred = note is target
    ctx.private(ctx.message("interview/starred.j2", contact=contact, note=target,
                            to_them=drafts.useful_phrase(contact),
                            buttons=[button("phrase_note", contact)]))


def act_phrase_note(ctx: Ctx, contact: Contact, value: str) -> None:
    ctx.form(phrase_form(contact.no, drafts.useful_phrase(contact)))


def submit_phrase(ctx: Ctx, contact: Contact, values: dict[str, str]) -> None:
    note = drafts.useful_note(contact)
    if note is None:
        ctx.say(ctx.message("interview/no_notes.j2", contact=contact))
        return
    note.to_them = to_them_wording(values["to_them"])
    ctx.private(ctx.message("interview/phrased.j2", contact=contact, note=note,
                            to_them=drafts.useful_phrase(contact)))


def act_star(ctx: Ctx, contact: Contact, value: str) -> None:
    star(ctx, contact, parse_number(value))


def act_add_referral(ctx: Ctx, contact: Contact, value: str) -> None:
    ctx.form(referral_form(contact.no))


def submit_referral(ctx: Ctx, contact: Contact, values: dict[str, str]) -> None:
    reach = values["reach"]
    email = url = ""
    if reach:
        if "@" in reach and "/" not in reach:
            error, email = email_error(reach), reach
        else:
            error, url = url_error(reach), normalise_url(reach)
        if error:
            ctx.form(referral_form(contact.no).with_errors(values, {"reach": error}))
            return
    referral = Contact(
        no=ctx.state.new_contact_no(), name=values["name"], role=values["role"],
        # their sector is not the referrer's: Other until the student sets it (Edit details)
        organisation=values["organisation"], sector=Sector.OTHER, channel=contact.channel,
        how_found=HowFound.REFERRAL, found_detail=contact.name, email=email, profile_url=url,
        reason=values["why"], referred_by_no=contact.no, created_at=ctx.now,
    )
    ctx.state.contacts[referral.no] = referral
    ctx.private(ctx.message("interview/referral_added.j2", contact=contact, referral=referral,
                            buttons=[button("draft", referral, f"Draft outreach to {referral.no}"),
                                     button("edit", referral, f"Set {referral.no}'s sector"),
                                     button("add_referral", contact, "Add another")]))


def act_wrap_up(ctx: Ctx, contact: Contact, value: str) -> None:
    ctx.private(ctx.message("interview/wrap_up.j2", contact=contact,
                            buttons=card_buttons(contact, "add_referral", "end_interview")))


def act_end_interview(ctx: Ctx, contact: Contact, value: str) -> None:
    contact.interviewed_at = ctx.now
    contact.last_contact_at = ctx.now
    conversation = ctx.state.conversation
    if conversation.interview_no == contact.no:
        conversation.interview_no = None
    conversation.focus_no = contact.no
    ctx.unremind(contact, kinds.PREP_DAY, kinds.PREP_HOUR, kinds.INTERVIEW_WRAP)
    nudge = thank_you_nudge_at(ctx.now, ctx.zone)
    ctx.remind(kinds.THANK_YOU, nudge, contact)
    last_call = ctx.availability.latest_before(ctx.now + THANK_YOU_WINDOW,
                                               ctx.now + THANK_YOU_LAST_CALL)
    ctx.remind(kinds.THANK_YOU_LAST, last_call, contact, exact=True)
    referrals = [c for c in ctx.state.contacts.values() if c.referred_by_no == contact.no]
    has_star, phrased = contact.starred_note() is not None, bool(drafts.useful_phrase(contact))
    reword = (button("phrase_note", contact),) if has_star and not phrased else ()
    ctx.private(ctx.message(
        "interview/ended.j2", contact=contact, due=ctx.fmt(ctx.now + THANK_YOU_WINDOW),
        referrals=len(referrals), has_star=has_star, phrased=phrased,
        extra=[drafts.thank_you(ctx, contact)],
        buttons=card_buttons(contact, "thanked", "add_referral") + reword,
    ))


def in_interview(ctx: Ctx) -> Contact | None:
    no = ctx.state.conversation.interview_no
    contact = ctx.state.contacts.get(no) if no is not None else None
    if contact is not None and contact.stage not in (Stage.SCHEDULED, Stage.PREPARED):
        ctx.state.conversation.interview_no = None
        return None
    return contact
