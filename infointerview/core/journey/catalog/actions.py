"""The journey declared as data: named stages, the actions each allows, and where they lead.

Handlers (in the sibling modules) implement what an action *says*; this table decides whether an
action is allowed for a contact in its current stage and which stage it moves the contact to.
The router applies that move (:func:`enter`) as the action begins, so a handler never sets a
contact's stage itself; only where the move waits on an outcome (``moved_by_handler``) does the
handler call :func:`enter`, once that outcome is known.
"""

from __future__ import annotations

from dataclasses import dataclass

from infointerview.core.journey.state import Contact, Stage

S = Stage


@dataclass(frozen=True, slots=True)
class StageSpec:
    label: str
    step: str  # set-up, interview or follow-up: the seed's three steps
    next_action: str
    primary: str | None  # the action `/infointerview done N` performs


@dataclass(frozen=True, slots=True)
class ActionSpec:
    label: str
    allowed_in: frozenset[Stage]
    moves_to: Stage | None = None  # None: the stage stays
    # The move waits on what the handler finds: a draft too long to send, a meeting form to
    # fill in. Otherwise the router moves the contact *before* the handler runs, because the
    # handler's messages offer the buttons of the stage the contact is moving to.
    moved_by_handler: bool = False
    # offered only for a contact whose organisation is known (someone else *there*)
    needs_organisation: bool = False


def _in(*stages: Stage) -> frozenset[Stage]:
    return frozenset(stages)


ALL_STAGES = frozenset(Stage)
BEFORE_INTERVIEW = _in(
    S.IDENTIFIED, S.OUTREACH_DRAFTED, S.OUTREACH_SENT, S.REPLIED, S.SCHEDULED, S.PREPARED,
    S.NO_REPLY, S.FOLLOW_UP_SENT,
)
AFTER_INTERVIEW = _in(S.INTERVIEWED, S.THANKED, S.CONNECTED, S.KEEPING_IN_TOUCH)

STAGES: dict[Stage, StageSpec] = {
    S.IDENTIFIED: StageSpec("Identified", "set-up", "draft your outreach message", "draft"),
    S.OUTREACH_DRAFTED: StageSpec("Outreach drafted", "set-up", "send it, then mark it sent",
                                  "mark_sent"),
    S.OUTREACH_SENT: StageSpec("Outreach sent", "set-up",
                               "wait for a reply (mark it when it comes)",
                               "replied"),
    S.REPLIED: StageSpec("Replied", "set-up", "propose times and agree on one", "schedule"),
    S.SCHEDULED: StageSpec("Scheduled", "set-up", "pick your questions", "prepared"),
    S.PREPARED: StageSpec("Prepared", "interview", "hold the interview", "start_interview"),
    S.INTERVIEWED: StageSpec("Interviewed", "follow-up", "send a thank-you within 48 hours",
                             "thanked"),
    S.THANKED: StageSpec("Thank-you sent", "follow-up", "connect on LinkedIn", "connected"),
    S.CONNECTED: StageSpec("Connected", "follow-up", "keep in touch now and then", "keep_in_touch"),
    S.KEEPING_IN_TOUCH: StageSpec("Keeping in touch", "follow-up",
                                  "log a catch-up or an application", None),
    S.NO_REPLY: StageSpec("No reply yet", "set-up", "send one polite follow-up", "follow_up_sent"),
    S.FOLLOW_UP_SENT: StageSpec("Follow-up sent", "set-up", "wait, or park the contact",
                                "replied"),
    S.PARKED: StageSpec("Parked", "set-up", "nothing for now (reopen any time)", None),
}

