"""A cohort is never stuck: its digest keeps its schedule and someone can always become its
coach when the coach leaves or forgets; commands act only where they are typed; the wording of
the cohort's answers."""

from __future__ import annotations

from datetime import timedelta

from infointerview.core import Engine, PostToChannel, SendDM, SimulatedClock
from tests.helpers import User, text_of
from tests.integration.test_cohorts import cohort_of, dm, member, share


def _digests_until(engine: Engine, clock: SimulatedClock, days: int) -> list[PostToChannel]:
    """Run the clock on a day at a time, handling every due reminder; the digests posted."""
    posts: list[PostToChannel] = []
    for _ in range(days):
        clock.set(clock() + timedelta(days=1))
        for event in engine.claim_due_reminders("console", 500):
            effects = engine.handle(event)
            posts += [e for e in effects if isinstance(e, PostToChannel)]
            engine.reminder_delivered(event.reminder_id)
    return posts


def _coach_goes(coach: User, how: str) -> list[object]:
    if how == "forget":
        dm(coach).command("forget-me")
        return list(dm(coach).click("forget_confirm"))
    return list(coach.command("cohort", "leave"))


def _cohort_with_members(engine: Engine) -> tuple[User, User, User]:
    coach = member(engine, "coach", manager=True)
    cohort_of(coach)
    ana, ben = member(engine, "ana"), member(engine, "ben")
    ana.command("cohort", "join")  # ana joined first: the longest-standing member
    ben.command("cohort", "join")
    return coach, ana, ben


def _check_coach_gone(engine: Engine, clock: SimulatedClock, how: str) -> None:
    coach, ana, ben = _cohort_with_members(engine)
    effects = _coach_goes(coach, how)
    # the longest-standing member is offered the role in their DM, with a button
    offers = [e for e in effects if isinstance(e, SendDM) and e.user_id == "ana"]
    assert len(offers) == 1, effects
    assert "no coach" in offers[0].message.plain_text()
    button = next(b for b in offers[0].message.buttons if b.action == "cohort_coach")
    assert not [e for e in effects if isinstance(e, SendDM) and e.user_id == "ben"]
    # the digest keeps its weekly schedule: the next two Fridays, in the channel
    posts = _digests_until(engine, clock, 14)
    assert [p.channel_id for p in posts] == ["cohort-a", "cohort-a"]
    # until someone takes the role, nobody is a coach; ben (not the longest-standing) cannot
    assert "coaches" in text_of(ben.command("cohort", "report"))
    assert "longest-standing" in text_of(ben.command("cohort", "coach"))
    assert "You are now the coach" in text_of(dm(ana).click(button.action, button.value))
    assert "coach" in text_of(dm(ana).command("cohort"))
    assert any(isinstance(e, SendDM) and e.user_id == "ana"
               for e in ana.command("cohort", "report"))
    assert "digest now goes out" in text_of(ana.command("cohort", "digest mon 09:00"))
    # still exactly one digest a week after the hand-over
    assert len(_digests_until(engine, clock, 7)) == 1


def test_coach_forgets_digest_keeps_its_schedule_and_a_member_can_become_coach(
        engine: Engine, clock: SimulatedClock) -> None:
    _check_coach_gone(engine, clock, "forget")


def test_coach_leaves_digest_keeps_its_schedule_and_a_member_can_become_coach(
        engine: Engine, clock: SimulatedClock) -> None:
    _check_coach_gone(engine, clock, "leave")


def test_a_channel_manager_can_take_over_a_coachless_cohort(engine: Engine) -> None:
    coach, ana, _ = _cohort_with_members(engine)
    _coach_goes(coach, "forget")
    admin = member(engine, "admin", manager=True)
    # create in that channel no longer dead-ends in "already a cohort": it takes the role
    assert "You are now the coach" in text_of(admin.command("cohort", "create"))
    assert any(isinstance(e, SendDM) and e.user_id == "admin"
               for e in admin.command("cohort", "report"))
    # once there is a coach, the offer has lapsed
    assert "already has a coach" in text_of(ana.command("cohort", "coach"))


