"""Cohort flows through ``step()`` and the cohort port alone, in memory (tests/unit/
fake_cohorts.py): creating and joining, sharing a contact only as its owner chose, finding it,
a warm introduction, the coach's report (never a contact's name or notes) and the weekly digest.

The same flows through the engine and a real database are in tests/test_cohort*.py."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from infointerview.core import (
    Effect,
    OpenForm,
    PostToChannel,
    Reply,
    SendDM,
)
from infointerview.core.cohorts.scope import DIGEST
from infointerview.core.journey.state import Contact, HowFound, Note, Sector, Stage
from infointerview.core.journey.timing import Availability
from tests.unit.fake_cohorts import Member, World, person
from tests.unit.pure_journey import PureJourney

MONDAY = datetime(2026, 4, 13, 10, 0, tzinfo=UTC)
CHANNEL = "C-fellows"
SECRET = "SECRET-NOTE hates small talk"


def said(effects: list[Effect]) -> str:
    return "\n".join(e.message.plain_text() for e in effects
                     if isinstance(e, Reply | SendDM | PostToChannel))


def cohort_with_members() -> tuple[World, Member, Member, Member, int]:
    """Casey makes #fellows a cohort; Amy and Bob join, by the button and by the command."""
    world = World(now=MONDAY)
    casey = person(world, "U-casey", "Casey Coach", manager=True, tz="Europe/Berlin")
    amy = person(world, "U-amy", "Amy Adams")
    bob = person(world, "U-bob", "Bob Brown")
    created = casey.command("cohort", "create Fellows", channel=CHANNEL)
    [announce] = [e for e in created if isinstance(e, PostToChannel)]
    [join_button] = announce.message.buttons
    assert (announce.channel_id, join_button.action) == (CHANNEL, "cohort_join")
    assert "Welcome to Fellows!" in said(amy.click("cohort_join", join_button.value,
                                                  channel=CHANNEL))
    bob.command("cohort", "join", channel=CHANNEL)
    return world, casey, amy, bob, int(join_button.value)


def dana(now: datetime) -> Contact:
    return Contact(no=1, name="Dana Diaz", role="Policy Analyst",
                   organisation="Financial Regulator", sector=Sector.GOVERNMENT,
                   email="dana@example.org", profile_url="https://example.org/dana",
                   notes=[Note(1, SECRET, now)], created_at=now)


def share_dana(amy: Member, visibility: str, email: str = "no", consent: str = "") -> None:
    amy.person.state.contacts.setdefault(1, dana(amy.world.now))
    [form] = [e.form for e in amy.command("share", "1") if isinstance(e, OpenForm)]
    assert form.form_id == "share:1" and form.values["visibility"] == "intro"
    amy.submit("share:1", {"cohort": form.values["cohort"], "visibility": visibility,
                           "email": email, "consent": consent})


def test_create_and_join_make_members_and_one_digest_at_the_cohorts_own_time() -> None:
    world, casey, amy, bob, cohort_id = cohort_with_members()
    port_view = {(m["user_pk"], m["role"]) for m in world.members}
    assert port_view == {(casey.person.pk, "coach"), (amy.person.pk, "member"),
                         (bob.person.pk, "member")}
    assert amy.person.state.conversation.in_cohort and bob.person.state.conversation.in_cohort
    [digest] = world.pending(DIGEST)
    berlin = ZoneInfo("Europe/Berlin")
    assert digest["user_pk"] == casey.person.pk and digest["contact_no"] == cohort_id
    assert digest["due_at"] == datetime.combine(date(2026, 4, 17), time(16, 0), berlin)  # Fridays
    # joining again is no second membership
    assert "already in Fellows" in said(amy.click("cohort_join", str(cohort_id),
                                                  channel=CHANNEL))
    assert len(world.members) == 3


