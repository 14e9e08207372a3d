"""A cohort's life: create, join, leave, pause; its weekly digest and the coach's report."""

from __future__ import annotations

from datetime import datetime, timedelta

from infointerview.core.cohorts import asking, progress
from infointerview.core.cohorts.coaching import depart, has_coach, hold_digest, take_role
from infointerview.core.cohorts.ports import Row
from infointerview.core.cohorts.scope import DIGEST, Scope, digest_key
from infointerview.core.forms import parse_clock_time, parse_number
from infointerview.core.model import Attachment, Button, ButtonStyle, PostToChannel
from infointerview.core.timezones import resolve_timezone

MAX_INTRO_PERIOD_WEEKS = 26  # half a year: longer would stop a cohort's introductions for good


def cohort_status(scope: Scope, rest: str) -> None:
    scope.say("cohort/status.j2", cohorts=scope.mine())


def create(scope: Scope, name: str) -> None:
    if scope.ctx.place.is_dm:
        scope.say("cohort/use_in_channel.j2", what="create")
        return
    if not scope.actor.manager:
        scope.say("cohort/not_allowed.j2")
        return
    here = scope.here()
    if here is not None:
        if has_coach(scope, here):
            scope.say("cohort/already_cohort.j2")
        else:  # its coach left or forgot: a manager here takes the role, not a dead end
            take_role(scope, here)
        return
    now, tz = scope.ctx.now, scope.ctx.state.settings.tz or "UTC"
    cohort_id = scope.store.create_cohort(scope.actor.platform, scope.actor.tenant,
                                    scope.ctx.place.channel_id, name or "Cohort", tz, now)
    scope.store.join(cohort_id, scope.pk, "coach", now)
    scope.ctx.state.conversation.in_cohort = True
    # at the cohort's own time: the coach's quiet hours do not apply
    scope.ctx.schedule(digest_key(cohort_id), DIGEST, progress.next_digest(now, 4, "16:00", tz),
                       cohort_id, exact=True)
    scope.say("cohort/created.j2", name=name or "Cohort")
    scope.ctx.effects.append(PostToChannel(scope.ctx.place.channel_id, scope.ctx.message(
        "cohort/announce.j2", name=name or "Cohort",
        buttons=[Button("cohort_join", "Join this cohort", str(cohort_id), ButtonStyle.PRIMARY)])))


def join(scope: Scope, rest: str) -> None:
    here = scope.here()
    if here is None:
        scope.say("cohort/use_in_channel.j2" if scope.ctx.place.is_dm
                  else "cohort/not_a_cohort_channel.j2", what="join")
        return
    _join(scope, here)


def click_join(scope: Scope, value: str) -> None:
    found = scope.button_cohort(value)
    if found is not None:
        _join(scope, found)


def _join(scope: Scope, cohort: Row) -> None:
    member = scope.store.membership(cohort["id"], scope.pk)
    if member is not None:
        if member["paused"]:
            scope.store.set_member(cohort["id"], scope.pk, paused=False)
        scope.say("cohort/joined.j2", cohort=cohort, again=True)
        return
    scope.store.join(cohort["id"], scope.pk, "member", scope.ctx.now)
    scope.ctx.state.conversation.in_cohort = True
    if not scope.store.digest_reminders(cohort, DIGEST):  # everyone had gone: it restarts
        hold_digest(scope, cohort, scope.pk)
    scope.say("cohort/joined.j2", cohort=cohort, again=False)


def _my_target(scope: Scope) -> Row | None:
    """The cohort this is about, if the person is a member of it (told otherwise)."""
    cohort = scope.target()
    if cohort is not None and scope.store.membership(cohort["id"], scope.pk) is None:
        scope.say("cohort/not_member.j2")
        return None
    return cohort


def leave(scope: Scope, rest: str) -> None:
    cohort = _my_target(scope)
    if cohort is None:
        return
    depart(scope, cohort)
    scope.ctx.state.conversation.in_cohort = bool(scope.store.my_cohorts(scope.pk)) or None
    scope.say("cohort/left.j2", cohort=cohort)


def pause(scope: Scope, rest: str, paused: bool = True) -> None:
    cohort = _my_target(scope)
    if cohort is None:
        return
    scope.store.set_member(cohort["id"], scope.pk, paused=paused)
    scope.say("cohort/paused.j2", cohort=cohort, paused=paused)


def shoutouts(scope: Scope, rest: str) -> None:
    cohort = _my_target(scope)
    if cohort is None:
        return
    on = rest.strip().lower() not in ("off", "no", "stop")
    scope.store.set_member(cohort["id"], scope.pk, shoutouts=on)
    scope.say("cohort/shoutouts.j2", on=on)


