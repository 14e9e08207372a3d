"""Random event sequences against the engine: nothing breaks, and export keeps what was entered.

The hypothesis test runs on SQLite (one database, a fresh user per example); a smaller fixed-seed
run of the same event generator uses the ``engine`` fixture, so it covers PostgreSQL too.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import logging
import random
import traceback
from collections.abc import Callable, Iterator, Sequence
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from infointerview.core import Database, Effect, Engine, QuestionBank, SimulatedClock, Templates
from infointerview.core.forms import FieldKind, Form, normalise_url
from infointerview.core.journey.catalog.actions import ACTIONS, allowed
from infointerview.core.journey.forms_catalog import form_for
from infointerview.core.journey.router import (
    ALIASES,
    COMMANDS,
    CONTACT_ACTIONS,
    FORM_ACTIONS,
    GLOBAL_ACTIONS,
)
from infointerview.core.journey.state import HowFound, MeetingMode, OutreachChannel, Sector, Stage
from infointerview.core.richtext import clean_user_text
from infointerview.core.store.models import ContactRow, UserRow
from infointerview.core.timezones import resolve_timezone
from tests.conftest import START
from tests.helpers import CONTACT, PROFILE, SOURCE, User, forms, messages, text_of

APOLOGY = "something went wrong on my side"
SPICY = ("<!channel>", "@everyone", "{{ 7*7 }}", "{% if x %}", "*bold* _it_", "a\x00b",
         "\x1b[31mred", "rtl\u202eltr", "zw\u200bsp", "line\r\nbreak", "²", "٣", "  ",
         "\ue000forged\ue001", "Ünïcödé 😀", "x" * 1200, "'; DROP TABLE contacts; --",
         "=HYPERLINK(1)")
ALPHABET = "ab Z09#:-@<>{}*_\n\t\x00\x07\x1b\x7f\u200b\u202eé😀²٣"
REFS = ("1", "1", "1", "1", "2", "2", "3", "#1", "0", "7", "²", "9" * 4400, "abc", "")


GOOD: dict[str, list[str]] = {
    "name": ["Dr. Ada Lovelace", "  Grace \t Hopper ", "Zoë <!channel> Ñ"],
    "programme": ["PhD student", "postdoc in {{ 7*7 }}"], "interests": ["policy\n and more"],
    "tz": ["America/Chicago", "Europe/Berlin", "UTC", "Asia/Kolkata"],
    "contact_tz": ["", "Asia/Tokyo"], "quiet_start": ["21:00", "9pm"], "quiet_end": ["7:30am"],
    "sector": [*map(str, Sector)], "channel": [*map(str, OutreachChannel)],
    "how_found": [*map(str, HowFound)], "mode": [*map(str, MeetingMode)],
    "email": ["", "a.b@example.org"], "profile_url": ["", "linkedin.com/in/ada", "https://x.org/p"],
    "reach": ["", "x@y.org", "www.example.com/p"],
    "date": ["2026-03-20", "2027-01-15", "next Wednesday", "8 April", "tomorrow"],
    "time": ["14:30", "2:30pm", "09:00"], "duration": ["30", "20", "60"],
    "window1": ["Tue 2-4pm", "2026-04-07 10:00-11:30", "tomorrow 9am"],
}
GOOD["window2"] = GOOD["window3"] = ["", *GOOD["window1"]]
BAD: dict[str, list[str]] = {
    "email": ["nope", "a@b", "<!channel>@x.org"], "reach": ["not a link", "@everyone"],
    "profile_url": ["ftp://x.org", "not a url", "javascript:alert(1)"],
    "tz": ["Mars/Base", "Berlinn", "IST", ""], "contact_tz": ["Mars/Base"],
    "date": ["2026-02-30", "03/04/2026", "2020-01-01", "9999-12-31", "whenever"],
    "time": ["25:00", "3", "11:59pm"], "duration": ["5", "abc", "²", "٣٠"],
    "window1": ["whenever", "5-4pm", "2020-01-01 10:00-11:00"], "quiet_start": ["noon-ish"],
    **{key: ["space", "{{ 7*7 }}", ""] for key in ("sector", "channel", "how_found", "mode")},
}
SIMPLE_FORMS = ("profile", "settings", "intro", "applied", "contact:new", "contact:new")
CONTACT_FORMS = ("contact", "contact2", "windows", "meeting", "referral", "note", "question",
                 "draft", "bogus")


class Chooser:
    """Where the generator's choices come from: hypothesis draws or a seeded random.Random."""

    def __init__(self, pick: Callable[[Sequence[Any]], Any], text: Callable[[], str]) -> None:
        self.pick, self.text = pick, text


