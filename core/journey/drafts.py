"""Messages the person copies and sends: outreach, follow-up, thank-yous, the LinkedIn note."""

from __future__ import annotations

from typing import Any

from core.journey.context import Ctx
from core.journey.state import Contact, HowFound, MeetingMode, Note, OutreachChannel
from core.model import DraftBlock

LINKEDIN_LIMIT = 200
LENGTHS = ("short", "standard", "long")


def first_name(full: str) -> str:
    parts = [p for p in full.split() if p.rstrip(".").lower() not in {"dr", "prof", "mr", "ms",
                                                                         "mrs", "mx"}]
    return parts[0] if parts else full


def _source(ctx: Ctx, contact: Contact) -> dict[str, str]:
    referrer = ""
    if contact.referred_by_no is not None and contact.referred_by_no in ctx.state.contacts:
        referrer = ctx.state.contacts[contact.referred_by_no].name
    elif contact.how_found is HowFound.REFERRAL:
        referrer = contact.found_detail
    return {"referrer": referrer, "found_where": "" if referrer else contact.found_detail,
            "how_found": contact.how_found.value}


def _snippet(note: Note | None, limit: int) -> str:
    if note is None:
        return ""
    text = " ".join(note.text.split()).rstrip(".")
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


def useful_note(contact: Contact) -> Note | None:
    """The starred note, or failing that the most recent one."""
    return contact.starred_note() or (contact.notes[-1] if contact.notes else None)


def draft_context(ctx: Ctx, contact: Contact, **extra: Any) -> dict[str, Any]:
    profile = ctx.state.profile
    return {
        **ctx.base_context(),
        "me": profile.name or ctx.state.display_name or "me",
        "programme": profile.programme,
        "institution": profile.institution,
        "exploring": profile.interests,
        "them": contact.name,
        "them_first": first_name(contact.name),
        "role": contact.role,
        "organisation": contact.organisation,
        "reason": contact.reason,
        "mode": contact.mode.value if contact.mode else "",
        "video": contact.mode in (None, MeetingMode.VIDEO),
        **_source(ctx, contact),
        **extra,
    }


def _fit_linkedin(ctx: Ctx, template_for: list[str], context: dict[str, Any]) -> str:
    """Take the first variant that fits LinkedIn's limit; the last one is the tightest."""
    text = ""
    for name in template_for:
        text = ctx.templates.text(name, context)
        if len(text) <= LINKEDIN_LIMIT:
            return text
    return text


def outreach(ctx: Ctx, contact: Contact) -> DraftBlock:
    if contact.outreach_custom is not None:
        if contact.channel is OutreachChannel.EMAIL:
            subject, _, body = contact.outreach_custom.partition("\n\n")
            return DraftBlock("Your edited outreach e-mail", body, subject)
        return DraftBlock("Your edited outreach message", contact.outreach_custom)
    context = draft_context(ctx, contact, length=contact.draft_length)
    if contact.channel is OutreachChannel.LINKEDIN:
        order = LENGTHS[LENGTHS.index(contact.draft_length):]
        text = _fit_linkedin(ctx, [f"drafts/outreach_linkedin_{n}.j2" for n in order], context)
        return DraftBlock(f"Your LinkedIn note ({len(text)}/{LINKEDIN_LIMIT} characters)", text)
    title = "Your outreach e-mail" if contact.channel is OutreachChannel.EMAIL else \
        "Your outreach message"
    return ctx.templates.draft(title, "drafts/outreach_email.j2", context)


def follow_up(ctx: Ctx, contact: Contact) -> DraftBlock:
    context = draft_context(ctx, contact, email=contact.channel is OutreachChannel.EMAIL)
    return ctx.templates.draft("A polite follow-up", "drafts/follow_up.j2", context)


def thank_you(ctx: Ctx, contact: Contact) -> DraftBlock:
    note = useful_note(contact)
    context = draft_context(ctx, contact, useful=_snippet(note, 300),
                            email=contact.channel is not OutreachChannel.LINKEDIN)
    title = "Your thank-you"
    if contact.channel is OutreachChannel.LINKEDIN:
        title += " (LinkedIn message)"
    return ctx.templates.draft(title, "drafts/thank_you.j2", context)


def linkedin_note(ctx: Ctx, contact: Contact) -> DraftBlock:
    note = useful_note(contact)
    names = ["drafts/linkedin_connect.j2", "drafts/linkedin_connect_short.j2"]
    text = ""
    for limit in (120, 80, 40, 0):
        context = draft_context(ctx, contact, useful=_snippet(note, limit) if limit else "")
        text = _fit_linkedin(ctx, names, context)
        if len(text) <= LINKEDIN_LIMIT:
            break
    return DraftBlock(f"LinkedIn connection note ({len(text)}/{LINKEDIN_LIMIT} characters)", text)


def second_thank_you(ctx: Ctx, contact: Contact, organisation: str) -> DraftBlock:
    note = useful_note(contact)
    context = draft_context(ctx, contact, useful=_snippet(note, 200), applied_to=organisation,
                            email=contact.channel is not OutreachChannel.LINKEDIN)
    return ctx.templates.draft(f"A second thank-you (contact {contact.no})",
                               "drafts/second_thank_you.j2", context)
