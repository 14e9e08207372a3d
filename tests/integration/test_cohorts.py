"""Cohort channels on the engine: consent to join, sharing both ways, finding, warm intros,
the weekly digest and the coach's report."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from infointerview.core import Engine, PostToChannel, SendDM, SimulatedClock
from tests.helpers import PROFILE, SOURCE, User, forms, messages, text_of

KIM = {"name": "Kim Park", "role": "Policy analyst", "organisation": "City Hall",
       "sector": "government", "channel": "email"}
KIM_SOURCE = SOURCE | {"found_detail": "a conference", "how_found": "conference",
                       "email": "kim.park@example.org"}


def member(engine: Engine, user_id: str, *, channel: str | None = "cohort-a",
           tenant: str = "local", manager: bool = False) -> User:
    person = User(engine, user_id, channel=channel, tenant=tenant, manager=manager)
    person.command("start")
    person.submit("profile", PROFILE | {"name": f"{user_id.title()} Example"})
    return person


def dm(person: User) -> User:
    return User(person.engine, person.actor.user_id, tenant=person.actor.tenant)


def cohort_of(coach: User) -> str:
    effects = coach.command("cohort", "create Bootcamp Spring")
    posts = [e for e in effects if isinstance(e, PostToChannel)]
    assert len(posts) == 1 and posts[0].channel_id == coach.place.channel_id
    join = posts[0].message.buttons[0]
    assert join.action == "cohort_join"
    return join.value


def hold_interview(person: User, number: int) -> None:
    person.click("mark_sent", str(number))
    person.click("replied", str(number))
    person.submit(f"meeting:{number}", {"date": "2026-03-03", "time": "10:00", "duration": "30",
                                        "mode": "video", "detail": ""})
    person.click("start_interview", str(number))
    person.click("end_interview", str(number))


def owner_and_asker(engine: Engine) -> tuple[User, User]:
    """A cohort made by a coach, with two members who joined: Olga and Ari."""
    cohort_of(member(engine, "coach", manager=True))
    owner, asker = member(engine, "olga"), member(engine, "ari")
    owner.command("cohort", "join")
    asker.command("cohort", "join")
    return owner, asker


def share(owner: User, number: int, visibility: str, email: str = "no") -> str:
    form = forms(owner.command("share", str(number)))[0]
    cohort = form.values["cohort"]
    # an e-mail address is shared only for a contact who agreed to be introduced
    return text_of(owner.submit(form.form_id, {"cohort": cohort, "visibility": visibility,
                                                "email": email, "consent": email}))


def test_only_a_manager_creates_and_nobody_is_enrolled_without_asking(engine: Engine) -> None:
    ana = member(engine, "ana")
    assert "manages this channel" in text_of(ana.command("cohort", "create"))
    coach = member(engine, "coach", manager=True)
    assert "not in a direct message" in text_of(dm(coach).command("cohort", "create"))
    join_value = cohort_of(coach)
    assert "already a cohort" in text_of(coach.command("cohort", "create"))
    # ana is in the channel but not in the cohort until she joins
    assert "Join a cohort first" in text_of(ana.command("cohort", "find policy"))
    assert "Welcome to" in text_of(ana.click("cohort_join", join_value))
    assert "You are already in" in text_of(ana.command("cohort", "join"))


def test_share_as_card_or_intro_on_request_and_find(engine: Engine) -> None:
    owner, asker = owner_and_asker(engine)
    jordan = owner.add_contact()
    kim = owner.add_contact(KIM, KIM_SOURCE)
    owner.command("note", f"{kim} Private: she is leaving soon")
    assert "intro on request" in share(owner, jordan, "intro")
    assert "as a card" in share(owner, kim, "card", email="yes")
    found = text_of(asker.command("cohort", "find regulatory"))
    assert "Regulatory affairs manager" in found and "Northwind Biologics" in found
    assert "Jordan" not in found and "jordan.lee@example.org" not in found
    found = text_of(asker.command("cohort", "find city hall"))
    assert "Kim Park" in found and "kim.park@example.org" in found and "Olga" in found
    assert "leaving soon" not in found
    # the owner does not find their own contacts
    assert "No shared contacts" in text_of(owner.command("cohort", "find regulatory"))


def test_intro_accepted_adds_the_contact_to_the_requesters_pipeline(engine: Engine) -> None:
    owner, asker = owner_and_asker(engine)
    share(owner, owner.add_contact(), "intro")
    ask = messages(asker.command("cohort", "find regulatory"))[0].buttons[0]
    form = forms(asker.click(ask.action, ask.value))[0]
    effects = asker.submit(form.form_id, {"reason": "I am moving into regulatory science"})
    to_owner = [e for e in effects if isinstance(e, SendDM)]
    assert len(to_owner) == 1 and to_owner[0].user_id == "olga"
    request = to_owner[0].message
    assert "Ari Example" in request.plain_text() and "moving into regulatory" in \
        request.plain_text()
    # asking twice does not pester the owner
    assert "already asked" in text_of(asker.submit(form.form_id, {"reason": "again"}))
    accept = next(b for b in request.buttons if b.action == "intro_accept")
    effects = owner.click(accept.action, accept.value)
    owner_text = text_of([e for e in effects if not isinstance(e, SendDM)
                          or e.user_id == "olga"])
    assert "Introduction e-mail" in owner_text and "Ari Example" in owner_text
    to_asker = [e for e in effects if isinstance(e, SendDM) and e.user_id == "ari"]
    assert "Dr. Jordan Lee" in to_asker[0].message.plain_text()
    assert "Your reply once introduced" in to_asker[0].message.plain_text()
    listing = text_of(dm(asker).command("list"))
    assert "Dr. Jordan Lee" in listing
    card = text_of(dm(asker).command("show", "1"))
    assert "Olga Example" in card  # referred by the owner
    assert "already answered" in text_of(owner.click(accept.action, accept.value))


def test_intro_declined_never_says_who_or_why(engine: Engine) -> None:
    owner, asker = owner_and_asker(engine)
    share(owner, owner.add_contact(), "intro")
    ask = messages(asker.command("cohort", "find Northwind"))[0].buttons[0]
    form = forms(asker.click(ask.action, ask.value))[0]
    request = next(e for e in asker.submit(form.form_id, {"reason": "curious"})
               if isinstance(e, SendDM)).message
    decline = next(b for b in request.buttons if b.action == "intro_decline")
    effects = owner.click(decline.action, decline.value)
    told = [e.message.plain_text() for e in effects if isinstance(e, SendDM)
            and e.user_id == "ari"]
    assert told and "isn't possible right now" in told[0]
    assert "Olga" not in told[0] and "Jordan" not in told[0]
    assert "Dr. Jordan Lee" not in text_of(dm(asker).command("list"))


def test_weekly_digest_in_the_channel_counts_without_names(engine: Engine,
                                                           clock: SimulatedClock) -> None:
    coach = member(engine, "coach", manager=True)
    cohort_of(coach)
    ana = member(engine, "ana")
    ana.command("cohort", "join")
    ana.command("cohort", "shoutouts on")
    number = ana.add_contact()
    share(ana, number, "card")
    hold_interview(dm(ana), number)
    clock.set(clock() + timedelta(hours=5))
    dm(ana).click("thanked", str(number))
    clock.set(clock() + timedelta(days=7))
    posts = []
    for event in engine.claim_due_reminders("console", 500):
        posts += [e for e in engine.handle(event) if isinstance(e, PostToChannel)]
    assert len(posts) == 1 and posts[0].channel_id == "cohort-a"
    digest = posts[0].message.plain_text()
    assert "Interviews held this week: 1" in digest
    assert "within 48 hours: 100%" in digest and "Contacts shared with the cohort: 1" in digest
    assert "Ana Example (1 interview)" in digest and "industry" in digest
    assert "Jordan" not in digest and "Northwind" not in digest
    # and the next one is booked
    assert engine.next_reminder_due("console", "coach") is not None


def test_coach_report_as_message_and_csv_without_contact_details(engine: Engine) -> None:
    coach = member(engine, "coach", manager=True)
    cohort_of(coach)
    ana = member(engine, "ana")
    ana.command("cohort", "join")
    number = ana.add_contact()
    ana.command("note", f"{number} secret plans")
    assert "coaches" in text_of(ana.command("cohort", "report"))
    effects = coach.command("cohort", "report")
    dms = [e for e in effects if isinstance(e, SendDM)]
    assert dms and dms[0].user_id == "coach"  # the report goes to the coach's DM
    report = dms[0].message
    rows = list(csv.DictReader(io.StringIO(report.attachments[0].content.decode())))
    ana_row = next(r for r in rows if r["member"] == "Ana Example")
    assert ana_row["outreach_drafted"] == "1" or ana_row["identified"] == "1"
    everything = report.plain_text() + report.attachments[0].content.decode()
    assert "Jordan" not in everything and "secret plans" not in everything


def test_a_members_cards_offer_sharing(engine: Engine) -> None:
    cohort_of(member(engine, "coach", manager=True))
    ana = member(engine, "ana")
    number = ana.add_contact()
    card = messages(dm(ana).command("show", str(number)))[0]
    assert "share_contact" not in [b.action for b in card.buttons]  # not in a cohort yet
    ana.command("cohort", "join")
    card = messages(dm(ana).command("show", str(number)))[0]
    share = next(b for b in card.buttons if b.action == "share_contact")
    assert forms(dm(ana).click(share.action, share.value))[0].form_id == f"share:{number}"
    ana.command("cohort", "leave")
    card = messages(dm(ana).command("show", str(number)))[0]
    assert "share_contact" not in [b.action for b in card.buttons]
