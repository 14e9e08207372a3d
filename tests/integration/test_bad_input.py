"""Bad input gets a clear answer, loses nothing typed, and never turns into markup or a template.

Runs on SQLite and PostgreSQL (the ``engine`` fixture); PostgreSQL refuses NUL in text, so
control characters must be stripped in the core whatever path they come in by.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from infointerview.core import Effect, Engine, FieldKind, SimulatedClock, clean_user_text
from infointerview.core.model import (
    DraftBlock,
    FieldsBlock,
    OpenForm,
    PostToChannel,
    Reply,
    SendDM,
    TextBlock,
)
from tests.helpers import User, forms, messages, text_of

APOLOGY = "something went wrong on my side"
TEMPLATE, RENDERED = "T{{ 7*7 }}T", "T49T"
MARKERS = ("<!channel>", "@everyone", TEMPLATE)
LONG = "L" * 10_000
BLNS = Path("/work/shared/data/naughty-strings/blns.json")


def cleaned(raw: str, long: bool = False) -> str:
    value = clean_user_text(raw).strip()
    return value if long else " ".join(value.split())


def _parts(effects: Iterable[Effect]) -> Iterable[tuple[str, bool]]:
    """Every string an adapter could show, and whether it may hold what the person typed."""
    for effect in effects:
        if isinstance(effect, OpenForm):
            form = effect.form
            yield from ((t, False) for t in (form.title, form.intro, *(
                p for f in form.fields for p in (f.label, f.hint, f.placeholder))))
            yield from ((t, True) for t in (*form.values.values(), *form.errors.values()))
        if not isinstance(effect, Reply | SendDM | PostToChannel):
            continue
        for block in effect.message.blocks:
            if isinstance(block, TextBlock):
                yield from ((s.text, s.user) for s in block.text.segments)
            elif isinstance(block, DraftBlock):
                yield from ((block.title, False), (block.subject or "", True), (block.body, True))
            elif isinstance(block, FieldsBlock):
                yield from ((part, False) for pair in block.fields for part in pair)
        yield from ((b.label, False) for b in effect.message.buttons)
        yield from ((a.content.decode("utf-8", "replace"), True)
                    for a in effect.message.attachments)


def assert_user_text_stays_data(effects: list[Effect], typed: Iterable[str] = MARKERS) -> None:
    """Typed text only in user segments, draft bodies and subjects, form values, files."""
    assert APOLOGY not in text_of(effects)
    for text, may_hold_typed_text in _parts(effects):
        assert RENDERED not in text, f"a template ran on user input: {text[:200]!r}"
        for mark in () if may_hold_typed_text else typed:
            assert mark not in text, f"typed {mark!r} in bot wording: {text[:200]!r}"


def user_segments(effects: list[Effect]) -> list[str]:
    return [s.text for m in messages(effects) for b in m.blocks if isinstance(b, TextBlock)
            for s in b.text.segments if s.user]


def export(sam: User) -> dict[str, Any]:
    effects = sam.command("export")
    blob = next(a.content for m in messages(effects) for a in m.attachments
                if a.filename.endswith(".json"))
    data: dict[str, Any] = json.loads(blob.decode("utf-8"))
    return data


def sam_with_contact(engine: Engine) -> User:
    sam = User(engine)
    sam.onboard()
    assert sam.add_contact() == 1
    return sam


def schedule(sam: User) -> None:
    """Contact 1 agrees a time: the stage in which their time, referral and note forms apply."""
    sam.click("mark_sent", "1")
    sam.click("replied", "1")
    assert "Booked" in text_of(sam.submit("meeting:1", {**BASE["meeting:1"], "detail": ""}))


# --- forms: a field-level error, every typed value kept ------------------------------------------

BASE: dict[str, dict[str, str]] = {
    "profile": {"name": "Sam <!channel>", "programme": "PhD @everyone",
                "institution": f"{TEMPLATE} University", "interests": "policy",
                "tz": "America/Chicago"},
    "settings": {"tz": "Europe/Berlin", "quiet_start": "21:00", "quiet_end": "08:00"},
    "intro": {"intro": f"Hi, I am {TEMPLATE}"},
    "applied": {"organisation": "Acme @everyone"},
    "contact:new": {"name": "Kim <!channel>", "role": f"Head of {TEMPLATE}",
                    "organisation": "@everyone Inc", "sector": "industry", "channel": "email"},
    "contact2:1": {"how_found": "referral", "found_detail": "Prof <!channel>",
                   "email": "kim@example.org", "profile_url": "linkedin.com/in/kim",
                   "reason": TEMPLATE},
    "windows:1": {"window1": "Tue 2-4pm", "window2": "Wed 10-11am", "window3": "",
                  "contact_tz": "Asia/Tokyo"},
    "meeting:1": {"date": "2026-03-20", "time": "14:30", "duration": "30", "mode": "video",
                  "detail": f"https://meet.example.org/{TEMPLATE}"},
    "referral:1": {"name": "Lee <!channel>", "role": "@everyone", "organisation": TEMPLATE,
                   "reach": "lee@example.org", "why": "knows policy"},
    "note:1": {"text": "note <!channel>\nsecond line"},
    "question:1": {"text": f"What about {TEMPLATE}?"},
    "draft:1": {"subject": "Hello @everyone", "body": f"Dear {TEMPLATE}"},
}
BAD_FIELDS: dict[str, list[tuple[str, str, str]]] = {
    "profile": [("name", "", "Your name is needed"),
                ("name", " \x00\x07\u200b ", "Your name is needed"),
                ("programme", LONG, "10,000 characters"),
                ("tz", "Mars/Olympus_Mons", "time zone name"),
                ("tz", "IST", "can mean more than one zone"),
                ("tz", "../../etc/passwd", "time zone name")],
    "settings": [("quiet_start", "25:00", "time like 14:30"),
                 ("quiet_end", "<!here>", "time like 14:30"), ("tz", "", "Time zone is needed")],
    "intro": [("intro", LONG, "10,000 characters")],
    "applied": [("organisation", "", "Organisation is needed")],
    "contact:new": [("name", "", "Their name is needed"), ("name", LONG, "10,000 characters"),
                    ("organisation", "\x00\x1b" + LONG, "10,000 characters"),
                    ("sector", TEMPLATE, "Please choose one of"), ("channel", "", "is needed")],
    "contact2:1": [("email", "not-an-email", "e-mail address does not look right"),
                   ("email", "<!channel>@example.org", "e-mail address does not look right"),
                   ("email", "a@b", "e-mail address does not look right"),
                   ("profile_url", "javascript:alert(1)", "link does not look right"),
                   ("profile_url", "ftp://example.org/x", "link does not look right"),
                   ("profile_url", "http://exa mple.org", "link does not look right"),
                   ("profile_url", "https://[oops", "link does not look right"),
                   ("found_detail", "", "Who referred you")],
    "windows:1": [("window1", f"whenever {TEMPLATE}", "could not read"),
                  ("window1", "", "First window is needed"),
                  ("window2", "2020-01-01 10:00-11:00", "in the past"),
                  ("window2", "March 8 2:30-3:30am", "does not exist in America/Chicago"),
                  ("contact_tz", "Mars/Base", "time zone name")],
    "meeting:1": [("date", "2026-02-30", "date like 2026-03-14"),
                  ("date", "14/03/2026", "date like 2026-03-14"),
                  ("date", "2020-01-01", "already passed"), ("time", "25:61", "time like 14:30"),
                  ("duration", "90", "from 20 to 60"), ("duration", "½", "whole number"),
                  ("mode", "carrier pigeon", "Please choose one of"),
                  ("detail", LONG, "10,000 characters")],
    "referral:1": [("reach", "not a link", "does not look right"),
                   ("reach", "\x1b[31mred", "does not look right"),
                   ("name", "", "Their name is needed")],
    "note:1": [("text", LONG, "10,000 characters"), ("text", "\x00\x01\x02", "Note is needed")],
    "question:1": [("text", LONG, "10,000 characters")],
    "draft:1": [("body", "", "Message is needed")],
}
CASES = [(form, *case) for form, cases in BAD_FIELDS.items() for case in cases]


@pytest.mark.parametrize(("form_id", "field", "bad", "error"), CASES,
                         ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_a_bad_field_gets_an_error_and_nothing_typed_is_lost(
        engine: Engine, form_id: str, field: str, bad: str, error: str) -> None:
    sam = sam_with_contact(engine)
    if form_id in ("windows:1", "meeting:1", "referral:1"):
        schedule(sam)
    values = {**BASE[form_id], field: bad}
    effects = sam.submit(form_id, values)
    assert_user_text_stays_data(effects)
    [form] = [f for f in forms(effects) if f.form_id == form_id]
    assert error in form.errors.get(field, ""), form.errors
    for f in form.fields:
        assert form.values.get(f.name) == cleaned(values.get(f.name, ""),
                                                  f.kind is FieldKind.LONG), f.name
    assert form.values[field] == cleaned(bad, form.field(field).kind is FieldKind.LONG)


def test_the_end_of_time_as_meeting_date_is_an_answer_not_a_crash(engine: Engine) -> None:
    sam = sam_with_contact(engine)
    schedule(sam)
    effects = sam.submit("meeting:1", {**BASE["meeting:1"], "date": "9999-12-31",
                                       "time": "11:30pm"})
    assert APOLOGY not in text_of(effects)
    assert forms(effects) or "Updated" in text_of(effects)


# --- commands ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["frobnicate", "<!channel>", "@everyone", TEMPLATE, "fo\x00o"])
def test_unknown_subcommands_get_help_with_the_name_as_data(engine: Engine, name: str) -> None:
    effects = User(engine).command(name, "now")
    assert_user_text_stays_data(effects)
    assert "I don't know the command" in text_of(effects) and "`list`" in text_of(effects)
    assert cleaned(name) in user_segments(effects)


@pytest.mark.parametrize(("name", "args", "answer"), [
    ("questions", "1 frobnicate <!channel>", "To change your questions"),
    ("questions", "1 add seven", "To change your questions"),
    ("star", "1 99", "There are no notes"),
    ("show", "99", "I can't find contact 99"),
    ("done", "Nobody @everyone", "I can't find contact Nobody @everyone"),
])
def test_bad_subcommand_arguments_get_an_explanation(engine: Engine, name: str, args: str,
                                                     answer: str) -> None:
    effects = sam_with_contact(engine).command(name, args)
    assert_user_text_stays_data(effects)
    assert answer in text_of(effects)


@pytest.mark.parametrize(("kind", "name", "value"), [
    ("command", "show", "²"), ("command", "note", "² met them"), ("command", "star", "² 1"),
    ("command", "done", "9" * 5000), ("click", "card", "²"), ("click", "mark_sent", "9" * 5000),
    ("click", "star", "1:²"), ("submit", "note:²", {"text": "hello"}),
])
def test_odd_digits_as_contact_numbers_get_an_answer(engine: Engine, kind: str, name: str,
                                                     value: Any) -> None:
    sam = sam_with_contact(engine)
    senders: dict[str, Callable[[str, Any], list[Effect]]] = {
        "command": sam.command, "click": sam.click, "submit": sam.submit}
    effects = senders[kind](name, value)
    assert effects and APOLOGY not in text_of(effects), text_of(effects)


def test_a_note_for_a_contact_that_does_not_exist_is_not_filed_elsewhere(engine: Engine) -> None:
    sam = sam_with_contact(engine)
    effects = sam.command("note", "99 Met them at the fair")
    assert "99" in text_of(effects) and "Met them at the fair" in user_segments(effects)
    assert export(sam)["contacts"][0]["notes"] == []


@pytest.mark.parametrize("number", ["1234567890", "#" + "9" * 5000], ids=["ten-digits", "huge"])
def test_a_note_for_a_number_too_long_to_be_a_contact_is_not_filed_elsewhere(
        engine: Engine, number: str) -> None:
    """A number is a number however long: it names nobody, so the note waits, shown back."""
    sam = sam_with_contact(engine)
    effects = sam.command("note", f"{number} Met them at the fair")
    assert "I can't find contact" in text_of(effects)
    assert "Met them at the fair" in user_segments(effects)
    assert export(sam)["contacts"][0]["notes"] == []


# --- long text -----------------------------------------------------------------------------------

def test_notes_up_to_the_limit_are_stored_intact(engine: Engine) -> None:
    sam = sam_with_contact(engine)
    line = f"Point <!channel> @everyone {TEMPLATE} — ünïcödé 😀\n"
    ten_k = (line * (10_000 // len(line) + 1))[:9_999] + "."
    twenty_k = ("y" * 19_999) + "z"
    for text in (ten_k, twenty_k):
        effects = sam.command("note", f"1 {text}")
        assert_user_text_stays_data(effects)
        assert "Noted for" in text_of(effects)
    assert [n["text"] for n in export(sam)["contacts"][0]["notes"]] == [ten_k, twenty_k]


@pytest.mark.parametrize(("name", "prefix", "size", "answer"), [
    ("note", "1 ", 25_000, "a note can hold"),
    ("note", "1 ", 20_001, "a note can hold"),
    ("intro", "", 10_000, "far more than two minutes"),
    ("questions", "1 custom ", 10_000, "longer than"),
    ("applied", "", 10_000, "longer than"),
])
def test_too_long_command_text_is_refused_and_echoed_back(
        engine: Engine, name: str, prefix: str, size: int, answer: str) -> None:
    sam = sam_with_contact(engine)
    text = ("Q <!channel> " * size)[:size - 1] + "!"
    effects = sam.command(name, prefix + text)
    assert_user_text_stays_data(effects)
    assert answer in text_of(effects)
    assert text in user_segments(effects), "the refused text is not echoed back"
    data = export(sam)
    assert data["contacts"][0]["notes"] == [] and data["profile"]["introduction"] == ""


def test_start_with_an_overlong_name_does_not_silently_cut_it(engine: Engine) -> None:
    sam = User(engine)
    sam.onboard()
    effects = sam.command("start", LONG)
    [form] = forms(effects)
    kept = form.values.get("name") == LONG and "name" in form.errors
    assert kept or "100" in text_of(effects), "the name was cut to 100 characters unannounced"


# --- control characters, whatever the path ---------------------------------------------------

DIRTY = "ctl\x00\x07\x1b[0m end\u202e\u200b ok"


def _exported_after(sam: User, path: str) -> str:
    if path == "note":
        effects = sam.command("note", f"1 {DIRTY}")
    elif path == "interview text":
        schedule(sam)
        assert "Interview with" in text_of(sam.click("start_interview", "1"))
        effects = sam.text(DIRTY)
    elif path == "intro":
        effects = sam.command("intro", DIRTY)
    else:
        effects = sam.command("questions", f"1 custom {DIRTY}")
    assert APOLOGY not in text_of(effects), f"{path}: the step failed"
    data = export(sam)
    if path == "intro":
        return str(data["profile"]["introduction"])
    if path == "questions custom":
        return str(data["contacts"][0]["questions"][-1])
    return str(data["contacts"][0]["notes"][-1]["text"])


@pytest.mark.parametrize("path", ["note", "interview text", "intro", "questions custom"])
def test_control_characters_are_stripped_on_every_path(engine: Engine, path: str) -> None:
    stored = _exported_after(sam_with_contact(engine), path)
    assert stored == cleaned(DIRTY, long=True)


# --- typed text through the whole journey ----------------------------------------------------

def test_typed_text_is_never_markup_anywhere_in_the_journey(engine: Engine,
                                                            clock: SimulatedClock) -> None:
    sam = User(engine)
    sam.onboard()
    out: list[Effect] = [*sam.submit("profile", BASE["profile"]), *sam.command("start")]
    out += sam.submit("contact:new", BASE["contact:new"])
    out += sam.submit("contact2:1", BASE["contact2:1"])
    for action in ("shorter", "longer", "edit_draft"):
        out += sam.click(action, "1")
    out += sam.submit("draft:1", BASE["draft:1"]) + sam.click("mark_sent", "1")
    clock.advance(timedelta(days=8))
    for due in engine.claim_due_reminders("console", user_id="sam"):
        out += engine.handle(due)
    out += sam.click("replied", "1") + sam.submit("windows:1", BASE["windows:1"])
    out += sam.submit("meeting:1", {**BASE["meeting:1"], "date": "2026-03-30"})
    out += sam.command("questions", f"1 custom Ask about {TEMPLATE} and @everyone")
    out += sam.click("prepared", "1") + sam.click("calendar", "1")
    out += sam.command("intro", f"I study {TEMPLATE} <!channel>")
    out += sam.click("start_interview", "1") + sam.text("They said <!channel> matters")
    out += sam.command("star") + sam.submit("referral:1", BASE["referral:1"])
    out += sam.click("wrap_up", "1") + sam.click("end_interview", "1") + sam.command("thanks")
    for action in ("thanked", "linkedin", "connected", "keep_in_touch"):
        out += sam.click(action, "1")
    out += sam.command("applied", "@everyone Inc") + sam.command("list") + sam.command("show", "2")
    assert_user_text_stays_data(out)
    shown = " ".join(user_segments(out))
    assert all(mark in shown for mark in MARKERS)
    data = export(sam)
    assert data["contacts"][0]["name"] == "Kim <!channel>"
    assert data["contacts"][0]["role"] == f"Head of {TEMPLATE}"
    assert data["contacts"][1]["name"] == "Lee <!channel>"
    assert data["contacts"][0]["stage"] == "keeping_in_touch"


# --- naughty strings ---------------------------------------------------------------------------

def test_naughty_strings_as_names_and_notes_survive_the_round_trip(engine: Engine) -> None:
    strings = random.Random(515).sample(json.loads(BLNS.read_text(encoding="utf-8")), 200)
    problems: list[str] = []
    for start in range(0, len(strings), 25):
        sam = User(engine, f"naughty{start}")
        sam.onboard()
        expected: dict[int, tuple[str, list[str]]] = {}
        for s in strings[start:start + 25]:
            effects = sam.submit("contact:new", {"name": s, "sector": "other", "channel": "email"})
            assert APOLOGY not in text_of(effects), repr(s)
            name, [form] = cleaned(s), forms(effects)
            if not name or len(name) > 100:
                assert "name" in form.errors, repr(s)
                continue
            no = int(form.form_id.removeprefix("contact2:"))
            effects = sam.command("note", f"{no} {s}")
            assert APOLOGY not in text_of(effects), repr(s)
            note = cleaned(s, long=True)
            expected[no] = (name, [note] if note else [])
        got = {c["number"]: c for c in export(sam)["contacts"]}
        assert sorted(got) == sorted(expected)
        for no, (name, notes) in expected.items():
            stored = (got[no]["name"], [n["text"] for n in got[no]["notes"]])
            if stored != (name, notes):
                problems.append(f"expected {(name, notes)!r}, exported {stored!r}")
    assert not problems, f"{len(problems)} of 200 changed:\n" + "\n".join(problems[:8])


def test_a_meeting_time_the_clocks_skip_is_asked_again_with_the_rest_kept(engine: Engine) -> None:
    sam = sam_with_contact(engine)
    schedule(sam)
    values = {**BASE["meeting:1"], "date": "2026-03-08", "time": "02:30"}  # Chicago springs ahead
    [form] = [f for f in forms(sam.submit("meeting:1", values)) if f.form_id == "meeting:1"]
    assert "2:30 AM on Sunday 8 March does not exist in America/Chicago" in form.errors["time"]
    assert {name: form.values[name] for name in values} == values
