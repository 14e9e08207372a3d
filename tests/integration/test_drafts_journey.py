"""The drafts inside the journey: starring a note for its author, channels named, late thank-yous,
referrals thanked, LinkedIn limits on edited notes, and the second thank-you marked sent."""

from __future__ import annotations

from datetime import timedelta

from infointerview.core import Engine
from infointerview.core.model import DraftBlock
from tests.conftest import SimulatedClock
from tests.helpers import CONTACT, SOURCE, User, forms, messages, text_of

LINKEDIN_CONTACT = {**CONTACT, "name": "Nguyễn Thị Lan", "channel": "linkedin"}
LINKEDIN_SOURCE = {**SOURCE, "how_found": "social", "found_detail": "LinkedIn",
                   "reason": "she built the clinical AI team"}


def drafts_in(effects: list) -> list[DraftBlock]:  # type: ignore[type-arg]
    return [b for m in messages(effects) for b in m.blocks if isinstance(b, DraftBlock)]


def buttons_in(effects: list) -> list[str]:  # type: ignore[type-arg]
    return [b.action for m in messages(effects) for b in m.buttons]


def interviewed(engine: Engine, contact: dict[str, str] | None = None,
                source: dict[str, str] | None = None) -> tuple[User, str]:
    sam = User(engine)
    sam.onboard()
    number = str(sam.add_contact(contact, source))
    sam.click("mark_sent", number)
    sam.click("replied", number)
    sam.submit(f"meeting:{number}", {"date": "2026-04-08", "time": "10:00", "duration": "30",
                                     "mode": "video", "detail": ""})
    sam.click("start_interview", number)
    return sam, number


def test_the_contact_form_asks_for_a_reason_that_slots_in() -> None:
    from infointerview.core.journey.forms_catalog import contact_source_form
    reason = next(f for f in contact_source_form(1).fields if f.name == "reason")
    assert "I noticed that you" in reason.label + reason.hint


def test_a_starred_note_is_offered_in_the_second_person_and_can_be_reworded(
        engine: Engine) -> None:
    sam, number = interviewed(engine)
    sam.command("note", f"{number} Biggest advice: build one end-to-end project … 🚀")
    starred = sam.command("star")
    said = text_of(starred)
    assert "your advice to build one end-to-end project" in said
    assert "phrase_note" in buttons_in(starred)
    form = forms(sam.click("phrase_note", number))[0]
    assert form.values["to_them"] == "your advice to build one end-to-end project"
    sam.submit(form.form_id, {"to_them": "your advice to build one project end to end"})
    ended = sam.click("end_interview", number)
    body = drafts_in(ended)[0].body
    assert "I especially valued your advice to build one project end to end" in body
    assert "Biggest advice" not in body and "🚀" not in body


def test_a_note_that_cannot_be_reworded_safely_asks_for_wording(engine: Engine) -> None:
    sam, number = interviewed(engine)
    sam.command("note", f"{number} regulators read methods first!!")
    starred = text_of(sam.command("star"))
    assert "Finish the sentence" in starred
    ended = sam.click("end_interview", number)
    assert "regulators read methods first" not in drafts_text(sam, number)
    assert "isn't in the draft yet" in text_of(ended) and "phrase_note" in buttons_in(ended)


def drafts_text(sam: User, number: str) -> str:
    return "\n".join(d.body for d in drafts_in(sam.click("thank_you", number)))


def test_the_end_of_the_interview_names_the_channel_and_thanks_for_referrals(
        engine: Engine) -> None:
    sam, number = interviewed(engine)
    sam.submit(f"referral:{number}", {"name": "Dr. Priya Nair", "role": "", "organisation": "",
                                      "reach": "", "why": "she runs the assay lab"})
    ended = sam.click("end_interview", number)
    assert "by e-mail" in text_of(ended) and "same channel" not in text_of(ended)
    body = drafts_in(ended)[0].body
    assert "Thank you also for introducing me to Dr. Priya Nair" in body
    assert body.startswith("Dear Dr. Lee,")


def test_a_linkedin_contact_gets_linkedin_messages_throughout(engine: Engine) -> None:
    sam = User(engine)
    sam.onboard()
    number = str(sam.add_contact(LINKEDIN_CONTACT, LINKEDIN_SOURCE))
    sam.click("mark_sent", number)
    follow = drafts_in(sam.click("follow_up", number))[0]
    assert follow.subject is None and follow.body.startswith("Hi Nguyễn Thị Lan,")
    assert "Dear" not in follow.body and "Best wishes" not in follow.body
    assert len(follow.body) <= 200
    sam.click("replied", number)
    sam.submit(f"meeting:{number}", {"date": "2026-04-08", "time": "10:00", "duration": "30",
                                     "mode": "video", "detail": ""})
    sam.click("start_interview", number)
    ended = sam.click("end_interview", number)
    assert "on LinkedIn" in text_of(ended)
    thanks = drafts_in(ended)[0]
    assert thanks.subject is None and thanks.body.startswith("Hi Nguyễn Thị Lan,")


def test_a_late_thank_you_is_gentle_and_still_reads_days_later(
        engine: Engine, clock: SimulatedClock) -> None:
    sam, number = interviewed(engine)
    sam.command("note", f"{number} Join the regulatory society")
    sam.click("end_interview", number)
    clock.advance(timedelta(days=4))
    late = sam.click("thank_you", number)
    said = "\n".join(m.plain_text() for m in messages(late)).split("Subject:")[0]
    assert "passed" not in said and "late" not in said.lower().replace("a late", "")
    body = drafts_in(late)[0].body
    assert "Thank you again for taking the time to talk with me on " in body
    assert "yesterday" not in body


