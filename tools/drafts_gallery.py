"""Every draft and variant for six varied personas, on one page a career counsellor can review.

Run ``python -m tools.drafts_gallery`` to rewrite ``docs/drafts.md``; a test fails when the
committed page is out of date. The drafts come from the real templates through the same
functions the bot calls (``core.journey.drafts``), on a state built the way the journey builds it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from infointerview.core.journey import drafts, logistics
from infointerview.core.journey.context import Ctx, JourneyConfig
from infointerview.core.journey.questions import QuestionBank
from infointerview.core.journey.state import (
    Contact,
    HowFound,
    MeetingMode,
    Note,
    OutreachChannel,
    Profile,
    Settings,
    Stage,
    UserState,
)
from infointerview.core.journey.timeparse import Window
from infointerview.core.model import DraftBlock, Place
from infointerview.core.templates import Templates

PAGE = Path(__file__).resolve().parent.parent / "docs" / "drafts.md"
NOW = datetime(2026, 4, 20, 14, 0, tzinfo=UTC)  # a fixed "now", so the page is reproducible
TEMPLATES = Templates()
BANK = QuestionBank.load()


@dataclass(frozen=True, slots=True)
class Persona:
    """A student and one person they reach out to, with what came of the conversation."""

    title: str
    student: Profile
    tz: str
    contact: Contact
    referrer: str = ""  # a contact of the student's who suggested this one
    referrals: tuple[str, ...] = ()  # people this contact suggested in turn
    notes: tuple[str, ...] = ()
    to_them: str = ""  # the wording the student confirmed when starring the last note
    applied_to: str = ""
    interviewed_days_ago: float = 1.0
    extra: dict[str, str] = field(default_factory=dict)


def state_for(persona: Persona, now: datetime = NOW) -> tuple[UserState, Contact]:
    state = UserState(display_name=persona.student.name, profile=persona.student,
                      settings=Settings(tz=persona.tz))
    contact = persona.contact
    if persona.referrer:
        referrer = Contact(no=state.new_contact_no(), name=persona.referrer,
                           stage=Stage.THANKED)
        state.contacts[referrer.no] = referrer
        contact.referred_by_no = referrer.no
        contact.how_found = HowFound.REFERRAL
    contact.no = state.new_contact_no()
    state.contacts[contact.no] = contact
    for name in persona.referrals:
        referral = Contact(no=state.new_contact_no(), name=name, how_found=HowFound.REFERRAL,
                           found_detail=contact.name, referred_by_no=contact.no)
        state.contacts[referral.no] = referral
    when = now - timedelta(days=persona.interviewed_days_ago)
    contact.notes = [Note(no=i + 1, text=text, at=when) for i, text in enumerate(persona.notes)]
    if contact.notes:
        contact.notes[-1].starred = True
        contact.notes[-1].to_them = persona.to_them
    return state, contact


def ctx_for(state: UserState, now: datetime) -> Ctx:
    return Ctx(state=state, now=now, user_id="gallery", place=Place("dm", True),
               templates=TEMPLATES, bank=BANK, config=JourneyConfig())


def every_draft(persona: Persona, now: datetime = NOW) -> Iterator[tuple[str, DraftBlock]]:
    """(what it is, the draft) for every draft and variant the bot offers this persona."""
    state, contact = state_for(persona, now)
    before = ctx_for(state, now)
    for length in drafts.LENGTHS:
        yield f"Outreach, {length}", drafts.outreach(before, contact, length)
    yield "Follow-up when there is no reply", drafts.follow_up(before, contact)
    zone = ZoneInfo(persona.tz)
    windows = [Window(datetime(2026, 4, 14, 14, tzinfo=zone),
                      datetime(2026, 4, 14, 16, tzinfo=zone)),
               Window(datetime(2026, 4, 16, 10, tzinfo=zone),
                      datetime(2026, 4, 16, 12, tzinfo=zone))]
    yield "Reply with times", logistics.reply_with_times(before, contact, windows, None)
    agreed = datetime(2026, 4, 16, 10, 0, tzinfo=zone)
    contact.meeting_at, contact.mode = agreed, contact.mode or MeetingMode.VIDEO
    yield "Confirming the agreed time", logistics.confirmation(before, contact)
    met = now - timedelta(days=persona.interviewed_days_ago)
    contact.stage, contact.interviewed_at = Stage.INTERVIEWED, met
    on_time = ctx_for(state, met + timedelta(hours=20))
    yield "Thank-you, within 48 hours", drafts.thank_you(on_time, contact)
    late = ctx_for(state, met + timedelta(days=5))
    yield "Thank-you, five days later", drafts.thank_you(late, contact, late=True)
    contact.stage = Stage.THANKED
    yield "LinkedIn connection note, three days later", \
        drafts.linkedin_note(ctx_for(state, met + timedelta(days=3)), contact)
    organisation = persona.applied_to or contact.organisation or "Acme Analytics"
    for label, later in (("two weeks", timedelta(days=15)), ("two months", timedelta(days=60))):
        yield f"Second thank-you, {label} later", \
            drafts.second_thank_you(ctx_for(state, met + later), contact, organisation)


PERSONAS: tuple[Persona, ...] = (
    Persona(
        "A chemistry PhD e-mails a director with a title, found in the alumni database",
        Profile("Jonas Becker", "PhD student in chemistry", "University of Minnesota",
                "clinical data science and health tech"), "Europe/Berlin",
        Contact(0, "Dr. Aisha Rahman", role="Director of Clinical AI",
                organisation="Northwind Health", channel=OutreachChannel.EMAIL,
                how_found=HowFound.ALUMNI, found_detail="University of Minnesota alumni database",
                reason="she built the clinical AI team from scratch", mode=MeetingMode.VIDEO),
        referrals=("Marcus Webb", "Dr. Priya Nair"),
        notes=("Biggest advice: build one end-to-end project … 🚀",),
        to_them="your advice to build one end-to-end project",
    ),
    Persona(
        "A biology student writes on LinkedIn to a Vietnamese data scientist (family name first)",
        Profile("Sam Rivera", "Master's student in biology", "Lakeside University",
                "data science in public health"), "America/New_York",
        Contact(0, "Nguyễn Thị Lan", role="Senior data scientist", organisation="World Bank",
                channel=OutreachChannel.LINKEDIN, how_found=HowFound.SOCIAL,
                found_detail="LinkedIn",
                reason="he did a chemistry PhD before moving into clinical data science"),
        notes=("Talk to hiring managers early, not only recruiters.",),
    ),
    Persona(
        "A physics postdoc, referred by a former contact, e-mails someone without a title",
        Profile("Mei Tanaka", "Postdoctoral researcher in physics", "The Francis Crick Institute",
                "quantitative finance"), "Europe/London",
        Contact(0, "Marcus Webb", role="VP of Quantitative Research",
                organisation="Harbour Capital", channel=OutreachChannel.EMAIL,
                reason="his team hires physicists straight from the lab",
                mode=MeetingMode.PHONE),
        referrer="Prof. Li Wei",
        notes=("Regulators read the methods section first", "Don't wait for the perfect job"),
        interviewed_days_ago=3,
    ),
    Persona(
        "An engineering student met someone with a compound name at a conference (LinkedIn)",
        Profile("Oluwaseun Adeyemi", "PhD candidate in mechanical engineering",
                "University of Lagos", "renewable energy policy"), "Africa/Lagos",
        Contact(0, "María José García-López", role="Policy advisor",
                organisation="International Energy Agency", channel=OutreachChannel.LINKEDIN,
                how_found=HowFound.CONFERENCE, found_detail="Berlin Energy Transition Dialogue",
                reason="her work on grid regulation"),
        referrals=("Tom Fischer",),
        notes=("Join the regulatory society's young professionals group",),
    ),
    Persona(
        "A history student e-mails a museum curator known by a single name, via a society",
        Profile("Aroha Ngata", "Undergraduate in history", "Victoria University of Wellington",
                "museum and archive careers"), "Pacific/Auckland",
        Contact(0, "Madonna", role="Curator", organisation="Museum of New Zealand",
                channel=OutreachChannel.EMAIL, how_found=HowFound.SOCIETY,
                found_detail="Museums Aotearoa",
                reason="moved from academic history into public exhibitions",
                mode=MeetingMode.IN_PERSON),
        applied_to="Museum of New Zealand",
    ),
    Persona(
        "A neuroscience PhD, referred by a professor, writes on LinkedIn to a CTO with a title",
        Profile("Priya Natarajan", "PhD student in neuroscience", "",
                "neurotechnology start-ups"), "Asia/Kolkata",
        Contact(0, "Prof. Hans-Peter Müller", role="CTO", organisation="NeuroLoop",
                channel=OutreachChannel.LINKEDIN, how_found=HowFound.REFERRAL,
                found_detail="Dr. Anna Kim"),
        referrals=("Dr. Elena Petrova", "Kofi Mensah", "Yuki Sato"),
        notes=("A short demo video beats a long CV.",),
        interviewed_days_ago=2,
    ),
)


def _block(label: str, draft: DraftBlock) -> str:
    lines = [f"#### {label}", ""]
    if draft.subject:
        lines += [f"**Subject:** {draft.subject}", ""]
    words = len(draft.body.split())
    lines += [f"*{draft.title} — {words} words, {len(draft.body)} characters*", ""]
    lines += [f"> {line}".rstrip() for line in draft.body.split("\n")]
    return "\n".join([*lines, ""])


def render() -> str:
    parts = ["# Every draft, for six students", "",
             "Generated by `python -m tools.drafts_gallery` from the real templates; "
             "`tests/integration/test_drafts_gallery.py` fails when this page is out of date.",
             "Each persona gets every draft the bot offers: three outreach lengths, the "
             "follow-up, the reply with times, the thank-you (on time and late), the LinkedIn "
             "note and the second thank-you.", "",
             "Names follow one rule: a formal e-mail greets title and surname (\"Dear Dr. "
             "Rahman,\") only when the name splits cleanly into one given and one family name; "
             "LinkedIn uses the given name (\"Hi Marcus,\") on the same condition; otherwise "
             "both use the full name, which is never wrong (family-name-first names such as "
             "\"Nguyễn Thị Lan\", compound names such as \"María José García-López\", single "
             "names).", "",
             "LinkedIn texts stay within 200 characters. When a fuller wording is too long, the "
             "least needed part goes first (a closing line, then longer phrasing, the "
             "institution, the tail of the reason after its first clause, the signature), then "
             "the next shorter variant is tried; the specific point from the conversation and "
             "the reason go last. Nothing is cut mid-sentence, so for a long name the three "
             "LinkedIn lengths can come out the same (the bot then says so).", ""]
    for number, persona in enumerate(PERSONAS, 1):
        contact, student = persona.contact, persona.student
        parts += [f"## {number}. {persona.title}", "",
                  f"{student.name}, {student.programme}; writes to {contact.name} "
                  f"({contact.role or 'no role given'}, {contact.organisation}) "
                  f"by {contact.channel.value}.", ""]
        parts += [_block(label, draft) for label, draft in every_draft(persona)]
    return "\n".join(parts).rstrip() + "\n"


def main() -> None:
    PAGE.write_text(render(), encoding="utf-8")
    print(f"wrote {PAGE}", file=sys.stderr)


if __name__ == "__main__":
    main()