def gen_event(ch: Chooser) -> tuple[Any, ...]:
    kind = ch.pick(("cmd", "cmd", "done", "done", "done", "click", "click", "click", "submit",
                    "submit", "answer", "answer", "answer", "text", "text", "advance"))
    ref = ch.pick(REFS)
    if kind == "answer":  # the person fills in the form the engine opened last
        return ("answer", ch.pick(range(50)))
    if kind == "done":  # the commands that move a contact along
        return ("cmd", ch.pick(("done", "done", "end", "thanks")), ref)
    if kind == "cmd":
        name = ch.pick((*COMMANDS, *ALIASES, "NOTE", " note ", "frobnicate", "", "<!channel>"))
        key = name.strip().lower()
        if key == "note":
            return ("cmd", name, ch.pick((f"{ref} {ch.text()}", f"{ref} {ch.text()}", ch.text())))
        if key == "questions":
            verb = ch.pick(("add", "drop", "up", "down", "custom", "bank", "reset", "", "zap"))
            return ("cmd", name, f"{ref} {verb} {ch.pick(('1', '2 3', '99', ch.text()))}")
        if key == "star":
            return ("cmd", name, f"{ref} {ch.pick(('1', '2', '9', 'x'))}")
        return ("cmd", name, ch.pick(("", ref, ch.text())))
    if kind == "click":
        action = ch.pick((*CONTACT_ACTIONS, *GLOBAL_ACTIONS, "zap"))
        return ("click", action, ch.pick((ref, f"{ref}:{ch.pick(('1', '2', 'x', '²'))}", "")))
    if kind == "submit":
        form_kind = ch.pick(SIMPLE_FORMS + CONTACT_FORMS)
        form_id = form_kind if form_kind in SIMPLE_FORMS else f"{form_kind}:{ref}"
        template = form_for(form_kind if form_kind in SIMPLE_FORMS else f"{form_kind}:1")
        names = [f.name for f in template.fields] if template else ["text"]
        values = {}
        for name in names:
            roll = ch.pick(("good", "good", "good", "good", "bad", "text", "missing"))
            if roll == "missing":
                continue
            pool = (GOOD if roll == "good" else BAD).get(name) if roll != "text" else None
            values[name] = ch.pick(pool) if pool else ch.text()
        return ("submit", form_id, values)
    if kind == "text":
        return ("text", ch.text())
    return ("advance", ch.pick((30, 180, 1440, 4320, 11520, 72000)))


FREE = ("a colleague", "Prof. Okafor {{ 7*7 }}", "@everyone said hi", "moved into policy",
        "We talked about <!channel> and *stars*")


def _fill(form: Form, seed: int) -> dict[str, str]:
    """Mostly sensible answers for a form the engine opened, some bad ones."""
    rng = random.Random(seed)
    values = {}
    for f in form.fields:
        roll = rng.random()
        if roll < 0.8:
            values[f.name] = (rng.choice(GOOD[f.name]) if f.name in GOOD
                              else form.values.get(f.name) or rng.choice(FREE))
        else:
            values[f.name] = rng.choice(BAD.get(f.name, SPICY) if roll < 0.9 else SPICY)
    return values


def cleaned(raw: object, long: bool = False) -> str:
    """What Form.validate keeps: no control characters, trimmed, spaces collapsed if short."""
    value = clean_user_text(str(raw or "")).strip()
    return value if long else " ".join(value.split())