def test_the_digest_keeps_the_cohorts_time_through_the_holders_quiet_hours() -> None:
    world = World(now=MONDAY)
    casey = person(world, "U-casey", "Casey Coach", manager=True)
    casey.person.state.settings.quiet_start, casey.person.state.settings.quiet_end = \
        "15:00", "17:00"
    friday_four = datetime(2026, 4, 17, 16, 0, tzinfo=UTC)
    quiet = Availability(ZoneInfo("UTC"), time(15, 0), time(17, 0), False, None)
    assert quiet.deliverable_at(friday_four, DIGEST) != friday_four  # what it would do
    casey.command("cohort", "create Fellows", channel=CHANNEL)
    [digest] = world.pending(DIGEST)
    assert digest["due_at"] == friday_four


def test_a_share_shows_only_what_its_owner_chose_and_never_notes() -> None:
    world, _, amy, bob, _ = cohort_with_members()
    before = said(bob.command("cohort", "find regulator", channel=CHANNEL))
    assert "Financial Regulator" not in before  # nothing shared yet: nothing to find

    share_dana(amy, "intro")
    found = bob.command("cohort", "find regulator", channel=CHANNEL)
    text = said(found)
    assert "Policy Analyst" in text and "Financial Regulator" in text
    for private in ("Dana", "dana@example.org", "example.org/dana", SECRET):
        assert private not in text
    [reply] = [e for e in found if isinstance(e, Reply)]
    assert [b.action for b in reply.message.buttons] == ["ask_intro"]

    share_dana(amy, "card")  # a card: the name and link, still not the e-mail
    text = said(bob.command("cohort", "find analyst", channel=CHANNEL))
    assert "Dana Diaz" in text and "Amy Adams" in text
    assert "dana@example.org" not in text and SECRET not in text
    assert len(world.shares) == 1  # one share per contact and cohort, changed in place

    share_dana(amy, "card", email="yes", consent="yes")
    assert "dana@example.org" in said(bob.command("cohort", "find dana", channel=CHANNEL))
    assert SECRET not in said(amy.command("cohort", "find dana", channel=CHANNEL))


def test_search_ranks_by_organisation_and_skips_paused_owners() -> None:
    world, _, amy, bob, _ = cohort_with_members()
    share_dana(amy, "card")
    bob.person.state.contacts[1] = Contact(no=1, name="Eli Evans", role="Regulatory Counsel",
                                           organisation="Law Firm", created_at=world.now)
    share_dana(bob, "card")
    stranger = said(person(world, "U-x", "Xavi").command("cohort", "find regulator",
                                                          channel=CHANNEL))
    assert "Join a cohort first" in stranger and "Dana" not in stranger
    text = said(amy.command("cohort", "find regulator", channel=CHANNEL))
    assert "Eli Evans" in text and "Dana" not in text  # her own shares are not results
    lines = said(bob.command("cohort", "find regulator", channel=CHANNEL)).splitlines()
    assert any("Dana Diaz" in line for line in lines)
    amy.command("cohort", "pause", channel=CHANNEL)
    assert "Dana" not in said(bob.command("cohort", "find regulator", channel=CHANNEL))
    amy.command("cohort", "resume", channel=CHANNEL)
    assert "Dana" in said(bob.command("cohort", "find regulator", channel=CHANNEL))


