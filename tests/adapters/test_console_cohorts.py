"""A cohort in the console: three people on one database, in a channel, taking turns (/as)."""

from __future__ import annotations

from infointerview.adapters.console.adapter import ConsoleAdapter, Output
from infointerview.core import Engine, SimulatedClock
from tests.helpers import CONTACT, PROFILE, SOURCE


def text(outputs: list[Output]) -> str:
    return "\n".join((o.notice or "") + (o.message.plain_text() if o.message else "")
                     for o in outputs)


def setup(session: ConsoleAdapter, name: str) -> None:
    forms = [o.form for o in session.line("/infointerview start") if o.form]
    session.submit(forms[0].form_id, PROFILE | {"name": name})


def add_contact(session: ConsoleAdapter) -> None:
    forms = [o.form for o in session.line("/infointerview start") if o.form]
    forms = [o.form for o in session.submit(forms[0].form_id, CONTACT) if o.form]
    session.submit(forms[0].form_id, SOURCE)


def test_three_people_share_find_and_introduce(engine: Engine) -> None:
    session = ConsoleAdapter(engine, "coach", channel="bootcamp")
    assert "Join this cohort" in str(session.line("/infointerview cohort create Bootcamp"))
    session.line("/as ana")
    setup(session, "Ana Lopez")
    assert "Welcome to" in text(session.line("Join this cohort"))  # the channel's button
    add_contact(session)
    share = next(o.form for o in session.line("/infointerview share 1") if o.form)
    assert "Shared" in text(session.submit(share.form_id, {
        "cohort": share.values["cohort"], "visibility": "intro", "email": "no"}))
    session.line("/as ben")
    setup(session, "Ben Okoro")
    session.line("/infointerview cohort join")
    found = text(session.line("/infointerview cohort find regulatory"))
    assert "Regulatory affairs manager" in found and "Jordan" not in found
    ask = next(o.form for o in session.line("Intro to result 1") if o.form)
    asked = text(session.submit(ask.form_id, {"reason": "I am curious about regulatory work"}))
    assert "waiting (/as ana" in asked and "Jordan" not in asked
    waiting = text(session.line("/as ana"))
    assert "Ben Okoro" in waiting and "curious about regulatory" in waiting
    accepted = text(session.line("Accept"))
    assert "Introduction e-mail" in accepted
    told = text(session.line("/as ben"))
    assert "Dr. Jordan Lee" in told
    assert "Dr. Jordan Lee" in text(session.line("/infointerview list"))


def test_decline_digest_and_coach_report_in_the_console(engine: Engine,
                                                        clock: SimulatedClock) -> None:
    session = ConsoleAdapter(engine, "coach", channel="bootcamp", clock=clock)
    session.line("/infointerview cohort create Bootcamp")
    session.line("/as ana")
    setup(session, "Ana Lopez")
    session.line("/infointerview cohort join")
    session.line("/infointerview cohort shoutouts on")
    add_contact(session)
    share = next(o.form for o in session.line("/infointerview share 1") if o.form)
    session.submit(share.form_id, {"cohort": share.values["cohort"], "visibility": "card",
                                   "email": "yes", "consent": "yes"})
    session.line("/as ben")
    setup(session, "Ben Okoro")
    session.line("/infointerview cohort join")
    found = text(session.line("/infointerview cohort find northwind"))
    assert "Dr. Jordan Lee" in found and "jordan.lee@example.org" in found  # a card
    ask = next(o.form for o in session.line("Intro to result 1") if o.form)
    session.submit(ask.form_id, {"reason": "regulatory careers"})
    session.line("/as ana")
    session.line("Not now")
    told = text(session.line("/as ben"))
    assert "isn't possible right now" in told and "Ana" not in told
    # a week on, the digest appears in the channel; the coach gets the CSV
    session.line("/as coach")
    digest = text(session.advance("1w"))
    assert "Weekly digest — Bootcamp" in digest and "Contacts shared with the cohort: 1" in digest
    report = session.line("/infointerview cohort report")
    files = [a for o in report if o.message for a in o.message.attachments]
    assert files and files[0].content.startswith(b"member,role")
    assert b"Jordan" not in files[0].content


def test_a_person_asked_recently_is_left_in_peace_in_the_console(engine: Engine) -> None:
    """Ana and Cleo both know Dr. Jordan Lee; once Ben has asked Ana, Dan's request through
    Cleo is refused kindly, and Ana sees how often her contact was asked."""
    session = ConsoleAdapter(engine, "coach", channel="bootcamp")
    session.line("/infointerview cohort create Bootcamp")
    for owner in ("ana", "cleo"):
        session.line(f"/as {owner}")
        setup(session, owner.title())
        session.line("/infointerview cohort join")
        add_contact(session)
        share = next(o.form for o in session.line("/infointerview share 1") if o.form)
        session.submit(share.form_id, {"cohort": share.values["cohort"], "visibility": "intro",
                                       "consent": "yes", "email": "no"})
    session.line("/as ben")
    setup(session, "Ben Okoro")
    session.line("/infointerview cohort join")
    session.line("/infointerview cohort find regulatory")
    ask = next(o.form for o in session.line("Intro to result 1") if o.form)
    session.submit(ask.form_id, {"reason": "I am curious about regulatory work"})
    session.line("/as dan")
    setup(session, "Dan Moss")
    session.line("/infointerview cohort join")
    session.line("/infointerview cohort find regulatory")
    refused = text(session.line("Intro to result 1"))  # Ana's or Cleo's: the same person
    assert "This person was asked for an introduction recently" in refused
    assert "You can ask again after" in refused and "Ben" not in refused
    assert "add someone at Northwind" in refused
    counts = []
    for owner in ("ana", "cleo"):
        session.line(f"/as {owner}")
        counts.append(text(session.line("/infointerview cohort shared")))
    assert sorted("asked for an introduction once (last on" in mine for mine in counts) == \
        [False, True]  # one of them was asked, once
