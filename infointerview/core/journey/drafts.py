"""Messages the person copies and sends: outreach, follow-up, thank-yous, the LinkedIn note.

The templates hold every word; this module turns what the student typed into slots that read as
English mid-sentence (see :mod:`core.journey.wording` and :mod:`core.journey.names`) and keeps
each LinkedIn text within LinkedIn's limit by trying fuller wordings first and dropping the
least needed part next, never by cutting a sentence in half.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from infointerview.core.journey.context import Ctx
from infointerview.core.journey.names import name_forms, own_name
from infointerview.core.journey.state import Contact, HowFound, MeetingMode, Note, OutreachChannel
from infointerview.core.journey.wording import (
    PLATFORMS,
    brief,
    fit_at_boundary,
    found_phrase,
    join_names,
    note_to_them,
    proper_name,
    reason_clause,
    referrer_name,
    role_phrase,
    spoken_when,
)
from infointerview.core.model import DraftBlock

LINKEDIN_LIMIT = 200
# An interest that already names careers reads "I'm exploring …", a field "careers in …".
CAREER_WORDS = ("career", "job", "role", "work", "path", "position", "industry", "sector")
LENGTHS = ("short", "standard", "long")
# Parts a LinkedIn text can do without, least needed first, each as the slot values that drop
# it; each is tried away only when the fuller text is over the limit. The optional ones are
# shed within one template before falling back to the next, tighter template; the last resort
# ones (the specific "why them", the note) only when no template fits without them.
OPTIONAL_PARTS: tuple[Mapping[str, Any], ...] = (
    {},
    {"closing": False},
    {"brief": True},
    {"institution": ""},
    {"reason_short": True},
    {"exploring_short": True},
    {"me_first": ""},
)
# A connection note may drop "last Saturday" before the point they made; a second thank-you
# may not (saying when you spoke is its point).
NOTE_OPTIONAL_PARTS = (*OPTIONAL_PARTS[:-1], {"when": ""}, OPTIONAL_PARTS[-1])
LAST_RESORT_PARTS: tuple[Mapping[str, Any], ...] = (
    {"role_a": ""},
    {"useful_short": True},
    {"useful": ""},
    {"reason": "", "reason_brief": ""},
    {"organisation": ""},
)


def first_name(full: str) -> str:
    """The name to use after "Hi": the given name when it is certain, else the full name."""
    return name_forms(full).informal


def _source(ctx: Ctx, contact: Contact) -> dict[str, Any]:
    referrer = ""
    if contact.referred_by_no is not None and contact.referred_by_no in ctx.state.contacts:
        referrer = ctx.state.contacts[contact.referred_by_no].name
    elif contact.how_found is HowFound.REFERRAL:
        referrer = referrer_name(contact.found_detail)
    found = "" if referrer else found_phrase(contact.found_detail)
    return {"referrer": " ".join(referrer.split()), "found_where": found,
            "found_on": found.casefold() in PLATFORMS,
            "how_found": contact.how_found.value}


def useful_note(contact: Contact) -> Note | None:
    """The starred note, or failing that the most recent one."""
    return contact.starred_note() or (contact.notes[-1] if contact.notes else None)


def useful_phrase(contact: Contact) -> str:
    """What to thank them for, phrased to them: the wording the student confirmed when starring,
    else a confident rewording of the note, else nothing (never the raw note)."""
    note = useful_note(contact)
    if note is None:
        return ""
    return note.to_them or note_to_them(note.text)


def referral_names(ctx: Ctx, contact: Contact) -> list[str]:
    return [name_forms(c.name).full for c in ctx.state.contacts.values()
            if c.referred_by_no == contact.no]


def draft_context(ctx: Ctx, contact: Contact, **extra: Any) -> dict[str, Any]:
    profile = ctx.state.profile
    me = own_name(profile.name or ctx.state.display_name) or "me"
    names = name_forms(contact.name)
    exploring = " ".join(profile.interests.split()).rstrip(".")
    reason = reason_clause(contact.reason, contact.name)
    spoke = contact.interviewed_at or contact.interview_started_at
    linkedin = contact.channel is OutreachChannel.LINKEDIN
    context = {
        **ctx.base_context(),
        "me": me,
        "me_first": name_forms(me).informal,
        "programme_a": role_phrase(profile.programme) if profile.programme else "",
        "institution": proper_name(profile.institution),
        "exploring": exploring,
        "exploring_careers": any(w in exploring.casefold() for w in CAREER_WORDS),
        "exploring_brief": brief(exploring),
        "exploring_short": False,
        "them": contact.name,
        "dear": names.formal,
        "hi": names.informal,
        "greeting": f"Hi {names.informal}," if linkedin else f"Dear {names.formal},",
        "role_a": role_phrase(contact.role) if contact.role else "",
        "organisation": proper_name(contact.organisation),
        "reason": reason.text,
        "reason_kind": reason.kind,
        "reason_short": False,
        "reason_brief": reason.brief,
        "mode": contact.mode.value if contact.mode else "",
        "video": contact.mode in (None, MeetingMode.VIDEO),
        "phone": contact.mode is MeetingMode.PHONE,
        "email": contact.channel is not OutreachChannel.LINKEDIN,
        "linkedin": linkedin,
        "closing": True,
        "useful_short": False,
        "brief": False,
        "when": spoken_when(spoke, ctx.now, ctx.zone) if spoke else "",
        **_source(ctx, contact),
        **extra,
    }
    context["useful_brief"] = brief(str(context.get("useful", "")))
    return context


def fit_linkedin(ctx: Ctx, templates: Sequence[str], context: Mapping[str, Any],
                 optional: Sequence[Mapping[str, Any]] = OPTIONAL_PARTS, *,
                 cut: bool = True) -> str:
    """The fullest wording within LinkedIn's limit: the first template (the last is the
    tightest) that fits once optional parts are shed; failing that, the last resort parts go
    too; at worst the tightest text is cut at a sentence boundary."""
    text = ""
    for last_resort in ({}, *LAST_RESORT_PARTS):
        for name in templates:
            values = {**context, **last_resort}
            for shed in optional:
                values.update(shed)
                text = ctx.templates.text(name, values).strip()
                if len(text) <= LINKEDIN_LIMIT:
                    return text
        context = {**context, **last_resort}
    # ``cut=False``: a text whose every part matters (a list of windows) is returned whole
    return fit_at_boundary(text, LINKEDIN_LIMIT) if cut else text


def linkedin_block(title: str, text: str) -> DraftBlock:
    return DraftBlock(f"{title} ({len(text)}/{LINKEDIN_LIMIT} characters)", text)


def outreach_too_long(contact: Contact) -> bool:
    """An edited LinkedIn note over the limit cannot be sent as it is."""
    return contact.channel is OutreachChannel.LINKEDIN and \
        contact.outreach_custom is not None and len(contact.outreach_custom) > LINKEDIN_LIMIT


def outreach(ctx: Ctx, contact: Contact, length: str | None = None) -> DraftBlock:
    if contact.outreach_custom is not None and length is None:
        if contact.channel is OutreachChannel.EMAIL:
            subject, _, body = contact.outreach_custom.partition("\n\n")
            return DraftBlock("Your edited outreach e-mail", body, subject)
        if contact.channel is OutreachChannel.LINKEDIN:
            return linkedin_block("Your edited LinkedIn note", contact.outreach_custom)
        return DraftBlock("Your edited outreach message", contact.outreach_custom)
    length = length or contact.draft_length
    context = draft_context(ctx, contact, length=length)
    if contact.channel is OutreachChannel.LINKEDIN:
        order = list(reversed(LENGTHS[:LENGTHS.index(length) + 1]))
        text = fit_linkedin(ctx, [f"drafts/outreach_linkedin_{n}.j2" for n in order], context)
        return linkedin_block("Your LinkedIn note", text)
    title = "Your outreach e-mail" if contact.channel is OutreachChannel.EMAIL else \
        "Your outreach message"
    return ctx.templates.draft(title, "drafts/outreach_email.j2", context)


def follow_up(ctx: Ctx, contact: Contact) -> DraftBlock:
    context = draft_context(ctx, contact)
    if contact.channel is OutreachChannel.LINKEDIN:
        text = fit_linkedin(ctx, ["drafts/follow_up_linkedin.j2"], context)
        return linkedin_block("A polite follow-up (LinkedIn message)", text)
    return ctx.templates.draft("A polite follow-up", "drafts/follow_up.j2", context)


def _thank_you_context(ctx: Ctx, contact: Contact, late: bool) -> dict[str, Any]:
    return draft_context(ctx, contact, useful=useful_phrase(contact), late=late,
                         referrals=join_names(referral_names(ctx, contact)),
                         referral_count=len(referral_names(ctx, contact)))


def thank_you(ctx: Ctx, contact: Contact, late: bool = False) -> DraftBlock:
    context = _thank_you_context(ctx, contact, late)
    if contact.channel is OutreachChannel.LINKEDIN:
        text = fit_linkedin(ctx, ["drafts/thank_you_linkedin.j2"], context)
        return linkedin_block("Your thank-you (LinkedIn message)", text)
    return ctx.templates.draft("Your thank-you", "drafts/thank_you.j2", context)


def linkedin_note(ctx: Ctx, contact: Contact) -> DraftBlock:
    context = draft_context(ctx, contact, useful=useful_phrase(contact))
    text = fit_linkedin(ctx, ["drafts/linkedin_connect.j2", "drafts/linkedin_connect_short.j2"],
                        context, NOTE_OPTIONAL_PARTS)
    return linkedin_block("LinkedIn connection note", text)


def second_thank_you(ctx: Ctx, contact: Contact, organisation: str) -> DraftBlock:
    context = draft_context(ctx, contact, useful=useful_phrase(contact),
                            applied_to=proper_name(organisation))
    title = f"A second thank-you (contact {contact.no})"
    if contact.channel is OutreachChannel.LINKEDIN:
        text = fit_linkedin(ctx, ["drafts/second_thank_you_linkedin.j2"], context)
        return linkedin_block(f"{title}, LinkedIn message", text)
    return ctx.templates.draft(title, "drafts/second_thank_you.j2", context)