def digest_settings(scope: Scope, rest: str) -> None:
    """``cohort digest fri 16:00 [Europe/Berlin]`` (coaches)."""
    cohort = scope.target(role="coach")
    if cohort is None:
        return
    if not _is_coach(scope, cohort):
        return
    words = rest.split()
    day = progress.DAYS.index(words[0][:3].lower()) \
        if words and words[0][:3].lower() in progress.DAYS else None
    at = parse_clock_time(words[1]) if len(words) > 1 else None
    tz = resolve_timezone(" ".join(words[2:])).zone if len(words) > 2 else cohort["tz"]
    if day is None or at is None or tz is None:
        scope.say("cohort/digest_usage.j2")
        return
    when = at.strftime("%H:%M")
    scope.store.set_digest(cohort["id"], day, when, tz)
    # this coach takes the digest over: two members' reminders would post it twice
    hold_digest(scope, cohort, scope.pk, progress.next_digest(scope.ctx.now, day, when, tz))
    scope.say("cohort/digest_set.j2", day=progress.DAYS[day].capitalize(), at=when, tz=tz)


def intro_period(scope: Scope, rest: str) -> None:
    """``cohort intro-period 4`` (coaches): weeks between two requests to one person."""
    cohort = scope.target(role="coach")
    if cohort is None or not _is_coach(scope, cohort):
        return
    weeks = parse_number(rest.split()[0]) if rest.split() else None
    if weeks is None or not 1 <= weeks <= MAX_INTRO_PERIOD_WEEKS:
        scope.say("cohort/intro_period_usage.j2", weeks=int(cohort["intro_period_days"]) // 7)
        return
    scope.store.set_intro_period(cohort["id"], weeks * 7)
    scope.say("cohort/intro_period_set.j2", cohort=cohort, weeks=weeks)


def _is_coach(scope: Scope, cohort: Row) -> bool:
    member = scope.store.membership(cohort["id"], scope.pk)
    if member is None or member["role"] != "coach":
        scope.say("cohort/coaches_only.j2")
        return False
    return True


# --- digest and coach report -----------------------------------------------------------------


def post_digest(scope: Scope, cohort_id: int | None, due_at: datetime) -> None:
    """The week that ended when the digest was due (it may be sent late after downtime)."""
    cohort = scope.store.cohort(cohort_id or 0, scope.actor.platform, scope.actor.tenant)
    if cohort is None or scope.store.membership(cohort["id"], scope.pk) is None:
        return  # the cohort is gone, or this reminder's owner left (it was moved on)
    members = scope.store.members(cohort["id"])
    end = min(due_at, scope.ctx.now)
    # numbers only in the channel: requests this week, and people asked more than once in
    # the cohort's intro period (a declined request counts: it still reached the member)
    period = timedelta(days=int(cohort["intro_period_days"]))
    this_week = scope.store.intro_requests_per_contact(cohort["id"], end - progress.WEEK, end)
    in_period = scope.store.intro_requests_per_contact(cohort["id"], end - period, end)
    figures = progress.digest(members, scope.store.member_contacts(
        [m["user_pk"] for m in members]),
        scope.store.shared_between(cohort["id"], end - progress.WEEK, end), end,
        intros=progress.IntroFigures(
            asked_this_week=sum(int(r["requests"]) for r in this_week),
            asked_more_than_once=asking.asked_more_than_once(in_period),
            period_weeks=period.days // 7))
    scope.ctx.effects.append(PostToChannel(str(cohort["channel_id"]), scope.ctx.message(
        "cohort/digest.j2", cohort=cohort, d=figures)))
    due = progress.next_digest(scope.ctx.now, cohort["digest_day"], cohort["digest_time"],
                               cohort["tz"])
    scope.ctx.schedule(digest_key(int(cohort["id"])), DIGEST, due, int(cohort["id"]), exact=True)


def coach_report(scope: Scope, rest: str) -> None:
    cohort = scope.target(role="coach")
    if cohort is None or not _is_coach(scope, cohort):
        return
    members = scope.store.members(cohort["id"])
    rows = progress.report(members, scope.store.member_contacts(
        [m["user_pk"] for m in members]), scope.ctx.now)
    scope.ctx.private(scope.ctx.message(
        "cohort/report.j2", cohort=cohort, rows=[
            {"r": r, "stages": "; ".join(f"{label} {n}" for label, n in r.stages),
             "last": scope.ctx.fmt(r.last_active)} for r in rows],
        attachments=[Attachment(f"cohort-{cohort['id']}-progress.csv", "text/csv",
                                progress.report_csv(rows))]))
