"""Every reminder kind, declared once.

A kind's rules used to be spread over nudges' tables, timing's quiet-hours list, hand-made keys
in the handlers and the cohort digest's own constant; adding a kind meant finding them all. Here
each kind is one frozen entry, and the code that schedules, sends, snoozes or skips a reminder
reads it. What a rule *does* (drafting the thank-you, computing a deadline) stays with that code;
the entry only names which rule applies, so this module stays pure data.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from infointerview.core.journey.state import Stage

S = Stage


class Owner(StrEnum):
    """What the number in a reminder's key names."""

    CONTACT = "contact"  # one of the person's contacts
    PERSON = "person"  # nobody: the person themselves (the key is the kind alone)
    COHORT = "cohort"  # a cohort (its digest, posted by one member's reminder)


class Content(StrEnum):
    """What a reminder's message carries besides its template's text."""

    NONE = "none"
    THANK_YOU = "thank_you"  # the thank-you draft and its 48-hour due time
    FOLLOW_UP = "follow_up"  # the polite follow-up draft
    AGENDA = "agenda"  # when and how the meeting is, the agenda and the introduction
    LINKEDIN = "linkedin"  # the LinkedIn connection note
    SOMEONE_ELSE = "someone_else"  # people shared at the same organisation, with intro buttons


class Deadline(StrEnum):
    """What a reminder leads up to: a snooze that would come back after it is not offered."""

    NONE = "none"
    MEETING = "meeting"  # the meeting's start
    INTERVIEW_END = "interview_end"  # the running interview's planned end
    THANK_YOU = "thank_you"  # 48 hours after the interview


# Snoozes by the value their button carries; most kinds offer these three.
SNOOZES = ("1h", "morning", "week")


@dataclass(frozen=True, slots=True)
class ReminderKind:
    name: str
    owner: Owner
    template: str
    # the stages in which it still makes sense (contact reminders only)
    relevant_in: frozenset[Stage] = frozenset()
    # the contact action Done performs, where it moves the journey on
    done_action: str | None = None
    # the later reminders of its series: skipping this one skips them too
    later_in_series: tuple[str, ...] = ()
    # tied to a moment the person chose themselves, it arrives on time, quiet hours or not
    ignores_quiet_hours: bool = False
    snoozes: tuple[str, ...] = SNOOZES
    content: Content = Content.NONE
    deadline: Deadline = Deadline.NONE
    # once the conversation has begun (even early), preparing for it is past
    ends_when_interview_starts: bool = False
    # said only while that contact's interview is running
    needs_running_interview: bool = False
    # the series' last call (the template says so)
    last_call: bool = False
    # contact actions it offers beside Done, Snooze and Skip (when they apply to the contact)
    offers: tuple[str, ...] = ()

    @property
    def series(self) -> tuple[str, ...]:
        """What skipping this reminder cancels: itself and the rest of its series."""
        return (self.name, *self.later_in_series)

    def key(self, number: int | None) -> str:
        return reminder_key(self.name, number)


def reminder_key(kind: str, number: int | None) -> str:
    """The key a reminder is stored under: one per kind and contact (or cohort), so asking for
    it again moves it rather than adding a second."""
    return kind if number is None else f"{kind}:{number}"


def _in(*stages: Stage) -> frozenset[Stage]:
    return frozenset(stages)


C = Owner.CONTACT

NO_REPLY_NUDGE = ReminderKind(
    "no_reply_nudge", C, "nudges/no_reply_nudge.j2", relevant_in=_in(S.OUTREACH_SENT),
    later_in_series=("no_reply_follow_up", "no_reply_park"))
NO_REPLY_FOLLOW_UP = ReminderKind(
    "no_reply_follow_up", C, "nudges/no_reply_follow_up.j2",
    relevant_in=_in(S.OUTREACH_SENT, S.NO_REPLY), done_action="follow_up_sent",
    later_in_series=("no_reply_park",), content=Content.FOLLOW_UP)