ACTIONS: dict[str, ActionSpec] = {
    "card": ActionSpec("Show card", ALL_STAGES),
    "edit": ActionSpec("Edit details", ALL_STAGES),
    "draft": ActionSpec("Draft outreach", _in(S.IDENTIFIED, S.OUTREACH_DRAFTED),
                        S.OUTREACH_DRAFTED),
    "shorter": ActionSpec("Shorter", _in(S.OUTREACH_DRAFTED)),
    "longer": ActionSpec("Longer", _in(S.OUTREACH_DRAFTED)),
    "edit_draft": ActionSpec("Edit draft", _in(S.OUTREACH_DRAFTED)),
    "mark_sent": ActionSpec("Mark sent", _in(S.IDENTIFIED, S.OUTREACH_DRAFTED), S.OUTREACH_SENT,
                            moved_by_handler=True),
    "replied": ActionSpec("They replied",
                          _in(S.OUTREACH_SENT, S.NO_REPLY, S.FOLLOW_UP_SENT, S.PARKED), S.REPLIED),
    "no_reply": ActionSpec("No reply yet", _in(S.OUTREACH_SENT), S.NO_REPLY),
    "follow_up": ActionSpec("Draft follow-up", _in(S.OUTREACH_SENT, S.NO_REPLY)),
    "follow_up_sent": ActionSpec("Mark follow-up sent", _in(S.OUTREACH_SENT, S.NO_REPLY),
                                 S.FOLLOW_UP_SENT),
    "park": ActionSpec("Park", BEFORE_INTERVIEW - {S.PARKED}, S.PARKED),
    "reopen": ActionSpec("Reopen", _in(S.PARKED), S.IDENTIFIED),
    # no reply after the one follow-up: a second person at the same organisation
    "someone_else": ActionSpec("Someone else there", _in(S.FOLLOW_UP_SENT, S.PARKED),
                               needs_organisation=True),
    "propose": ActionSpec("Propose times", _in(S.REPLIED, S.SCHEDULED)),
    "schedule": ActionSpec("Agreed a time", _in(S.REPLIED, S.SCHEDULED, S.PREPARED), S.SCHEDULED,
                           moved_by_handler=True),  # when the meeting form is accepted
    "calendar": ActionSpec("Calendar file", _in(S.SCHEDULED, S.PREPARED)),
    "questions": ActionSpec("Questions", BEFORE_INTERVIEW | _in(S.INTERVIEWED)),
    "bank": ActionSpec("Question bank", BEFORE_INTERVIEW | _in(S.INTERVIEWED)),
    "custom_question": ActionSpec("Add my own question", BEFORE_INTERVIEW | _in(S.INTERVIEWED)),
    "prepared": ActionSpec("Agenda ready", _in(S.SCHEDULED, S.PREPARED), S.PREPARED),
    "start_interview": ActionSpec("Start interview", _in(S.SCHEDULED, S.PREPARED)),
    "star": ActionSpec("Star", ALL_STAGES),
    "add_note": ActionSpec("Add a note", ALL_STAGES),
    "phrase_note": ActionSpec("Reword it for them", ALL_STAGES),
    "add_referral": ActionSpec("Add a referral", _in(S.PREPARED, S.SCHEDULED) | AFTER_INTERVIEW),
    "wrap_up": ActionSpec("Wrap up", _in(S.SCHEDULED, S.PREPARED)),
    "end_interview": ActionSpec("End interview", _in(S.SCHEDULED, S.PREPARED), S.INTERVIEWED),
    "thank_you": ActionSpec("Thank-you draft", AFTER_INTERVIEW),
    "thanked": ActionSpec("Mark thank-you sent", _in(S.INTERVIEWED), S.THANKED),
    "linkedin": ActionSpec("LinkedIn note", AFTER_INTERVIEW),
    "connected": ActionSpec("Mark connected", _in(S.INTERVIEWED, S.THANKED), S.CONNECTED),
    "keep_in_touch": ActionSpec("Keep in touch", _in(S.THANKED, S.CONNECTED), S.KEEPING_IN_TOUCH),
    "logged_contact": ActionSpec("Log a catch-up", AFTER_INTERVIEW, S.KEEPING_IN_TOUCH),
    "second_thanked": ActionSpec("Mark second thank-you sent", AFTER_INTERVIEW),
}


def allowed(action: str, stage: Stage) -> bool:
    spec = ACTIONS.get(action)
    return spec is not None and stage in spec.allowed_in


def actions_for(stage: Stage) -> list[str]:
    return [name for name, spec in ACTIONS.items() if stage in spec.allowed_in]


def moved(stage: Stage, action: str) -> Stage:
    """The stage after ``action`` (unchanged when the action does not move the contact)."""
    return ACTIONS[action].moves_to or stage


def enter(contact: Contact, action: str) -> None:
    """Move the contact to the stage ``action`` leads to, as the catalogue says."""
    contact.stage = moved(contact.stage, action)