class Fuzz:
    """Drive one person through events, keep the expected model, check every property."""

    def __init__(self, engine: Engine, clock: SimulatedClock, user_id: str) -> None:
        self.engine, self.clock, self.user = engine, clock, User(engine, user_id)
        self.contacts: dict[int, dict[str, Any]] = {}
        self.profile: dict[str, str] = {}
        self.stages: dict[int, Stage] = {}
        self.stages_before: dict[int, Stage] = {}
        self.last_form: Form | None = None
        self.logged: list[str] = []  # the tracebacks the engine caught and logged
        self.log = logging.Handler()
        self.log.emit = lambda r: self.logged.append(  # type: ignore[method-assign,assignment]
            "".join(traceback.format_exception(*r.exc_info))[-2000:] if r.exc_info else r.msg)

    def __enter__(self) -> Fuzz:
        logging.getLogger("infointerview.core.engine").addHandler(self.log)
        return self

    def __exit__(self, *exc: object) -> None:
        logging.getLogger("infointerview.core.engine").removeHandler(self.log)

    def send(self, event: tuple[Any, ...]) -> list[Effect]:
        if event[0] == "answer":
            if self.last_form is None:
                return []
            event = ("submit", self.last_form.form_id, _fill(self.last_form, event[1]))
        kind, user = event[0], self.user
        if kind in ("cmd", "click", "submit"):
            senders: dict[str, Callable[[str, Any], list[Effect]]] = {
                "cmd": user.command, "click": user.click, "submit": user.submit}
            effects = senders[kind](event[1], event[2])
        elif kind == "text":
            effects = self.user.text(event[1])
        else:
            self.clock.advance(timedelta(minutes=event[1]))
            effects = []
            uid = self.user.actor.user_id
            for due in self.engine.claim_due_reminders("console", user_id=uid):
                effects += self.engine.handle(due)
                self.engine.reminder_delivered(due.reminder_id)
        self.last_form = next(reversed(forms(effects)), self.last_form)
        said = text_of(effects)
        assert APOLOGY not in said, f"{event!r:.300} -> apology\n" + "\n".join(self.logged)
        self.stages_before = dict(self.stages)
        self._check_stages(event)
        for form in forms(effects) if kind == "submit" else []:
            if form.form_id == event[1] and form.errors:  # shown again: nothing typed is lost
                assert set(form.errors) <= {f.name for f in form.fields}
                for f in form.fields:
                    typed = cleaned(event[2].get(f.name, ""), f.kind is FieldKind.LONG)
                    assert form.values.get(f.name) == typed, f"{event!r:.200}: {f.name} lost"
        self._observe(event, effects, said)
        return effects

    def _check_stages(self, event: tuple[Any, ...]) -> None:
        with self.engine.database.transaction() as session:
            rows = session.execute(
                select(ContactRow.no, ContactRow.stage)
                .join(UserRow, ContactRow.user_pk == UserRow.id)
                .where(UserRow.platform == "console", UserRow.tenant == "local",
                       UserRow.user_id == self.user.actor.user_id)).all()
        now = {no: Stage(stage) for no, stage in rows}  # ValueError: not a valid Stage
        for no, stage in now.items():
            before = self.stages.get(no)
            if before is None:
                assert stage is Stage.IDENTIFIED, f"{event!r:.200}: new contact {no} is {stage}"
            elif stage is not before:
                legal = any(before in a.allowed_in and a.moves_to is stage
                            for a in ACTIONS.values())
                assert legal, f"{event!r:.300}: contact {no} jumped {before} -> {stage}"
        self.stages = now

    def _observe(self, event: tuple[Any, ...], effects: list[Effect], said: str) -> None:
        if event[:2] == ("click", "forget_confirm") and "everything about you is deleted" in said:
            self.contacts, self.profile = {}, {}
            return
        buttons = [b for m in messages(effects) for b in m.buttons]
        for b in buttons:
            if b.action == "star" and b.label == "Star this one":
                no, _, note_no = b.value.partition(":")
                assert int(no) in self.contacts, f"{event!r:.200}: a note for unknown {no}"
                notes = self.contacts[int(no)]["notes"]
                notes.append(cleaned(self._note_text(event), long=True))
                assert int(note_no) == len(notes)
        reviewed = any(b.action == "intro" and b.label == "Rewrite it" for b in buttons)
        if event[0] == "cmd" and event[1].strip().lower() == "intro" and reviewed:
            self.profile["introduction"] = cleaned(event[2], long=True)
        if event[0] == "submit" and not any(f.errors for f in forms(effects)):
            self._observe_submit(event[1], event[2], effects, buttons)

    @staticmethod
    def _note_text(event: tuple[Any, ...]) -> str:
        if event[0] == "text":
            return str(event[1])
        if event[0] == "submit":
            return str(event[2].get("text", ""))
        first, _, rest = event[2].strip().partition(" ")  # `note [N] text`
        return rest if first.lstrip("#").isdecimal() else str(event[2])

    def _observe_submit(self, form_id: str, values: dict[str, str], effects: list[Effect],
                        buttons: list[Any]) -> None:
        kind, _, rest = form_id.partition(":")
        template = form_for(form_id if kind in SIMPLE_FORMS or rest == "new" else f"{kind}:1")
        if template is None:
            return
        v = {f.name: cleaned(values.get(f.name, ""), f.kind is FieldKind.LONG)
             for f in template.fields}
        no = int(rest) if rest.isdecimal() and len(rest) < 10 else None
        stage = self.stages_before.get(no) if no is not None else None
        if kind in FORM_ACTIONS and (stage is None or not allowed(FORM_ACTIONS[kind], stage)):
            return  # a form for a step the contact is not at is refused, stage rules first
        main = ("name", "role", "organisation", "sector", "channel")
        if form_id == "contact:new":
            for f in forms(effects):
                if f.form_id.startswith("contact2:"):
                    self.contacts[int(f.form_id.partition(":")[2])] = {
                        **{k: v[k] for k in main}, "how_found": "other", "found_detail": "",
                        "email": "", "profile_url": "", "reason": "", "notes": []}
        elif kind == "contact" and no in self.contacts:
            self.contacts[no].update({k: v[k] for k in main})
        elif kind == "contact2" and no in self.contacts:
            url = normalise_url(v["profile_url"]) if v["profile_url"] else ""
            self.contacts[no].update(how_found=v["how_found"], found_detail=v["found_detail"],
                                     email=v["email"], profile_url=url, reason=v["reason"])
        elif kind == "referral" and no in self.contacts:
            new = [int(b.value) for b in buttons
                   if b.action == "draft" and b.label.startswith("Draft outreach to")]
            assert len(new) == 1, f"referral to {no} accepted without a new contact"
            reach, parent = v["reach"], self.contacts[no]
            email = reach if "@" in reach and "/" not in reach else ""
            self.contacts[new[0]] = {
                # a referral does not inherit the referrer's sector (issue 13): Other until set
                **{k: v[k] for k in main[:3]}, "sector": "other",
                "channel": parent["channel"], "how_found": "referral",
                "found_detail": parent["name"], "email": email,
                "profile_url": normalise_url(reach) if reach and not email else "",
                "reason": v["why"], "notes": []}
        elif kind == "profile":
            self.profile.update({k: v[k] for k in ("name", "programme", "institution",
                                                    "interests")},
                                time_zone=resolve_timezone(v["tz"]).zone or v["tz"])
        elif kind == "settings":  # stored as the IANA name the typed zone stands for
            self.profile["time_zone"] = resolve_timezone(v["tz"]).zone or v["tz"]
        elif kind == "intro" and any(b.action == "intro" for b in buttons):
            self.profile["introduction"] = v["intro"]

    def onboard(self) -> None:
        self.send(("cmd", "start", ""))
        self.send(("submit", "profile", dict(PROFILE)))
        self.send(("cmd", "start", ""))
        self.send(("submit", "contact:new", dict(CONTACT)))
        self.send(("submit", "contact2:1", dict(SOURCE)))

    def finish(self) -> None:
        """Export and compare with everything the engine said it accepted."""
        effects = self.send(("cmd", "export", ""))
        files = {a.filename.rsplit(".", 1)[1]: a.content
                 for m in messages(effects) for a in m.attachments}
        data = json.loads(files["json"].decode("utf-8"))
        got = {c["number"]: c for c in data["contacts"]}
        assert sorted(got) == sorted(self.contacts)
        for no, want in self.contacts.items():
            for key, value in want.items():
                stored = [n["text"] for n in got[no]["notes"]] if key == "notes" else got[no][key]
                assert stored == value, f"contact {no} {key}: stored {stored!r}, entered {value!r}"
        for key, value in self.profile.items():
            stored = data["settings"]["time_zone"] if key == "time_zone" else data["profile"][key]
            assert stored == value, f"profile {key}: stored {stored!r}, entered {value!r}"
        rows = list(csv.reader(io.StringIO(files["csv"].decode("utf-8"), newline="")))
        assert len(rows) == len(self.contacts) + 1
        for row in rows[1:]:
            name = self.contacts[int(row[0])]["name"]
            assert row[1] == ("'" + name if name[:1] in "=+-@" else name)


