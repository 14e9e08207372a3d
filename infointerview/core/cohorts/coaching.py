"""Who coaches a cohort and who holds its weekly digest, as people come and go.

The rule (README, "Cohort channels"): the digest is a reminder held by one member, a coach when
there is one; when its holder leaves or forgets, it moves to the next member on the same
schedule, so no week is skipped. When the last coach goes, the longest-standing member is
offered the role in their DM and can take it (the button, or ``cohort coach``); anyone who may
make the channel a cohort can take the role at any time (``cohort coach`` or ``cohort create``
in the channel), also when every member has gone.
"""

from __future__ import annotations

from datetime import datetime

from infointerview.core.cohorts import progress
from infointerview.core.cohorts.ports import Row
from infointerview.core.cohorts.scope import DIGEST, Scope, digest_key
from infointerview.core.model import Button, ButtonStyle, Schedule, SendDM

COACH = "coach"


def hold_digest(scope: Scope, cohort: Row, holder_pk: int,
                due: datetime | None = None) -> None:
    """Make ``holder_pk`` the one member whose reminder posts the digest: any other member's is
    cancelled (two holders would post it twice). Without ``due``, the time already queued is
    kept, so a hand-over never moves the week's digest."""
    queued = scope.store.digest_reminders(cohort, DIGEST)
    scope.store.cancel_reminders([r["id"] for r in queued if r["user_pk"] != holder_pk],
                           scope.ctx.now)
    holder = scope.store.user(holder_pk)
    if holder is None:
        return
    when = due or min((r["due_at"] for r in queued), default=None) or progress.next_digest(
        scope.ctx.now, cohort["digest_day"], cohort["digest_time"], cohort["tz"])
    key = digest_key(int(cohort["id"]))
    if holder_pk == scope.pk:  # at the cohort's own time: the holder's quiet hours do not apply
        scope.ctx.schedule(key, DIGEST, when, int(cohort["id"]), exact=True)
    else:
        scope.store.schedule_for(holder_pk, Schedule(key, DIGEST, when, cohort["id"]),
                                 scope.ctx.now)


def depart(scope: Scope, cohort: Row) -> None:
    """Take this person out of the cohort (their shares are withdrawn) and keep it going
    without them: the digest moves on, and a cohort left with no coach offers the role."""
    before = scope.store.members(cohort["id"])
    me = next((m for m in before if m["user_pk"] == scope.pk), None)
    # the one offered the role when there is no coach: if they go, the offer passes on
    was_senior = bool(before) and before[0]["user_pk"] == scope.pk
    queued = scope.store.digest_reminders(cohort, DIGEST)  # theirs too, while still a member
    due = min((r["due_at"] for r in queued), default=None)
    scope.store.leave(cohort["id"], scope.pk)
    remaining = scope.store.members(cohort["id"])
    coaches = [m for m in remaining if m["role"] == COACH]
    # theirs goes now: were they to rejoin, it would post beside the one that moved on
    scope.store.cancel_reminders([r["id"] for r in queued
                                     if not remaining or r["user_pk"] == scope.pk],
                           scope.ctx.now)
    if not remaining:  # nobody to report on; whoever joins or takes the role restarts it
        return
    hold_digest(scope, cohort, (coaches or remaining)[0]["user_pk"], due)
    if not coaches and ((me is not None and me["role"] == COACH) or was_senior):
        _offer_role(scope, cohort, remaining[0])


def _offer_role(scope: Scope, cohort: Row, senior: Row) -> None:
    scope.ctx.effects.append(SendDM(str(senior["user_id"]), scope.ctx.message(
        "cohort/coach_offer.j2", cohort=cohort,
        buttons=[Button("cohort_coach", "Become the coach", str(cohort["id"]),
                        ButtonStyle.PRIMARY)])))


def become_coach(scope: Scope, rest: str) -> None:
    """``cohort coach``: take the coach's role, in the cohort's channel or (one cohort) a DM."""
    cohort = scope.target()
    if cohort is not None:
        take_role(scope, cohort)


def click_become_coach(scope: Scope, value: str) -> None:
    cohort = scope.button_cohort(value)
    if cohort is not None:
        take_role(scope, cohort)


def take_role(scope: Scope, cohort: Row) -> None:
    """A channel manager may always; otherwise only the longest-standing member of a cohort
    that has no coach (the one offered the role)."""
    me = scope.store.membership(cohort["id"], scope.pk)
    if me is not None and me["role"] == COACH:
        scope.say("cohort/coach_already_you.j2", cohort=cohort)
        return
    remaining = scope.store.members(cohort["id"])
    if not scope.actor.manager:
        if any(m["role"] == COACH for m in remaining):
            scope.say("cohort/coach_taken.j2", cohort=cohort)
            return
        if me is None or remaining[0]["user_pk"] != scope.pk:
            scope.say("cohort/coach_not_yours.j2", cohort=cohort)
            return
    if me is None:
        scope.store.join(cohort["id"], scope.pk, COACH, scope.ctx.now)
        scope.ctx.state.conversation.in_cohort = True
    else:
        scope.store.set_member(cohort["id"], scope.pk, role=COACH)
    hold_digest(scope, cohort, scope.pk)
    scope.say("cohort/coach_now.j2", cohort=cohort)


def has_coach(scope: Scope, cohort: Row) -> bool:
    return any(m["role"] == COACH for m in scope.store.members(cohort["id"]))


def leave_all(scope: Scope) -> None:
    """Leave every cohort as ``leave`` would (forget-me)."""
    for cohort in scope.store.my_cohorts(scope.pk):
        depart(scope, cohort)