def test_last_member_gone_then_a_manager_revives_the_cohort_and_its_digest(
        engine: Engine, clock: SimulatedClock) -> None:
    coach = member(engine, "coach", manager=True)
    cohort_of(coach)
    _coach_goes(coach, "leave")
    assert _digests_until(engine, clock, 8) == []  # no members: nothing to report on
    admin = member(engine, "admin", manager=True)
    assert "You are now the coach" in text_of(admin.command("cohort", "create"))
    assert len(_digests_until(engine, clock, 7)) == 1


def test_a_member_leaving_does_not_double_the_digest(engine: Engine,
                                                      clock: SimulatedClock) -> None:
    coach, ana, ben = _cohort_with_members(engine)
    _coach_goes(coach, "leave")  # the digest moves to a member
    ben.command("cohort", "leave")
    ana.command("cohort", "coach")
    assert len(_digests_until(engine, clock, 7)) == 1


# --- commands act where they are typed -------------------------------------------------------


def test_leave_pause_resume_in_an_unrelated_channel_touch_no_cohort(engine: Engine) -> None:
    cohort_of(member(engine, "coach", manager=True))
    ana = member(engine, "ana")
    ana.command("cohort", "join")
    number = ana.add_contact()
    share(ana, number, "card")
    asker = member(engine, "ari")
    asker.command("cohort", "join")
    elsewhere = User(engine, "ana", channel="random")
    for sub in ("leave", "pause", "resume"):
        assert "not a cohort" in text_of(elsewhere.command("cohort", sub))
    assert "Jordan" in text_of(asker.command("cohort", "find regulatory"))
    assert "Bootcamp Spring" in text_of(dm(ana).command("cohort"))
    # in a direct message the only cohort is still meant
    assert "Paused" in text_of(dm(ana).command("cohort", "pause"))
    assert "You left" in text_of(dm(ana).command("cohort", "leave"))


# --- wording ---------------------------------------------------------------------------------


def test_join_in_a_channel_that_is_no_cohort_says_so(engine: Engine) -> None:
    said = text_of(User(engine, "ana", channel="random").command("cohort", "join"))
    assert "This channel is not a cohort." in said
    assert "direct message" not in said


def test_report_from_a_member_who_is_not_coach_says_coaches_only(engine: Engine) -> None:
    cohort_of(member(engine, "coach", manager=True))
    ana = member(engine, "ana")
    ana.command("cohort", "join")
    said = text_of(dm(ana).command("cohort", "report"))
    assert "Only the cohort's coaches can do that." in said
    assert "not in a cohort" not in said


def test_joining_twice_reads_as_sentences(engine: Engine) -> None:
    cohort_of(member(engine, "coach", manager=True))
    ana = member(engine, "ana")
    ana.command("cohort", "join")
    said = text_of(ana.command("cohort", "join"))
    assert "You are already in Bootcamp Spring. Nothing of yours is shared" in said


def test_a_coach_who_leaves_and_rejoins_does_not_double_the_digest(
        engine: Engine, clock: SimulatedClock) -> None:
    coach, _, _ = _cohort_with_members(engine)
    coach.command("cohort", "leave")
    coach.command("cohort", "join")
    assert len(_digests_until(engine, clock, 7)) == 1


def test_when_the_member_offered_the_role_leaves_the_offer_passes_on(engine: Engine) -> None:
    coach, ana, ben = _cohort_with_members(engine)
    _coach_goes(coach, "leave")
    effects = ana.command("cohort", "leave")
    offers = [e for e in effects if isinstance(e, SendDM) and e.user_id == "ben"]
    assert offers and "no coach" in offers[0].message.plain_text()
    assert "You are now the coach" in text_of(ben.command("cohort", "coach"))