def test_an_edited_linkedin_note_over_the_limit_cannot_be_marked_sent(engine: Engine) -> None:
    sam = User(engine)
    sam.onboard()
    number = str(sam.add_contact(LINKEDIN_CONTACT, LINKEDIN_SOURCE))
    shown = sam.submit(f"draft:{number}", {"body": "Hi Lan, " + "very " * 50 + "long."})
    assert "mark_sent" not in buttons_in(shown)
    assert "200" in text_of(shown)
    card = sam.command("show", number)
    assert "mark_sent" not in buttons_in(card) and "edit_draft" in buttons_in(card)
    refused = sam.click("mark_sent", number)
    assert "Outreach sent" not in text_of(sam.command("list"))
    assert "200" in text_of(refused)


def test_longer_says_so_when_linkedin_has_no_room(engine: Engine) -> None:
    sam = User(engine)
    sam.onboard()
    long_name = {**LINKEDIN_CONTACT, "name": "María José García-López de la Fuente"}
    number = str(sam.add_contact(long_name, LINKEDIN_SOURCE))
    for _ in range(3):
        shown = sam.click("longer", number)
        note = drafts_in(shown)[0]
        assert len(note.body) <= 200 and "mark_sent" in buttons_in(shown)
    assert "longest" in text_of(shown)


def test_a_second_thank_you_can_be_marked_sent(engine: Engine, clock: SimulatedClock) -> None:
    sam, number = interviewed(engine)
    sam.click("end_interview", number)
    sam.click("thanked", number)
    clock.advance(timedelta(days=20))
    applied = sam.command("applied", "Northwind Biologics")
    body = drafts_in(applied)[0].body
    assert "We spoke two weeks ago" in body and body.count("Northwind Biologics") == 1
    assert "second_thanked" in buttons_in(applied)
    done = sam.click("second_thanked", number)
    assert "second thank-you" in text_of(done).lower()


def test_proposed_times_on_linkedin_are_a_message_not_a_letter(engine: Engine) -> None:
    sam = User(engine)
    sam.onboard()
    number = str(sam.add_contact(LINKEDIN_CONTACT, LINKEDIN_SOURCE))
    sam.click("mark_sent", number)
    sam.click("replied", number)
    reply = drafts_in(sam.submit(f"windows:{number}", {"window1": "Tue 2-4pm", "window2": "",
                                                      "window3": "", "contact_tz": ""}))[0]
    assert reply.body.startswith("Hi Nguyễn Thị Lan,") and "Best," not in reply.body
    assert len(reply.body) <= 200
    assert reply.body.endswith("Sam")


def test_a_referrer_typed_as_a_sentence_reads_as_a_name(engine: Engine) -> None:
    sam = User(engine)
    sam.onboard()
    source = {**SOURCE, "found_detail": "my advisor, Dr. Kim, suggested I contact you"}
    number = sam.add_contact(CONTACT, source)
    body = drafts_in(sam.click("draft", str(number)))[0].body
    assert "My advisor, Dr. Kim, suggested I get in touch with you." in body


def test_editing_a_starred_note_drops_its_old_wording_for_them(engine: Engine) -> None:
    sam, number = interviewed(engine)
    sam.command("note", f"{number} Biggest advice: build one end-to-end project")
    sam.command("star")
    form = forms(sam.click("phrase_note", number))[0]
    sam.submit(form.form_id, {"to_them": "your advice to build one project end to end"})
    sam.command("notes", f"{number} edit 1 Join the regulatory society's mentoring scheme")
    body = drafts_in(sam.click("end_interview", number))[0].body
    assert "build one project end to end" not in body
    assert "join the regulatory society" in body.lower()


def test_a_linkedin_note_days_later_sheds_when_before_the_point() -> None:
    """Three days on, "thank you again for our conversation last Saturday" plus the point is
    over 200 characters: the day goes, the point stays."""
    from datetime import UTC, datetime

    from infointerview.core.journey import drafts
    from infointerview.core.journey.state import Contact, OutreachChannel, Profile
    from tools.drafts_gallery import Persona, ctx_for, state_for

    persona = Persona(
        "long point", Profile("Oluwaseun Adeyemi", "Bootcamp graduate", "",
                              "data science in public health"), "America/Los_Angeles",
        Contact(0, "Nguyễn Thị Lan", role="Senior data scientist", organisation="World Bank",
                channel=OutreachChannel.LINKEDIN),
        notes=("Biggest tip: publish one small project with real public data",),
        to_them="your advice to publish one small project with real public data, then write "
                "it up", interviewed_days_ago=5)
    now = datetime(2026, 11, 5, 17, 0, tzinfo=UTC)
    state, contact = state_for(persona, now)
    contact.interviewed_at = now - timedelta(days=5)
    note = drafts.linkedin_note(ctx_for(state, now), contact)
    assert len(note.body) <= 200
    assert "publish one small project with real public data" in note.body, note.body


def test_advice_with_a_reason_after_a_semicolon_ends_its_sentence_first(engine: Engine) -> None:
    """ "…deeply; most interviews test them, and I'm going to act on it" reads as if the
    student will act on the interviews: the promise gets a sentence of its own."""
    sam, number = interviewed(engine)
    sam.command("note", f"{number} Learn SQL window functions deeply; most interviews test them")
    sam.command("star")
    body = drafts_in(sam.click("end_interview", number))[0].body
    assert ("I especially valued your advice to learn SQL window functions deeply; most "
            "interviews test them. I'm going to act on it.") in body