NO_REPLY_PARK = ReminderKind(
    "no_reply_park", C, "nudges/no_reply_park.j2", relevant_in=_in(S.FOLLOW_UP_SENT),
    done_action="park", offers=("someone_else",), content=Content.SOMEONE_ELSE)
PREP_DAY = ReminderKind(
    "prep_day", C, "nudges/prep_day.j2", relevant_in=_in(S.SCHEDULED, S.PREPARED),
    done_action="prepared", later_in_series=("prep_hour",), content=Content.AGENDA,
    deadline=Deadline.MEETING, ends_when_interview_starts=True)
PREP_HOUR = ReminderKind(
    "prep_hour", C, "nudges/prep_hour.j2", relevant_in=_in(S.SCHEDULED, S.PREPARED),
    ignores_quiet_hours=True, snoozes=("15m",), content=Content.AGENDA,
    deadline=Deadline.MEETING, ends_when_interview_starts=True)
INTERVIEW_WRAP = ReminderKind(
    "interview_wrap", C, "nudges/interview_wrap.j2", relevant_in=_in(S.SCHEDULED, S.PREPARED),
    done_action="end_interview", ignores_quiet_hours=True, snoozes=("5m",),
    deadline=Deadline.INTERVIEW_END, needs_running_interview=True)
THANK_YOU = ReminderKind(
    "thank_you", C, "nudges/thank_you.j2", relevant_in=_in(S.INTERVIEWED),
    done_action="thanked", later_in_series=("thank_you_last",), content=Content.THANK_YOU,
    deadline=Deadline.THANK_YOU)
THANK_YOU_LAST = ReminderKind(
    "thank_you_last", C, "nudges/thank_you_last.j2", relevant_in=_in(S.INTERVIEWED),
    done_action="thanked", content=Content.THANK_YOU, deadline=Deadline.THANK_YOU,
    last_call=True)
LINKEDIN = ReminderKind(
    "linkedin", C, "nudges/linkedin.j2", relevant_in=_in(S.THANKED), done_action="connected",
    content=Content.LINKEDIN)
KEEP_IN_TOUCH = ReminderKind(
    "keep_in_touch", C, "nudges/keep_in_touch.j2",
    relevant_in=_in(S.CONNECTED, S.KEEPING_IN_TOUCH, S.THANKED), done_action="logged_contact")
# the opt-in Monday summary: sent whatever the contacts' stages
WEEKLY_SUMMARY = ReminderKind("weekly_summary", Owner.PERSON, "nudges/weekly_summary.j2")
# a cohort's weekly digest: one member's reminder posts it in the cohort's channel, at the
# cohort's own time whoever holds it (core.cohorts schedules it exact, past any quiet hours)
COHORT_DIGEST = ReminderKind("cohort_digest", Owner.COHORT, "cohort/digest.j2", snoozes=())

REMINDER_KINDS: dict[str, ReminderKind] = {kind.name: kind for kind in (
    NO_REPLY_NUDGE, NO_REPLY_FOLLOW_UP, NO_REPLY_PARK, PREP_DAY, PREP_HOUR, INTERVIEW_WRAP,
    THANK_YOU, THANK_YOU_LAST, LINKEDIN, KEEP_IN_TOUCH, WEEKLY_SUMMARY, COHORT_DIGEST,
)}
# A contact's reminders, in the order a change of stage reconsiders them.
CONTACT_KINDS = tuple(k for k in REMINDER_KINDS.values() if k.owner is Owner.CONTACT)
# The kinds the journey sends with Done / Snooze / Skip buttons (a digest goes to a channel).
JOURNEY_KINDS = frozenset(k.name for k in REMINDER_KINDS.values() if k.owner is not Owner.COHORT)


def ignores_quiet_hours(kind: str) -> bool:
    spec = REMINDER_KINDS.get(kind)
    return spec is not None and spec.ignores_quiet_hours
