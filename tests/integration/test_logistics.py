"""Issue 13, part 4: logistics and questions — zones as people type them, the agreed date, the
windows, the confirmation draft, sectors and the questions that fit them."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from infointerview.core import Database, Effect, Engine, SimulatedClock
from infointerview.core.cohorts.progress import Digest
from infointerview.core.journey.context import LABELS
from infointerview.core.journey.forms_catalog import (
    SECTOR_CHOICES,
    profile_form,
    settings_form,
    windows_form,
)
from infointerview.core.journey.questions import WHO_ELSE_ID, QuestionBank
from infointerview.core.journey.state import Sector
from infointerview.core.journey.timeparse import WindowError, parse_window
from infointerview.core.model import DraftBlock
from infointerview.core.templates import Templates
from infointerview.core.timezones import normalise_timezone, resolve_timezone
from tests.helpers import CONTACT, PROFILE, User, forms, messages, text_of

# --- time zones as people type them --------------------------------------------------------------


@pytest.mark.parametrize(("typed", "zone"), [
    ("Europe/Berlin", "Europe/Berlin"), ("europe/berlin", "Europe/Berlin"),
    ("Central", "America/Chicago"), ("US Central", "America/Chicago"),
    ("US/Central", "America/Chicago"), ("Eastern", "America/New_York"),
    ("Pacific", "America/Los_Angeles"), ("CET", "Europe/Berlin"), ("CEST", "Europe/Berlin"),
    ("Berlin", "Europe/Berlin"), ("New York", "America/New_York"), ("Mumbai", "Asia/Kolkata"),
    ("Kolkata", "Asia/Kolkata"), ("São Paulo", "America/Sao_Paulo"),
    ("sao paulo", "America/Sao_Paulo"), ("Auckland", "Pacific/Auckland"), ("UTC", "UTC"),
    # Vietnam's zone is named after Ho Chi Minh City: "Hanoi" was read as a typo of Shanghai
    ("Hanoi", "Asia/Ho_Chi_Minh"), ("Hà Nội", "Asia/Ho_Chi_Minh"), ("Saigon", "Asia/Ho_Chi_Minh"),
    ("Ho Chi Minh City", "Asia/Ho_Chi_Minh"), ("Da Nang", "Asia/Ho_Chi_Minh"),
])
def test_common_zone_names_and_cities_are_stored_as_iana_names(typed: str, zone: str) -> None:
    assert normalise_timezone(typed) == zone


def test_cet_says_which_zone_it_is_read_as() -> None:
    assert resolve_timezone("CET").note == "\u201cCET\u201d is read as Europe/Berlin."
    assert "Europe/Berlin" in settings_form().field("tz").hint


def test_an_ambiguous_abbreviation_gets_suggestions_not_a_guess() -> None:
    answer = resolve_timezone("IST")
    assert answer.zone is None and "Asia/Kolkata" in answer.suggestions
    with pytest.raises(ValueError, match=r"more than one zone.*Asia/Kolkata.*Europe/Dublin"):
        normalise_timezone("IST")


@pytest.mark.parametrize(("typed", "suggested"), [
    ("Berlinn", "Europe/Berlin"), ("Chicgo", "America/Chicago"), ("New Yrok", "America/New_York"),
])
def test_a_near_miss_suggests_the_closest_names(typed: str, suggested: str) -> None:
    with pytest.raises(ValueError, match=rf"Did you mean: .*{suggested}"):
        normalise_timezone(typed)


def test_an_unknown_zone_still_explains_what_to_type() -> None:
    with pytest.raises(ValueError, match="time zone name such as Europe/Berlin"):
        normalise_timezone("../../etc/passwd")


def test_the_forms_store_the_iana_name_and_keep_what_was_typed_on_error() -> None:
    values = {"name": "Sam", "programme": "PhD", "interests": "policy", "tz": "US Central"}
    cleaned, again = profile_form().validate(values)
    assert again is None and cleaned["tz"] == "America/Chicago"
    cleaned, again = windows_form(1).validate({"window1": "Tue 2-4pm", "contact_tz": "Mumbai"})
    assert again is None and cleaned["contact_tz"] == "Asia/Kolkata"
    _, again = settings_form().validate({"tz": "IST", "quiet_start": "21:00",
                                         "quiet_end": "08:00", "weekdays_only": "no",
                                         "weekly_summary": "off"})
    assert again is not None and again.values["tz"] == "IST"
    assert "Asia/Kolkata" in again.errors["tz"]


# --- the agreed date and the windows, in zones east and west of UTC ------------------------------

BERLIN_MONDAY = datetime(2026, 4, 6, 7, 0, tzinfo=UTC)  # Monday 09:00 CEST
MEETING = {"time": "14:00", "duration": "30", "mode": "video",
           "detail": "https://meet.example.org/abc"}


def person(database: Database, now: datetime, tz: str, contact: dict[str, str] | None = None
           ) -> tuple[User, SimulatedClock]:
    clock = SimulatedClock(now)
    sam = User(Engine(database, clock=clock))
    sam.command("start")
    sam.submit("profile", {**PROFILE, "tz": tz})
    assert sam.add_contact(contact) == 1
    sam.click("mark_sent", "1")
    sam.click("replied", "1")
    return sam, clock


@pytest.mark.parametrize(("now", "tz", "typed", "shown"), [
    (BERLIN_MONDAY, "Europe/Berlin", "next Wednesday", "Wednesday 8 April 2026, 2 PM (CEST)"),
    (BERLIN_MONDAY, "Europe/Berlin", "Apr 8", "Wednesday 8 April 2026, 2 PM (CEST)"),
    (BERLIN_MONDAY, "Europe/Berlin", "8 April", "Wednesday 8 April 2026, 2 PM (CEST)"),
    (BERLIN_MONDAY, "Europe/Berlin", "2026-04-08", "Wednesday 8 April 2026, 2 PM (CEST)"),
    # Monday 23:30 in Kolkata is still Monday in UTC: "tomorrow" is their Tuesday
    (datetime(2026, 4, 6, 18, 0, tzinfo=UTC), "Asia/Kolkata", "tomorrow",
     "Tuesday 7 April 2026, 2 PM (IST)"),
    # Sunday 21:00 in New York is Monday in UTC: "Monday" is their next day
    (datetime(2026, 4, 6, 1, 0, tzinfo=UTC), "America/New_York", "Monday",
     "Monday 6 April 2026, 2 PM (EDT)"),
    # across the switch: booked in winter time for a day in summer time
    (datetime(2026, 3, 23, 8, 0, tzinfo=UTC), "Europe/Berlin", "next Monday",
     "Monday 30 March 2026, 2 PM (CEST)"),
    (datetime(2026, 3, 2, 15, 0, tzinfo=UTC), "America/New_York", "March 9",
     "Monday 9 March 2026, 2 PM (EDT)"),
])
def test_the_agreed_date_is_read_in_the_persons_zone_and_shown_back(
        database: Database, now: datetime, tz: str, typed: str, shown: str) -> None:
    sam, _ = person(database, now, tz)
    effects = sam.submit("meeting:1", {**MEETING, "date": typed})
    assert not forms(effects), forms(effects)[0].errors
    assert f"is on {shown}" in text_of(effects)


@pytest.mark.parametrize(("typed", "problem"), [
    ("03/04/2026", "date like 2026-03-14"), ("whenever", "could not read"),
    ("2026-02-30", "date like 2026-03-14"),
])
def test_an_unreadable_or_ambiguous_date_asks_again(database: Database, typed: str,
                                                     problem: str) -> None:
    sam, _ = person(database, BERLIN_MONDAY, "Europe/Berlin")
    [form] = forms(sam.submit("meeting:1", {**MEETING, "date": typed}))
    assert problem in form.errors["date"] and form.values["date"] == typed


def test_windows_are_listed_in_time_order_and_a_vague_one_as_its_range(
        database: Database) -> None:
    sam, _ = person(database, BERLIN_MONDAY, "Europe/Berlin")
    effects = sam.submit("windows:1", {"window1": "Fri 10-11am", "window2": "thu afternoon",
                                       "window3": "Wed 9-10am", "contact_tz": ""})
    text = text_of(effects)
    wed, thu, fri = (text.index(day) for day in ("Wed 08 Apr", "Thu 09 Apr", "Fri 10 Apr"))
    assert wed < thu < fri
    assert "Thu 09 Apr, 12–5 PM (CEST)" in text
    assert "Wed 08 Apr, 9–10 AM (CEST)" in text


def test_a_proposed_window_is_a_button_that_fills_the_date_and_time(database: Database) -> None:
    sam, _ = person(database, BERLIN_MONDAY, "Europe/Berlin")
    effects = sam.submit("windows:1", {"window1": "thu afternoon", "window2": "Wed 2-4pm",
                                       "window3": "", "contact_tz": "New York"})
    assert "Thu 09 Apr, 12–5 PM (CEST) / 6–11 AM (EDT)" in text_of(effects)
    [message] = messages(effects)
    picks = [b for b in message.buttons if b.action == "schedule" and ":" in b.value]
    assert [b.label for b in picks] == ["Agreed: Wed 08 Apr, 2 PM", "Agreed: Thu 09 Apr, 12 PM"]
    [form] = forms(sam.click("schedule", picks[1].value))
    assert form.form_id == "meeting:1"
    assert form.values["time"] == "12:00"
    effects = sam.submit("meeting:1", {**form.values, "mode": "video", "detail": ""})
    assert "is on Thursday 9 April 2026, 12 PM (CEST)" in text_of(effects)
    assert "6 AM (EDT) for them" in text_of(effects)


def test_the_same_window_typed_twice_is_listed_once(database: Database) -> None:
    sam, _ = person(database, BERLIN_MONDAY, "Europe/Berlin")
    effects = sam.submit("windows:1", {"window1": "Wed 2-4pm", "window2": "wednesday 14:00-16:00",
                                       "window3": "", "contact_tz": ""})
    [message] = messages(effects)
    assert [b.label for b in message.buttons if b.action == "schedule"] == [
        "Agreed: Wed 08 Apr, 2 PM", "Agreed a time"]


def test_a_window_button_from_an_old_message_still_opens_the_form(database: Database) -> None:
    sam, _ = person(database, BERLIN_MONDAY, "Europe/Berlin")
    [form] = forms(sam.click("schedule", "1:not-a-time"))
    assert form.form_id == "meeting:1" and not form.values.get("date")


# --- the confirmation draft ----------------------------------------------------------------------

def drafts_of(effects: list[Effect]) -> list[DraftBlock]:
    return [b for m in messages(effects) for b in m.blocks if isinstance(b, DraftBlock)]


def book_with_windows(database: Database, contact_tz: str, channel: str = "email",
                      mode: str = "video", detail: str = "https://meet.example.org/abc"
                      ) -> DraftBlock:
    sam, _ = person(database, BERLIN_MONDAY, "Europe/Berlin", {**CONTACT, "channel": channel})
    sam.submit("windows:1", {"window1": "Wed 2-4pm", "window2": "", "window3": "",
                             "contact_tz": contact_tz})
    effects = sam.submit("meeting:1", {**MEETING, "date": "Apr 8", "duration": "45",
                                       "mode": mode, "detail": detail})
    [draft] = [d for d in drafts_of(effects) if d.title.startswith("Confirm")]
    return draft


def test_after_booking_a_confirmation_gives_both_zones_the_length_and_the_link(
        database: Database) -> None:
    draft = book_with_windows(database, "America/New_York")
    assert draft.subject == "Confirming our conversation on Wednesday 8 April"
    assert draft.body.startswith("Dear Dr. Lee,\n\nThank you")
    assert "Wednesday 8 April 2026, 8 AM (EDT) your time" in draft.body
    assert "8 AM (EDT) your time (2 PM CEST for me)," in draft.body  # the date once
    assert "45 minutes" in draft.body and "https://meet.example.org/abc" in draft.body
    assert draft.body.rstrip().endswith("Sam Rivera")


def test_the_confirmation_without_their_zone_gives_one_time_and_linkedin_is_less_formal(
        database: Database) -> None:
    draft = book_with_windows(database, "", channel="linkedin", mode="phone",
                              detail="+49 30 1234567")
    assert draft.subject is None and draft.body.startswith("Hi Jordan, thank you")
    assert "Best," not in draft.body and len(draft.body) <= 200  # a message, not a letter
    assert "Wednesday 8 April 2026, 2 PM (CEST)" in draft.body and "your time" not in draft.body
    assert "phone" in draft.body and "+49 30 1234567" in draft.body


def test_the_confirmation_in_kolkata_for_a_contact_in_new_york_crosses_the_date_line(
        database: Database) -> None:
    sam, _ = person(database, BERLIN_MONDAY, "Asia/Kolkata")
    windows = sam.submit("windows:1", {"window1": "Wed 8-9am", "window2": "", "window3": "",
                                       "contact_tz": "Eastern"})
    assert "Wed 08 Apr, 8–9 AM (IST) / Tue 07 Apr, 10:30–11:30 PM (EDT)" in text_of(windows)

    effects = sam.submit("meeting:1", {**MEETING, "date": "Apr 8", "time": "8:30am",
                                       "mode": "in_person", "detail": "Café Central"})
    [draft] = [d for d in drafts_of(effects) if d.title.startswith("Confirm")]
    assert "Tuesday 7 April 2026, 11 PM (EDT) your time" in draft.body
    assert "(Wednesday 8 April, 8:30 AM IST for me)" in draft.body  # another day: named
    assert "in person" in draft.body and "Café Central" in draft.body
    assert "(IST), which is Tuesday, 11 PM (EDT) for them," in text_of(effects)


def test_a_window_that_ends_on_another_day_for_them_names_both_days(database: Database) -> None:
    sam, _ = person(database, BERLIN_MONDAY, "America/New_York")
    effects = sam.submit("windows:1", {"window1": "thu afternoon", "window2": "", "window3": "",
                                       "contact_tz": "Mumbai"})
    assert "Thu 09 Apr, 12–5 PM (EDT) / Thu 09 Apr, 9:30 PM–Fri 10 Apr, 2:30 AM (IST)" \
        in text_of(effects)


# --- sectors, roles and the questions that fit them ----------------------------------------------

def test_sectors_cover_the_common_ones_and_keep_industry_readable() -> None:
    labels = {c.value: c.label for c in SECTOR_CHOICES}
    for value in ("healthcare", "government", "academia", "technology", "finance", "consulting",
                  "non-profit", "industry", "other"):
        assert value in labels and Sector(value).value == value
    assert labels["industry"] == "Other industry"  # what contacts saved before now read as
    assert all(len(s.value) <= 16 for s in Sector)  # the column is String(16)
    assert {c.value for c in SECTOR_CHOICES} == {s.value for s in Sector}


@pytest.mark.parametrize("sector", [s.value for s in Sector])
def test_every_sector_gets_a_full_agenda_with_who_else_last(sector: str) -> None:
    agenda = QuestionBank.load().suggested_agenda(sector)
    assert agenda[-1] == f"q:{WHO_ELSE_ID}" and len(agenda) >= 7


@pytest.mark.parametrize("sector", ["healthcare", "technology", "finance", "consulting"])
def test_a_new_sector_gets_questions_written_for_it(sector: str) -> None:
    bank = QuestionBank.load()
    own = {f"q:{q.id}" for q in bank.questions if q.sectors == frozenset({sector})}
    assert own & set(bank.suggested_agenda(sector))


@pytest.mark.parametrize(("role", "leads"), [
    ("Engineering manager", True), ("Head of Clinical Operations", True),
    ("Director, Policy", True), ("Team lead", True), ("Staff scientist", False), ("", False),
    ("Management consultant", False),
])
def test_a_role_that_leads_people_gets_a_question_about_leading_a_team(role: str,
                                                                      leads: bool) -> None:
    bank = QuestionBank.load()
    texts = [bank.item_text(item) for item in bank.suggested_agenda("other", role)]
    assert any("lead" in t and "team" in t for t in texts) is leads, texts
    assert texts[-1] == bank.item_text(f"q:{WHO_ELSE_ID}")


def test_a_replacement_bank_may_name_roles(tmp_path: Path) -> None:
    (tmp_path / "questions.toml").write_text(
        '[[category]]\nid = "role"\ntitle = "Role"\n'
        '[[category]]\nid = "closing"\ntitle = "Last"\n'
        '[[question]]\nid = "role-chair"\ncategory = "role"\nroles = ["chair"]\n'
        'text = "What does chairing involve?"\n'
        '[[question]]\nid = "closing-who-else"\ncategory = "closing"\ntext = "Who else?"\n')
    bank = QuestionBank.load(tmp_path)
    assert bank.suggested_agenda("other", "Department chair") == ["q:role-chair",
                                                                  "q:closing-who-else"]
    assert bank.suggested_agenda("other", "Lecturer") == ["q:closing-who-else"]


def test_digest_and_search_results_show_sector_labels() -> None:
    templates = Templates()
    digest = Digest(interviews=2, thanked_on_time=1, thank_you_due=1, shared=0,
                    sectors=("healthcare", "industry"), shoutouts=())
    text = "\n".join(b.text.plain() for b in templates.blocks(  # type: ignore[union-attr]
        "cohort/digest.j2", {**LABELS, "cohort": {"name": "Cohort A"}, "d": digest}))
    assert "Sectors explored: Healthcare, Other industry" in text


def sam_at(database: Database, contact: dict[str, str]) -> User:
    sam, _ = person(database, BERLIN_MONDAY, "Europe/Berlin", contact)
    return sam


def test_a_healthcare_manager_gets_fitting_default_questions(database: Database) -> None:
    sam = sam_at(database, {**CONTACT, "sector": "healthcare", "role": "Nurse manager"})
    text = text_of(sam.command("questions", "1"))
    bank = QuestionBank.load()
    healthcare = [q.text for q in bank.questions if q.sectors == frozenset({"healthcare"})]
    assert any(t in text for t in healthcare)
    assert "lead" in text and "team" in text


def test_a_referral_does_not_inherit_the_referrers_sector(database: Database) -> None:
    sam = sam_at(database, {**CONTACT, "sector": "healthcare"})
    sam.submit("meeting:1", {**MEETING, "date": "Apr 8"})
    sam.click("start_interview", "1")
    effects = sam.submit("referral:1", {"name": "Rui Costa", "role": "Analyst",
                                        "organisation": "Bank", "reach": "", "why": ""})
    assert "sector as Other" in text_of(effects)
    [message] = messages(effects)
    [edit] = [b for b in message.buttons if b.action == "edit"]
    assert edit.value == "2"
    assert "Other ·" in text_of(sam.command("show", "2"))
    [form] = forms(sam.click("edit", "2"))
    assert form.values["sector"] == "other"


# --- your own questions and dropping them --------------------------------------------------------

def agenda_of(sam: User) -> list[str]:
    data = export_of(sam)
    return list(data["contacts"][0]["questions"])


def export_of(sam: User) -> dict[str, Any]:
    blob = next(a.content for m in messages(sam.command("export")) for a in m.attachments
                if a.filename.endswith(".json"))
    data: dict[str, Any] = json.loads(blob.decode("utf-8"))
    return data


def test_your_own_and_added_questions_go_before_the_closing_ones(database: Database) -> None:
    sam = sam_at(database, CONTACT)
    sam.command("questions", "1")
    sam.command("questions", "1 custom What surprised you most in your first year?")
    bank = QuestionBank.load()
    closing = [bank.item_text("q:closing-stay-in-touch"), bank.item_text(f"q:{WHO_ELSE_ID}")]
    mine = "What surprised you most in your first year?"
    assert agenda_of(sam)[-3:] == [mine, *closing]
    number, added = next((n, q.text) for n, q in bank.numbered("industry", CONTACT["role"])
                         if q.text not in agenda_of(sam) and q.category == "skills")
    sam.command("questions", f"1 add {number}")
    assert agenda_of(sam)[-4:] == [mine, added, *closing]
    sam.submit("question:1", {"text": "Which journals do you read?"})
    assert agenda_of(sam)[-3:] == ["Which journals do you read?", *closing]
    number = next(n for n, q in bank.numbered("industry", CONTACT["role"])
                  if q.id == "closing-anything-missed")
    sam.command("questions", f"1 add {number}")  # a closing question: before who-else
    assert agenda_of(sam)[-2:] == [bank.item_text("q:closing-anything-missed"), closing[1]]


def test_dropping_uses_the_numbers_shown(database: Database) -> None:
    sam = sam_at(database, CONTACT)
    sam.command("questions", "1")
    before = agenda_of(sam)
    sam.command("questions", "1 drop 2 5")
    assert agenda_of(sam) == [item for i, item in enumerate(before, start=1) if i not in (2, 5)]
    sam.command("questions", "1 drop 5 2 2")  # any order, a repeat is one
    after = agenda_of(sam)
    assert len(after) == len(before) - 4


def test_setting_the_sector_later_refreshes_untouched_suggestions_only(database: Database) -> None:
    sam = sam_at(database, CONTACT)
    sam.command("questions", "1")
    healthcare = "How is your week split between patients or clinical work"
    assert healthcare not in "\n".join(agenda_of(sam))
    sam.submit("contact:1", {**CONTACT, "sector": "healthcare"})
    assert healthcare in "\n".join(agenda_of(sam))
    sam.command("questions", "1 custom Which journals do you read?")
    sam.submit("contact:1", {**CONTACT, "sector": "technology"})
    questions = "\n".join(agenda_of(sam))
    assert healthcare in questions and "Which journals do you read?" in questions


@pytest.mark.parametrize(("typed", "line"), [
    # between the US switch (8 March) and Europe's (29 March) Berlin is five hours ahead ...
    ("Wed 3-4pm", "Wed 25 Mar, 3–4 PM (CET) / 10–11 AM (EDT)"),
    # ... and six again once Berlin has moved its clocks too
    ("April 1 3-4pm", "Wed 01 Apr, 3–4 PM (CEST) / 9–10 AM (EDT)"),
    ("Sunday morning", "Sun 29 Mar, 9 AM–12 PM (CEST) / 3–6 AM (EDT)"),
])
def test_windows_across_the_clock_changes_keep_the_real_offsets(database: Database, typed: str,
                                                                 line: str) -> None:
    sam, _ = person(database, datetime(2026, 3, 23, 8, 0, tzinfo=UTC), "Europe/Berlin")
    effects = sam.submit("windows:1", {"window1": typed, "window2": "", "window3": "",
                                       "contact_tz": "New York"})
    assert line in text_of(effects)


def test_a_part_of_the_day_already_under_way_starts_now_and_one_gone_is_refused() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    now = datetime(2026, 4, 6, 11, 10, tzinfo=UTC)  # 13:10 in Berlin
    window = parse_window("this afternoon", berlin, now)
    assert (window.start.astimezone(berlin).strftime("%H:%M"),
            window.end.astimezone(berlin).strftime("%H:%M")) == ("13:30", "17:00")
    with pytest.raises(WindowError, match="in the past"):
        parse_window("today morning", berlin, now)


def test_who_else_stays_last_when_questions_move(database: Database) -> None:
    sam = sam_at(database, CONTACT)
    sam.command("questions", "1")
    who_else = QuestionBank.load().item_text(f"q:{WHO_ELSE_ID}")
    size = len(agenda_of(sam))
    sam.command("questions", f"1 down {size - 1}")
    assert agenda_of(sam)[-1] == who_else
    text = text_of(sam.command("questions", f"1 up {size}"))
    assert agenda_of(sam)[-1] == who_else and "stays last" in text


def test_the_reply_with_times_gives_their_zone_first(database: Database) -> None:
    """The coach lists windows in the student's zone first; the draft they send, in the
    contact's own zone first."""
    sam, _ = person(database, BERLIN_MONDAY, "Europe/Berlin")
    effects = sam.submit("windows:1", {"window1": "Thu 2-4pm", "window2": "", "window3": "",
                                       "contact_tz": "Europe/London"})
    [draft] = [d for d in drafts_of(effects) if d.title.startswith("Your reply")]
    assert "• Thu 09 Apr, 1–3 PM (BST) / 2–4 PM (CEST)" in draft.body
    assert "Thu 09 Apr, 2–4 PM (CEST) / 1–3 PM (BST)" in text_of(effects).split("┌")[0]


def test_a_linkedin_reply_with_three_windows_in_two_zones_fits_200_characters(
        database: Database) -> None:
    sam, _ = person(database, BERLIN_MONDAY, "America/Los_Angeles",
                    {**CONTACT, "name": "Nguyễn Thị Lan", "channel": "linkedin"})
    effects = sam.submit("windows:1", {"window1": "Thu 8-9am", "window2": "Fri 4-5pm",
                                       "window3": "Mon 10:30-11:30am",
                                       "contact_tz": "America/New_York"})
    [draft] = [d for d in drafts_of(effects) if d.title.startswith("Your reply")]
    assert len(draft.body) <= 200, draft.body
    for theirs in ("11 AM–12 PM (EDT)", "7–8 PM (EDT)", "1:30–2:30 PM (EDT)"):
        assert theirs in draft.body  # every window, in their own zone