def test_a_warm_intro_asks_the_owner_and_adds_the_contact_on_yes() -> None:
    world, _, amy, bob, _ = cohort_with_members()
    share_dana(amy, "intro")
    [share] = world.shares
    [form] = [e.form for e in bob.click("ask_intro", str(share["id"]), channel=CHANNEL)
              if isinstance(e, OpenForm)]
    asked = bob.submit(form.form_id, {"reason": "I'd value 20 minutes on regulation."})
    [request] = [e for e in asked if isinstance(e, SendDM)]
    assert request.user_id == "U-amy" and SECRET not in request.message.plain_text()
    accept, _ = request.message.buttons
    assert accept.action == "intro_accept"
    assert "already asked" in said(bob.submit(form.form_id, {"reason": "again"}))
    assert len(world.intros) == 1

    accepted = amy.click("intro_accept", accept.value)
    [to_bob] = [e for e in accepted if isinstance(e, SendDM) and e.user_id == "U-bob"]
    added = bob.person.state.contacts[1]
    assert (added.name, added.how_found, added.found_detail) == \
        ("Dana Diaz", HowFound.REFERRAL, "Amy Adams")
    assert added.notes == [] and SECRET not in to_bob.message.plain_text()
    assert world.introduced_by == {(bob.person.pk, 1): amy.person.pk}
    again = amy.click("intro_accept", accept.value)
    assert "already answered" in said(again)
    assert not [e for e in again if isinstance(e, SendDM) and e.user_id == "U-bob"]
    assert len(bob.person.state.contacts) == 1

    [confirm] = [b for e in amy.command("forget-me") if isinstance(e, Reply)
                 for b in e.message.buttons if b.action == "forget_confirm"]
    amy.click(confirm.action)  # forget-me: she leaves, and her name leaves the card she gave
    assert bob.person.state.contacts[1].found_detail != "Amy Adams"
    assert all(m["user_pk"] != amy.person.pk for m in world.members)


def test_the_coach_report_counts_progress_and_never_names_contacts_or_notes() -> None:
    world, casey, amy, _, _ = cohort_with_members()
    interviewed = dana(world.now - timedelta(days=3))
    interviewed.stage, interviewed.interviewed_at = Stage.INTERVIEWED, world.now - timedelta(days=3)
    amy.person.state.contacts[1] = interviewed
    assert "Only the cohort's coaches" in said(amy.command("cohort", "report", channel=CHANNEL))

    report = casey.command("cohort", "report", channel=CHANNEL)
    [dm] = [e for e in report if isinstance(e, SendDM)]  # private: said in the coach's DM
    assert dm.user_id == "U-casey"
    [attachment] = dm.message.attachments
    table = list(csv.reader(io.StringIO(attachment.content.decode("utf-8"))))
    text = dm.message.plain_text() + attachment.content.decode("utf-8")
    assert "Amy Adams" in text and "Bob Brown" in text
    for private in ("Dana", "Financial Regulator", "Policy Analyst", SECRET):
        assert private not in text
    [amy_row] = [row for row in table if row[0] == "Amy Adams"]
    assert amy_row[table[0].index("interviews")] == "1"


def test_the_digest_posts_weekly_and_moves_on_when_its_holder_leaves() -> None:
    world, casey, amy, _, cohort_id = cohort_with_members()
    [digest] = world.pending(DIGEST)
    world.now = digest["due_at"]
    posted = casey.reminder_due(digest)
    [post] = [e for e in posted if isinstance(e, PostToChannel)]
    assert post.channel_id == CHANNEL
    [next_week] = world.pending(DIGEST)
    assert next_week["due_at"] == digest["due_at"] + timedelta(days=7)

    left = casey.command("cohort", "leave", channel=CHANNEL)
    assert "You left Fellows" in said(left)
    [moved] = world.pending(DIGEST)
    assert (moved["user_pk"], moved["due_at"], moved["contact_no"]) == \
        (amy.person.pk, next_week["due_at"], cohort_id)
    offer = [e for e in left if isinstance(e, SendDM) and e.user_id == "U-amy"]
    assert [b.action for e in offer for b in e.message.buttons] == ["cohort_coach"]
    assert "You are now the coach of Fellows" in said(amy.click("cohort_coach", str(cohort_id)))
    assert {m["user_pk"]: m["role"] for m in world.members}[amy.person.pk] == "coach"


def test_without_a_cohort_port_the_journey_knows_no_cohort_command() -> None:
    sam = PureJourney(now=MONDAY)
    assert "cohort" in said(sam.command("cohort", "create Fellows")).lower()
    assert not [e for e in sam.command("cohort", "create") if isinstance(e, PostToChannel)]