# --- the hypothesis test: SQLite, one database, a fresh person per example ---------------------

TEMPLATES, BANK = Templates(), QuestionBank.load()
_people = itertools.count(1)


@st.composite
def events(draw: st.DrawFn) -> tuple[Any, ...]:
    text = st.one_of(st.sampled_from(SPICY), st.text(max_size=40))
    return gen_event(Chooser(lambda seq: draw(st.sampled_from(list(seq))), lambda: draw(text)))


@pytest.fixture(scope="module")
def shared_engine_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = Database(f"sqlite:///{tmp_path_factory.mktemp('property')}/property.db")
    database.migrate()
    yield database
    database.dispose()


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          phases=(Phase.explicit, Phase.generate),  # shrinking 40-event runs takes minutes
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.large_base_example])
@given(sequence=st.lists(events(), min_size=25, max_size=60))
def test_random_event_sequences_keep_the_engine_sound(
        shared_engine_db: Database, sequence: list[tuple[Any, ...]]) -> None:
    clock = SimulatedClock(START)
    engine = Engine(shared_engine_db, templates=TEMPLATES, bank=BANK, clock=clock)
    with Fuzz(engine, clock, f"prop{next(_people)}") as run:
        run.onboard()
        for event in sequence:
            run.send(event)
        run.finish()


# --- the same generator, fixed seed, on SQLite and PostgreSQL ------------------------------------


def test_fixed_seed_random_events_on_every_database(engine: Engine,
                                                     clock: SimulatedClock) -> None:
    rng = random.Random(20260302)
    chooser = Chooser(lambda seq: rng.choice(list(seq)), lambda: rng.choice(SPICY) if rng.random()
                      < 0.4 else "".join(rng.choices(ALPHABET, k=rng.randint(0, 30))))
    with Fuzz(engine, clock, "fuzz") as run:
        run.onboard()
        for _ in range(150):
            run.send(gen_event(chooser))
        run.finish()
